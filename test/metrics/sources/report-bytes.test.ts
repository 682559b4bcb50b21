import { describe, expect, it } from "vitest";
import type { Report } from "../../../src/lambda/report-line.js";
import { parseReport } from "../../../src/lambda/report-line.js";
import type { ObservationSink } from "../../../src/metrics/observations.js";
import { readLogLine } from "../../../src/metrics/sources/log-lines.js";
import { parseCommonReportLine } from "../../../src/metrics/sources/report-bytes.js";
import { seededRandom } from "../generate-logs.js";

const ID = "3f1c6f2e-7c3a-4d2b-9b1e-5a0c9d8e7f61";
const EXPORT = "2026-11-28T10:00:00.123Z ";

/** What the string path (readLogLine → parseReport) makes of a line. */
function stringPath(line: string): { report: Report; timestampMs: number | undefined } | undefined {
  let seen: { report: Report; timestampMs: number | undefined } | undefined;
  const sink: ObservationSink = {
    report: (_name, report, timestampMs) => {
      seen = { report, timestampMs };
    },
    timeout: () => {},
    skipped: () => {},
  };
  readLogLine(line, "f", sink);
  return seen;
}

/**
 * The byte path takes a line only where the string path reads it the same:
 * same keys in the same order, the same doubles (Object.is), the same time.
 * Returns whether the byte path took it.
 */
function expectSameAsStringPath(line: string): boolean {
  const bytes = parseCommonReportLine(Buffer.from(line, "utf8"));
  if (bytes === undefined) return false;
  const strings = stringPath(line);
  expect(strings, line).toBeDefined();
  expect(Object.keys(bytes.report), line).toEqual(Object.keys(strings!.report));
  for (const key of Object.keys(strings!.report) as (keyof Report)[]) {
    expect(Object.is(bytes.report[key], strings!.report[key]), `${key} in ${line}`).toBe(true);
  }
  expect(Object.is(bytes.timestampMs, strings!.timestampMs), `time of ${line}`).toBe(true);
  return true;
}

function reportLine(fields: {
  duration: string;
  billed?: string;
  memory?: string;
  maxMemory?: string;
  init?: string;
  tail?: string;
}): string {
  const init = fields.init === undefined ? "" : `\tInit Duration: ${fields.init} ms`;
  return `REPORT RequestId: ${ID}\tDuration: ${fields.duration} ms\tBilled Duration: ${fields.billed ?? "13"} ms\tMemory Size: ${fields.memory ?? "128"} MB\tMax Memory Used: ${fields.maxMemory ?? "70"} MB${init}${fields.tail ?? "\t"}`;
}

function digits(random: () => number, count: number): string {
  let text = "";
  for (let index = 0; index < count; index++) text += Math.floor(random() * 10);
  return text;
}

describe("parseCommonReportLine", () => {
  it("reads the common line, warm and cold, bare and in an export, as readLogLine does", () => {
    const warm = reportLine({ duration: "12.34" });
    const cold = reportLine({ duration: "12.34", init: "150.20" });
    for (const line of [warm, cold, EXPORT + warm, EXPORT + cold]) {
      expect(expectSameAsStringPath(line), line).toBe(true);
    }
    expect(parseCommonReportLine(Buffer.from(EXPORT + cold))).toEqual({
      report: {
        requestId: ID,
        durationMs: 12.34,
        billedDurationMs: 13,
        memorySizeMb: 128,
        maxMemoryUsedMb: 70,
        initDurationMs: 150.2,
      },
      timestampMs: Date.parse("2026-11-28T10:00:00.123Z"),
    });
    expect(parseCommonReportLine(Buffer.from(warm))?.timestampMs).toBeUndefined();
  });

  it("takes a line with or without its last tab", () => {
    expect(expectSameAsStringPath(reportLine({ duration: "1.5", tail: "" }))).toBe(true);
    expect(expectSameAsStringPath(reportLine({ duration: "1.5", init: "2", tail: "" }))).toBe(true);
  });

  it("reads a part of a larger buffer by its offsets", () => {
    const line = EXPORT + reportLine({ duration: "9.87", init: "3.21" });
    const buffer = Buffer.from(`noise\n${line}\nmore noise\n`);
    const start = buffer.indexOf(line);
    expect(parseCommonReportLine(buffer, start, start + line.length)).toEqual(
      parseCommonReportLine(Buffer.from(line)),
    );
  });

  it("leaves every other shape to the string path", () => {
    const notTaken = [
      // Status, Error Type and X-Ray fields; SnapStart restores
      `${reportLine({ duration: "3000.00" })}Status: timeout\t`,
      `${reportLine({ duration: "3000.00" })}Status: error\tError Type: Runtime.ExitError\t`,
      `${reportLine({ duration: "12.34" })}\nXRAY TraceId: 1-5e1b4151-5ac6c58f5b2c2e3b1f0c5e6a\tSegmentId: 6f5e4d3c2b1a0f9e\tSampled: true\t`,
      `${reportLine({ duration: "12.34", tail: "" })}\tXRAY TraceId: 1-5e1b4151-5ac6c58f5b2c2e3b1f0c5e6a\tSampled: true`,
      `${reportLine({ duration: "12.34", tail: "" })}\tRestore Duration: 270.08 ms\tBilled Restore Duration: 200 ms\t`,
      // spacing the common shape does not have
      reportLine({ duration: "12.34", tail: "\t\t" }),
      reportLine({ duration: "12.34", tail: " " }),
      reportLine({ duration: "12.34", tail: "\t\r" }),
      reportLine({ duration: "12.34", tail: "\r" }),
      reportLine({ duration: "12.34 " }),
      reportLine({ duration: "12.34", init: "1.00 " }),
      reportLine({ duration: "12.34" }).replace("12.34 ms", "12.34ms"),
      reportLine({ duration: "12.34" }).replace("70 MB", "70 mb"),
      reportLine({ duration: "12.34" }).replace("Duration: 12", "Duration:  12"),
      reportLine({ duration: "12.34" }).replace("RequestId: ", "RequestId:  "),
      ` ${reportLine({ duration: "12.34" })}`,
      `${EXPORT} ${reportLine({ duration: "12.34" })}`,
      // numbers the common shape does not have
      reportLine({ duration: "12." }),
      reportLine({ duration: ".5" }),
      reportLine({ duration: "-1.5" }),
      reportLine({ duration: "1e3" }),
      reportLine({ duration: "12.34", billed: "13.0" }),
      reportLine({ duration: "12.34", memory: "" }),
      reportLine({ duration: "١٢" }),
      // an id the common shape does not have
      reportLine({ duration: "12.34" }).replace(ID, `${ID}é`),
      reportLine({ duration: "12.34" }).replace(ID, ""),
      // other wrappers and formats
      `2026-11-28T10:00:00.123000+00:00 2026/11/28/[$LATEST]abc123 ${reportLine({ duration: "1" })}`,
      `2026-11-28T10:00:00Z ${reportLine({ duration: "1" })}`,
      `2026-11-28 10:00:00.123Z ${reportLine({ duration: "1" })}`,
      `2026-11-28T10:00:00.123Z ${ID} INFO ${reportLine({ duration: "1" })}`,
      JSON.stringify({
        time: "2026-11-28T10:00:00.123Z",
        type: "platform.report",
        record: {
          requestId: ID,
          metrics: { durationMs: 1, billedDurationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 70 },
        },
      }),
      "REPORT RequestId: ",
      "",
    ];
    for (const line of notTaken) {
      expect(
        parseCommonReportLine(Buffer.from(line, "utf8")),
        JSON.stringify(line),
      ).toBeUndefined();
    }
  });

  it("reads the timestamp as Date.parse does, and leaves impossible dates to it", () => {
    const line = reportLine({ duration: "1.25" });
    for (const time of [
      "2026-11-28T10:00:00.123Z",
      "2024-02-29T23:59:59.999Z",
      "2000-02-29T00:00:00.000Z",
      "1970-01-01T00:00:00.000Z",
      "0001-01-01T00:00:00.000Z",
      "9999-12-31T23:59:59.999Z",
    ]) {
      expect(expectSameAsStringPath(`${time} ${line}`), time).toBe(true);
    }
    for (const time of [
      "2026-13-01T00:00:00.000Z",
      "2026-00-10T00:00:00.000Z",
      "2026-02-29T00:00:00.000Z",
      "1900-02-29T00:00:00.000Z",
      "2026-04-31T00:00:00.000Z",
      "2026-11-00T00:00:00.000Z",
      "2026-11-28T24:00:00.000Z",
      "2026-11-28T10:60:00.000Z",
      "2026-11-28T10:00:60.000Z",
      "2026-11-28t10:00:00.000Z",
      "2026-11-28T10:00:00.000z",
      "2026-11-28T10:00:00,000Z",
    ]) {
      expect(parseCommonReportLine(Buffer.from(`${time} ${line}`)), time).toBeUndefined();
      // What the string path makes of it stands: only the byte path stepped aside.
      expect(stringPath(`${time} ${line}`)).toBeDefined();
    }
  });

  it("reads every decimal as Number() does (random values, up to 40 digits)", () => {
    const random = seededRandom(2026);
    // Within Lambda's limits (larger figures are refused by both paths), made
    // long by leading zeros so the reader's long-number path is exercised too.
    const padded = (text: string, upTo: number) =>
      "0".repeat(Math.floor(random() * Math.max(0, upTo - text.length))) + text;
    let taken = 0;
    for (let round = 0; round < 20000; round++) {
      const short = round % 2 === 0;
      const integer = padded(digits(random, 1 + Math.floor(random() * 5)), short ? 6 : 20);
      const fraction = digits(random, Math.floor(random() * (short ? 4 : 22)));
      const duration = fraction.length > 0 ? `${integer}.${fraction}` : integer;
      const init =
        random() < 0.5
          ? undefined
          : `${padded(digits(random, 1 + Math.floor(random() * 5)), 8)}.${digits(random, 1 + Math.floor(random() * 18))}`;
      const line = reportLine({
        duration,
        billed: padded(digits(random, 1 + Math.floor(random() * 6)), short ? 7 : 25),
        memory: padded(String(128 + Math.floor(random() * 10_113)), 5),
        maxMemory: padded(digits(random, 1 + Math.floor(random() * 4)), 17),
        init,
        tail: random() < 0.5 ? "\t" : "",
      });
      if (expectSameAsStringPath(random() < 0.5 ? EXPORT + line : line)) taken++;
    }
    expect(taken).toBe(20000);
  });

  it("reads values at the edges of exactness as Number() does, and refuses with the string path those past Lambda's limits", () => {
    const values = [
      "0",
      "0.0",
      "00012.50",
      "000000000000000000012.5",
      "0000000000000000000000000899999.99999999999999",
      "9007199254740991",
      "9007199254740992",
      "9007199254740993",
      "999999999999999.9",
      "99999999999999.99",
      "0.1",
      "0.30000000000000004",
      "1.7976931348623157",
      "123456789012345.6",
      "1234567890123456.7",
      "5e-324".replace("e-", ""),
      "0.000000000000000000001",
      "0.0000000000000000000001",
      "4.35",
      "1.005",
      "8.675309",
      "900000",
      "900000.01",
      `1${"0".repeat(308)}`,
      `1${"0".repeat(400)}`,
    ];
    for (const duration of values) {
      const within = Number(duration) <= 900_000;
      const asDuration = reportLine({ duration, init: duration });
      expect(expectSameAsStringPath(asDuration), duration).toBe(within);
      if (!within) expect(stringPath(asDuration), duration).toBeUndefined();
      const billed = duration.replace(".", "");
      const asBilled = reportLine({ duration: "1", billed });
      expect(expectSameAsStringPath(asBilled), billed).toBe(Number(billed) <= 1_800_000);
    }
  });

  it("refuses, on both paths, figures outside Lambda's limits: the $1.7e17 line is skipped", () => {
    const absurd = [
      { duration: "170000000000000000000" },
      { duration: "1", billed: "99999999999999" },
      { duration: "1", memory: "0" },
      { duration: "1", memory: "64" },
      { duration: "1", memory: "10241" },
      { duration: "1", maxMemory: "99999" },
      { duration: "1", init: "900000.5" },
    ];
    for (const fields of absurd) {
      const line = reportLine(fields);
      expect(parseCommonReportLine(Buffer.from(line)), line).toBeUndefined();
      expect(stringPath(line), line).toBeUndefined();
      let skipped = 0;
      readLogLine(line, "f", {
        report: () => {},
        timeout: () => {},
        skipped: (count = 1) => {
          skipped += count;
        },
      });
      expect(skipped, line).toBe(1);
    }
  });

  it("agrees with parseReport on the message part", () => {
    const line = reportLine({ duration: "812.07", init: "402.11" });
    const parsed = parseReport(line);
    expect(parsed.ok && parsed.report).toEqual(parseCommonReportLine(Buffer.from(line))?.report);
  });
});
