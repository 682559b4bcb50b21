/**
 * The AWS source against a real AWS-API server (moto 5), through the real
 * SDK over HTTP: functions, metrics and log lines are seeded, then read back
 * by observeFunctions, and every figure is checked against what the test
 * computes itself from what it seeded.
 */
import {
  CreateEventSourceMappingCommand,
  PutFunctionConcurrencyCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReportText, type Report } from "../../../src/lambda/report-line.js";
import { UnknownFunctionError } from "../../../src/metrics/sources/aws-functions.js";
import { observeFunctions } from "../../../src/metrics/sources/aws-source.js";
import { type MotoServer, startMotoServer } from "../../setup/moto-server.js";
import {
  createFunction,
  createQueue,
  createRole,
  motoClients,
  motoConnection,
  putLambdaMetrics,
  putLogLines,
  recordingSink,
} from "./moto-fixtures.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const now = new Date();
// Aligned to the minute, as CloudWatch aligns it, so the window is what the test says.
const windowEnd = new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);
const window = { start: new Date(windowEnd.getTime() - 24 * HOUR), end: windowEnd };
const inWindow = (hoursBeforeEnd: number) => windowEnd.getTime() - hoursBeforeEnd * HOUR;

/** What the "orders" function did, as CloudWatch and its log group recorded it. */
const invocationCounts = [3, 4, 5];
const errorCounts = [1, 0, 2];
const throttleCounts = [2];
const durationSets = [
  { SampleCount: 4, Sum: 400, Minimum: 50, Maximum: 180 },
  { SampleCount: 6, Sum: 1500, Minimum: 90, Maximum: 620 },
];
const singleDurations = [120, 75];
const concurrency = [2, 5, 3];

const reports: Report[] = Array.from({ length: 10 }, (_, index) => ({
  requestId: `8c1f2b3a-0000-4000-8000-0000000000${String(index).padStart(2, "0")}`,
  durationMs: 10 + index * 7.25,
  billedDurationMs: Math.ceil(10 + index * 7.25),
  memorySizeMb: 512,
  maxMemoryUsedMb: 60 + index,
  ...(index % 4 === 0 ? { initDurationMs: 150.5 + index } : {}),
  ...(index === 9 ? { status: "timeout" } : {}),
}));

let moto: MotoServer;
let queueArn: string;

beforeAll(async () => {
  moto = await startMotoServer();
  const { lambda, cloudwatch, logs } = motoClients(moto.endpoint);
  await createRole(moto.endpoint);
  await createFunction(lambda, {
    FunctionName: "orders",
    MemorySize: 512,
    Architectures: ["arm64"],
    Timeout: 30,
    Runtime: "python3.12",
  });
  await createFunction(lambda, { FunctionName: "idle" });
  for (let index = 0; index < 5; index++) {
    await createFunction(lambda, { FunctionName: `batch-${index}`, MemorySize: 256 });
  }
  await lambda.send(
    new PutFunctionConcurrencyCommand({ FunctionName: "orders", ReservedConcurrentExecutions: 7 }),
  );
  queueArn = await createQueue(moto.endpoint, "orders-queue");
  await lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: "orders", EventSourceArn: queueArn }),
  );

  await putLambdaMetrics(cloudwatch, "orders", [
    ...invocationCounts.map((value, index) => ({
      MetricName: "Invocations",
      Value: value,
      Unit: "Count" as const,
      Timestamp: new Date(inWindow(index + 1)),
    })),
    // Outside the window: must not count.
    { MetricName: "Invocations", Value: 1000, Unit: "Count", Timestamp: new Date(inWindow(30)) },
    ...errorCounts.map((value, index) => ({
      MetricName: "Errors",
      Value: value,
      Unit: "Count" as const,
      Timestamp: new Date(inWindow(index + 1)),
    })),
    ...throttleCounts.map((value) => ({
      MetricName: "Throttles",
      Value: value,
      Unit: "Count" as const,
      Timestamp: new Date(inWindow(2)),
    })),
    ...durationSets.map((statistics, index) => ({
      MetricName: "Duration",
      StatisticValues: statistics,
      Unit: "Milliseconds" as const,
      Timestamp: new Date(inWindow(index + 3)),
    })),
    ...singleDurations.map((value, index) => ({
      MetricName: "Duration",
      Value: value,
      Unit: "Milliseconds" as const,
      Timestamp: new Date(inWindow(index + 5)),
    })),
    ...concurrency.map((value, index) => ({
      MetricName: "ConcurrentExecutions",
      Value: value,
      Unit: "Count" as const,
      Timestamp: new Date(inWindow(index + 1)),
    })),
  ]);
  // Another function's metrics must not leak into orders' figures.
  await putLambdaMetrics(cloudwatch, "batch-0", [
    { MetricName: "Invocations", Value: 99, Unit: "Count", Timestamp: new Date(inWindow(1)) },
  ]);

  const lines = (index: number, at: number) => {
    const report = reports[index]!;
    return [
      { timestamp: at, message: `START RequestId: ${report.requestId} Version: $LATEST` },
      {
        timestamp: at + 1,
        message: `${new Date(at + 1).toISOString()}\t${report.requestId}\tINFO\thandled order ${index}`,
      },
      ...(report.status === "timeout"
        ? [
            {
              timestamp: at + 2,
              message: `${new Date(at + 2).toISOString()} ${report.requestId} Task timed out after 30.00 seconds`,
            },
          ]
        : []),
      { timestamp: at + 3, message: `END RequestId: ${report.requestId}` },
      { timestamp: at + 4, message: formatReportText(report) },
    ];
  };
  await putLogLines(
    logs,
    "/aws/lambda/orders",
    "2026/01/01/[$LATEST]first",
    [0, 1, 2, 3, 4].flatMap((index) => lines(index, inWindow(10 - index))),
  );
  await putLogLines(logs, "/aws/lambda/orders", "2026/01/01/[$LATEST]second", [
    ...[5, 6, 7, 8, 9].flatMap((index) => lines(index, inWindow(5 - index / 2))),
    // The function's own output that happens to contain the pattern: skipped, not a crash.
    { timestamp: inWindow(0.2), message: "REPORT RequestId: see the runbook" },
    // Outside the window: never read.
    {
      timestamp: inWindow(30),
      message: formatReportText({ ...reports[0]!, requestId: "too-old" }),
    },
  ]);
  lambda.destroy();
  cloudwatch.destroy();
  logs.destroy();
}, 60_000);

afterAll(async () => {
  await moto?.stop();
});

describe("observeFunctions against moto", () => {
  it("reads configuration, CloudWatch figures and REPORT lines of a named function", async () => {
    const sink = recordingSink();
    const notes: string[] = [];
    const [orders, ...rest] = await observeFunctions(
      motoConnection(moto.endpoint),
      {
        functions: ["orders"],
        window,
        maxLogEvents: 1000,
        now,
        onNote: (note) => notes.push(note),
      },
      sink,
    );
    expect(rest).toEqual([]);
    expect(orders!.configuration).toEqual({
      functionName: "orders",
      functionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders",
      runtime: "python3.12",
      memoryMb: 512,
      architecture: "arm64",
      timeoutSeconds: 30,
      ephemeralStorageMb: 512,
      reservedConcurrency: 7,
      provisionedConcurrency: 0,
      packageType: "Zip",
      // The code's hash, for retune-due: set beside a saved tune's, it tells a code change.
      codeSha256: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      eventSources: [{ service: "sqs", arn: queueArn, state: "Enabled" }],
      // No Function URL, no resource-based policy: nothing calls it over HTTP.
      httpCallers: { callers: [], unread: [] },
    });

    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const durationSum = sum(durationSets.map((set) => set.Sum)) + sum(singleDurations);
    const durationCount = sum(durationSets.map((set) => set.SampleCount)) + singleDurations.length;
    expect(orders!.cloudWatch).toEqual({
      invocations: sum(invocationCounts),
      errors: sum(errorCounts),
      throttles: sum(throttleCounts),
      durationMs: {
        average: expect.closeTo(durationSum / durationCount, 9),
        maximum: Math.max(...durationSets.map((set) => set.Maximum), ...singleDurations),
        // moto answers no percentile statistic: missing, not zero.
        p50: null,
        p90: null,
        p99: null,
      },
      concurrentExecutionsMax: Math.max(...concurrency),
      iteratorAgeMsMax: null,
    });
    expect(notes.some((note) => note.includes("did not answer Duration p50, p90, p99"))).toBe(true);
    expect(notes.some((note) => note.includes("ListProvisionedConcurrencyConfigs"))).toBe(true);

    expect(orders!.logSample).toEqual({ events: reports.length, capped: false });
    const byId = (a: Report, b: Report) => a.requestId.localeCompare(b.requestId);
    expect(sink.reports.map((entry) => entry.report).sort(byId)).toEqual(
      reports.map((report) => ({
        ...report,
        // The text format keeps two decimals, as Lambda writes it.
        durationMs: Number(report.durationMs.toFixed(2)),
      })),
    );
    expect(sink.reports.every((entry) => entry.functionName === "orders")).toBe(true);
    expect(sink.reports.every((entry) => typeof entry.timestampMs === "number")).toBe(true);
    expect(sink.reports.filter((entry) => entry.report.initDurationMs !== undefined)).toHaveLength(
      3,
    );
    expect(sink.timeouts).toEqual([
      { functionName: "orders", timestampMs: inWindow(5 - 9 / 2) + 2 },
    ]);
    expect(sink.skippedCount).toBe(1);
    expect(orders!.window).toEqual({
      start: window.start.toISOString(),
      end: window.end.toISOString(),
    });
  });

  it("gives a function with no metrics and no log group zero counts and empty statistics", async () => {
    const sink = recordingSink();
    const [idle] = await observeFunctions(
      motoConnection(moto.endpoint),
      { functions: ["idle"], window, maxLogEvents: 100, now },
      sink,
    );
    expect(idle!.cloudWatch).toEqual({
      invocations: 0,
      errors: 0,
      throttles: 0,
      durationMs: { average: null, maximum: null, p50: null, p90: null, p99: null },
      concurrentExecutionsMax: null,
      iteratorAgeMsMax: null,
    });
    expect(idle!.logSample).toEqual({ events: 0, capped: false });
    expect(idle!.configuration).toMatchObject({
      memoryMb: 128,
      architecture: "x86_64",
      timeoutSeconds: 3,
      reservedConcurrency: null,
      eventSources: [],
    });
    expect(sink.reports).toEqual([]);
  });

  it("caps the REPORT sample at maxLogEvents and says so, paging through FilterLogEvents", async () => {
    const sink = recordingSink();
    const [orders] = await observeFunctions(
      motoConnection(moto.endpoint),
      { functions: ["orders"], window, maxLogEvents: 4, logPageSize: 3, now },
      sink,
    );
    expect(orders!.logSample).toEqual({ events: 4, capped: true });
    expect(sink.reports).toHaveLength(4);

    const exact = recordingSink();
    const [again] = await observeFunctions(
      motoConnection(moto.endpoint),
      { functions: ["orders"], window, maxLogEvents: reports.length, logPageSize: 3, now },
      exact,
    );
    // Exactly the cap, and nothing after it: not capped.
    expect(again!.logSample).toEqual({ events: reports.length, capped: false });
  });

  it("observes every function in the region with all, once each, in ListFunctions order", async () => {
    const sink = recordingSink();
    const done: string[] = [];
    const observations = await observeFunctions(
      motoConnection(moto.endpoint),
      {
        all: true,
        functions: ["arn:aws:lambda:us-east-1:123456789012:function:orders"],
        window,
        maxLogEvents: 100,
        concurrency: 3,
        listPageSize: 2,
        now,
        onFunctionDone: (name) => done.push(name),
      },
      sink,
    );
    const names = observations.map((observation) => observation.configuration.functionName);
    expect(names).toEqual([
      "orders",
      "idle",
      "batch-0",
      "batch-1",
      "batch-2",
      "batch-3",
      "batch-4",
    ]);
    expect([...done].sort()).toEqual([...names].sort());
    expect(
      observations.find((o) => o.configuration.functionName === "batch-0")!.cloudWatch.invocations,
    ).toBe(99);
    expect(sink.reports).toHaveLength(reports.length);
  });

  it("refuses an unknown function with an error that names it, before reading any log", async () => {
    const sink = recordingSink();
    const failing = observeFunctions(
      motoConnection(moto.endpoint),
      { functions: ["orders", "no-such-function"], window, maxLogEvents: 100, now },
      sink,
    );
    await expect(failing).rejects.toBeInstanceOf(UnknownFunctionError);
    await expect(failing).rejects.toThrow(/no-such-function.*us-east-1/);
    expect(sink.reports).toEqual([]);
  });
});
