/**
 * Generated Lambda logs whose truth is known: every invocation written is
 * also returned, so a test compares what a source read against what was
 * really there, never against the parser's own idea of it.
 */
import { formatReportJson, formatReportText, type Report } from "../../src/lambda/report-line.js";
import { seededRandom } from "../../src/statistics.js";

export type LogFormat = "text" | "json";
/** What a tool put in front of each message: nothing, an export's timestamp, or `aws logs tail`'s timestamp and stream. */
export type Wrapper = "raw" | "export" | "tail";

export interface Invocation {
  readonly functionName: string;
  readonly report: Report;
  readonly timedOut: boolean;
}

export interface GeneratedEvent {
  /** The message as Lambda wrote it (may hold a line break: the X-Ray tail). */
  readonly message: string;
  readonly timestamp: number;
  readonly functionName: string;
}

export interface GeneratedLog {
  readonly invocations: Invocation[];
  /** Every event in order, Lambda's own and the function's. */
  readonly events: GeneratedEvent[];
  /** Events that are not REPORT or timeout lines: what a reader must skip. */
  readonly otherEvents: number;
}

export interface GenerateOptions {
  readonly functionNames: readonly string[];
  readonly invocationsPerFunction: number;
  readonly format: LogFormat;
  readonly seed: number;
  readonly coldStartRate?: number;
  readonly timeoutRate?: number;
  /** Lines that are no log event of any kind (and quotes of Lambda's words by the function). */
  readonly garbageRate?: number;
  readonly withXray?: boolean;
  /** The share of cold starts that are SnapStart restores (Restore Duration, no Init Duration). */
  readonly restoreRate?: number;
}

/** The seeded generator of the statistics module: the same data every run. */
export { seededRandom };

const START_TIME = Date.parse("2026-11-28T10:00:00.000Z");
const TIMEOUT_SECONDS = 3;

export function generateLog(options: GenerateOptions): GeneratedLog {
  const random = seededRandom(options.seed);
  const invocations: Invocation[] = [];
  const events: GeneratedEvent[] = [];
  let otherEvents = 0;
  let clock = START_TIME;
  const emit = (functionName: string, message: string, lambdaOwn = false) => {
    clock += 1 + Math.floor(random() * 50);
    events.push({ message, timestamp: clock, functionName });
    if (!lambdaOwn) otherEvents += 1;
  };
  const requestId = () =>
    [8, 4, 4, 4, 12]
      .map((length) =>
        Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join(""),
      )
      .join("-");
  const iso = () => new Date(clock).toISOString();
  const json = options.format === "json";
  const memorySizes = [128, 256, 512, 1024, 1769];

  for (let round = 0; round < options.invocationsPerFunction; round += 1) {
    for (const [index, functionName] of options.functionNames.entries()) {
      const memorySizeMb = memorySizes[index % memorySizes.length]!;
      const id = requestId();
      const coldStart = round === 0 || random() < (options.coldStartRate ?? 0.1);
      const timedOut = random() < (options.timeoutRate ?? 0.05);
      if (coldStart) {
        emit(
          functionName,
          json
            ? JSON.stringify({
                time: iso(),
                type: "platform.initStart",
                record: { initializationType: "on-demand", phase: "init" },
              })
            : "INIT_START Runtime Version: nodejs:20.v40\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:abc",
        );
      }
      emit(
        functionName,
        json
          ? JSON.stringify({ time: iso(), type: "platform.start", record: { requestId: id } })
          : `START RequestId: ${id} Version: $LATEST`,
      );
      const outputLines = Math.floor(random() * 4);
      for (let line = 0; line < outputLines; line += 1) {
        emit(functionName, functionOutput(json, iso(), id, `handled order ${round}-${line}`));
      }
      if (random() < (options.garbageRate ?? 0.1))
        emit(functionName, garbage(random, json, iso(), id));
      const durationMs = timedOut
        ? TIMEOUT_SECONDS * 1000
        : Math.round((1 + random() * 900) * 100) / 100;
      if (timedOut) {
        const message = `Task timed out after ${TIMEOUT_SECONDS.toFixed(2)} seconds`;
        emit(
          functionName,
          json
            ? JSON.stringify({ timestamp: iso(), level: "ERROR", requestId: id, message })
            : `${iso()} ${id} ${message}`,
          true,
        );
      }
      // Drawn only when asked for, so that the other logs stay what they were for their seed.
      const restored =
        coldStart && options.restoreRate !== undefined && random() < options.restoreRate;
      const initDurationMs =
        coldStart && !restored ? Math.round((50 + random() * 400) * 100) / 100 : undefined;
      const restoreDurationMs = restored
        ? Math.round((100 + random() * 600) * 100) / 100
        : undefined;
      // Lambda bills the restore as Billed Restore Duration and includes it in Billed Duration.
      const billedRestoreDurationMs =
        restoreDurationMs !== undefined ? Math.ceil(restoreDurationMs) : undefined;
      const report: Report = {
        requestId: id,
        durationMs,
        billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? billedRestoreDurationMs ?? 0)),
        memorySizeMb,
        maxMemoryUsedMb: Math.min(memorySizeMb, 60 + Math.floor(random() * 60)),
        ...(initDurationMs !== undefined ? { initDurationMs } : {}),
        ...(restoreDurationMs !== undefined
          ? { restoreDurationMs, billedRestoreDurationMs: billedRestoreDurationMs! }
          : {}),
        ...(timedOut ? { status: "timeout" } : {}),
        ...(options.withXray && random() < 0.3
          ? { xrayTraceId: `1-5e1b4151-${requestId().replaceAll("-", "").slice(0, 24)}` }
          : {}),
      };
      if (!json) emit(functionName, `END RequestId: ${id}`);
      const reportMessage = json
        ? formatReportJson(report, new Date(clock))
        : // A REPORT event as CloudWatch shows it: trailing tab, X-Ray on its own line.
          formatReportText(report);
      emit(functionName, reportMessage, true);
      invocations.push({ functionName, report, timedOut });
    }
  }
  return { invocations, events, otherEvents };
}

function functionOutput(json: boolean, time: string, id: string, text: string): string {
  return json
    ? JSON.stringify({ timestamp: time, level: "INFO", requestId: id, message: text })
    : `${time}\t${id}\tINFO\t${text}`;
}

/** Lines a reader must not take for Lambda's: noise, and the function quoting Lambda's words. */
function garbage(random: () => number, json: boolean, time: string, id: string): string {
  const choices = [
    "\u0000\u0001 binary noise ÿ",
    "REPORT RequestId:",
    "Task timed out after",
    "{not json at all",
    '{"type":"platform.report","record":{"requestId":"x"}}',
    functionOutput(
      json,
      time,
      id,
      `REPORT RequestId: ${id}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\t`,
    ),
    functionOutput(json, time, id, "Task timed out after 3.00 seconds"),
    "    at Runtime.handler (/var/task/index.js:12:11)",
    `${time} ${id} ERROR Invoke Error {"errorType":"Error","errorMessage":"boom"}`,
  ];
  return choices[Math.floor(random() * choices.length)]!;
}

/**
 * The events as lines of a file. A message with a line break (the X-Ray tail)
 * becomes two lines, as in a CloudWatch export; `otherLines` counts the lines a
 * reader must skip.
 */
export function asLines(
  log: GeneratedLog,
  wrapper: Wrapper,
): { lines: string[]; otherLines: number } {
  const lines: string[] = [];
  let continuationLines = 0;
  for (const event of log.events) {
    const parts = event.message.split("\n");
    const [first = "", ...rest] = parts;
    lines.push(wrap(wrapper, event, first));
    for (const part of rest) {
      if (part.length === 0) continue;
      lines.push(part);
      continuationLines += 1;
    }
  }
  return { lines, otherLines: log.otherEvents + continuationLines };
}

function wrap(wrapper: Wrapper, event: GeneratedEvent, message: string): string {
  const time = new Date(event.timestamp);
  if (wrapper === "export") return `${time.toISOString()} ${message}`;
  if (wrapper === "tail") {
    const stamp = time.toISOString().replace("Z", "000+00:00");
    const day = time.toISOString().slice(0, 10).replaceAll("-", "/");
    return `${stamp} ${day}/[$LATEST]0123456789abcdef0123456789abcdef ${message}`;
  }
  return message;
}

/** `aws logs filter-log-events` output as the CLI prints it (indented JSON). */
export function filterLogEventsDocument(
  log: GeneratedLog,
  options: { withLogGroup: boolean },
): string {
  const events = log.events.map((event, index) => ({
    ...(options.withLogGroup ? { logGroupName: `/aws/lambda/${event.functionName}` } : {}),
    logStreamName: "2026/11/28/[$LATEST]0123456789abcdef0123456789abcdef",
    timestamp: event.timestamp,
    // Lambda's messages end with a line break.
    message: `${event.message}\n`,
    ingestionTime: event.timestamp + 500,
    eventId: String(37_000_000_000 + index),
  }));
  return JSON.stringify(
    { events, searchedLogStreams: [{ logStreamName: "x", searchedCompletely: true }] },
    null,
    4,
  );
}

/** `aws logs get-log-events` output: no log group, forward and backward tokens. */
export function getLogEventsDocument(log: GeneratedLog): string {
  const events = log.events.map((event) => ({
    timestamp: event.timestamp,
    message: `${event.message}\n`,
    ingestionTime: event.timestamp + 500,
  }));
  return JSON.stringify({ events, nextForwardToken: "f/1", nextBackwardToken: "b/1" }, null, 4);
}

/** The truth per function, computed from the invocations alone. */
export interface FunctionTruth {
  reports: number;
  timeouts: number;
  coldStarts: number;
  durationSum: number;
  billedSum: number;
  initSum: number;
  maxMemoryUsedMb: number;
  requestIds: string[];
}

export function truthByFunction(invocations: readonly Invocation[]): Map<string, FunctionTruth> {
  const truth = new Map<string, FunctionTruth>();
  for (const { functionName, report, timedOut } of invocations) {
    let entry = truth.get(functionName);
    if (!entry) {
      entry = {
        reports: 0,
        timeouts: 0,
        coldStarts: 0,
        durationSum: 0,
        billedSum: 0,
        initSum: 0,
        maxMemoryUsedMb: 0,
        requestIds: [],
      };
      truth.set(functionName, entry);
    }
    entry.reports += 1;
    if (timedOut) entry.timeouts += 1;
    if (report.initDurationMs !== undefined) {
      entry.coldStarts += 1;
      entry.initSum += report.initDurationMs;
    }
    entry.durationSum += report.durationMs;
    entry.billedSum += report.billedDurationMs;
    entry.maxMemoryUsedMb = Math.max(entry.maxMemoryUsedMb, report.maxMemoryUsedMb);
    entry.requestIds.push(report.requestId);
  }
  return truth;
}
