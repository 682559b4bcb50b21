/**
 * One log line (or one log event's message) in any shape this tool reads,
 * recognised and fed to the sink. Lambda's own lines come wrapped in whatever
 * the tool that saved them added in front:
 *
 * - nothing: the message itself (`REPORT RequestId: ...`, a `platform.report`
 *   JSON record, the emulator's log files, a filter-log-events message);
 * - a timestamp: CloudWatch Logs exports (`2026-11-28T10:00:00.123Z REPORT ...`)
 *   and `aws logs tail --format short`;
 * - a timestamp and the log stream: `aws logs tail` (`2026-11-28T10:00:00.123000+00:00
 *   2026/11/28/[$LATEST]abc123 REPORT ...`).
 *
 * Anything longer in front is a function's own output that happens to quote
 * Lambda (`<time> <requestId> INFO REPORT RequestId: ...`) and is skipped.
 */
import { parseReport } from "../../lambda/report-line.js";
import { parseRuntimeDone } from "../../lambda/runtime-done.js";
import type { ObservationSink } from "../observations.js";
import type { AnchoredMarker } from "./marked-line-scanner.js";

const REPORT_MARKER = "REPORT RequestId:";
const TIMEOUT_MARKER = "Task timed out after ";
const JSON_REPORT_MARKER = '"platform.report"';
const RUNTIME_DONE_MARKER = '"platform.runtimeDone"';

/**
 * Every line readLogLine recognises contains one of these, so a reader may
 * search raw bytes for them and skip every other line without decoding it.
 */
export const LINE_MARKERS: readonly string[] = [
  REPORT_MARKER,
  TIMEOUT_MARKER,
  JSON_REPORT_MARKER,
  RUNTIME_DONE_MARKER,
];

/**
 * LINE_MARKERS as MarkedLineScanner searches them: each through a short part
 * whose first byte is rare in Lambda logs ('P' but not the 'R' of every
 * "RequestId", 'k' but not the 'T' of every timestamp, 'p' but not the '"'
 * of every JSON line). What is found is the same; only the speed differs.
 */
export const SCAN_MARKERS: readonly AnchoredMarker[] = [
  { text: REPORT_MARKER, anchor: "PORT R" },
  { text: TIMEOUT_MARKER, anchor: "k tim" },
  { text: JSON_REPORT_MARKER, anchor: "platf" },
  // 'D', not the 'p' the report's anchor already searches for.
  { text: RUNTIME_DONE_MARKER, anchor: 'Done"' },
];

export type LineKind = "report" | "response" | "timeout" | "skipped" | "blank";

const TIMEOUT_MESSAGE = /^Task timed out after \d+(?:\.\d+)? seconds\s*$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]?/;
const REQUEST_ID = /^[0-9a-fA-F][0-9a-fA-F-]{7,}$/;
const NOT_SPACE = /\S/;

/**
 * Recognise one line and feed the sink exactly once for it: a report, a
 * timeout or a skipped line. Blank lines are no log events and feed nothing.
 */
export function readLogLine(
  line: string,
  functionName: string,
  sink: ObservationSink,
  /** The event's time when the caller knows it (a filter-log-events event); else read from the line. */
  timestampMs?: number,
): LineKind {
  if (!NOT_SPACE.test(line)) return "blank";
  const kind = recognise(line, functionName, sink, timestampMs);
  if (kind === "skipped") sink.skipped(1);
  return kind;
}

function recognise(
  line: string,
  functionName: string,
  sink: ObservationSink,
  timestampMs: number | undefined,
): LineKind {
  const reportAt = line.indexOf(REPORT_MARKER);
  if (reportAt >= 0 && isWrapper(line.slice(0, reportAt))) {
    const parsed = parseReport(line.slice(reportAt));
    if (parsed.ok) {
      sink.report(functionName, parsed.report, timestampMs ?? leadingTimestamp(line, reportAt));
      return "report";
    }
  }
  const braceAt = line.indexOf("{");
  if (braceAt >= 0 && isWrapper(line.slice(0, braceAt))) {
    const json = line.slice(braceAt);
    if (json.includes(JSON_REPORT_MARKER)) {
      const parsed = parseReport(json);
      if (parsed.ok) {
        sink.report(
          functionName,
          parsed.report,
          timestampMs ?? leadingTimestamp(line, braceAt) ?? recordTime(json),
        );
        return "report";
      }
    } else if (json.includes(RUNTIME_DONE_MARKER)) {
      const figures = parseRuntimeDone(json);
      if (figures) {
        sink.response?.(
          functionName,
          figures,
          timestampMs ?? leadingTimestamp(line, braceAt) ?? recordTime(json),
        );
        return "response";
      }
    } else if (json.includes(TIMEOUT_MARKER) && isJsonTimeout(json)) {
      sink.timeout(
        functionName,
        timestampMs ?? leadingTimestamp(line, braceAt) ?? recordTime(json),
      );
      return "timeout";
    }
  }
  const timeoutAt = line.indexOf(TIMEOUT_MARKER);
  if (timeoutAt >= 0 && isTextTimeout(line, timeoutAt)) {
    sink.timeout(functionName, timestampMs ?? leadingTimestamp(line, timeoutAt));
    return "timeout";
  }
  return "skipped";
}

/** The time of the first token before a message (an export's or `aws logs tail`'s timestamp), if any. */
function leadingTimestamp(line: string, messageAt: number): number | undefined {
  if (messageAt === 0) return undefined;
  const space = line.indexOf(" ");
  const token =
    space > 0 && space < messageAt ? line.slice(0, space) : line.slice(0, messageAt).trim();
  if (!TIMESTAMP.test(token)) return undefined;
  const time = Date.parse(token);
  return Number.isNaN(time) ? undefined : time;
}

/** The `time` of a JSON log record (`{"time":"2026-11-28T10:00:00.000Z",...}`). */
function recordTime(json: string): number | undefined {
  const match = /"time"\s*:\s*"([^"]+)"/.exec(json);
  if (!match) return undefined;
  const time = Date.parse(match[1]!);
  return Number.isNaN(time) ? undefined : time;
}

/** What may stand before a message: nothing, a timestamp, or a timestamp and a log stream. */
function isWrapper(prefix: string): boolean {
  if (prefix.length === 0) return true;
  // The usual case, an export's `<timestamp> `, without splitting: this runs once per REPORT.
  const space = prefix.indexOf(" ");
  if (space === prefix.length - 1) return TIMESTAMP.test(prefix);
  if (!/\s$/.test(prefix)) return false;
  return isWrapperTokens(prefix.trim().split(/\s+/));
}

function isWrapperTokens(tokens: readonly string[]): boolean {
  if (tokens.length === 0 || (tokens.length === 1 && tokens[0] === "")) return true;
  return tokens.length <= 2 && TIMESTAMP.test(tokens[0] ?? "");
}

/** Lambda's text timeout line is `<timestamp> <requestId> Task timed out after 3.00 seconds`. */
function isTextTimeout(line: string, timeoutAt: number): boolean {
  if (!TIMEOUT_MESSAGE.test(line.slice(timeoutAt))) return false;
  const prefix = line.slice(0, timeoutAt);
  if (!/\s$/.test(prefix)) return false;
  const tokens = prefix.trim().split(/\s+/);
  const requestId = tokens.pop() ?? "";
  const timestamp = tokens.pop() ?? "";
  // A log level in the request id's place means a function printed the words itself.
  return REQUEST_ID.test(requestId) && TIMESTAMP.test(timestamp) && isWrapperTokens(tokens);
}

/** The JSON log format's timeout record: `{"level":"ERROR","requestId":...,"message":"Task timed out after 3.00 seconds"}`. */
function isJsonTimeout(json: string): boolean {
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return false;
  }
  if (typeof record !== "object" || record === null) return false;
  const { message, level } = record as Record<string, unknown>;
  // Lambda writes it at ERROR; the same words at INFO are a function's own.
  if (level !== undefined && level !== "ERROR") return false;
  return typeof message === "string" && TIMEOUT_MESSAGE.test(message);
}

/** `/aws/lambda/NAME` names NAME; a custom log group (LoggingConfig.LogGroup) names itself. */
export function functionNameFromLogGroup(logGroupName: string): string | undefined {
  const trimmed = logGroupName.trim();
  if (trimmed.length === 0) return undefined;
  const match = /^\/aws\/lambda\/([^/]+)/.exec(trimmed);
  return match?.[1] ?? trimmed;
}

/** `orders.log.gz` names `orders`; the folders are not part of the name. */
export function functionNameFromFileName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const withoutGzip = base.replace(/\.gz$/i, "");
  const name = withoutGzip.replace(/\.(log|json|txt)$/i, "");
  return name.length > 0 ? name : base;
}

export interface FunctionNameSources {
  /** `--function`: wins over anything in the data. */
  readonly explicit?: string | undefined;
  readonly logGroupName?: string | undefined;
  readonly fileName: string;
}

export function resolveFunctionName(sources: FunctionNameSources): string {
  if (sources.explicit) return sources.explicit;
  const fromGroup = sources.logGroupName
    ? functionNameFromLogGroup(sources.logGroupName)
    : undefined;
  return fromGroup ?? functionNameFromFileName(sources.fileName);
}
