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
 * wrong, the first one found. The file is read once, split into lines, and
 * each row checked as it is read, with no object or cell array per row: a
 * 30-day one-minute profile (43,200 rows) takes about twice as long as
 * splitting it and parsing its dates would alone.
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
  lines[first] = lines[first]!.replace(/^\uFEFF/, "");
  return lines[first]!.trimStart().startsWith("{")
    ? readJsonLines(file, lines, first)
    : readCsv(file, lines, first);
}

function readCsv(file: string, lines: readonly string[], headerIndex: number): ObservedTraffic {
  const header = lines[headerIndex]!.split(",").map((name) => unquoted(name).toLowerCase());
  const headerLine = headerIndex + 1;
  for (const required of REQUIRED)
    if (!header.includes(required))
      throw new ProfileFileError(
        `${file} line ${headerLine}: no ${required} column in the header: ${COLUMNS_EXPECTED}`,
      );
  const columns = {
    timestamp: header.indexOf("timestamp"),
    invocations: header.indexOf("invocations"),
    concurrency: header.indexOf("concurrency"),
    durationMs: header.indexOf("duration_ms"),
  };
  const lastColumn = Math.max(...Object.values(columns));
  const builder = new ProfileBuilder(file, columns.concurrency >= 0, columns.durationMs >= 0);
  const cells = new Array<string | undefined>(lastColumn + 1);
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (isBlank(line)) continue;
    // Only the cells the profile reads, found comma by comma: no array of every cell per row.
    let from = 0;
    for (let column = 0; column <= lastColumn; column++) {
      if (from > line.length) {
        cells[column] = undefined;
        continue;
      }
      const comma = line.indexOf(",", from);
      const to = comma < 0 ? line.length : comma;
      cells[column] = line.slice(from, to);
      from = to + 1;
    }
    builder.add(
      index + 1,
      cellAt(cells, columns.timestamp),
      cellAt(cells, columns.invocations),
      columns.concurrency >= 0 ? cellAt(cells, columns.concurrency) : undefined,
      columns.durationMs >= 0 ? cellAt(cells, columns.durationMs) : undefined,
    );
  }
  if (builder.count === 0)
    throw new ProfileFileError(
      `${file} line ${headerLine}: a header and no rows: expected a row per step after it`,
    );
  return builder.finish();
}

function cellAt(cells: readonly (string | undefined)[], column: number): string {
  const value = cells[column];
  return value === undefined ? "" : unquoted(value);
}

/** A cell trimmed, with the quotes of a quoted cell taken off (profiles hold no commas in a cell). */
function unquoted(cell: string): string {
  let value = cell;
  // Trim only when needed: most cells have no space around them.
  if (value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32))
    value = value.trim();
  if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34)
    value = value.slice(1, -1);
  return value;
}

function isBlank(line: string): boolean {
  for (let index = 0; index < line.length; index++) if (line.charCodeAt(index) > 32) return false;
  return true;
}

/**
 * JSON lines: the first object decides whether the profile has a concurrency
 * (then every line gives it) and durations (a line without one is a step
 * without a duration, as an empty CSV cell is).
 */
function readJsonLines(file: string, lines: readonly string[], first: number): ObservedTraffic {
  let builder: ProfileBuilder | undefined;
  for (let index = first; index < lines.length; index++) {
    const line = lines[index]!;
    if (isBlank(line)) continue;
    const lineNumber = index + 1;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      record = undefined;
    }
    if (typeof record !== "object" || record === null || Array.isArray(record))
      throw new ProfileFileError(
        `${file} line ${lineNumber}: not a JSON object: expected one object per line, such as {"timestamp":"2026-03-01T00:00:00Z","invocations":12}`,
      );
    const fields = record as Record<string, unknown>;
    builder ??= new ProfileBuilder(
      file,
      fields.concurrency !== undefined,
      fields.duration_ms !== undefined,
    );
    for (const required of REQUIRED)
      if (fields[required] === undefined || fields[required] === null)
        throw new ProfileFileError(
          `${file} line ${lineNumber}: no ${required}: ${COLUMNS_EXPECTED}`,
        );
    if (builder.hasConcurrency && (fields.concurrency === undefined || fields.concurrency === null))
      throw new ProfileFileError(
        `${file} line ${lineNumber}: no concurrency: the first line gives one, so every line must`,
      );
    builder.add(
      lineNumber,
      fieldText(fields.timestamp),
      fieldText(fields.invocations),
      builder.hasConcurrency ? fieldText(fields.concurrency) : undefined,
      builder.hasDuration ? fieldText(fields.duration_ms) : undefined,
    );
  }
  return builder!.finish();
}

/** A JSON value as the CSV cell that would hold it; anything that is no string or number stays as JSON, to be refused and quoted. */
function fieldText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** The profile's columns, a row at a time, each row checked as it comes (its time, its step, its counts). */
class ProfileBuilder {
  readonly invocations: number[] = [];
  readonly concurrency: number[] | undefined;
  readonly durationMs: number[] | undefined;
  private startMs = 0;
  private stepMs = 0;
  private previousMs = 0;
  private previousLine = 0;
  private previousTimestamp = "";
  private weightedDuration = 0;
  private weight = 0;

  constructor(
    private readonly file: string,
    readonly hasConcurrency: boolean,
    readonly hasDuration: boolean,
  ) {
    this.concurrency = hasConcurrency ? [] : undefined;
    this.durationMs = hasDuration ? [] : undefined;
  }

  get count(): number {
    return this.invocations.length;
  }

  add(
    line: number,
    timestamp: string,
    invocations: string,
    concurrency: string | undefined,
    durationMs: string | undefined,
  ): void {
    const timeMs = timestampOf(timestamp);
    if (Number.isNaN(timeMs))
      this.fail(line, `timestamp ${JSON.stringify(timestamp)} is not valid: ${TIMESTAMP_EXPECTED}`);
    const index = this.count;
    if (index === 0) this.startMs = timeMs;
    else {
      if (timeMs <= this.previousMs)
        this.fail(
          line,
          `timestamp ${JSON.stringify(timestamp)} is not after line ${this.previousLine}'s ${JSON.stringify(this.previousTimestamp)}: expected rows in time order`,
        );
      const gapMs = timeMs - this.previousMs;
      if (index === 1) {
        if (gapMs % 1000 !== 0)
          this.fail(
            line,
            `a step of ${gapMs / 1000} s after line ${this.previousLine}: expected a step of whole seconds`,
          );
        this.stepMs = gapMs;
      } else if (gapMs !== this.stepMs)
        this.fail(
          line,
          `a step of ${gapMs / 1000} s after line ${this.previousLine}, expected ${this.stepMs / 1000} s as between the first two rows: every row is one step after the last (a step without invocations is a row of 0)`,
        );
    }
    this.previousMs = timeMs;
    this.previousLine = line;
    this.previousTimestamp = timestamp;
    const count = this.wholeNumber(line, "invocations", invocations);
    this.invocations.push(count);
    if (this.concurrency)
      this.concurrency.push(this.wholeNumber(line, "concurrency", concurrency ?? ""));
    if (this.durationMs) {
      const duration = this.duration(line, durationMs ?? "");
      this.durationMs.push(duration);
      if (!Number.isNaN(duration)) {
        this.weightedDuration += duration * count;
        this.weight += count;
      }
    }
  }

  finish(): ObservedTraffic {
    if (this.count < 2)
      this.fail(
        this.previousLine,
        "one row, and the step is read from the timestamps: expected a row per step, at least two",
      );
    return {
      profile: {
        source: "profile-file",
        origin: this.file,
        startMs: this.startMs,
        stepSeconds: this.stepMs / 1000,
        invocations: this.invocations,
        ...(this.concurrency ? { concurrency: this.concurrency } : {}),
        ...(this.durationMs ? { durationMs: this.durationMs } : {}),
      },
      observed: this.weight > 0 ? { meanDurationMs: this.weightedDuration / this.weight } : {},
    };
  }

  private wholeNumber(line: number, column: string, cell: string): number {
    const value = digitsValue(cell) ?? (DECIMAL.test(cell) ? Number(cell) : Number.NaN);
    if (!Number.isSafeInteger(value))
      this.fail(line, `${column} ${JSON.stringify(cell)} is not valid: ${WHOLE_EXPECTED}`);
    return value;
  }

  /** A step's mean duration; NaN for an empty cell (a step with nothing to measure). */
  private duration(line: number, cell: string): number {
    if (cell === "") return Number.NaN;
    const value = DECIMAL.test(cell) ? Number(cell) : Number.NaN;
    if (!Number.isFinite(value))
      this.fail(line, `duration_ms ${JSON.stringify(cell)} is not valid: ${DURATION_EXPECTED}`);
    return value;
  }

  private fail(line: number, problem: string): never {
    throw new ProfileFileError(`${this.file} line ${line}: ${problem}`);
  }
}

/** The value of a cell of digits only (the usual count), read without a regex; undefined for any other cell. */
function digitsValue(cell: string): number | undefined {
  if (cell.length === 0 || cell.length > 15) return undefined;
  let value = 0;
  for (let index = 0; index < cell.length; index++) {
    const code = cell.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
    value = value * 10 + (code - 48);
  }
  return value;
}

/** Milliseconds since the epoch, or NaN for anything that is not an ISO 8601 time that exists. */
function timestampOf(cell: string): number {
  // The usual shape (toISOString's, 2026-03-01T00:00:00Z or .000Z) goes straight to
  // Date.parse, which reads it exactly; anything else is checked against ISO_8601 first.
  const timeMs = isPlainUtc(cell) ? Date.parse(cell) : parsedIso(cell);
  return Number.isNaN(timeMs) || !dayExists(cell) ? Number.NaN : timeMs;
}

const DIGITS_AT_PLAIN_UTC = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/** `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ`, checked character by character. */
function isPlainUtc(cell: string): boolean {
  if (cell.length !== 20 && cell.length !== 24) return false;
  if (cell[4] !== "-" || cell[7] !== "-" || cell[10] !== "T" || cell[13] !== ":") return false;
  if (cell[16] !== ":" || cell[cell.length - 1] !== "Z") return false;
  for (const at of DIGITS_AT_PLAIN_UTC) if (!isDigit(cell.charCodeAt(at))) return false;
  if (cell.length === 24)
    return (
      cell[19] === "." &&
      isDigit(cell.charCodeAt(20)) &&
      isDigit(cell.charCodeAt(21)) &&
      isDigit(cell.charCodeAt(22))
    );
  return true;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function parsedIso(cell: string): number {
  const match = ISO_8601.exec(cell);
  if (!match) return Number.NaN;
  const [, date, time, offset] = match;
  return time === undefined
    ? Date.parse(`${date}T00:00:00Z`)
    : Date.parse(`${date}T${time.replace(",", ".")}${zone(offset)}`);
}

/** An offset as Date.parse reads it: none is UTC, and an hours-only one (+01) gets its minutes. */
function zone(offset: string | undefined): string {
  if (offset === undefined) return "Z";
  return offset.length === 3 ? `${offset}:00` : offset;
}

/** Date.parse takes 2026-02-30 for 2 March; a day past its month's end is a typo, not a date. */
function dayExists(date: string): boolean {
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  if (day <= 28) return true;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a folder";
  return error instanceof Error ? error.message : String(error);
}
