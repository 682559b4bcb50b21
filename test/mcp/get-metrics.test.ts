/**
 * `get_metrics` as an agent calls it: through the SDK's Client over stdio, on a
 * log file whose figures the test knows, and on a deployed function in a real
 * AWS-API server (moto) called with the AWS Serverless MCP server's own
 * argument names (project_name, start_time, end_time, period, resources).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatUsd } from "../../src/format.js";
import { type MetricsReport, MetricsReportSchema } from "../../src/metrics/metrics-report.js";
import {
  createFunction,
  createRole,
  motoClients,
  putLambdaMetrics,
  putLogLines,
} from "../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

/** us-east-1 x86_64 (src/pricing/prices.json): per GB-second of duration, per request. */
const PER_GB_SECOND = 0.0000166667;
const PER_REQUEST = 0.2 / 1e6;
/** A day of logs (period "1d") projected to a 730-hour month. */
const MONTH_PER_DAY = 730 / 24;

async function call(client: Client, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name: "get_metrics", arguments: args })) as CallToolResult;
}

function reportOf(result: CallToolResult): MetricsReport {
  expect(result.isError ?? false, summaryOf(result)).toBe(false);
  return MetricsReportSchema.parse(result.structuredContent);
}

describe("get_metrics over stdio: log files", () => {
  const folder = mkdtempSync(join(tmpdir(), "lo-mcp-metrics-"));
  const logFile = join(folder, "checkout.log");
  // 200 invocations of 5, 10, ... 1,000 ms at 2,048 MB, using 100 to 149 MB; every 25th cold.
  const lines = Array.from({ length: 200 }, (_, index) => {
    const ms = (index + 1) * 5;
    const init = index % 25 === 0 ? "Init Duration: 410.00 ms\t" : "";
    return `REPORT RequestId: req-${index}\tDuration: ${ms}.00 ms\tBilled Duration: ${ms} ms\tMemory Size: 2048 MB\tMax Memory Used: ${100 + (index % 50)} MB\t${init}`;
  });
  writeFileSync(logFile, `START RequestId: req-0 Version: $LATEST\n${lines.join("\n")}\n`);

  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  it("reports durations, memory used against size, cold starts, cost and a saving in dollars", async () => {
    const result = await call(client, { logFiles: [logFile], period: "1d" });
    const report = reportOf(result);
    expect(report.source).toMatchObject({ kind: "files", inputs: [logFile] });
    const [checkout] = report.functions;
    expect(checkout).toMatchObject({
      name: "checkout",
      invocations: 200,
      reportLines: 200,
      errors: 0,
      coldStarts: 8,
      memorySizeMb: 2048,
      maxMemoryUsedMb: { max: 149 },
    });
    // Percentiles between ranks: p50 of 5..1000 step 5 is 502.5, p99 is 990.05.
    expect(checkout!.durationMs.p50).toBeCloseTo(502.5, 6);
    expect(checkout!.durationMs.p99).toBeCloseTo(990.05, 6);
    expect(checkout!.durationMs.max).toBe(1000);
    expect(checkout!.memoryUtilization.max).toBeCloseTo(149 / 2048, 9);

    // 100.5 billed seconds at 2 GB plus 200 requests, over a day.
    const billedSeconds = 100.5;
    const dayCost = billedSeconds * 2 * PER_GB_SECOND + 200 * PER_REQUEST;
    expect(checkout!.costUsd).toBeCloseTo(dayCost, 12);
    expect(checkout!.monthlyCostUsd).toBeCloseTo(dayCost * MONTH_PER_DAY, 10);

    // The memory recommendation's dollars: the same durations at the smaller size, a month.
    const oversized = checkout!.recommendations.find((r) => r.id === "memory-oversized");
    const target = Number(/Try (\d+) MB/.exec(oversized?.message ?? "")?.[1]);
    expect(target).toBeGreaterThan(149);
    expect(target).toBeLessThan(2048);
    const saving = billedSeconds * ((2048 - target) / 1024) * PER_GB_SECOND * MONTH_PER_DAY;
    expect(oversized!.monthlySavingsUsd).toBeCloseTo(saving, 10);

    // The summary: a few lines for the function, with the headline saving in dollars.
    const summary = summaryOf(result);
    expect(summary).toContain(
      "checkout: 200 invocations, 0 errors, 8 cold starts (4%); duration p50 503 ms, p99 990 ms, max 1,000 ms.",
    );
    expect(summary).toContain("memory used max 149 of 2048 MB (7.3%)");
    expect(summary).toContain(`${formatUsd(dayCost * MONTH_PER_DAY)} a month`);
    expect(summary).toContain(`Top recommendation [memory-oversized]`);
    expect(summary).toContain(`Saves ${formatUsd(saving)} a month`);
  });

  it("refuses bad arguments in one sentence each, and keeps serving", async () => {
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ projectName: "checkout" }, /^unknown option projectName: the closest is project_name$/],
      [{ function_name: "checkout" }, /^unknown option function_name$/],
      [
        { project_name: "checkout", start_time: "2026-11-28T00:00:00Z", end_time: "2026-11-27" },
        /^start_time \(2026-11-28T00:00:00\.000Z\) must be before end_time \(2026-11-27T00:00:00\.000Z\)$/,
      ],
      [
        { project_name: "checkout", start_time: "yesterday" },
        /^start_time "yesterday" is not valid: expected an ISO 8601 time/,
      ],
      [
        { project_name: "checkout", resources: ["apiGateway"] },
        /^get_metrics measures Lambda functions: resources must include "lambda"/,
      ],
      [{ logFiles: [logFile], period: 60 }, /^period in seconds is CloudWatch's period/],
      [{ logFiles: [logFile], start_time: "2026-11-01" }, /^start and end set the CloudWatch/],
      [{ project_name: "checkout", functions: ["api"] }, /^give project_name .* or functions/],
      [{ logFiles: [join(folder, "missing.log")] }, /missing\.log/],
    ];
    for (const [args, message] of refusals) {
      const result = await call(client, args);
      expect(result.isError, JSON.stringify(args)).toBe(true);
      const text = summaryOf(result);
      expect(text, JSON.stringify(args)).toMatch(message);
      expect(text.split("\n"), JSON.stringify(args)).toHaveLength(1);
    }
    expect(reportOf(await call(client, { logFiles: [logFile] })).functions).toHaveLength(1);
  });
});

describe("get_metrics over stdio: AWS, called with the AWS Serverless MCP server's names", () => {
  let moto: MotoServer;
  let client: Client;
  const now = Date.now();
  beforeAll(async () => {
    moto = await startMotoServer();
    const { lambda, cloudwatch, logs } = motoClients(moto.endpoint);
    await createRole(moto.endpoint);
    await createFunction(lambda, { FunctionName: "checkout", MemorySize: 1024, Timeout: 900 });
    const hourAgo = new Date(now - 3_600_000);
    await putLambdaMetrics(cloudwatch, "checkout", [
      { MetricName: "Invocations", Value: 4000, Unit: "Count", Timestamp: hourAgo },
      { MetricName: "Errors", Value: 80, Unit: "Count", Timestamp: hourAgo },
      { MetricName: "Throttles", Value: 5, Unit: "Count", Timestamp: hourAgo },
      { MetricName: "Duration", Value: 120, Unit: "Milliseconds", Timestamp: hourAgo },
    ]);
    const events = Array.from({ length: 200 }, (_, index) => ({
      timestamp: now - 3_000_000 + index * 1000,
      message: `REPORT RequestId: r-${index}\tDuration: ${100 + (index % 40)}.00 ms\tBilled Duration: ${100 + (index % 40)} ms\tMemory Size: 1024 MB\tMax Memory Used: 90 MB\t${index % 10 === 0 ? "Init Duration: 300.00 ms\t" : ""}`,
    }));
    await putLogLines(logs, "/aws/lambda/checkout", "2026/11/28/[$LATEST]abc", events);
    // The AWS endpoint comes from the environment, as for any AWS SDK client.
    ({ client } = await connectStdio({
      env: {
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: "us-east-1",
      },
    }));
  });
  afterAll(async () => {
    await client?.close();
    await moto?.stop();
  });

  it("measures project_name over start_time..end_time, and notes what it does not measure", async () => {
    const start = new Date(now - 6 * 3_600_000).toISOString();
    const end = new Date(now + 60_000).toISOString();
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const result = (await client.callTool(
      {
        name: "get_metrics",
        arguments: {
          project_name: "checkout",
          start_time: start,
          end_time: end,
          period: 60,
          resources: ["lambda", "apiGateway"],
          stage: "prod",
          region: "us-east-1",
        },
      },
      undefined,
      { onprogress: (notification) => progress.push(notification) },
    )) as CallToolResult;
    // Told per function measured, as the CLI's progress line is.
    expect(progress).toEqual([{ progress: 1, total: 1, message: "measured checkout" }]);
    const report = reportOf(result);
    expect(report.source).toMatchObject({ kind: "aws", inputs: ["checkout"], region: "us-east-1" });
    expect(report.window).toMatchObject({ start, end });
    expect(report.window!.days).toBeCloseTo((6 * 3_600_000 + 60_000) / 86_400_000, 9);
    const [checkout] = report.functions;
    expect(checkout).toMatchObject({
      name: "checkout",
      invocations: 4000,
      errors: 80,
      throttles: 5,
      reportLines: 200,
      coldStarts: 20,
      memorySizeMb: 1024,
      maxMemoryUsedMb: { max: 90 },
    });
    expect(checkout!.memoryUtilization.max).toBeCloseTo(90 / 1024, 9);
    // 200 lines of 100..139 ms (mean 119.5 billed) priced for 4,000 invocations at 1 GB.
    expect(checkout!.costUsd).toBeCloseTo(4000 * (0.1195 * PER_GB_SECOND + PER_REQUEST), 10);
    const ids = checkout!.recommendations.map((recommendation) => recommendation.id);
    expect(ids).toEqual(expect.arrayContaining(["memory-oversized", "errors-high"]));
    expect(report.notes).toEqual(
      expect.arrayContaining([
        "resources apiGateway: not measured; this report covers the Lambda function only",
        "period 60: CloudWatch's granularity in seconds, which changes nothing here: the report sums the whole window",
        "stage: not used; this report has no API Gateway figures",
      ]),
    );
    expect(summaryOf(result)).toMatch(
      /^checkout: 4k invocations, 80 errors, 20 cold starts \(10%\)/,
    );
  });

  it("honours end_time: a window that ended before the function ran holds nothing of it", async () => {
    const report = reportOf(
      await call(client, {
        project_name: "checkout",
        start_time: new Date(now - 3 * 86_400_000).toISOString(),
        end_time: new Date(now - 2 * 86_400_000).toISOString(),
      }),
    );
    expect(report.functions[0]).toMatchObject({
      name: "checkout",
      invocations: 0,
      reportLines: 0,
    });
  });

  it("names an unknown function in one sentence", async () => {
    const result = await call(client, { project_name: "ghost" });
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toContain("ghost");
    expect(summaryOf(result).split("\n")).toHaveLength(1);
  });
});
