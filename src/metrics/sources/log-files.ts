/**
 * Log files and stdin: CloudWatch Logs exports, `aws logs tail` output, raw
 * REPORT lines, the emulator's log files, and the JSON of `aws logs
 * filter-log-events` / `get-log-events`; plain or gzip (told by its magic
 * bytes, whatever the file is called). Every file is streamed, so memory
 * stays constant whatever its size.
 *
 * A file that cannot be opened is the user's mistake and throws LogFileError
 * before anything is read. A file that breaks off (a truncated gzip) is a
 * SourceProblem: what was read before the break still counts.
 */
import { constants as fsConstants } from "node:fs";
import { access, open, stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { ObservationSink, SourceProblem } from "../observations.js";
import {
  LogEventsDocumentError,
  looksLikeLogEventsDocument,
  readLogEventsDocument,
} from "./filter-log-events.js";
import { readLogLine, resolveFunctionName, SCAN_MARKERS } from "./log-lines.js";
import { MarkedLineScanner } from "./marked-line-scanner.js";
import { type ParallelOptions, planParallelRead, readFileInParallel } from "./parallel-log-file.js";
import { commonReport, FIGURES, readCommonReport, timeOf } from "./report-bytes.js";

/** A log file that cannot be read at all; the message names it (the CLI exits 2). */
export class LogFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LogFileError";
  }
}

export interface LogFileOptions {
  /** `--function`: every observation goes to this function, whatever the data says. */
  readonly functionName?: string | undefined;
  /** Where "-" reads from: process.stdin unless a test hands in another stream. */
  readonly stdin?: Readable | undefined;
  /**
   * A large plain file is read by worker threads, each a range of it
   * (parallel-log-file.ts), with the same result; `false` reads every file
   * serially. Gzip files and stdin are always read serially.
   */
  readonly parallel?: ParallelOptions | false | undefined;
}

export interface LogFilesResult {
  readonly files: number;
  /** Non-blank lines (or log events of a JSON document) read. */
  readonly lines: number;
  readonly problems: SourceProblem[];
}

export const STDIN = "-";
const STDIN_NAME = "stdin";
const CHUNK_BYTES = 1024 * 1024;
/** Enough of the start to see a JSON document's first key. */
const HEAD_BYTES = 4096;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

export async function readLogFiles(
  paths: string[] | typeof STDIN,
  sink: ObservationSink,
  options: LogFileOptions = {},
): Promise<LogFilesResult> {
  const sources = paths === STDIN ? [STDIN] : paths;
  // Every file is checked before any is read: a typo in the last name must not
  // cost a parse of the first gigabyte.
  for (const path of sources) if (path !== STDIN) await checkReadable(path);
  let lines = 0;
  const problems: SourceProblem[] = [];
  for (const path of sources) {
    const result = await readOneSource(path, sink, options);
    lines += result.lines;
    if (result.problem) problems.push(result.problem);
  }
  return { files: sources.length, lines, problems };
}

async function checkReadable(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new LogFileError(path, `log file ${path} is a directory; name the files in it`);
    }
    await access(path, fsConstants.R_OK);
  } catch (error) {
    if (error instanceof LogFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not readable" : String(error);
    throw new LogFileError(path, `log file ${path} ${reason}`, { cause: error });
  }
}

interface SourceResult {
  readonly lines: number;
  readonly problem?: SourceProblem;
}

async function readOneSource(
  path: string,
  sink: ObservationSink,
  options: LogFileOptions,
): Promise<SourceResult> {
  const fileName = path === STDIN ? STDIN_NAME : path;
  const functionName = resolveFunctionName({ explicit: options.functionName, fileName });
  const progress = { lines: 0, bytes: 0 };
  if (path !== STDIN) {
    try {
      if (await readInParallel(path, functionName, sink, options, progress)) {
        return { lines: progress.lines };
      }
    } catch (error) {
      if (error instanceof LogFileError) throw error;
      return { lines: progress.lines, problem: brokenOff(path, error, progress) };
    }
  }
  let raw: Readable;
  let close = async () => {};
  if (path === STDIN) {
    raw = options.stdin ?? process.stdin;
  } else {
    const handle = await open(path, "r").catch((error: unknown) => {
      throw new LogFileError(path, `log file ${path} cannot be opened: ${String(error)}`, {
        cause: error,
      });
    });
    raw = handle.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: false });
    close = () => handle.close();
  }
  try {
    const head = await peek(raw, 2);
    const gzip = head.bytes[0] === GZIP_MAGIC[0] && head.bytes[1] === GZIP_MAGIC[1];
    const decoded = gzip ? gunzipped(head.stream) : head.stream;
    const text = await peek(decoded, HEAD_BYTES);
    if (looksLikeLogEventsDocument(text.bytes.toString("utf8"))) {
      progress.lines = await readLogEventsDocument(text.stream, sink, {
        functionName: options.functionName,
        fileName,
      });
    } else {
      await readLines(text.stream, functionName, sink, progress);
    }
    return { lines: progress.lines };
  } catch (error) {
    return { lines: progress.lines, problem: brokenOff(path, error, progress) };
  } finally {
    await close();
  }
}

/**
 * Read a large plain line file with worker threads; false (nothing read) when
 * it is small, gzip, a JSON document, or there are no workers to use.
 */
async function readInParallel(
  path: string,
  functionName: string,
  sink: ObservationSink,
  options: LogFileOptions,
  progress: { lines: number; bytes: number },
): Promise<boolean> {
  if (options.parallel === false) return false;
  const handle = await open(path, "r").catch((error: unknown) => {
    throw new LogFileError(path, `log file ${path} cannot be opened: ${String(error)}`, {
      cause: error,
    });
  });
  let size: number;
  let head: Buffer;
  try {
    size = (await handle.stat()).size;
    const read = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    head = read.buffer.subarray(0, read.bytesRead);
  } finally {
    await handle.close();
  }
  const plan = planParallelRead(size, options.parallel);
  if (!plan) return false;
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) return false;
  if (looksLikeLogEventsDocument(head.toString("utf8"))) return false;
  await readFileInParallel(path, size, plan, functionName, SCAN_MARKERS, sink, progress);
  return true;
}

async function readLines(
  stream: Readable,
  functionName: string,
  sink: ObservationSink,
  progress: { lines: number; bytes: number },
): Promise<void> {
  const figures = new Float64Array(FIGURES);
  const scanner = new MarkedLineScanner(SCAN_MARKERS, {
    marked: (line) => readLogLine(line, functionName, sink),
    markedBytes: (block, start, end) => {
      if (!readCommonReport(block, start, end, figures)) return false;
      sink.report(functionName, commonReport(block, figures), timeOf(figures));
      return true;
    },
    unmarked: (count) => sink.skipped(count),
  });
  const update = () => {
    progress.lines = scanner.lines - scanner.blankLines;
    progress.bytes = scanner.bytes;
  };
  try {
    for await (const chunk of stream) {
      scanner.push(chunk as Buffer);
      update();
    }
    scanner.end();
    update();
  } catch (error) {
    scanner.abandon();
    update();
    throw error;
  }
}

function brokenOff(
  path: string,
  error: unknown,
  progress: { lines: number; bytes: number },
): SourceProblem {
  const source = path === STDIN ? STDIN_NAME : path;
  const linesRead = error instanceof LogEventsDocumentError ? error.eventsRead : progress.lines;
  const reason = error instanceof Error ? error.message : String(error);
  const unit = error instanceof LogEventsDocumentError ? "log events" : "lines";
  return {
    source,
    message: `${source} breaks off (${reason}); ${linesRead} ${unit} read before the break count, the rest is missing`,
    bytesRead: progress.bytes,
    linesRead,
  };
}

/** Gunzip on the fly; a truncated file surfaces as an error on the stream after its last good bytes. */
function gunzipped(compressed: Readable): Readable {
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  compressed.on("error", (error) => gunzip.destroy(error));
  compressed.pipe(gunzip);
  return gunzip;
}

/**
 * Read at least `bytes` bytes (or all there is) from the start of a stream,
 * and hand back a stream that still begins with them.
 */
async function peek(stream: Readable, bytes: number): Promise<{ bytes: Buffer; stream: Readable }> {
  const iterator = stream[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = next.value as Buffer;
    seen.push(chunk);
    length += chunk.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* seen;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value as Buffer;
    }
  }
  return { bytes: Buffer.concat(seen), stream: Readable.from(replay(), { objectMode: false }) };
}
