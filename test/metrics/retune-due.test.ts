/**
 * retune-due: `metrics` recommends re-tuning a function whose newest tune saved in the project
 * is older than retuneAfterDays (default 90) or was of other code than the function has now,
 * and says nothing when the last tune is recent and of the same code.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { measureFunctions } from "../../src/index.js";
import type { FunctionConfigurationFacts } from "../../src/metrics/aws-observations.js";
import { lastTunes } from "../../src/metrics/last-tunes.js";
import { hashCodeFolder } from "../../src/tuning/code-hash.js";
import { RUNS_FOLDER } from "../../src/tuning/saved-runs.js";
import type { TuneResult } from "../../src/tuning/tune-result.js";
import { runCli } from "../cli/run-cli.js";
import { BASELINE } from "../tuning/fixtures.js";
import { asLines, generateLog } from "./generate-logs.js";

const DAY_MS = 86_400_000;
const { lines } = asLines(
  generateLog({ functionNames: ["orders"], invocationsPerFunction: 50, format: "text", seed: 5 }),
  "tail",
);

/**
 * A project whose emulator logs hold `orders`, whose code is in `orders/`, and whose saved
 * run of it was made `daysAgo` days ago, of the code as it is (or of other code).
 */
function project(daysAgo: number, code: "same" | "other"): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-retune-"));
  const logs = join(folder, ".lambda-optimizer", "logs", "orders");
  mkdirSync(logs, { recursive: true });
  writeFileSync(
    join(logs, `${new Date().toISOString().slice(0, 10)}.log`),
    `${lines.join("\n")}\n`,
  );
  mkdirSync(join(folder, "orders"));
  writeFileSync(join(folder, "orders", "handler.mjs"), "export const handler = async () => 1;\n");
  const sha256 =
    code === "same"
      ? hashCodeFolder(join(folder, "orders"))!.sha256
      : "mRk0QaBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=";
  const run: TuneResult = {
    ...structuredClone(BASELINE),
    createdAt: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
    target: {
      ...BASELINE.target,
      functionName: "orders",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:orders",
    },
    code: { kind: "folder", sha256, folder: "orders" },
  };
  mkdirSync(join(folder, RUNS_FOLDER), { recursive: true });
  writeFileSync(
    join(folder, RUNS_FOLDER, "20260101T000000-a1b2c3-orders.json"),
    JSON.stringify(run),
  );
  return folder;
}

const retuneOf = async (cwd: string, retuneAfterDays?: number) => {
  const report = await measureFunctions({
    local: true,
    cwd,
    ...(retuneAfterDays ? { retuneAfterDays } : {}),
  });
  const [orders] = report.functions;
  return {
    orders,
    retune: orders?.recommendations.find((recommendation) => recommendation.id === "retune-due"),
  };
};

describe("retune-due (measureFunctions over a project with a saved run)", () => {
  it("recommends re-tuning when the last tune is older than 90 days, with its date and age", async () => {
    const cwd = project(200, "same");
    const { orders, retune } = await retuneOf(cwd);
    const date = new Date(Date.now() - 200 * DAY_MS).toISOString().slice(0, 10);
    expect(orders?.lastTune).toMatchObject({
      ageDays: 200,
      maxAgeDays: 90,
      tooOld: true,
      codeChanged: false,
    });
    expect(retune).toEqual({
      id: "retune-due",
      severity: "info",
      message: `Re-tune memory: the last tune, on ${date}, no longer describes this function (it is 200 days old, more than the 90 allowed); run \`lambda-optimizer tune\` again and compare it with the old run (\`compare --max-age-days 90\`).`,
      evidence: `${join(cwd, RUNS_FOLDER, "20260101T000000-a1b2c3-orders.json")}: tuned on ${date} (200 days ago, more than the 90 allowed), on the same code`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    });
    // A longer limit, and the same run is recent enough.
    expect((await retuneOf(cwd, 365)).retune).toBeUndefined();
  });

  it("recommends re-tuning a recent tune of other code than the function has now", async () => {
    const { retune } = await retuneOf(project(10, "other"));
    expect(retune?.message).toContain("(the code has changed since)");
    expect(retune?.evidence).toMatch(
      /\(10 days ago, within 90\); its code changed since \(hash mRk0QaBBBB then, .{10} now\)$/,
    );
  });

  it("says nothing when the last tune is recent and of the same code", async () => {
    const { orders, retune } = await retuneOf(project(10, "same"));
    expect(orders?.lastTune).toMatchObject({ ageDays: 10, tooOld: false, codeChanged: false });
    expect(retune).toBeUndefined();
  });

  it("refuses a limit that is not a whole number of days", async () => {
    await expect(measureFunctions({ local: true, retuneAfterDays: 0 })).rejects.toThrow(
      "retuneAfterDays 0 is not valid: expected a whole number of days, 1 or more (90 for a quarter)",
    );
  });

  it("prints it in the CLI's recommendations, and exits 2 on a bad --retune-after-days", () => {
    const cwd = project(200, "same");
    const printed = runCli(["metrics", "--local", "--quiet"], { cwd });
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain("Re-tune memory: the last tune, on ");
    const bad = runCli(["metrics", "--local", "--retune-after-days", "soon"], { cwd });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'lambda-optimizer: --retune-after-days "soon" is not valid: expected a whole number of days, 1 or more (90 for a quarter)\n',
    );
  });
});

describe("lastTunes: which saved run is a function's last tune", () => {
  const facts = (codeSha256: string): FunctionConfigurationFacts => ({
    functionName: "orders",
    functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:orders",
    runtime: "nodejs22.x",
    memoryMb: 1024,
    architecture: "x86_64",
    timeoutSeconds: 3,
    ephemeralStorageMb: 512,
    reservedConcurrency: null,
    provisionedConcurrency: 0,
    packageType: "Zip",
    codeSha256,
    eventSources: [],
  });
  const awsRun = (createdAt: string, region: string, sha256: string): TuneResult => ({
    ...structuredClone(BASELINE),
    createdAt,
    target: {
      kind: "aws",
      functionName: "orders",
      functionArn: `arn:aws:lambda:${region}:123456789012:function:orders`,
      region,
      endpoint: null,
    },
    code: { kind: "code-sha256", sha256, folder: null },
  });
  const judge = (saved: { file: string; result: TuneResult }[], now: string) =>
    lastTunes({
      names: ["orders", "unseen"],
      deployed: new Map([["orders", facts("AAAA")]]),
      region: "eu-west-1",
      saved,
      cwd: tmpdir(),
      now: new Date(now),
      maxAgeDays: 90,
    });

  it("takes the newest run of the function in its region, and sets its CodeSha256 beside the function's", () => {
    const found = judge(
      [
        // Newest first, as readSavedTuneResults gives them: another region's run of the same name is not this function.
        { file: "us.json", result: awsRun("2026-11-30T00:00:00.000Z", "us-east-1", "AAAA") },
        { file: "new.json", result: awsRun("2026-11-01T00:00:00.000Z", "eu-west-1", "BBBB") },
        { file: "old.json", result: awsRun("2026-01-01T00:00:00.000Z", "eu-west-1", "AAAA") },
      ],
      "2026-12-01T00:00:00.000Z",
    );
    expect(found.get("orders")).toMatchObject({
      file: "new.json",
      ageDays: 30,
      tooOld: false,
      codeChanged: true,
      tunedSha256: "BBBB",
      currentSha256: "AAAA",
    });
    expect(found.has("unseen")).toBe(false);
  });

  it("finds nothing for a function never tuned", () => {
    expect(judge([], "2026-12-01T00:00:00.000Z").size).toBe(0);
  });
});
