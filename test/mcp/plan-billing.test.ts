/** plan_billing through the SDK's own Client over stdio: its schemas, a plan on a profile, and mistakes as one sentence. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlanResultSchema } from "../../src/planning/plan-result.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

/** Two days of 20 requests a second at 500 ms: 10 environments busy every minute. */
function steadyProfile(): string {
  const start = Date.UTC(2026, 10, 16);
  const lines = ["timestamp,invocations,concurrency"];
  for (let minute = 0; minute < 2 * 1_440; minute++)
    lines.push(`${new Date(start + minute * 60_000).toISOString()},1200,10`);
  const file = join(mkdtempSync(join(tmpdir(), "lo-mcp-plan-")), "steady.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe("plan_billing over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "plan_billing", arguments: args })) as CallToolResult;

  it("lists the library's option names, read-only, with PlanResult as its output", async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === "plan_billing");
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true });
    expect(tool?.description).toContain("after get_metrics and power_tune");
    expect(tool?.inputSchema.required ?? []).toEqual([]);
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining([
        "trafficFile",
        "logFiles",
        "aws",
        "function",
        "memoryMb",
        "durationMs",
        "runtime",
        "maxColdStartShare",
        "latencySensitive",
        "savingsPlanDiscount",
      ]),
    );
    expect(tool?.inputSchema.properties?.idleReclaimMinutes).toMatchObject({ default: 10 });
    expect(Object.keys(tool?.outputSchema?.properties ?? {})).toEqual(
      expect.arrayContaining(["periodSeconds", "options", "recommendation", "scaling", "timeline"]),
    );
  });

  it("plans a steady profile: provisioned concurrency at 10, figures a calculator gets, in both forms", async () => {
    const result = await call({
      ...{ trafficFile: steadyProfile(), memoryMb: 2048, durationMs: 500 },
      runtime: "python3.12",
    });
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const plan = PlanResultSchema.parse(result.structuredContent);
    const option = (model: string) => plan.options.find((candidate) => candidate.model === model)!;
    // On demand: 3,456,000 invocations × 0.5 s × 2 GB = 3,456,000 GB-s × $0.0000166667 = $57.60,
    // plus 3.456M requests × $0.20 = $0.6912.
    expect(option("on-demand").periodUsd).toBeCloseTo(3_456_000 * 0.0000166667 + 0.6912, 4);
    // Provisioned 10 × 2 GB × 172,800 s = 3,456,000 GB-s × $0.0000041667 = $14.40 allocated,
    // the same GB-s executed at $0.0000097222 = $33.60, plus the requests.
    expect(option("provisioned-concurrency").provisionedConcurrency).toBe(10);
    expect(option("provisioned-concurrency").periodUsd).toBeCloseTo(
      3_456_000 * (0.0000041667 + 0.0000097222) + 0.6912,
      4,
    );
    // A 730-hour month is 730 ÷ 48 of the profile: $740.51.
    expect(plan.recommendation.model).toBe("provisioned-concurrency");
    expect(plan.recommendation.monthlyUsd.toFixed(2)).toBe("740.51");
    expect(option("managed-instances").available).toBe(false);
    expect(option("snapstart").available).toBe(true);

    const summary = summaryOf(result).split("\n");
    expect(summary[0]).toMatch(
      /^Function: 2,048 MB x86_64, python3\.12, mean 500 ms\. Traffic: 2 days from 2026-11-16 00:00 UTC in 1-minute steps, 3\.46M invocations \(.*steady\.csv\)\.$/,
    );
    expect(summary).toContain(
      "provisioned concurrency: $740.51 a month, 0 cold starts (0%); level 10; utilisation 100%, break-even 60%; 10 database connections at the peak.",
    );
    // The saving: ($57.60 − $14.40 − $33.60) × 730 ÷ 48 = $9.60 × 15.2083 = $146.00.
    expect(summary.find((line) => line.startsWith("Recommendation: "))).toMatch(
      /^Recommendation: provisioned concurrency at \$740\.51 a month saves \$146\.00 a month against on-demand\. Why: /,
    );
  });

  it("names the file and the line of a bad profile", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "lo-mcp-plan-")), "bad.csv");
    writeFileSync(file, "timestamp,invocations\n2026-11-16T00:00:00Z,-3\n");
    const result = await call({ trafficFile: file, memoryMb: 512, durationMs: 100 });
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toBe(
      `${file} line 2: invocations "-3" is not valid: expected a whole number ≥ 0`,
    );
  });

  it.each([
    [{}, "give the traffic: trafficFile, logFiles or aws with function"],
    [
      { trafficFile: "a.csv", logFiles: ["b.log"] },
      "give one traffic source: trafficFile, logFiles or aws, not several",
    ],
    [{ aws: true }, "aws needs function: the deployed function"],
    [
      { trafficFile: "a.csv", maxColdStartShare: 5 },
      "maxColdStartShare 5 is not valid: expected a share from 0 to 1 (0.02 for 2%)",
    ],
    [
      { trafficFile: "a.csv", architecture: "sparc" },
      'architecture "sparc" is not valid: expected one of x86_64, arm64',
    ],
    [{ trafficFile: "a.csv", memory: 1024 }, "unknown option memory: the closest is memoryMb"],
    [{ trafficFile: "a.csv", profile: "dev" }, "profile and endpointUrl go with aws"],
  ])("refuses %j in one sentence naming the argument", async (bad, message) => {
    const result = await call(bad);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(summaryOf(result)).toBe(message);
  });
});
