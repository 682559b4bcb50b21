/**
 * compare_runs through the SDK's own Client over stdio: two hand-built runs
 * whose figures are worked by hand (the regression flagged), two real tune
 * runs named by their saved run ids, and mistakes as one sentence.
 */
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ComparisonSchema } from "../../src/tuning/compare.js";
import { RUNS_FOLDER, readTuneResultFile } from "../../src/tuning/saved-runs.js";
import type { TuneResult } from "../../src/tuning/tune-result.js";
import { runCli } from "../cli/run-cli.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";
import { BASELINE, REGRESSED as REGRESSED_RUN } from "../tuning/fixtures.js";

/** The regressed run, dated a day after the baseline. */
const REGRESSED = { ...REGRESSED_RUN, createdAt: "2026-01-16T10:00:00.000Z" };

const EXAMPLE_HANDLER = new URL("../../examples/io-bound/handler.mjs", import.meta.url).pathname;

let project: string;
let client: Client;
/** The two real runs `tune` saved, by their file names without .json. */
let savedRuns: string[];

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "lo-mcp-compare-"));
  writeFileSync(join(project, "old.json"), JSON.stringify(BASELINE));
  writeFileSync(join(project, "new.json"), JSON.stringify(REGRESSED));
  const other = structuredClone(BASELINE);
  other.target.functionName = "resizer";
  writeFileSync(join(project, "other-function.json"), JSON.stringify(other));
  // Two real local tunes of the bundled I/O-bound example, saved as tune saves every run.
  cpSync(EXAMPLE_HANDLER, join(project, "handler.mjs"));
  for (let run = 0; run < 2; run++) {
    const tuned = runCli(["tune", "handler.mjs:handler", "--memory", "128,256", "--num", "3"], {
      cwd: project,
    });
    expect(tuned.status, tuned.stderr).toBe(0);
  }
  savedRuns = readdirSync(join(project, RUNS_FOLDER))
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => name.replace(/\.json$/, ""));
  ({ client } = await connectStdio({ cwd: project }));
}, 240_000);

afterAll(async () => {
  await client?.close();
});

const call = async (args: Record<string, unknown>) =>
  (await client.callTool({ name: "compare_runs", arguments: args })) as CallToolResult;

describe("compare_runs over stdio", () => {
  it("flags the regression, with the figures of both runs and the verdict in the summary", async () => {
    const result = await call({ oldFile: "old.json", newFile: "new.json" });
    expect(result.isError).toBeFalsy();
    const comparison = ComparisonSchema.parse(result.structuredContent);
    expect(comparison.regression).toBe(true);
    expect(comparison.gates).toEqual({ maxCostIncrease: 0.05, maxP95Increase: 0.1 });
    const [small, large] = comparison.configurations;
    expect(small).toMatchObject({ memoryMb: 512, architecture: "arm64", breaches: ["cost"] });
    expect(small?.costPerInvocationUsd?.before).toBe(1.0e-6);
    expect(small?.costPerInvocationUsd?.after).toBe(1.08e-6);
    expect(small?.costPerInvocationUsd?.relative).toBeCloseTo(0.08, 12);
    expect(small?.durationMsP95).toMatchObject({ before: 120, after: 125, absolute: 5 });
    expect(large).toMatchObject({ memoryMb: 1024, breaches: [], costWithinNoise: true });
    expect(large?.durationMsP95?.relative).toBeCloseTo(5 / 90, 12);

    expect(summaryOf(result).split("\n")).toEqual([
      "old.json: thumbnailer in us-east-1, 2026-01-15T10:00:00.000Z",
      "new.json: thumbnailer in us-east-1, 2026-01-16T10:00:00.000Z",
      "Recommendation unchanged: 512 MB arm64 (cost strategy), $0.000001 → $0.00000108 per invocation.",
      "Regression: 512 MB arm64 (cost > +5%).",
    ]);
  });

  it("takes the gates as fractions: a 10% cost gate lets the same runs pass", async () => {
    const result = await call({
      ...{ oldFile: "old.json", newFile: "new.json" },
      ...{ maxCostIncrease: 0.1, maxP95Increase: 0.06 },
    });
    const comparison = ComparisonSchema.parse(result.structuredContent);
    expect(comparison.regression).toBe(false);
    expect(summaryOf(result).split("\n").at(-1)).toBe(
      "No regression: every configuration measured in both runs is within the gates.",
    );
  });

  it("compares two real tune runs named by their saved run ids", async () => {
    expect(savedRuns).toHaveLength(2);
    const [first, second] = savedRuns as [string, string];
    const files = savedRuns.map((name) => join(project, RUNS_FOLDER, `${name}.json`));
    const [before, after] = files.map(readTuneResultFile) as [TuneResult, TuneResult];
    // A run id is the file name up to the function's name: "20261202T190535-125fb8".
    const runId = (name: string) => /^\d{8}T\d{6}-[0-9a-f]{6}/.exec(name)![0];
    const result = await call({ oldFile: runId(first), newFile: second });
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const comparison = ComparisonSchema.parse(result.structuredContent);
    expect(comparison.before.createdAt).toBe(before.createdAt);
    expect(comparison.after.createdAt).toBe(after.createdAt);
    expect(comparison.configurations.map((change) => change.memoryMb)).toEqual([128, 256]);
    for (const change of comparison.configurations) {
      const was = before.results.find((run) => run.memoryMb === change.memoryMb)!;
      const is = after.results.find((run) => run.memoryMb === change.memoryMb)!;
      expect(change.costPerInvocationUsd).toMatchObject({
        before: was.costPerInvocationUsd,
        after: is.costPerInvocationUsd,
      });
      expect(change.durationMsP95).toMatchObject({
        before: was.durationMs.p95,
        after: is.durationMs.p95,
      });
    }
    // Two runs on a shared machine may differ past a gate either way; the flag follows the breaches.
    expect(comparison.regression).toBe(
      comparison.recommendation.lost ||
        comparison.configurations.some((change) => change.breaches.length > 0),
    );
    const summary = summaryOf(result).split("\n");
    // The summary names the saved file the id stood for.
    expect(summary[0]).toBe(`${files[0]}: handler in us-east-1, ${before.createdAt}`);
    expect(summary.at(-1)).toMatch(comparison.regression ? /^Regression: / : /^No regression: /);

    // A run compared with itself is no regression, whatever the machine did.
    // Named by the saved run's resource URI too, as resources/list gives it.
    const same = await call({ oldFile: first, newFile: `lambda-optimizer://runs/${first}` });
    const itself = ComparisonSchema.parse(same.structuredContent);
    expect(itself.regression).toBe(false);
    expect(
      itself.configurations.every((change) => change.costPerInvocationUsd?.relative === 0),
    ).toBe(true);
  });

  it.each([
    [{ oldFile: "missing.json" }, "missing.json: cannot read it (no such file)"],
    [
      { oldFile: "20990101T000000-abcdef" },
      /^20990101T000000-abcdef: cannot read it \(no such file, and no run of that id saved in .*\.lambda-optimizer\/runs\)$/,
    ],
    [
      { newFile: "other-function.json" },
      "old.json is a run of thumbnailer and other-function.json of resizer: different functions, so their costs do not compare; give force to compare them anyway",
    ],
    [
      { maxCostIncrease: "5%" },
      'maxCostIncrease "5%" is not valid: expected a share from 0 to 1 (0.05 for 5%)',
    ],
    [
      { maxP95Increase: 2 },
      "maxP95Increase 2 is not valid: expected a share from 0 to 1 (0.05 for 5%)",
    ],
  ])("refuses %j in one sentence naming it", async (bad, message) => {
    const result = await call({ oldFile: "old.json", newFile: "new.json", ...bad });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(summaryOf(result)).toMatch(message);
  });

  it("tells a misspelt argument by its closest name, before saying the right one is missing", async () => {
    const result = await call({ oldfile: "old.json", newFile: "new.json" });
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toBe("unknown option oldfile: the closest is oldFile");
  });

  it("compares two different functions with force, and says they differ", async () => {
    const result = await call({ oldFile: "old.json", newFile: "other-function.json", force: true });
    const comparison = ComparisonSchema.parse(result.structuredContent);
    expect(comparison.regression).toBe(false);
    expect(summaryOf(result)).toContain(
      "Note: The runs differ in function: thumbnailer before, resizer after.",
    );
  });
});
