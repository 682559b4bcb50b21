import { describe, expect, it } from "vitest";
import {
  functionNameFromFileName,
  functionNameFromLogGroup,
  LINE_MARKERS,
  readLogLine,
  resolveFunctionName,
} from "../../../src/metrics/sources/log-lines.js";
import { RecordingSink } from "../recording-sink.js";

const ID = "3f1c6f2e-7c3a-4d2b-9b1e-5a0c9d8e7f61";
const REPORT = `REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 163 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.20 ms\t`;
const JSON_REPORT = JSON.stringify({
  time: "2026-11-28T10:00:00.123Z",
  type: "platform.report",
  record: {
    requestId: ID,
    metrics: { durationMs: 12.34, billedDurationMs: 163, memorySizeMB: 128, maxMemoryUsedMB: 70 },
    status: "success",
  },
});
const TIMEOUT = `2026-11-28T10:00:03.000Z ${ID} Task timed out after 3.00 seconds`;
const JSON_TIMEOUT = JSON.stringify({
  timestamp: "2026-11-28T10:00:03.000Z",
  level: "ERROR",
  requestId: ID,
  message: "Task timed out after 3.00 seconds",
});
const EXPORT = "2026-11-28T10:00:00.123Z ";
const TAIL = "2026-11-28T10:00:00.123000+00:00 2026/11/28/[$LATEST]abc123 ";

function read(line: string) {
  const sink = new RecordingSink();
  const kind = readLogLine(line, "orders", sink);
  return { kind, sink };
}

describe("readLogLine", () => {
  it.each([
    ["a raw text REPORT", REPORT],
    ["a JSON platform.report", JSON_REPORT],
    ["an export's text REPORT", EXPORT + REPORT],
    ["an export's JSON REPORT", EXPORT + JSON_REPORT],
    ["aws logs tail's text REPORT", TAIL + REPORT],
    ["aws logs tail's JSON REPORT", TAIL + JSON_REPORT],
    ["a REPORT with a CRLF ending", `${REPORT}\r`],
    [
      "a REPORT with its X-Ray tail on the same line (the emulator's \\r)",
      `${REPORT}\rXRAY TraceId: 1-abc\tSegmentId: 1\tSampled: true\t`,
    ],
  ])("reads %s", (_, line) => {
    const { kind, sink } = read(line);
    expect(kind).toBe("report");
    expect(sink.reports.get("orders")?.[0]).toMatchObject({
      requestId: ID,
      durationMs: 12.34,
      billedDurationMs: 163,
      memorySizeMb: 128,
      maxMemoryUsedMb: 70,
    });
    expect(sink.skippedLines).toBe(0);
  });

  it.each([
    ["a text timeout", TIMEOUT],
    ["an export's text timeout", EXPORT + TIMEOUT],
    ["aws logs tail's text timeout", TAIL + TIMEOUT],
    ["a JSON timeout record", JSON_TIMEOUT],
    ["an export's JSON timeout record", EXPORT + JSON_TIMEOUT],
  ])("reads %s", (_, line) => {
    const { kind, sink } = read(line);
    expect(kind).toBe("timeout");
    expect(sink.timeouts.get("orders")).toBe(1);
    expect(sink.skippedLines).toBe(0);
  });

  it.each([
    ["START", `START RequestId: ${ID} Version: $LATEST`],
    ["END", `END RequestId: ${ID}`],
    ["the function's own output", `2026-11-28T10:00:00.123Z\t${ID}\tINFO\thello`],
    ["a function quoting a REPORT", `2026-11-28T10:00:00.123Z\t${ID}\tINFO\t${REPORT}`],
    [
      "a function quoting a REPORT, tailed",
      `${TAIL}2026-11-28T10:00:00.123Z\t${ID}\tINFO\t${REPORT}`,
    ],
    [
      "a function quoting a timeout",
      `2026-11-28T10:00:00.123Z\t${ID}\tINFO\tTask timed out after 3.00 seconds`,
    ],
    [
      "a function's JSON record quoting a REPORT",
      JSON.stringify({ level: "INFO", message: REPORT }),
    ],
    ["a REPORT missing its figures", `REPORT RequestId: ${ID}\tDuration: 1.00 ms\t`],
    [
      "a REPORT with a cut figure",
      `REPORT RequestId: ${ID}\tDuration: 1.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 7`,
    ],
    ["broken JSON", '{"type":"platform.report",'],
    ["a timeout with no request id", "Task timed out after 3.00 seconds"],
    [
      "a timeout of a non-number",
      `2026-11-28T10:00:03.000Z ${ID} Task timed out after soon seconds`,
    ],
    ["three words before a REPORT", `2026-11-28T10:00:00Z stream extra ${REPORT}`],
    ["binary noise", "\u0000\u0001\u00ff"],
  ])("skips %s and counts it", (_, line) => {
    const { kind, sink } = read(line);
    expect(kind).toBe("skipped");
    expect(sink.skippedLines).toBe(1);
    expect(sink.reportCount).toBe(0);
    expect(sink.timeouts.size).toBe(0);
  });

  it("feeds nothing for a blank line", () => {
    for (const line of ["", "   ", "\r"]) {
      const { kind, sink } = read(line);
      expect(kind).toBe("blank");
      expect(sink.skippedLines).toBe(0);
    }
  });

  it("recognises nothing without a marker, so a reader may skip such lines unread", () => {
    const recognised = [REPORT, JSON_REPORT, TIMEOUT, JSON_TIMEOUT];
    for (const line of recognised) {
      expect(LINE_MARKERS.some((marker) => line.includes(marker))).toBe(true);
    }
  });
});

describe("function names", () => {
  it("takes NAME from /aws/lambda/NAME, and a custom log group as it is", () => {
    expect(functionNameFromLogGroup("/aws/lambda/orders")).toBe("orders");
    expect(functionNameFromLogGroup("/custom/shared-group")).toBe("/custom/shared-group");
    expect(functionNameFromLogGroup("  ")).toBeUndefined();
  });

  it("takes the file name without folders and .log/.gz/.json/.txt", () => {
    expect(functionNameFromFileName("/tmp/x/orders.log")).toBe("orders");
    expect(functionNameFromFileName("orders.log.gz")).toBe("orders");
    expect(functionNameFromFileName("exports/payments.json")).toBe("payments");
    expect(functionNameFromFileName("C:\\logs\\billing.txt")).toBe("billing");
    expect(functionNameFromFileName("plain")).toBe("plain");
  });

  it("prefers --function, then the log group, then the file name", () => {
    const fileName = "/tmp/from-file.log";
    expect(
      resolveFunctionName({ explicit: "flag", logGroupName: "/aws/lambda/group", fileName }),
    ).toBe("flag");
    expect(resolveFunctionName({ logGroupName: "/aws/lambda/group", fileName })).toBe("group");
    expect(resolveFunctionName({ fileName })).toBe("from-file");
  });
});
