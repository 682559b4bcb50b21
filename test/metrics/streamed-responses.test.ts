/**
 * Streamed responses in the logs: the emulator writes platform.runtimeDone (JSON log format) with
 * the responseLatency and responseDuration spans and producedBytes, as Lambda does; `metrics`
 * reads them from the emulator's logs, from log files and from the parallel reader alike, and
 * reports each function's time to first byte and bytes. Relations only, no times.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import { parseRuntimeDone } from "../../src/lambda/runtime-done.js";
import { MetricsAggregator } from "../../src/metrics/aggregate.js";
import { MetricsReportSchema } from "../../src/metrics/metrics-report.js";
import { type LogFileOptions, readLogFiles } from "../../src/metrics/sources/log-files.js";
import { runCli } from "../cli/run-cli.js";
import { fixture } from "../emulator/emulator-fixtures.js";
import { buildLogRangeWorker } from "./log-range-worker-build.js";

/** The parallel reader's worker, built from source as the parallel reader's own tests build it. */
let workerUrl: URL;
beforeAll(async () => {
  workerUrl = await buildLogRangeWorker();
}, 60_000);

describe("platform.runtimeDone", () => {
  it("is written for a streamed answer in the JSON log format, and read back by metrics --local", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-streamed-"));
    const emulator = new Emulator({
      stateDir: join(cwd, ".lambda-optimizer"),
      functions: [
        fixture("node-streaming/index.mjs:handler", { name: "tokens", logFormat: "JSON" }),
        fixture("node-streaming/index.mjs:handler", { name: "plain", logFormat: "Text" }),
      ],
    });
    const records = [];
    try {
      for (const chunks of [2, 3, 4]) {
        const payload = Buffer.from(JSON.stringify({ chunks }));
        const result = await emulator.invoke("tokens", { payload, logType: "Tail" });
        const tail = Buffer.from(result.logResult!, "base64").toString("utf8").split("\n");
        const done = tail.filter((line) => line.includes('"platform.runtimeDone"'));
        expect(done).toHaveLength(1);
        // Before platform.report, as Lambda orders them.
        expect(tail.findIndex((line) => line.includes('"platform.runtimeDone"'))).toBeLessThan(
          tail.findIndex((line) => line.includes('"platform.report"')),
        );
        const figures = parseRuntimeDone(done[0]!)!;
        const record = result.record!;
        const report = record.report;
        expect(figures.requestId).toBe(report.requestId);
        // "chunk 0\n" ... : 8 bytes a chunk.
        expect(figures.producedBytes).toBe(8 * chunks);
        expect(record.response.bytes).toBe(8 * chunks);
        // The first byte, then the rest: both within the invocation's duration.
        expect(figures.responseLatencyMs!).toBeGreaterThan(0);
        expect(figures.responseLatencyMs! + figures.responseDurationMs!).toBeLessThanOrEqual(
          report.durationMs + 0.02, // each figure is rounded to 0.01 ms: their sum may pass by two halves
        );
        records.push(figures);
      }
      // The text format has no such line.
      const plain = await emulator.invoke("plain", { payload: Buffer.from("{}"), logType: "Tail" });
      expect(Buffer.from(plain.logResult!, "base64").toString("utf8")).not.toContain("runtimeDone");
    } finally {
      await emulator.stop();
    }

    const metrics = runCli(["metrics", "--local", "--json"], { cwd });
    expect(metrics.status, metrics.stderr).toBe(0);
    const report = MetricsReportSchema.parse(JSON.parse(metrics.stdout));
    const tokens = report.functions.find((fn) => fn.name === "tokens")!;
    const latencies = records.map((figures) => figures.responseLatencyMs!).sort((a, b) => a - b);
    expect(tokens.responses).toMatchObject({
      count: 3,
      ttfbMs: { p50: latencies[1], max: latencies[2] },
      bytes: { total: 8 * (2 + 3 + 4), max: 32, mean: 24, beyondFreeTotal: 0 },
    });
    expect(report.functions.find((fn) => fn.name === "plain")!.responses).toBeNull();

    const text = runCli(["metrics", "--local"], { cwd });
    expect(text.stdout).toContain("Responses (platform.runtimeDone)");
    expect(text.stdout).toMatch(/tokens\s+3\s+[\d.,]+\s+[\d.,]+/);
  }, 120_000);

  it("is read from a CloudWatch export, serially and in parallel, with the bytes beyond 6 MB summed", async () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-streamed-files-"));
    mkdirSync(folder, { recursive: true });
    const line = (index: number, bytes: number, latency: number) =>
      `2026-11-28T10:00:${String(index % 60).padStart(2, "0")}.000Z ${JSON.stringify({
        time: "2026-11-28T10:00:00.000Z",
        type: "platform.runtimeDone",
        record: {
          requestId: `req-${index}`,
          status: "success",
          spans: [
            { name: "responseLatency", start: "2026-11-28T10:00:00.000Z", durationMs: latency },
            { name: "responseDuration", start: "2026-11-28T10:00:00.020Z", durationMs: 100 },
            { name: "runtimeOverhead", start: "2026-11-28T10:00:00.120Z", durationMs: 1 },
          ],
          metrics: { durationMs: 130, producedBytes: bytes },
        },
      })}`;
    const report = (index: number) =>
      `2026-11-28T10:00:${String(index % 60).padStart(2, "0")}.001Z ${JSON.stringify({
        time: "2026-11-28T10:00:00.001Z",
        type: "platform.report",
        record: {
          requestId: `req-${index}`,
          status: "success",
          metrics: {
            durationMs: 130,
            billedDurationMs: 130,
            memorySizeMB: 512,
            maxMemoryUsedMB: 80,
          },
        },
      })}`;
    const lines: string[] = [];
    // 1,000 responses of 7 MB (1 MB each beyond the free 6 MB) with latencies 1..1000 ms.
    for (let index = 1; index <= 1000; index++)
      lines.push(line(index, 7 * 1024 ** 2, index), report(index));
    const file = join(folder, "sse.log");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const result = runCli(["metrics", file, "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const fn = MetricsReportSchema.parse(JSON.parse(result.stdout)).functions[0]!;
    expect(fn.reportLines).toBe(1000);
    expect(fn.responses).toEqual({
      count: 1000,
      // Type-7 percentiles of 1..1000: p50 500.5, p95 950.05.
      ttfbMs: { p50: 500.5, p95: 950.05, max: 1000 },
      sendMs: { p50: 100, p95: 100 },
      bytes: {
        mean: 7 * 1024 ** 2,
        max: 7 * 1024 ** 2,
        total: 7000 * 1024 ** 2,
        beyondFreeTotal: 1000 * 1024 ** 2,
      },
    });

    // The parallel reader's workers hand the same figures back, in the same order.
    const figures = async (parallel: LogFileOptions["parallel"]) => {
      const sink = new MetricsAggregator();
      await readLogFiles([file], sink, { parallel });
      const sse = sink.functions.get("sse")!;
      return {
        reports: sse.reports,
        responses: sse.responses,
        latencies: [0.5, 0.95, 1].map((p) => sse.responseLatencyMs.percentile(p)),
        bytes: [sse.producedBytesTotal, sse.producedBytesBeyondFree],
      };
    };
    const serial = await figures(false);
    expect(serial.responses).toBe(1000);
    expect(
      await figures({ workerUrl, workers: 2, rangeBytes: 64 * 1024, minFileBytes: 0 }),
    ).toEqual(serial);
  }, 120_000);
});
