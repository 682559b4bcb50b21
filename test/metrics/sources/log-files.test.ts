import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Report } from "../../../src/lambda/report-line.js";
import { LogFileError, readLogFiles } from "../../../src/metrics/sources/log-files.js";
import {
  asLines,
  filterLogEventsDocument,
  type GeneratedLog,
  generateLog,
  getLogEventsDocument,
  type LogFormat,
  truthByFunction,
  type Wrapper,
} from "../generate-logs.js";
import { RecordingSink } from "../recording-sink.js";

const FUNCTIONS = ["orders", "payments", "thumbnails"];

function folder(): string {
  return mkdtempSync(join(tmpdir(), "lo-log-files-"));
}

function logOf(functionName: string, format: LogFormat, seed: number): GeneratedLog {
  return generateLog({
    functionNames: [functionName],
    invocationsPerFunction: 250,
    format,
    seed,
    coldStartRate: 0.15,
    timeoutRate: 0.05,
    garbageRate: 0.2,
    withXray: true,
  });
}

/**
 * A line file holds each event's first line only: the X-Ray tail of a text
 * REPORT is a line of its own there, so the trace id is not part of the truth.
 */
function withoutTextXray(log: GeneratedLog, report: Report): Report {
  const json = log.events[0]?.message.startsWith("{") ?? false;
  if (json || report.xrayTraceId === undefined) return report;
  const { xrayTraceId: _, ...rest } = report;
  return rest;
}

/** Compare everything the sink got for each function with the generator's truth. */
function expectTruth(
  sink: RecordingSink,
  log: GeneratedLog,
  expectedSkipped: number,
  lineFile = false,
): void {
  const truth = truthByFunction(log.invocations);
  expect([...sink.reports.keys()].sort()).toEqual([...truth.keys()].sort());
  for (const [functionName, expected] of truth) {
    const reports = sink.reports.get(functionName) ?? [];
    expect(reports).toEqual(
      log.invocations
        .filter((i) => i.functionName === functionName)
        .map((i) => (lineFile ? withoutTextXray(log, i.report) : i.report)),
    );
    expect(reports.length).toBe(expected.reports);
    expect(reports.filter((r) => r.initDurationMs !== undefined).length).toBe(expected.coldStarts);
    expect(sink.timeouts.get(functionName) ?? 0).toBe(expected.timeouts);
    expect(Math.max(...reports.map((r) => r.maxMemoryUsedMb))).toBe(expected.maxMemoryUsedMb);
    expect(reports.reduce((sum, r) => sum + r.billedDurationMs, 0)).toBe(expected.billedSum);
  }
  expect(sink.skippedLines).toBe(expectedSkipped);
}

function merged(logs: GeneratedLog[]): GeneratedLog {
  return {
    invocations: logs.flatMap((log) => log.invocations),
    events: logs.flatMap((log) => log.events),
    otherEvents: logs.reduce((sum, log) => sum + log.otherEvents, 0),
  };
}

describe("readLogFiles: line files", () => {
  const shapes: [LogFormat, Wrapper, boolean][] = [
    ["text", "raw", false],
    ["text", "export", true],
    ["text", "tail", false],
    ["json", "raw", true],
    ["json", "export", false],
    ["json", "tail", true],
  ];
  it.each(shapes)(
    "reads %s logs (%s), gzip %s, one file per function named by the file",
    async (format, wrapper, gzip) => {
      const dir = folder();
      const logs = FUNCTIONS.map((name, index) => logOf(name, format, index + 1));
      let skipped = 0;
      let expectedLines = 0;
      const paths = logs.map((log, index) => {
        const { lines, otherLines } = asLines(log, wrapper);
        skipped += otherLines;
        expectedLines += lines.length;
        const text = `${lines.join("\n")}\n`;
        const path = join(dir, `${FUNCTIONS[index]}.log${gzip ? ".gz" : ""}`);
        writeFileSync(path, gzip ? gzipSync(text) : text);
        return path;
      });
      const sink = new RecordingSink();
      const result = await readLogFiles(paths, sink);
      expect(result).toEqual({ files: 3, lines: expectedLines, problems: [] });
      expectTruth(sink, merged(logs), skipped, true);
    },
  );

  it("tells gzip by its magic bytes, whatever the file is called, and reads CRLF files", async () => {
    const dir = folder();
    const log = logOf("orders", "text", 9);
    const { lines, otherLines } = asLines(log, "export");
    const path = join(dir, "orders.txt");
    writeFileSync(path, gzipSync(`${lines.join("\r\n")}\r\n`));
    const sink = new RecordingSink();
    await readLogFiles([path], sink);
    expectTruth(sink, log, otherLines, true);
  });

  it("gives every observation to --function, whatever the file is called", async () => {
    const dir = folder();
    const log = logOf("orders", "text", 4);
    const path = join(dir, "some-export.log");
    writeFileSync(path, asLines(log, "raw").lines.join("\n"));
    const sink = new RecordingSink();
    await readLogFiles([path], sink, { functionName: "checkout" });
    expect([...sink.reports.keys()]).toEqual(["checkout"]);
    expect(sink.reports.get("checkout")).toHaveLength(log.invocations.length);
  });

  it("reads stdin for -, named stdin", async () => {
    const log = logOf("x", "json", 5);
    const { lines, otherLines } = asLines(log, "raw");
    const sink = new RecordingSink();
    const stdin = Readable.from([Buffer.from(lines.join("\n"))]);
    const result = await readLogFiles("-", sink, { stdin });
    expect(result.files).toBe(1);
    expect([...sink.reports.keys()]).toEqual(["stdin"]);
    expect(sink.reports.get("stdin")).toEqual(
      log.invocations.map((i) => withoutTextXray(log, i.report)),
    );
    expect(sink.skippedLines).toBe(otherLines);
  });

  it("reads an empty file as no lines", async () => {
    const path = join(folder(), "empty.log");
    writeFileSync(path, "");
    const sink = new RecordingSink();
    expect(await readLogFiles([path], sink)).toEqual({ files: 1, lines: 0, problems: [] });
    expect(sink.skippedLines).toBe(0);
  });

  it("throws LogFileError naming a missing file before reading any file", async () => {
    const dir = folder();
    const present = join(dir, "orders.log");
    writeFileSync(present, asLines(logOf("orders", "text", 1), "raw").lines.join("\n"));
    const missing = join(dir, "nope.log");
    const sink = new RecordingSink();
    const reading = readLogFiles([present, missing], sink);
    await expect(reading).rejects.toBeInstanceOf(LogFileError);
    await expect(reading).rejects.toThrow(`log file ${missing} does not exist`);
    expect(sink.reportCount).toBe(0);
    await expect(readLogFiles([dir], sink)).rejects.toThrow("is a directory");
  });
});

describe("readLogFiles: a truncated gzip", () => {
  it("keeps what it read before the break, names the file, and goes on with the next", async () => {
    const dir = folder();
    const log = logOf("orders", "text", 11);
    const text = `${asLines(log, "export").lines.join("\n")}\n`;
    const whole = gzipSync(text);
    const truncated = join(dir, "orders.log.gz");
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const next = join(dir, "payments.log");
    const nextLog = logOf("payments", "text", 12);
    writeFileSync(next, asLines(nextLog, "raw").lines.join("\n"));

    const sink = new RecordingSink();
    const result = await readLogFiles([truncated, next], sink);

    expect(result.problems).toHaveLength(1);
    const [problem] = result.problems;
    expect(problem?.source).toBe(truncated);
    expect(problem?.message).toContain(truncated);
    expect(problem?.message).toContain("unexpected end of file");
    expect(problem?.linesRead).toBeGreaterThan(0);
    expect(problem?.bytesRead).toBeGreaterThan(0);
    expect(problem?.bytesRead).toBeLessThan(text.length);
    // Exactly the invocations whose REPORT came before the break, none invented.
    const read = sink.reports.get("orders") ?? [];
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThan(log.invocations.length);
    expect(read).toEqual(
      log.invocations.slice(0, read.length).map((i) => withoutTextXray(log, i.report)),
    );
    // The complete lines read are exactly the first linesRead lines of the text.
    const firstLines = text.split("\n").slice(0, problem?.linesRead);
    expect(Buffer.byteLength(`${firstLines.join("\n")}\n`)).toBe(problem?.bytesRead);
    expect(sink.reports.get("payments")).toHaveLength(nextLog.invocations.length);
  });
});

describe("readLogFiles: AWS CLI JSON", () => {
  it("reads filter-log-events with log groups, one function per group", async () => {
    const dir = folder();
    const log = generateLog({
      functionNames: FUNCTIONS,
      invocationsPerFunction: 150,
      format: "text",
      seed: 21,
      withXray: true,
      garbageRate: 0.2,
    });
    const path = join(dir, "filtered.json");
    writeFileSync(path, filterLogEventsDocument(log, { withLogGroup: true }));
    const sink = new RecordingSink();
    const result = await readLogFiles([path], sink);
    expect(result).toEqual({ files: 1, lines: log.events.length, problems: [] });
    expectTruth(sink, log, log.otherEvents);
  });

  it("reads a gzipped filter-log-events of JSON-format logs without groups, named by the file", async () => {
    const dir = folder();
    const log = logOf("orders", "json", 22);
    const path = join(dir, "orders.json.gz");
    writeFileSync(path, gzipSync(filterLogEventsDocument(log, { withLogGroup: false })));
    const sink = new RecordingSink();
    await readLogFiles([path], sink);
    expectTruth(sink, log, log.otherEvents);
  });

  it("reads get-log-events, and --function wins over log groups", async () => {
    const dir = folder();
    const log = logOf("orders", "text", 23);
    const getPath = join(dir, "orders-events.json");
    writeFileSync(getPath, getLogEventsDocument(log));
    const sink = new RecordingSink();
    await readLogFiles([getPath], sink);
    expect([...sink.reports.keys()]).toEqual(["orders-events"]);
    expect(sink.reports.get("orders-events")).toEqual(log.invocations.map((i) => i.report));

    const filterPath = join(dir, "filtered.json");
    writeFileSync(filterPath, filterLogEventsDocument(log, { withLogGroup: true }));
    const flagged = new RecordingSink();
    await readLogFiles([filterPath], flagged, { functionName: "checkout" });
    expect([...flagged.reports.keys()]).toEqual(["checkout"]);
  });

  it("reads a compact one-line document, and reports one that breaks off", async () => {
    const dir = folder();
    const log = logOf("orders", "text", 24);
    const compact = JSON.stringify(
      JSON.parse(filterLogEventsDocument(log, { withLogGroup: true })),
    );
    const path = join(dir, "compact.json");
    writeFileSync(path, compact);
    const sink = new RecordingSink();
    await readLogFiles([path], sink);
    expectTruth(sink, log, log.otherEvents);

    const cut = join(dir, "cut.json");
    writeFileSync(cut, compact.slice(0, Math.floor(compact.length / 2)));
    const partial = new RecordingSink();
    const result = await readLogFiles([cut], partial);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.source).toBe(cut);
    expect(result.problems[0]?.message).toContain("log events read before the break");
    const read = partial.reports.get("orders") ?? [];
    expect(read.length).toBeGreaterThan(0);
    expect(read).toEqual(log.invocations.slice(0, read.length).map((i) => i.report));
  });
});
