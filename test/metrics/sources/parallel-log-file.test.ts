/**
 * The parallel reader (worker threads over byte ranges) against the serial
 * one on the same files: every call the sink gets must be the same, in the
 * same order, and `skippedLines` and the line count too, wherever the range
 * boundaries fall.
 * The worker is bundled from src/ first (log-range-worker-build.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../../src/lambda/report-line.js";
import type { ObservationSink } from "../../../src/metrics/observations.js";
import { type LogFileOptions, readLogFiles } from "../../../src/metrics/sources/log-files.js";
import { asLines, generateLog, type LogFormat, type Wrapper } from "../generate-logs.js";
import { buildLogRangeWorker } from "../log-range-worker-build.js";

const folder = mkdtempSync(join(tmpdir(), "lo-parallel-log-"));
let workerUrl: URL;

beforeAll(async () => {
  workerUrl = await buildLogRangeWorker();
}, 60_000);

type Call =
  | { kind: "report"; functionName: string; report: Report; timestampMs: number | undefined }
  | { kind: "timeout"; functionName: string; timestampMs: number | undefined };

/** Every report and timeout in the order given; skipped lines as a total (the parallel reader sums them per range). */
class CallSink implements ObservationSink {
  readonly calls: Call[] = [];
  skippedLines = 0;
  report(functionName: string, report: Report, timestampMs?: number): void {
    this.calls.push({ kind: "report", functionName, report, timestampMs });
  }
  timeout(functionName: string, timestampMs?: number): void {
    this.calls.push({ kind: "timeout", functionName, timestampMs });
  }
  skipped(count = 1): void {
    this.skippedLines += count;
  }
}

async function read(file: string, parallel: LogFileOptions["parallel"]) {
  const sink = new CallSink();
  const result = await readLogFiles([file], sink, { parallel });
  return {
    calls: sink.calls,
    // Key order too: a sink may serialise the reports it is given.
    serialised: JSON.stringify(sink.calls),
    skippedLines: sink.skippedLines,
    lines: result.lines,
    problems: result.problems,
  };
}

function writeLog(
  name: string,
  options: {
    format: LogFormat;
    wrapper: Wrapper;
    crlf?: boolean;
    trailingNewline?: boolean;
    restoreRate?: number;
  },
) {
  const log = generateLog({
    functionNames: ["orders"],
    invocationsPerFunction: 120,
    format: options.format,
    seed: 11,
    coldStartRate: 0.2,
    timeoutRate: 0.1,
    garbageRate: 0.3,
    withXray: true,
    ...(options.restoreRate !== undefined ? { restoreRate: options.restoreRate } : {}),
  });
  const { lines } = asLines(log, options.wrapper);
  // Blank lines (empty, and a lone \r) count as no line at all: some at the start, the middle and the end.
  const withBlanks = ["", ...lines.slice(0, 40), "", "\r", ...lines.slice(40), ""];
  const eol = options.crlf ? "\r\n" : "\n";
  let text = withBlanks.join(eol);
  if (options.trailingNewline !== false) text += eol;
  else text += "orders done (no line break after this one)";
  const file = join(folder, name);
  writeFileSync(file, text);
  return { file, bytes: Buffer.byteLength(text) };
}

/** Range sizes from a few bytes (every line straddles a boundary) to one larger than the file. */
const RANGE_BYTES = [13, 997, 16_384, 10_000_000];

describe("the parallel log reader", () => {
  it.each([
    ["text export", { format: "text", wrapper: "export" }],
    ["text aws logs tail", { format: "text", wrapper: "tail" }],
    ["JSON log format, raw", { format: "json", wrapper: "raw" }],
    ["text export, CRLF", { format: "text", wrapper: "export", crlf: true }],
    [
      "text export, no line break at the end",
      { format: "text", wrapper: "export", trailingNewline: false },
    ],
    ["text export, SnapStart restores", { format: "text", wrapper: "export", restoreRate: 0.5 }],
    ["JSON, SnapStart restores", { format: "json", wrapper: "raw", restoreRate: 0.5 }],
    [
      "JSON, CRLF, no line break at the end",
      { format: "json", wrapper: "export", crlf: true, trailingNewline: false },
    ],
  ] as const)("feeds the sink what the serial reader does: %s", async (name, options) => {
    const { file } = writeLog(`${name.replaceAll(/\W+/g, "-")}.log`, options);
    const serial = await read(file, false);
    expect(serial.calls.length).toBeGreaterThan(120);
    expect(serial.skippedLines).toBeGreaterThan(0);
    for (const [index, rangeBytes] of RANGE_BYTES.entries()) {
      const workers = 2 + (index % 2);
      const parallel = await read(file, { workerUrl, workers, rangeBytes, minFileBytes: 0 });
      expect({ rangeBytes, ...parallel }).toEqual({ rangeBytes, ...serial });
      expect(parallel.serialised).toBe(serial.serialised);
    }
  });

  it("reads a line that spans several ranges once, in the range it starts in", async () => {
    const long = `2026-11-28T10:00:00.000Z ${"x".repeat(500)}`;
    const report =
      "2026-11-28T10:00:01.000Z REPORT RequestId: 6f1c2e3a-0000-4000-8000-000000000001\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\t";
    const file = join(folder, "long-lines.log");
    writeFileSync(file, [report, long, report, long, long, report].join("\n"));
    const serial = await read(file, false);
    expect(serial.calls).toHaveLength(3);
    expect(serial.skippedLines).toBe(3);
    for (const rangeBytes of [1, 10, 100, 160, 161, 162, 600, 700]) {
      const parallel = await read(file, { workerUrl, workers: 2, rangeBytes, minFileBytes: 0 });
      expect(parallel).toEqual(serial);
    }
  });

  it("reads an empty file and a file of one line", async () => {
    const empty = join(folder, "empty.log");
    writeFileSync(empty, "");
    expect(await read(empty, { workerUrl, workers: 2, rangeBytes: 1, minFileBytes: 0 })).toEqual(
      await read(empty, false),
    );
    const one = join(folder, "one.log");
    writeFileSync(one, "hello");
    const parallel = await read(one, { workerUrl, workers: 2, rangeBytes: 2, minFileBytes: 0 });
    expect(parallel).toEqual(await read(one, false));
    expect(parallel.skippedLines).toBe(1);
  });

  it("does use the workers it is given (a missing worker file is a problem, not a silent serial read)", async () => {
    const { file } = writeLog("no-worker.log", { format: "text", wrapper: "export" });
    const missing = pathToFileURL(join(folder, "nowhere", "log-range-worker.js"));
    const result = await read(file, { workerUrl: missing, workers: 2, minFileBytes: 0 });
    expect(result.problems).toHaveLength(1);
    expect(result.calls).toEqual([]);
  });

  it("reads gzip files serially, with the same result", async () => {
    const { file } = writeLog("for-gzip.log", { format: "text", wrapper: "export" });
    const gzipped = `${file}.gz`;
    writeFileSync(gzipped, gzipSync(readFileSync(file)));
    const options = { workerUrl, workers: 2, rangeBytes: 7, minFileBytes: 0 };
    expect(await read(gzipped, options)).toEqual(await read(file, false));
  });
});
