import type { FilteredLogEvent } from "@aws-sdk/client-cloudwatch-logs";
import { describe, expect, it } from "vitest";
import {
  formatReportJson,
  formatReportText,
  type Report,
} from "../../../src/lambda/report-line.js";
import { formatRuntimeDone } from "../../../src/lambda/runtime-done.js";
import { MetricsAggregator } from "../../../src/metrics/aggregate.js";
import {
  type LogsSender,
  sampleReportLines,
} from "../../../src/metrics/sources/cloudwatch-logs.js";
import { recordingSink } from "./moto-fixtures.js";

const window = { start: new Date("2026-03-01T00:00:00Z"), end: new Date("2026-03-02T00:00:00Z") };
const report = (index: number): Report => ({
  requestId: `r${index}`,
  durationMs: 100 + index,
  billedDurationMs: 101 + index,
  memorySizeMb: 256,
  maxMemoryUsedMb: 90,
});

interface FilterInput {
  logGroupName: string;
  filterPattern: string;
  limit: number;
  nextToken?: string;
  startTime: number;
  endTime: number;
}

/**
 * A FilterLogEvents that ignores the filter pattern (as older moto does) and
 * pages by offset, recording every request.
 */
function patternBlindLogs(messages: readonly string[], options: { missingGroup?: boolean } = {}) {
  const requests: FilterInput[] = [];
  const events: FilteredLogEvent[] = messages.map((message, index) => ({
    message,
    timestamp: window.start.getTime() + index * 1000,
  }));
  const sender = {
    send: async (command: { input: FilterInput }) => {
      const input = command.input;
      requests.push(input);
      if (options.missingGroup) {
        throw Object.assign(new Error("The specified log group does not exist."), {
          name: "ResourceNotFoundException",
          $metadata: { httpStatusCode: 400 },
        });
      }
      const from = Number(input.nextToken ?? 0);
      const to = from + input.limit;
      return {
        events: events.slice(from, to),
        nextToken: to < events.length ? String(to) : undefined,
      };
    },
  } as unknown as LogsSender;
  return { sender, requests };
}

describe("sampleReportLines", () => {
  const messages = [
    "START RequestId: r0 Version: $LATEST",
    formatReportText(report(0)),
    "2026-03-01T00:00:02.000Z 5f0c2a9e-0001 Task timed out after 3.00 seconds",
    formatReportText({ ...report(1), status: "timeout" }),
    "an application line",
    // A function printing the words itself at INFO is not Lambda's timeout.
    "2026-03-01T00:00:03.000Z 5f0c2a9e-0001 INFO Task timed out after 3.00 seconds",
    "REPORT RequestId: r2 Duration: banana",
    formatReportText(report(2)),
  ];

  it("checks every line itself when the server ignores the pattern: REPORTs once, timeouts once", async () => {
    const sink = recordingSink();
    const { sender, requests } = patternBlindLogs(messages);
    const sample = await sampleReportLines(sender, "orders", window, sink, { maxEvents: 100 });
    expect(sample).toEqual({ events: 3, capped: false });
    expect(sink.reports.map((entry) => entry.report.requestId)).toEqual(["r0", "r1", "r2"]);
    expect(sink.reports[1]!.report.status).toBe("timeout");
    expect(sink.reports[0]!.timestampMs).toBe(window.start.getTime() + 1000);
    expect(sink.timeouts).toEqual([
      { functionName: "orders", timestampMs: window.start.getTime() + 2000 },
    ]);
    // START, the application lines and the broken REPORT, each once (the timeout scan skips nothing).
    expect(sink.skippedCount).toBe(4);
    expect(requests.map((request) => request.filterPattern).sort()).toEqual([
      '"REPORT RequestId"',
      '"Task timed out after"',
    ]);
    expect(requests.every((request) => request.logGroupName === "/aws/lambda/orders")).toBe(true);
    expect(requests[0]).toMatchObject({
      startTime: window.start.getTime(),
      endTime: window.end.getTime(),
    });
  });

  it("reads platform.report records for a function on the JSON log format, from its own log group", async () => {
    const sink = recordingSink();
    const { sender, requests } = patternBlindLogs([
      JSON.stringify({
        time: "2026-03-01T00:00:00.000Z",
        type: "platform.start",
        record: { requestId: "r0" },
      }),
      formatReportJson({ ...report(0), initDurationMs: 180 }),
      formatReportJson(report(1)),
    ]);
    const sample = await sampleReportLines(sender, "orders", window, sink, {
      maxEvents: 100,
      logFormat: "JSON",
      logGroupName: "/shared/functions",
    });
    expect(sample).toEqual({ events: 2, capped: false });
    expect(sink.reports.map((entry) => entry.report)).toEqual([
      { ...report(0), initDurationMs: 180 },
      report(1),
    ]);
    expect(requests.map((request) => request.filterPattern)).toContain('"platform.report"');
    expect(requests.every((request) => request.logGroupName === "/shared/functions")).toBe(true);
  });

  it("reads platform.runtimeDone's response figures too for a function on the JSON log format", async () => {
    const runtimeDone = (requestId: string, latencyMs: number, bytes: number) =>
      formatRuntimeDone({
        requestId,
        status: "success",
        durationMs: 150,
        startedAt: window.start,
        response: { latencyMs, durationMs: 100 },
        producedBytes: bytes,
      });
    const aggregator = new MetricsAggregator();
    const { sender, requests } = patternBlindLogs([
      runtimeDone("r0", 12, 2048),
      formatReportJson(report(0)),
      runtimeDone("r1", 30, 4096),
      formatReportJson(report(1)),
    ]);
    await sampleReportLines(sender, "orders", window, aggregator, {
      maxEvents: 100,
      logFormat: "JSON",
    });
    const orders = aggregator.functions.get("orders")!;
    expect(orders.reports).toBe(2);
    expect(orders.responses).toBe(2);
    expect(orders.responseLatencyMs.max).toBe(30);
    expect(orders.producedBytesTotal).toBe(6144);
    expect(requests.map((request) => request.filterPattern)).toContain('"platform.runtimeDone"');
  });

  it("stops at maxEvents across pages and reports the sample as capped", async () => {
    const sink = recordingSink();
    const many = Array.from({ length: 25 }, (_, index) => formatReportText(report(index)));
    const { sender, requests } = patternBlindLogs(many);
    const sample = await sampleReportLines(sender, "orders", window, sink, {
      maxEvents: 10,
      pageSize: 4,
    });
    expect(sample).toEqual({ events: 10, capped: true });
    expect(sink.reports.map((entry) => entry.report.requestId)).toEqual(
      Array.from({ length: 10 }, (_, index) => `r${index}`),
    );
    const reportRequests = requests.filter(
      (request) => request.filterPattern === '"REPORT RequestId"',
    );
    // 4 + 4 + 2, then one small look past the cap that finds another REPORT line.
    expect(reportRequests.map((request) => request.limit)).toEqual([4, 4, 2, 4]);
  });

  it("is not capped when only lines it would skip lie past the cap", async () => {
    const sink = recordingSink();
    const { sender } = patternBlindLogs([
      formatReportText(report(0)),
      formatReportText(report(1)),
      "noise",
    ]);
    const sample = await sampleReportLines(sender, "orders", window, sink, {
      maxEvents: 2,
      pageSize: 2,
    });
    expect(sample).toEqual({ events: 2, capped: false });
    expect(sink.skippedCount).toBe(1);
  });

  it("treats a missing log group as no events", async () => {
    const sink = recordingSink();
    const { sender } = patternBlindLogs([], { missingGroup: true });
    expect(await sampleReportLines(sender, "never-ran", window, sink, { maxEvents: 10 })).toEqual({
      events: 0,
      capped: false,
    });
  });

  it("notes when the timeout scan hit the cap", async () => {
    const notes: string[] = [];
    const timeouts = Array.from(
      { length: 5 },
      (_, index) =>
        `2026-03-01T00:00:0${index}.000Z 5f0c2a9e-000${index} Task timed out after 1.00 seconds`,
    );
    const { sender } = patternBlindLogs(timeouts);
    const sink = recordingSink();
    await sampleReportLines(sender, "orders", window, sink, {
      maxEvents: 3,
      onNote: (note) => notes.push(note),
    });
    expect(sink.timeouts).toHaveLength(3);
    expect(notes).toEqual([expect.stringContaining("more than 3 timeout lines")]);
  });
});
