/**
 * A worker thread of the parallel log reader (parallel-log-file.ts): it reads
 * the byte ranges of one plain log file that the main thread hands it, one
 * message each, answering each with the range's observations.
 *
 * A line belongs to the range its first byte is in. So a range starts at the
 * first line start at or after its nominal start, and ends with the line
 * holding its last byte, read on past the range's end to that line's line
 * feed (or the end of the file). Every line is read by exactly one worker,
 * whole, whatever the split.
 *
 * Built as its own entry (tsup.config.ts): a worker runs a JavaScript file.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { readLogLine } from "./log-lines.js";
import { type AnchoredMarker, MarkedLineScanner } from "./marked-line-scanner.js";
import { RangeObservationEncoder, type RangeObservations } from "./range-observations.js";
import { FIGURES, readCommonReport } from "./report-bytes.js";

export interface RangeWorkerData {
  readonly path: string;
  readonly functionName: string;
  readonly markers: readonly (string | AnchoredMarker)[];
  readonly chunkBytes: number;
}

export interface RangeRequest {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export interface RangeResult {
  readonly index: number;
  readonly observations: RangeObservations;
  /** Lines read, blank ones included, and the blank ones. */
  readonly lines: number;
  readonly blankLines: number;
  readonly bytes: number;
}

const LINE_FEED = 0x0a;
const LINE_START_READ_BYTES = 16 * 1024;

const data = workerData as RangeWorkerData;
const port = parentPort;
if (!port) throw new Error("log-range-worker runs as a worker thread");

const buffer = Buffer.allocUnsafe(data.chunkBytes);
const encoder = new RangeObservationEncoder();
const figures = new Float64Array(FIGURES);

port.on("message", (request: RangeRequest) => {
  // Opened per range, so that terminating the thread leaves no descriptor open.
  const fd = openSync(data.path, "r");
  try {
    const result = readRange(fd, request);
    // Copied, not transferred: the first ArrayBuffer a thread detaches invalidates V8's
    // "no detached buffers" assumption for good, and every typed-array read in the byte
    // scanner and parser then runs slower (about 20% of the whole read, measured); a
    // range's records are a few hundred kilobytes, copied in well under a millisecond.
    port.postMessage(result);
  } finally {
    closeSync(fd);
  }
});

function readRange(fd: number, { index, start, end }: RangeRequest): RangeResult {
  const scanner = new MarkedLineScanner(data.markers, {
    marked: (line) => readLogLine(line, data.functionName, encoder),
    markedBytes: (block, start, end) => {
      if (!readCommonReport(block, start, end, figures)) return false;
      encoder.commonReport(block, figures);
      return true;
    },
    unmarked: (count) => encoder.skipped(count),
  });
  const first = lineStartAtOrAfter(fd, start);
  // Nothing to read when the line that holds `start` runs past `end`: it is an earlier range's.
  if (first < end) readLines(fd, scanner, first, end - 1);
  scanner.end();
  return {
    index,
    observations: encoder.take(),
    lines: scanner.lines,
    blankLines: scanner.blankLines,
    bytes: scanner.bytes,
  };
}

/** Push the lines from `position` (a line start) through the one that holds byte `lastByte`. */
function readLines(fd: number, scanner: MarkedLineScanner, from: number, lastByte: number): void {
  let position = from;
  for (;;) {
    const read = readSync(fd, buffer, 0, buffer.length, position);
    if (read === 0) return;
    const chunk = buffer.subarray(0, read);
    if (lastByte - position < read) {
      // The last line ends at the first line feed from lastByte on (perhaps in a later chunk).
      const lineFeed = chunk.indexOf(LINE_FEED, Math.max(0, lastByte - position));
      if (lineFeed >= 0) {
        scanner.push(chunk.subarray(0, lineFeed + 1));
        return;
      }
    }
    scanner.push(chunk);
    position += read;
  }
}

/** The first line start at or after `offset`: `offset` itself when the byte before it is a line feed. */
function lineStartAtOrAfter(fd: number, offset: number): number {
  if (offset === 0) return 0;
  let position = offset - 1;
  for (;;) {
    // A line is short, as a rule: a small read finds its end without copying a whole chunk.
    const read = readSync(fd, buffer, 0, Math.min(buffer.length, LINE_START_READ_BYTES), position);
    if (read === 0) return position;
    const lineFeed = buffer.subarray(0, read).indexOf(LINE_FEED);
    if (lineFeed >= 0) return position + lineFeed + 1;
    position += read;
  }
}
