/**
 * `lambda-optimizer metrics` as a user runs it: over generated log files whose
 * true counts the test knows, and over a real AWS-API server (moto) seeded
 * with CloudWatch metrics and logs.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MetricsReportSchema } from "../../src/metrics/metrics-report.js";
import { asLines, generateLog } from "../metrics/generate-logs.js";
import {
  createFunction,
  createRole,
  motoClients,
  putLambdaMetrics,
  putLogLines,
} from "../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { CLI, type FinishedCli, runCli, startCli } from "./run-cli.js";

const folder = mkdtempSync(join(tmpdir(), "lo-metrics-cli-"));
// `aws logs tail` reads one log group: the function is named after the file.
const log = generateLog({
  functionNames: ["orders"],
  invocationsPerFunction: 600,
  format: "text",
  seed: 7,
  coldStartRate: 0.1,
  timeoutRate: 0.02,
  garbageRate: 0.05,
});
const { lines, otherLines } = asLines(log, "tail");
const plain = join(folder, "orders.log");
writeFileSync(plain, `${lines.join("\n")}\n`);
const gzipped = join(folder, "orders.log.gz");
const compressed = gzipSync(`${lines.join("\n")}\n`);
writeFileSync(gzipped, compressed);
const truncated = join(folder, "broken.log.gz");
writeFileSync(truncated, compressed.subarray(0, Math.floor(compressed.length / 2)));

function expectedFor(name: string) {
  const invocations = log.invocations.filter((invocation) => invocation.functionName === name);
  return {
    invocations: invocations.length,
    coldStarts: invocations.filter((invocation) => invocation.report.initDurationMs !== undefined)
      .length,
    timeouts: invocations.filter((invocation) => invocation.timedOut).length,
  };
}

describe("metrics over log files", () => {
  it.each([
    ["plain", plain],
    ["gzip", gzipped],
  ])("reads `aws logs tail` output (%s) and reports every function", (_kind, file) => {
    const result = runCli(["metrics", file, "--json", "--quiet"]);
    expect(result.status).toBe(0);
    const report = MetricsReportSchema.parse(JSON.parse(result.stdout));
    expect(report.functions.map((fn) => fn.name)).toEqual(["orders"]);
    for (const fn of report.functions) {
      expect(fn).toMatchObject(expectedFor(fn.name));
      expect(fn.monthlyCostUsd).toBeGreaterThan(0);
    }
    expect(report.skippedLines).toBe(otherLines);
    expect(report.window?.days).toBeGreaterThan(0);
  });

  it("reads a file large enough for the worker threads to the same report as its gzip (read serially)", () => {
    // Above the parallel reader's 32 MB threshold; a gzip file is always read serially.
    const block = `${lines.join("\n")}\n`;
    const text = block.repeat(Math.ceil((34 * 1024 * 1024) / Buffer.byteLength(block)));
    const large = join(folder, "large.log");
    writeFileSync(large, text);
    writeFileSync(`${large}.gz`, gzipSync(text, { level: 1 }));
    const reports = [large, `${large}.gz`].map((file) => {
      const result = runCli(["metrics", file, "--json", "--quiet"]);
      expect(result.status).toBe(0);
      const { createdAt: _, source: __, ...report } = JSON.parse(result.stdout);
      return report;
    });
    // The worker the built CLI finds beside its code (tsup.config.ts builds it).
    expect(existsSync(join(dirname(CLI), "..", "log-range-worker.js"))).toBe(true);
    expect(reports[0].functions[0].invocations).toBeGreaterThan(40_000);
    expect(reports[0]).toEqual(reports[1]);
  });

  it("reports a truncated gzip as a problem, with what it read before the break", () => {
    const result = runCli(["metrics", truncated, "--json", "--quiet"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.problems).toEqual([expect.objectContaining({ source: truncated })]);
    expect(report.problems[0].linesRead).toBeGreaterThan(0);
  });

  it("takes the name from --function, writes an HTML report, and shows a readable table", () => {
    const html = join(folder, "metrics.html");
    const child = runCli(["metrics", plain, "--function", "all-in-one", "--html", html]);
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/all-in-one\s+600\s/);
    expect(child.stdout).toContain("[arm64-saving]");
  });

  it("exits 2 for a file with no Lambda log line (a README) and for a missing file", () => {
    const readme = join(folder, "README.md");
    writeFileSync(readme, "# My app\n\nRun `sam deploy`.\n\nREPORT nothing here\n");
    for (const args of [[readme], [readme, "--json"]]) {
      const nothing = runCli(["metrics", ...args]);
      expect(nothing.status).toBe(2);
      expect(nothing.stdout).toBe("");
      expect(nothing.stderr.trim().split("\n")).toHaveLength(1);
      expect(nothing.stderr).toContain(`${readme}: no Lambda log lines found`);
      expect(nothing.stderr).toContain("among 3 lines read" /* blank lines are no lines */);
    }
    const missing = runCli(["metrics", join(folder, "nope.log")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain("nope.log");
    expect(runCli(["metrics", plain, "--since", "fortnight", "--aws"]).stderr).toMatch(
      /--since "fortnight" is not valid/,
    );
  });
});

describe("metrics --aws against moto_server", () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    const { lambda, cloudwatch, logs } = motoClients(moto.endpoint);
    await createRole(moto.endpoint);
    await createFunction(lambda, { FunctionName: "checkout", MemorySize: 1024, Timeout: 900 });
    const now = Date.now();
    await putLambdaMetrics(cloudwatch, "checkout", [
      {
        MetricName: "Invocations",
        Value: 4000,
        Unit: "Count",
        Timestamp: new Date(now - 3_600_000),
      },
      { MetricName: "Errors", Value: 80, Unit: "Count", Timestamp: new Date(now - 3_600_000) },
      { MetricName: "Throttles", Value: 5, Unit: "Count", Timestamp: new Date(now - 3_600_000) },
      {
        MetricName: "Duration",
        Value: 120,
        Unit: "Milliseconds",
        Timestamp: new Date(now - 3_600_000),
      },
    ]);
    const events = Array.from({ length: 200 }, (_, index) => ({
      timestamp: now - 3_000_000 + index * 1000,
      message: `REPORT RequestId: r-${index}\tDuration: ${100 + (index % 40)}.00 ms\tBilled Duration: ${100 + (index % 40)} ms\tMemory Size: 1024 MB\tMax Memory Used: 90 MB\t${index % 10 === 0 ? "Init Duration: 300.00 ms\t" : ""}`,
    }));
    await putLogLines(logs, "/aws/lambda/checkout", "2026/11/28/[$LATEST]abc", events);
  });
  afterAll(() => moto?.stop());

  function metrics(args: string[]): Promise<FinishedCli> {
    const aws = ["--endpoint-url", moto.endpoint, "--region", "us-east-1", "--quiet"];
    return startCli(["metrics", ...args, ...aws], {
      env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
    }).finished;
  }

  it("combines CloudWatch's counts with the REPORT lines' distributions, and recommends", async () => {
    const result = await metrics(["--aws", "checkout", "--since", "1d", "--json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = MetricsReportSchema.parse(JSON.parse(result.stdout));
    const checkout = report.functions[0]!;
    expect(checkout).toMatchObject({
      name: "checkout",
      invocations: 4000,
      errors: 80,
      throttles: 5,
      reportLines: 200,
      coldStarts: 20,
      memorySizeMb: 1024,
    });
    expect(checkout.configuration?.timeoutSeconds).toBe(900);
    expect(checkout.cloudWatch?.durationMs.p99).toBeNull(); // moto answers no percentiles
    expect(checkout.durationMs.p99).toBeGreaterThan(0); // the REPORT lines do
    const ids = checkout.recommendations.map((recommendation) => recommendation.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "memory-oversized",
        "arm64-saving",
        "cold-starts-high",
        "timeout-too-long",
        "errors-high",
        "throttles-present",
      ]),
    );
  });

  it("names an unknown function and exits 2", async () => {
    const result = await metrics(["--aws", "ghost"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ghost");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("measures the window --start..--end: one that ended before the function ran holds nothing", async () => {
    const day = 86_400_000;
    // One reading of the clock: two could fall a millisecond apart on a busy machine.
    const now = Date.now();
    const start = new Date(now - 3 * day).toISOString();
    const end = new Date(now - 2 * day).toISOString();
    const result = await metrics(["--aws", "checkout", "--start", start, "--end", end, "--json"]);
    expect(result.code).toBe(0);
    const report = MetricsReportSchema.parse(JSON.parse(result.stdout));
    expect(report.window).toMatchObject({ start, end, days: 1 });
    expect(report.functions[0]).toMatchObject({ name: "checkout", invocations: 0, reportLines: 0 });
    const backwards = await metrics(["--aws", "checkout", "--start", end, "--end", start]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/--start \(.*\) must be before --end/);
  });
});

describe("lambda-optimizer metrics: REPORT figures outside Lambda's limits", () => {
  it("skips the line that would price at $1.7e17 and prices only the real one", () => {
    const file = join(folder, "absurd.log");
    const report = (id: string, durationMs: string) =>
      `REPORT RequestId: ${id}\tDuration: ${durationMs} ms\tBilled Duration: ${Math.ceil(Number(durationMs))} ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t`;
    writeFileSync(
      file,
      `${[report("r1", "12.00"), report("r2", "170000000000000000000.00"), report("r3", "900001.00")].join("\n")}\n`,
    );
    const result = runCli(["metrics", file, "--json", "--quiet"]);
    expect(result.status).toBe(0);
    const parsed = MetricsReportSchema.parse(JSON.parse(result.stdout));
    expect(parsed.skippedLines).toBe(2);
    expect(parsed.functions).toHaveLength(1);
    expect(parsed.functions[0]!.invocations).toBe(1);
    expect(parsed.functions[0]!.durationMs.max).toBe(12);
    expect(parsed.functions[0]!.billedDurationMs.mean).toBe(12);
    // One 12 ms invocation at 128 MB: about $0.0000002 of compute and request, not $1.7e17.
    expect(parsed.functions[0]!.costUsd).toBeLessThan(0.000001);
  });
});
