/**
 * Power Tuning's sample logs parse alike. AWS Lambda Power Tuning reads each
 * invocation's log tail (Invoke with LogType Tail) for two figures:
 *
 * - its "duration" (what it averages for speed): Duration + Init Duration +
 *   Restore Duration, whichever are present;
 * - its billed duration (what it prices): Billed Duration + Billed Restore Duration.
 *
 * The tails below are our own lines, written in the shapes its unit tests use
 * (test/unit/test-utils.js: a plain line, Init Duration, a SnapStart restore,
 * an old line with a space before the tab, extension output, XRAY, the JSON
 * log format, JSON mixed with plain text and with a broken JSON line), and the
 * figures Power Tuning would take from each are worked out by hand in the
 * table. Our side reads the same tail with the tuner's reader
 * (reportFromLogTail) and, line by line, with the metrics sources' reader
 * (readLogLine): both must give the same report, and from it the same speed.
 *
 * Where we differ by design, the row says so: a SnapStart restore's Billed
 * Duration already covers Billed Restore Duration (REPORT lines show Billed
 * Duration = ceil(Duration + Billed Restore Duration)), so we bill it once and
 * Power Tuning bills it twice; and a tail with no REPORT line is no sample
 * here, where Power Tuning counts it as 0 ms.
 */
import { describe, expect, it } from "vitest";
import {
  durationWithStartupMs,
  type Report,
  reportFromLogTail,
} from "../../src/lambda/report-line.js";
import { readLogLine } from "../../src/metrics/sources/log-lines.js";
import { costPerInvocation } from "../../src/pricing/cost.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../src/pricing/price-table.js";
import { RecordingSink } from "../metrics/recording-sink.js";

const ID = "0b7e4a52-93d1-4c1e-a8f0-6d2c5e9b1a34";
const START = `START RequestId: ${ID} Version: $LATEST`;
const END = `END RequestId: ${ID}`;
const APP_LINE = `2026-12-02T10:15:00.123Z\t${ID}\tINFO\tloaded 42 orders`;

const jsonRecord = (type: string, record: Record<string, unknown>) =>
  JSON.stringify({ time: "2026-12-02T10:15:00.200Z", type, record: { requestId: ID, ...record } });
const JSON_APP_LINE = JSON.stringify({
  timestamp: "2026-12-02T10:15:00.100Z",
  level: "INFO",
  requestId: ID,
  message: "loaded 42 orders",
});
const JSON_START = jsonRecord("platform.start", { version: "$LATEST" });
/** runtimeDone carries a durationMs of its own (the runtime's part): not the one to read. */
const jsonRuntimeDone = (durationMs: number, spans: string[] = ["responseLatency"]) =>
  jsonRecord("platform.runtimeDone", {
    status: "success",
    spans: spans.map((name) => ({ name, start: "2026-12-02T10:15:00.150Z", durationMs: 0.5 })),
    metrics: { durationMs, producedBytes: 61 },
  });
const jsonReport = (metrics: Record<string, number>) =>
  jsonRecord("platform.report", { status: "success", metrics });

interface Case {
  readonly name: string;
  readonly tail: string;
  /** What Power Tuning takes from the tail (utils.js parseLogAndExtractDurations / ...BilledDurations). */
  readonly powerTuning: { readonly durationMs: number; readonly billedMs: number };
  /** Our figures where they differ by design, and why; otherwise they are Power Tuning's. */
  readonly ours?: { readonly billedMs: number; readonly why: string };
}

const CASES: readonly Case[] = [
  {
    name: "text: a warm invocation",
    tail: [
      START,
      APP_LINE,
      END,
      `REPORT RequestId: ${ID}\tDuration: 12.48 ms\tBilled Duration: 13 ms\tMemory Size: 1024 MB\tMax Memory Used: 71 MB\t`,
    ].join("\n"),
    powerTuning: { durationMs: 12.48, billedMs: 13 },
  },
  {
    name: "text: a cold start with Init Duration (init billed inside Billed Duration)",
    tail: [
      START,
      END,
      `REPORT RequestId: ${ID}\tDuration: 203.11 ms\tBilled Duration: 408 ms\tMemory Size: 1024 MB\tMax Memory Used: 88 MB\tInit Duration: 204.32 ms\t`,
    ].join("\n"),
    powerTuning: { durationMs: 203.11 + 204.32, billedMs: 408 },
  },
  {
    name: "text: a SnapStart restore",
    tail: [
      START,
      END,
      `REPORT RequestId: ${ID}\tDuration: 88.42 ms\tBilled Duration: 207 ms\tMemory Size: 1024 MB\tMax Memory Used: 140 MB\tRestore Duration: 512.07 ms\tBilled Restore Duration: 118 ms\t`,
    ].join("\n"),
    powerTuning: { durationMs: 88.42 + 512.07, billedMs: 207 + 118 },
    ours: {
      billedMs: 207,
      why: "Billed Duration 207 = ceil(88.42 + 118) already holds the restore",
    },
  },
  {
    name: "text: an older line, a space before a tab and no trailing tab",
    tail: [
      START,
      APP_LINE,
      END,
      `REPORT RequestId: ${ID}\tDuration: 1.52 ms\tBilled Duration: 2 ms \tMemory Size: 128 MB\tMax Memory Used: 18 MB`,
    ].join("\n"),
    powerTuning: { durationMs: 1.52, billedMs: 2 },
  },
  {
    name: "text: an extension's registration and output around the invocation",
    tail: [
      "EXTENSION\tName: orders-telemetry\tState: Ready\tEvents: [INVOKE, SHUTDOWN]",
      START,
      "[orders-telemetry] flushing 3 spans",
      END,
      `REPORT RequestId: ${ID}\tDuration: 45.87 ms\tBilled Duration: 357 ms\tMemory Size: 512 MB\tMax Memory Used: 96 MB\tInit Duration: 310.55 ms\t`,
    ].join("\n"),
    powerTuning: { durationMs: 45.87 + 310.55, billedMs: 357 },
  },
  {
    name: "text: X-Ray tracing, its TraceId on the line after the REPORT",
    tail: [
      START,
      END,
      `REPORT RequestId: ${ID}\tDuration: 30.05 ms\tBilled Duration: 31 ms\tMemory Size: 256 MB\tMax Memory Used: 60 MB\t`,
      "XRAY TraceId: 1-674d8a10-3b2c1d0e9f8a7b6c5d4e3f20\tSegmentId: 5e6f7a8b9c0d1e2f\tSampled: true\t",
    ].join("\n"),
    powerTuning: { durationMs: 30.05, billedMs: 31 },
  },
  {
    name: "JSON: a cold start (the report's durationMs, not runtimeDone's)",
    tail: [
      JSON_APP_LINE,
      JSON_START,
      jsonRuntimeDone(1.9),
      jsonReport({
        durationMs: 2.41,
        billedDurationMs: 183,
        memorySizeMB: 1024,
        maxMemoryUsedMB: 68,
        initDurationMs: 180.3,
      }),
    ].join("\n"),
    powerTuning: { durationMs: 2.41 + 180.3, billedMs: 183 },
  },
  {
    name: "JSON: extension overhead (runtimeDone ends before the report's duration does)",
    tail: [
      JSON_START,
      jsonRuntimeDone(20.1, ["responseLatency", "responseDuration", "runtimeOverhead"]),
      jsonReport({
        durationMs: 35.6,
        billedDurationMs: 36,
        memorySizeMB: 512,
        maxMemoryUsedMB: 77,
      }),
    ].join("\n"),
    powerTuning: { durationMs: 35.6, billedMs: 36 },
  },
  {
    name: "JSON: a SnapStart restore",
    tail: [
      JSON_APP_LINE,
      JSON_START,
      jsonRuntimeDone(140.9),
      jsonReport({
        durationMs: 147.2,
        billedDurationMs: 201,
        memorySizeMB: 512,
        maxMemoryUsedMB: 91,
        restoreDurationMs: 500.8,
        billedRestoreDurationMs: 53,
      }),
    ].join("\n"),
    powerTuning: { durationMs: 147.2 + 500.8, billedMs: 201 + 53 },
    ours: {
      billedMs: 201,
      why: "billedDurationMs 201 = ceil(147.2 + 53) already holds the restore",
    },
  },
  {
    name: "JSON mixed with an extension's plain-text line run into the next record",
    tail: [
      JSON_APP_LINE,
      `[AWS Parameters and Secrets Lambda Extension] 2026/12/02 10:15:00 PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL is info.${JSON_START}`,
      jsonRuntimeDone(1.1),
      jsonReport({
        durationMs: 1.48,
        billedDurationMs: 26,
        memorySizeMB: 1024,
        maxMemoryUsedMB: 70,
        initDurationMs: 24.2,
      }),
    ].join("\n"),
    powerTuning: { durationMs: 1.48 + 24.2, billedMs: 26 },
  },
  {
    name: "JSON mixed with a broken JSON line",
    tail: [
      JSON_APP_LINE.slice(0, -1),
      JSON_START,
      jsonRuntimeDone(3.3),
      jsonReport({
        durationMs: 3.92,
        billedDurationMs: 4,
        memorySizeMB: 1024,
        maxMemoryUsedMB: 70,
      }),
    ].join("\n"),
    powerTuning: { durationMs: 3.92, billedMs: 4 },
  },
];

/** Every REPORT the metrics sources' line reader finds in the tail, line by line. */
function reportsByLine(tail: string): Report[] {
  const sink = new RecordingSink();
  for (const line of tail.split("\n")) readLogLine(line, "orders", sink);
  return sink.reports.get("orders") ?? [];
}

describe("Power Tuning's sample logs parse alike", () => {
  it.each(CASES)("$name", ({ tail, powerTuning, ours }) => {
    const report = reportFromLogTail(tail);
    expect(report).toBeDefined();
    // The metrics sources read the same line to the same report.
    expect(reportsByLine(tail)).toEqual([report]);
    // Speed: Power Tuning's duration (floating-point sums: compared to 1e-9 ms).
    expect(durationWithStartupMs(report!)).toBeCloseTo(powerTuning.durationMs, 9);
    // Billing: the same, except where the row says why not.
    expect(report!.billedDurationMs).toBe(ours?.billedMs ?? powerTuning.billedMs);
    if (ours) {
      expect(ours.billedMs).toBe(powerTuning.billedMs - (report!.billedRestoreDurationMs ?? 0));
    }
  });

  it("by design, a tail with no REPORT line is no sample here; Power Tuning counts it as 0 ms", () => {
    // Power Tuning: duration 0, billed 0, averaged in with the rest. Here the tuner records
    // the invocation as an error ("the log tail held no REPORT line") and leaves it out.
    const tail = [START, APP_LINE, END].join("\n");
    expect(reportFromLogTail(tail)).toBeUndefined();
    expect(reportFromLogTail("")).toBeUndefined();
    expect(reportsByLine(tail)).toEqual([]);
  });

  it("prices a billed duration as Power Tuning's computePrice does, plus the request charge it leaves out", () => {
    // computePrice: billed ms × (memory / 128) × the price of 1 ms at 128 MB. Ours, from
    // GB-seconds at AWS's price, is the same product; then the $0.20 per million requests.
    const prices = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");
    const perGbSecond = prices.architecturePrices.durationTiers[0]!.perGbSecond;
    const perMsAt128Mb = (perGbSecond * 128) / 1024 / 1000;
    for (const { memoryMb, billedDurationMs } of [
      { memoryMb: 1024, billedDurationMs: 13 },
      { memoryMb: 128, billedDurationMs: 408 },
      { memoryMb: 1769, billedDurationMs: 207 },
    ]) {
      const cost = costPerInvocation(prices, { memoryMb, billedDurationMs });
      expect(cost.computeUsd).toBeCloseTo(billedDurationMs * (memoryMb / 128) * perMsAt128Mb, 18);
      expect(cost.requestUsd).toBe(0.2 / 1_000_000);
      expect(cost.totalUsd).toBeCloseTo(cost.computeUsd + 0.2 / 1_000_000, 18);
    }
  });
});
