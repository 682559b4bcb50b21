/**
 * The common REPORT line read straight from the bytes it arrived in: no
 * decoding to a string, no regular expression, no Date.parse per line. Only
 * the one shape nearly every line has is taken —
 *
 *   [`YYYY-MM-DDTHH:MM:SS.mmmZ `]`REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB`[`\tInit Duration: 1.23 ms`][`\t`]
 *
 * byte for byte, the id printable ASCII; anything else (the JSON format,
 * other spacing, Status, Error Type, XRAY, Restore Duration, another
 * timestamp form, a byte outside ASCII, a figure outside Lambda's limits) is
 * left to the string path
 * (readLogLine → parseReport), which reads it as before. What is taken reads
 * exactly as readLogLine reads it: the same figures (Number()'s doubles) and
 * the same timestamp (Date.parse's).
 */
import { commonFiguresWithinLimits, type Report } from "../../lambda/report-line.js";

/**
 * Where readCommonReport writes: durationMs, billedDurationMs, memorySizeMb,
 * maxMemoryUsedMb, initDurationMs and timestampMs (NaN when absent), and
 * where the request id's bytes start and end in the line's buffer.
 */
export const DURATION = 0;
export const BILLED = 1;
export const MEMORY = 2;
export const MAX_MEMORY = 3;
export const INIT = 4;
export const TIME = 5;
export const ID_START = 6;
export const ID_END = 7;
export const FIGURES = 8;

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

const PREFIX = bytes("REPORT RequestId: ");
const DURATION_LABEL = bytes("\tDuration: ");
const BILLED_LABEL = bytes(" ms\tBilled Duration: ");
const MEMORY_LABEL = bytes(" ms\tMemory Size: ");
const MAX_MEMORY_LABEL = bytes(" MB\tMax Memory Used: ");
const MB_UNIT = bytes(" MB");
const INIT_LABEL = bytes("\tInit Duration: ");
const MS_UNIT = bytes(" ms");

const TAB = 0x09;
const SPACE = 0x20;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** `YYYY-MM-DDTHH:MM:SS.mmmZ` and the space after it. */
const TIMESTAMP_BYTES = 25;

/** 10^k, exact as doubles up to k = 22. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
/**
 * A decimal of at most this many digits is below 2^53, so its integer is
 * exact; divided by an exact 10^k the quotient is the correctly rounded
 * value of the decimal, which is what Number() returns (Clinger's fast path).
 */
const EXACT_DIGITS = 15;

/** The end of the number read by the last readNumber call. */
let numberEnd = 0;

/**
 * True when `line[start, end)` (no line break) is the common REPORT line,
 * its figures and the place of its request id (printable ASCII) written to
 * `out`; false, `out` untouched or partly written, when it is anything else.
 */
export function readCommonReport(
  line: Buffer,
  start: number,
  end: number,
  out: Float64Array,
): boolean {
  let at = start;
  let timestampMs = Number.NaN;
  if (line[at] !== 0x52 /* R */) {
    if (end - at < TIMESTAMP_BYTES || line[at + TIMESTAMP_BYTES - 1] !== SPACE) return false;
    timestampMs = readTimestamp(line, at);
    if (Number.isNaN(timestampMs)) return false;
    at += TIMESTAMP_BYTES;
  }
  if (!matches(line, at, end, PREFIX)) return false;
  at += PREFIX.length;
  const idStart = at;
  while (at < end) {
    const byte = line[at]!;
    if (byte <= SPACE || byte >= 0x7f) break;
    at++;
  }
  if (at === idStart || !matches(line, at, end, DURATION_LABEL)) return false;
  const idEnd = at;
  at += DURATION_LABEL.length;

  const duration = readNumber(line, at, end, true);
  if (Number.isNaN(duration) || !matches(line, numberEnd, end, BILLED_LABEL)) return false;
  at = numberEnd + BILLED_LABEL.length;
  const billed = readNumber(line, at, end, false);
  if (Number.isNaN(billed) || !matches(line, numberEnd, end, MEMORY_LABEL)) return false;
  at = numberEnd + MEMORY_LABEL.length;
  const memory = readNumber(line, at, end, false);
  if (Number.isNaN(memory) || !matches(line, numberEnd, end, MAX_MEMORY_LABEL)) return false;
  at = numberEnd + MAX_MEMORY_LABEL.length;
  const maxMemory = readNumber(line, at, end, false);
  if (Number.isNaN(maxMemory) || !matches(line, numberEnd, end, MB_UNIT)) return false;
  at = numberEnd + MB_UNIT.length;

  let init = Number.NaN;
  if (end - at > 1) {
    if (!matches(line, at, end, INIT_LABEL)) return false;
    at += INIT_LABEL.length;
    init = readNumber(line, at, end, true);
    if (Number.isNaN(init) || !matches(line, numberEnd, end, MS_UNIT)) return false;
    at = numberEnd + MS_UNIT.length;
  }
  // At most one tab after the last field: the string path trims the rest, but only a tab is taken here.
  if (at !== end && !(at + 1 === end && line[at] === TAB)) return false;
  // Figures outside Lambda's limits: the string path refuses the line, with its reason.
  if (!commonFiguresWithinLimits(duration, billed, memory, maxMemory, init)) return false;

  out[DURATION] = duration;
  out[BILLED] = billed;
  out[MEMORY] = memory;
  out[MAX_MEMORY] = maxMemory;
  out[INIT] = init;
  out[TIME] = timestampMs;
  out[ID_START] = idStart;
  out[ID_END] = idEnd;
  return true;
}

function matches(line: Buffer, at: number, end: number, expected: Uint8Array): boolean {
  if (end - at < expected.length) return false;
  for (let index = 0; index < expected.length; index++) {
    if (line[at + index] !== expected[index]) return false;
  }
  return true;
}

/**
 * `\d+` or, with `decimal`, `\d+(?:\.\d+)?` at `at`, as Number() reads it;
 * NaN when there is none. Sets numberEnd.
 */
function readNumber(line: Buffer, at: number, end: number, decimal: boolean): number {
  const first = at;
  let value = 0;
  while (at < end) {
    const byte = line[at]!;
    if (byte < ZERO || byte > NINE) break;
    value = value * 10 + (byte - ZERO);
    at++;
  }
  const integerDigits = at - first;
  if (integerDigits === 0) return Number.NaN;
  let fractionDigits = 0;
  if (decimal && at + 1 < end && line[at] === DOT) {
    const fractionStart = at + 1;
    let fractionAt = fractionStart;
    while (fractionAt < end) {
      const byte = line[fractionAt]!;
      if (byte < ZERO || byte > NINE) break;
      value = value * 10 + (byte - ZERO);
      fractionAt++;
    }
    fractionDigits = fractionAt - fractionStart;
    // A dot with no digit after it is no part of the number; the label check then fails.
    if (fractionDigits > 0) at = fractionAt;
  }
  numberEnd = at;
  if (integerDigits + fractionDigits > EXACT_DIGITS) return Number(latin1(line, first, at));
  return fractionDigits === 0 ? value : value / POWERS_OF_TEN[fractionDigits]!;
}

let cachedDayKey = -1;
let cachedDayMs = Number.NaN;

/**
 * `YYYY-MM-DDTHH:MM:SS.mmmZ` at `at`, as Date.parse reads it; NaN when the
 * bytes are not exactly that, with every field in range.
 */
function readTimestamp(line: Buffer, at: number): number {
  const year = digits(line, at, 4);
  const month = digits(line, at + 5, 2);
  const day = digits(line, at + 8, 2);
  const hour = digits(line, at + 11, 2);
  const minute = digits(line, at + 14, 2);
  const second = digits(line, at + 17, 2);
  const milli = digits(line, at + 20, 3);
  if (
    line[at + 4] !== 0x2d /* - */ ||
    line[at + 7] !== 0x2d ||
    line[at + 10] !== 0x54 /* T */ ||
    line[at + 13] !== 0x3a /* : */ ||
    line[at + 16] !== 0x3a ||
    line[at + 19] !== DOT ||
    line[at + 23] !== 0x5a /* Z */ ||
    // digits() gives -1 for a non-digit, so these also reject those.
    year < 0 ||
    milli < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return Number.NaN;
  }
  const dayKey = year * 10000 + month * 100 + day;
  if (dayKey !== cachedDayKey) {
    // Date.parse itself for the day, once per day seen; the time of day is exact integer arithmetic.
    cachedDayMs = Date.parse(`${latin1(line, at, at + 10)}T00:00:00.000Z`);
    cachedDayKey = dayKey;
  }
  if (Number.isNaN(cachedDayMs)) return Number.NaN;
  return cachedDayMs + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}

function digits(line: Buffer, at: number, count: number): number {
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const byte = line[index]!;
    if (byte < ZERO || byte > NINE) return -1;
    value = value * 10 + (byte - ZERO);
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function latin1(line: Buffer, start: number, end: number): string {
  return line.toString("latin1", start, end);
}

/** The report (in parseReport's key order) and timestamp readLogLine would give the line, or undefined to leave it to readLogLine. */
export function parseCommonReportLine(
  line: Buffer,
  start = 0,
  end = line.length,
): { report: Report; timestampMs: number | undefined } | undefined {
  const figures = new Float64Array(FIGURES);
  if (!readCommonReport(line, start, end, figures)) return undefined;
  return { report: commonReport(line, figures), timestampMs: timeOf(figures) };
}

/** A Report with parseReport's keys, in its order, from what readCommonReport read in `line`. */
export function commonReport(line: Buffer, figures: Float64Array): Report {
  const requestId = latin1(line, figures[ID_START]!, figures[ID_END]!);
  const init = figures[INIT]!;
  return Number.isNaN(init)
    ? {
        requestId,
        durationMs: figures[DURATION]!,
        billedDurationMs: figures[BILLED]!,
        memorySizeMb: figures[MEMORY]!,
        maxMemoryUsedMb: figures[MAX_MEMORY]!,
      }
    : {
        requestId,
        durationMs: figures[DURATION]!,
        billedDurationMs: figures[BILLED]!,
        memorySizeMb: figures[MEMORY]!,
        maxMemoryUsedMb: figures[MAX_MEMORY]!,
        initDurationMs: init,
      };
}

export function timeOf(figures: Float64Array): number | undefined {
  const time = figures[TIME]!;
  return Number.isNaN(time) ? undefined : time;
}
