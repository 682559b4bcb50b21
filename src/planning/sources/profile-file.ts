/**
 * `plan --profile FILE`: a traffic profile the user wrote or exported, as CSV
 * with a header or as JSON lines (one object per line), told apart by the
 * first character that is not blank (`{` for JSON lines). Both hold the same
 * fields: `timestamp` (ISO 8601) and `invocations`, optionally `concurrency`
 * and `duration_ms`; CSV columns come in any order and others are ignored.
 *
 * One row per fixed step: the step is the difference between the first two
 * timestamps, and every later row must be exactly one step after the one
 * before (a step without invocations is a row of 0, not a missing row), so
 * the profile is what the user measured and never a guess between rows.
 *
 * Any mistake is a ProfileFileError naming the file, the line and what is
 * wrong, the first one found. The file is read once and split, so a 30-day
 * one-minute profile (43,200 rows) takes milliseconds.
 */
import { readFile } from "node:fs/promises";
import { UsageError } from "../../errors.js";
import type { ObservedTraffic } from "../traffic-profile.js";

/** A profile file that cannot be used; the message names the file, the line and what is wrong (exit 2). */
export class ProfileFileError extends UsageError {
  override readonly name: string = "ProfileFileError";
}

const REQUIRED = ["timestamp", "invocations"] as const;
const COLUMNS_EXPECTED =
  "expected timestamp and invocations (concurrency and duration_ms are optional)";
const WHOLE_EXPECTED = "expected a whole number ≥ 0";
const DURATION_EXPECTED = "expected a number of ms ≥ 0, or nothing for a step without invocations";
const TIMESTAMP_EXPECTED = "expected an ISO 8601 time such as 2026-03-01T00:00:00Z";
/**
 * ISO 8601 as profiles write it: a date, optionally a time (T or a space) and
 * an offset. A time without an offset is UTC: read as local time, the hours
 * of day that a scheduled provisioned concurrency follows would move with
 * the machine's time zone.
 */
const ISO_8601 =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** A plain decimal number: what Number() reads besides ("0x1f", " 7", "Infinity") is not a count. */
const DECIMAL = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** One row's fields as text, and the line it came from; undefined where the row lacks the field. */
interface RowFields {
  readonly line: number;
  readonly timestamp: string | undefined;
  readonly invocations: string | undefined;
  readonly concurrency: string | undefined;
  readonly durationMs: string | undefined;
}

export async function readProfileFile(file: string): Promise<ObservedTraffic> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ProfileFileError(`${file}: cannot read the profile (${readProblem(error)})`, {
      cause: error,
    });
  }
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.trim().length > 0);
  if (first < 0)
    throw new ProfileFileError(
      `${file}: the profile is empty: expected a CSV header (timestamp,invocations) or JSON lines, then a row per step`,
    );
  const jsonLines = lines[first]!.trimStart()
    .replace(/^\uFEFF/, "")
    .startsWith("{");
  const rows = jsonLines ? jsonRows(file, lines) : csvRows(file, lines, first);
  return profileOf(file, rows.rows, rows.hasConcurrency, rows.hasDuration);
}

interface Rows {
  readonly rows: RowFields[];
  readonly hasConcurrency: boolean;
  readonly hasDuration: boolean;
}

function csvRows(file: string, lines: readonly string[], headerIndex: number): Rows {
  const header = splitCsv(lines[headerIndex]!.replace(/^\uFEFF/, "")).map((name) =>
    name.toLowerCase(),
  );
  const headerLine = headerIndex + 1;
  for (const required of REQUIRED)
    if (!header.includes(required))
      throw new ProfileFileError(
        `${file} line ${headerLine}: no ${required} column in the header: ${COLUMNS_EXPECTED}`,
      );
  const at = (name: string) => header.indexOf(name);
  const timestampAt = at("timestamp");
  const invocationsAt = at("invocations");
  const concurrencyAt = at("concurrency");
  const durationAt = at("duration_ms");
  const rows: RowFields[] = [];
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim().length === 0) continue;
    const cells = splitCsv(line);
    rows.push({
      line: index + 1,
      timestamp: cells[timestampAt],
      invocations: cells[invocationsAt],
      concurrency: concurrencyAt < 0 ? undefined : (cells[concurrencyAt] ?? ""),
      durationMs: durationAt < 0 ? undefined : (cells[durationAt] ?? ""),
    });
  }
  if (rows.length === 0)
    throw new ProfileFileError(
      `${file} line ${headerLine}: a header and no rows: expected a row per step after it`,
    );
  return { rows, hasConcurrency: concurrencyAt >= 0, hasDuration: durationAt >= 0 };
}

/** A CSV line's cells, trimmed, with the quotes of a quoted cell taken off (profiles hold no commas in a cell). */
function splitCsv(line: string): string[] {
  const cells = line.split(",");
  for (let index = 0; index < cells.length; index++) {
    let cell = cells[index]!.trim();
    if (cell.length >= 2 && cell.startsWith('"') && cell.endsWith('"')) cell = cell.slice(1, -1);
    cells[index] = cell;
  }
  return cells;
}

/**
 * JSON lines: the first object decides whether the profile has a concurrency
 * (then every line gives it) and durations (a line without one is a step
 * without a duration, as an empty CSV cell is).
 */
function jsonRows(file: string, lines: readonly string[]): Rows {
  const rows: RowFields[] = [];
  let hasConcurrency = false;
  let hasDuration = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim().length === 0) continue;
    const lineNumber = index + 1;
    let record: unknown;
    try {
      record = JSON.parse(index === 0 ? line.replace(/^\uFEFF/, "") : line);
    } catch {
      record = undefined;
    }
    if (typeof record !== "object" || record === null || Array.isArray(record))
      throw new ProfileFileError(
        `${file} line ${lineNumber}: not a JSON object: expected one object per line, such as {"timestamp":"2026-03-01T00:00:00Z","invocations":12}`,
      );
    const fields = record as Record<string, unknown>;
    const text = (name: string) => fieldText(fields[name]);
    if (rows.length === 0) {
      hasConcurrency = fields.concurrency !== undefined;
      hasDuration = fields.duration_ms !== undefined;
    }
    for (const required of REQUIRED)
      if (fields[required] === undefined || fields[required] === null)
        throw new ProfileFileError(
          `${file} line ${lineNumber}: no ${required}: ${COLUMNS_EXPECTED}`,
        );
    if (hasConcurrency && (fields.concurrency === undefined || fields.concurrency === null))
      throw new ProfileFileError(
        `${file} line ${lineNumber}: no concurrency: the first line gives one, so every line must`,
      );
    rows.push({
      line: lineNumber,
      timestamp: text("timestamp"),
      invocations: text("invocations"),
      concurrency: hasConcurrency ? text("concurrency") : undefined,
      durationMs: hasDuration ? (text("duration_ms") ?? "") : undefined,
    });
  }
  return { rows, hasConcurrency, hasDuration };
}

/** A JSON value as the CSV cell that would hold it; anything that is no string or number stays as JSON, to be refused and quoted. */
function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

function profileOf(
  file: string,
  rows: readonly RowFields[],
  hasConcurrency: boolean,
  hasDuration: boolean,
): ObservedTraffic {
  const count = rows.length;
  const invocations = new Array<number>(count);
  const concurrency = hasConcurrency ? new Array<number>(count) : undefined;
  const durationMs = hasDuration ? new Array<number>(count) : undefined;
  let startMs = 0;
  let stepMs = 0;
  let previousMs = 0;
  let weightedDuration = 0;
  let weight = 0;
  for (let index = 0; index < count; index++) {
    const row = rows[index]!;
    const at = `${file} line ${row.line}`;
    const timeMs = timestampOf(at, row.timestamp);
    if (index === 0) startMs = timeMs;
    else {
      const previous = rows[index - 1]!;
      if (timeMs <= previousMs)
        throw new ProfileFileError(
          `${at}: timestamp ${JSON.stringify(row.timestamp)} is not after line ${previous.line}'s ${JSON.stringify(previous.timestamp)}: expected rows in time order`,
        );
      const gapMs = timeMs - previousMs;
      if (index === 1) {
        if (gapMs % 1000 !== 0)
          throw new ProfileFileError(
            `${at}: a step of ${gapMs / 1000} s after line ${previous.line}: expected a step of whole seconds`,
          );
        stepMs = gapMs;
      } else if (gapMs !== stepMs)
        throw new ProfileFileError(
          `${at}: a step of ${gapMs / 1000} s after line ${previous.line}, expected ${stepMs / 1000} s as between the first two rows: every row is one step after the last (a step without invocations is a row of 0)`,
        );
    }
    previousMs = timeMs;
    invocations[index] = wholeNumber(at, "invocations", row.invocations);
    if (concurrency) concurrency[index] = wholeNumber(at, "concurrency", row.concurrency);
    if (durationMs) {
      const duration = durationOf(at, row.durationMs);
      durationMs[index] = duration;
      if (!Number.isNaN(duration)) {
        weightedDuration += duration * invocations[index]!;
        weight += invocations[index]!;
      }
    }
  }
  if (count < 2)
    throw new ProfileFileError(
      `${file} line ${rows[0]!.line}: one row, and the step is read from the timestamps: expected a row per step, at least two`,
    );
  return {
    profile: {
      source: "profile-file",
      origin: file,
      startMs,
      stepSeconds: stepMs / 1000,
      invocations,
      ...(concurrency ? { concurrency } : {}),
      ...(durationMs ? { durationMs } : {}),
    },
    observed: weight > 0 ? { meanDurationMs: weightedDuration / weight } : {},
  };
}

function timestampOf(at: string, cell: string | undefined): number {
  const match = cell === undefined ? null : ISO_8601.exec(cell);
  let timeMs = Number.NaN;
  if (match) {
    const [, date, time, offset] = match;
    timeMs =
      time === undefined
        ? Date.parse(`${date}T00:00:00Z`)
        : Date.parse(`${date}T${time.replace(",", ".")}${zone(offset)}`);
    if (!dayExists(date!)) timeMs = Number.NaN;
  }
  if (Number.isNaN(timeMs))
    throw new ProfileFileError(
      `${at}: timestamp ${JSON.stringify(cell ?? "")} is not valid: ${TIMESTAMP_EXPECTED}`,
    );
  return timeMs;
}

/** An offset as Date.parse reads it: none is UTC, and an hours-only one (+01) gets its minutes. */
function zone(offset: string | undefined): string {
  if (offset === undefined) return "Z";
  return offset.length === 3 ? `${offset}:00` : offset;
}

/** Date.parse takes 2026-02-30 for 2 March; a day past its month's end is a typo, not a date. */
function dayExists(date: string): boolean {
  const day = Number(date.slice(8, 10));
  if (day <= 28) return true;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function wholeNumber(at: string, column: string, cell: string | undefined): number {
  const value = cell !== undefined && DECIMAL.test(cell) ? Number(cell) : Number.NaN;
  if (!Number.isSafeInteger(value))
    throw new ProfileFileError(
      `${at}: ${column} ${JSON.stringify(cell ?? "")} is not valid: ${WHOLE_EXPECTED}`,
    );
  return value;
}

/** A step's mean duration; NaN for an empty cell (a step with nothing to measure). */
function durationOf(at: string, cell: string | undefined): number {
  if (cell === undefined || cell === "") return Number.NaN;
  const value = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
  if (!Number.isFinite(value))
    throw new ProfileFileError(
      `${at}: duration_ms ${JSON.stringify(cell)} is not valid: ${DURATION_EXPECTED}`,
    );
  return value;
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return error instanceof Error ? error.message : String(error);
}
