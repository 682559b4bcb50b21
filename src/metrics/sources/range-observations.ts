/**
 * What a parallel reader's worker hands back for one byte range of a log
 * file: every observation its lines gave, in line order, packed so that a
 * range of a few megabytes crosses threads as one copied Float64Array and one
 * string instead of thousands of cloned objects. The main thread replays the
 * ranges in file order into the real sink, so the sink sees the same reports
 * and timeouts, in the same order, as the serial reader gives it: whatever it
 * computes from them (sums, percentiles, the t-digest past its exact limit)
 * comes out the same.
 */
import type { Report } from "../../lambda/report-line.js";
import type { ResponseFigures } from "../../lambda/runtime-done.js";
import type { ObservationSink } from "../observations.js";
import {
  BILLED,
  DURATION,
  ID_END,
  ID_START,
  INIT,
  MAX_MEMORY,
  MEMORY,
  TIME,
} from "./report-bytes.js";

/** One observation is this many numbers: kind, timestamp, and a common REPORT's five figures. */
const STRIDE = 7;
/** Kinds; `HAS_TIME` is added when the observation carries a timestamp. */
const COMMON_REPORT = 0;
const COMMON_COLD_REPORT = 1;
const OTHER_REPORT = 2;
const TIMEOUT = 3;
/** A platform.runtimeDone's figures (NaN where absent), its request id among the common REPORTs' ids. */
const RESPONSE = 4;
const HAS_TIME = 8;

/** The keys, in order, of the REPORT shape nearly every line has (report-line.ts's fast path). */
const COMMON_KEYS = [
  "requestId",
  "durationMs",
  "billedDurationMs",
  "memorySizeMb",
  "maxMemoryUsedMb",
] as const;
const COLD_KEY = "initDurationMs";
const LINE_FEED = 0x0a;

export interface RangeObservations {
  /** STRIDE numbers per observation. */
  readonly records: Float64Array;
  readonly count: number;
  /** The request ids of the common REPORTs, in order, joined by \n (a line holds none). */
  readonly requestIds: string;
  /** Every other REPORT as it was parsed, in order. */
  readonly otherReports: Report[];
  /** Lines read but not taken: unmarked ones and marked ones that were not Lambda's. */
  readonly skipped: number;
}

/** Collects one range's observations in a worker; `functionName` is the file's, the same for every line. */
export class RangeObservationEncoder implements ObservationSink {
  private records = new Float64Array(STRIDE * 4096);
  private count = 0;
  /** The common REPORTs' request ids, UTF-8, each after a \n but the first. */
  private requestIds = Buffer.allocUnsafe(64 * 1024);
  private requestIdBytes = 0;
  private requestIdCount = 0;
  private readonly otherReports: Report[] = [];
  private skippedLines = 0;

  report(_functionName: string, report: Report, timestampMs?: number): void {
    const at = this.slot();
    const shape = commonShape(report);
    if (shape === OTHER_REPORT) {
      this.otherReports.push(report);
    } else {
      this.appendId(report.requestId);
      this.records[at + 2] = report.durationMs;
      this.records[at + 3] = report.billedDurationMs;
      this.records[at + 4] = report.memorySizeMb;
      this.records[at + 5] = report.maxMemoryUsedMb;
      if (shape === COMMON_COLD_REPORT) this.records[at + 6] = report.initDurationMs!;
    }
    this.setKind(at, shape, timestampMs);
  }

  /**
   * A common REPORT as report-bytes.ts reads it from `line`: the same record
   * report() makes of parseReport's object for the line, without the object
   * or even the request id's string.
   */
  commonReport(line: Buffer, figures: Float64Array): void {
    const at = this.slot();
    const init = figures[INIT]!;
    this.appendIdBytes(line, figures[ID_START]!, figures[ID_END]!);
    this.records[at + 2] = figures[DURATION]!;
    this.records[at + 3] = figures[BILLED]!;
    this.records[at + 4] = figures[MEMORY]!;
    this.records[at + 5] = figures[MAX_MEMORY]!;
    const cold = !Number.isNaN(init);
    if (cold) this.records[at + 6] = init;
    const time = figures[TIME]!;
    this.setKind(
      at,
      cold ? COMMON_COLD_REPORT : COMMON_REPORT,
      Number.isNaN(time) ? undefined : time,
    );
  }

  timeout(_functionName: string, timestampMs?: number): void {
    this.setKind(this.slot(), TIMEOUT, timestampMs);
  }

  response(_functionName: string, figures: ResponseFigures, timestampMs?: number): void {
    const at = this.slot();
    this.appendId(figures.requestId);
    this.records[at + 2] = figures.responseLatencyMs ?? Number.NaN;
    this.records[at + 3] = figures.responseDurationMs ?? Number.NaN;
    this.records[at + 4] = figures.producedBytes ?? Number.NaN;
    this.setKind(at, RESPONSE, timestampMs);
  }

  skipped(count = 1): void {
    this.skippedLines += count;
  }

  /** Everything collected, ready for postMessage (copied: see log-range-worker.ts); the encoder starts over. */
  take(): RangeObservations {
    const taken: RangeObservations = {
      records: this.records.slice(0, this.count * STRIDE),
      count: this.count,
      requestIds: this.requestIds.toString("utf8", 0, this.requestIdBytes),
      otherReports: this.otherReports.splice(0),
      skipped: this.skippedLines,
    };
    this.count = 0;
    this.requestIdBytes = 0;
    this.requestIdCount = 0;
    this.skippedLines = 0;
    return taken;
  }

  private appendId(requestId: string): void {
    this.roomForId(Buffer.byteLength(requestId, "utf8"));
    this.requestIdBytes += this.requestIds.write(requestId, this.requestIdBytes, "utf8");
  }

  private appendIdBytes(line: Buffer, start: number, end: number): void {
    this.roomForId(end - start);
    const ids = this.requestIds;
    let at = this.requestIdBytes;
    for (let index = start; index < end; index++) ids[at++] = line[index]!;
    this.requestIdBytes = at;
  }

  /** Room for the next id of `bytes` bytes, its separator written. */
  private roomForId(bytes: number): void {
    const needed = this.requestIdBytes + bytes + 1;
    if (needed > this.requestIds.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.requestIds.length * 2));
      this.requestIds.copy(grown, 0, 0, this.requestIdBytes);
      this.requestIds = grown;
    }
    if (this.requestIdCount++ > 0) this.requestIds[this.requestIdBytes++] = LINE_FEED;
  }

  private slot(): number {
    const at = this.count * STRIDE;
    if (at + STRIDE > this.records.length) {
      const grown = new Float64Array(this.records.length * 2);
      grown.set(this.records);
      this.records = grown;
    }
    this.count++;
    return at;
  }

  private setKind(at: number, kind: number, timestampMs: number | undefined): void {
    this.records[at] = timestampMs === undefined ? kind : kind + HAS_TIME;
    this.records[at + 1] = timestampMs ?? 0;
  }
}

/** COMMON_REPORT or COMMON_COLD_REPORT when the report has exactly that shape, keys in that order; else OTHER_REPORT. */
function commonShape(report: Report): number {
  const keys = Object.keys(report);
  if (keys.length !== COMMON_KEYS.length && keys.length !== COMMON_KEYS.length + 1) {
    return OTHER_REPORT;
  }
  for (let index = 0; index < COMMON_KEYS.length; index++) {
    if (keys[index] !== COMMON_KEYS[index]) return OTHER_REPORT;
  }
  if (typeof report.requestId !== "string" || report.requestId.includes("\n")) return OTHER_REPORT;
  if (keys.length === COMMON_KEYS.length) return COMMON_REPORT;
  return keys[COMMON_KEYS.length] === COLD_KEY ? COMMON_COLD_REPORT : OTHER_REPORT;
}

/** Feed one range's observations to the sink, in the order its lines gave them. */
export function replayRange(
  observations: RangeObservations,
  functionName: string,
  sink: ObservationSink,
): void {
  const { records, count } = observations;
  const requestIds = count > 0 ? observations.requestIds.split("\n") : [];
  let nextId = 0;
  let nextOther = 0;
  for (let index = 0; index < count; index++) {
    const at = index * STRIDE;
    const tagged = records[at]!;
    const timestampMs = tagged >= HAS_TIME ? records[at + 1] : undefined;
    const kind = tagged >= HAS_TIME ? tagged - HAS_TIME : tagged;
    if (kind === TIMEOUT) {
      sink.timeout(functionName, timestampMs);
    } else if (kind === RESPONSE) {
      const figure = (value: number) => (Number.isNaN(value) ? {} : undefined);
      const latency = records[at + 2]!;
      const duration = records[at + 3]!;
      const bytes = records[at + 4]!;
      sink.response?.(
        functionName,
        {
          requestId: requestIds[nextId++]!,
          ...(figure(latency) ?? { responseLatencyMs: latency }),
          ...(figure(duration) ?? { responseDurationMs: duration }),
          ...(figure(bytes) ?? { producedBytes: bytes }),
        },
        timestampMs,
      );
    } else if (kind === OTHER_REPORT) {
      sink.report(functionName, observations.otherReports[nextOther++]!, timestampMs);
    } else {
      const report: Report =
        kind === COMMON_COLD_REPORT
          ? {
              requestId: requestIds[nextId++]!,
              durationMs: records[at + 2]!,
              billedDurationMs: records[at + 3]!,
              memorySizeMb: records[at + 4]!,
              maxMemoryUsedMb: records[at + 5]!,
              initDurationMs: records[at + 6]!,
            }
          : {
              requestId: requestIds[nextId++]!,
              durationMs: records[at + 2]!,
              billedDurationMs: records[at + 3]!,
              memorySizeMb: records[at + 4]!,
              maxMemoryUsedMb: records[at + 5]!,
            };
      sink.report(functionName, report, timestampMs);
    }
  }
  if (observations.skipped > 0) sink.skipped(observations.skipped);
}
