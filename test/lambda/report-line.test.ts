import { describe, expect, it } from "vitest";
import {
  formatReportJson,
  formatReportText,
  looksLikeReport,
  parseReport,
  type Report,
} from "../../src/lambda/report-line.js";

const REQUEST_ID = "3f1c6f2e-7c3a-4d2b-9b1e-5a0c9d8e7f61";

// A REPORT line exactly as Lambda's text log format writes it (tab-separated, trailing tab).
const COLD_TEXT = `REPORT RequestId: ${REQUEST_ID}\tDuration: 12.34 ms\tBilled Duration: 163 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.20 ms\t`;

function parsed(line: string): Report {
  const result = parseReport(line);
  if (!result.ok) throw new Error(`expected a report, got: ${result.reason}`);
  return result.report;
}

describe("parseReport, text format", () => {
  it("reads every figure of a cold start", () => {
    expect(parsed(COLD_TEXT)).toEqual({
      requestId: REQUEST_ID,
      durationMs: 12.34,
      billedDurationMs: 163,
      memorySizeMb: 128,
      maxMemoryUsedMb: 70,
      initDurationMs: 150.2,
    });
  });

  it("reads a warm invocation without Init Duration", () => {
    const report = parsed(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tMax Memory Used: 88 MB\t`,
    );
    expect(report.initDurationMs).toBeUndefined();
    expect(report.billedDurationMs).toBe(2);
  });

  it("reads SnapStart restore durations", () => {
    const report = parsed(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 20.00 ms\tBilled Duration: 421 ms\tMemory Size: 512 MB\tMax Memory Used: 120 MB\tRestore Duration: 300.55 ms\tBilled Restore Duration: 400 ms\t`,
    );
    expect(report.restoreDurationMs).toBe(300.55);
    expect(report.billedRestoreDurationMs).toBe(400);
  });

  it("reads the status and error type of a timed-out invocation, and the X-Ray trace", () => {
    const report = parsed(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 61 MB\tStatus: timeout\t\nXRAY TraceId: 1-5e1b4151-5ac6c58f3a2c6a7e7b1f2c3d\tSegmentId: 6b5d8f5a3c2e1d0f\tSampled: true\t`,
    );
    expect(report.status).toBe("timeout");
    expect(report.xrayTraceId).toBe("1-5e1b4151-5ac6c58f3a2c6a7e7b1f2c3d");
  });

  it("ignores fields it does not know, so new AWS fields do not break parsing", () => {
    const report = parsed(`${COLD_TEXT}Future Field: 9 units\t`);
    expect(report.durationMs).toBe(12.34);
  });

  it.each([
    [
      "no request id",
      "REPORT RequestId: \tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB",
    ],
    [
      "missing Billed Duration",
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 1.00 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB`,
    ],
    [
      "a value that is not a number",
      `REPORT RequestId: ${REQUEST_ID}\tDuration: fast ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB`,
    ],
    [
      "the wrong unit",
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 1.00 s\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB`,
    ],
    ["a field without a value", `REPORT RequestId: ${REQUEST_ID}\tDuration`],
    ["a START line", `START RequestId: ${REQUEST_ID} Version: $LATEST`],
  ])("rejects a malformed line: %s", (_name, line) => {
    const result = parseReport(line);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });
});

describe("parseReport, JSON log format", () => {
  const event = {
    time: "2026-11-28T10:00:00.000Z",
    type: "platform.report",
    record: {
      requestId: REQUEST_ID,
      metrics: {
        durationMs: 12.34,
        billedDurationMs: 163,
        memorySizeMB: 128,
        maxMemoryUsedMB: 70,
        initDurationMs: 150.2,
      },
      tracing: {
        spanId: "a1b2",
        type: "X-Amzn-Trace-Id",
        value: "Root=1-abc-def;Parent=a1b2;Sampled=1",
      },
      status: "success",
    },
  };

  it("reads the same figures as the text form", () => {
    const result = parseReport(JSON.stringify(event));
    expect(result).toEqual({
      ok: true,
      format: "json",
      report: { ...parsed(COLD_TEXT), xrayTraceId: "1-abc-def" },
    });
  });

  it("keeps a failed status and its error type", () => {
    const failed = {
      ...event,
      record: { ...event.record, status: "error", errorType: "Runtime.ExitError" },
    };
    expect(parsed(JSON.stringify(failed))).toMatchObject({
      status: "error",
      errorType: "Runtime.ExitError",
    });
  });

  it.each([
    ["broken JSON", '{"type":"platform.report",'],
    ["another event type", JSON.stringify({ ...event, type: "platform.start" })],
    ["no metrics", JSON.stringify({ type: "platform.report", record: { requestId: REQUEST_ID } })],
    [
      "a missing metric",
      JSON.stringify({ ...event, record: { ...event.record, metrics: { durationMs: 1 } } }),
    ],
    [
      "a metric that is a string",
      JSON.stringify({
        ...event,
        record: { ...event.record, metrics: { ...event.record.metrics, durationMs: "12" } },
      }),
    ],
  ])("rejects %s", (_name, line) => {
    expect(parseReport(line).ok).toBe(false);
  });
});

describe("formatting round-trips through parsing", () => {
  const reports: Report[] = [
    {
      requestId: REQUEST_ID,
      durationMs: 12.34,
      billedDurationMs: 163,
      memorySizeMb: 128,
      maxMemoryUsedMb: 70,
      initDurationMs: 150.2,
    },
    {
      requestId: "r-2",
      durationMs: 0.99,
      billedDurationMs: 1,
      memorySizeMb: 10240,
      maxMemoryUsedMb: 9000,
    },
    {
      requestId: "r-3",
      durationMs: 20,
      billedDurationMs: 421,
      memorySizeMb: 512,
      maxMemoryUsedMb: 120,
      restoreDurationMs: 300.55,
      billedRestoreDurationMs: 400,
    },
    {
      requestId: "r-4",
      durationMs: 3000,
      billedDurationMs: 3000,
      memorySizeMb: 128,
      maxMemoryUsedMb: 61,
      status: "timeout",
      errorType: "Sandbox.Timedout",
      xrayTraceId: "1-5e1b4151-5ac6c58f",
    },
  ];

  it.each(reports)("text: $requestId", (report) => {
    const line = formatReportText(report);
    expect(looksLikeReport(line)).toBe(true);
    expect(parsed(line)).toEqual(report);
  });

  it.each(reports)("json: $requestId", (report) => {
    const line = formatReportJson(report, new Date("2026-11-28T00:00:00Z"));
    expect(looksLikeReport(line)).toBe(true);
    expect(parsed(line)).toEqual(report);
  });

  it("writes the text form as Lambda does", () => {
    expect(formatReportText(reports[0]!)).toBe(COLD_TEXT);
  });
});

describe("parseReport: figures outside Lambda's limits", () => {
  const text = (figures: string) => `REPORT RequestId: 3f1c6f2e-7c3a\t${figures}`;
  it.each([
    [
      "Duration: 170000000000000000000 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB",
      "REPORT field Duration 170000000000000000000 is outside Lambda's limits (expected a number from 0 to 900,000 ms): not a line Lambda wrote",
    ],
    [
      "Duration: 1 ms\tBilled Duration: 13 ms\tMemory Size: 64 MB\tMax Memory Used: 70 MB",
      "REPORT field Memory Size 64 is outside Lambda's limits (expected a whole number from 128 to 10,240 MB): not a line Lambda wrote",
    ],
    [
      "Duration: 1 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 20000 MB\tStatus: error",
      "REPORT field Max Memory Used 20000 is outside Lambda's limits (expected a whole number from 0 to 10,240 MB): not a line Lambda wrote",
    ],
    [
      "Duration: 1 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 1000000.00 ms",
      "REPORT field Init Duration 1000000 is outside Lambda's limits (expected a number from 0 to 900,000 ms): not a line Lambda wrote",
    ],
  ])("refuses %s with the reason", (figures, reason) => {
    expect(parseReport(text(figures))).toEqual({ ok: false, reason });
  });

  it("refuses a JSON platform.report whose billed duration is past the limit", () => {
    const line = JSON.stringify({
      time: "2026-11-28T10:00:00.000Z",
      type: "platform.report",
      record: {
        requestId: "r1",
        metrics: {
          durationMs: 1,
          billedDurationMs: 1e17,
          memorySizeMB: 128,
          maxMemoryUsedMB: 70,
        },
      },
    });
    expect(parseReport(line)).toEqual({
      ok: false,
      reason:
        "platform.report metric billedDurationMs 100000000000000000 is outside Lambda's limits (expected a number from 0 to 1,800,000 ms): not a line Lambda wrote",
    });
  });

  it("takes figures at the limits: 900 s, 10,240 MB", () => {
    const parsed = parseReport(
      text(
        "Duration: 900000.00 ms\tBilled Duration: 900000 ms\tMemory Size: 10240 MB\tMax Memory Used: 10240 MB",
      ),
    );
    expect(parsed.ok).toBe(true);
  });
});
