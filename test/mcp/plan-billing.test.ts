/** plan_billing through the SDK's own Client over stdio: its schemas, a plan on a profile, and mistakes as one sentence. */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

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
