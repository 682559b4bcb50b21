/**
 * A sample of a function's REPORT lines (and its timeout lines) from
 * CloudWatch Logs: the only place AWS keeps memory used, init durations,
 * billed durations and exact percentiles.
 *
 * Two FilterLogEvents scans, because one filter pattern cannot serve both:
 * - REPORT lines, with `"REPORT RequestId"` (`"platform.report"` for a
 *   function on the JSON log format), up to `maxEvents` lines;
 * - timeout lines, with `"Task timed out after"`. Timeouts are rare, so this
 *   scan usually counts every one in the window even when the REPORT sample
 *   is capped, which keeps the timeout count comparable with CloudWatch's
 *   exact invocation count. An OR pattern (`?"REPORT RequestId" ?"Task ..."`)
 *   would make one scan, but its cap would then cut timeouts and REPORT lines
 *   alike, and servers that do not understand OR patterns return every line.
 *
 * Every message is checked here again with the REPORT parser: a server may
 * ignore the pattern (older moto ignores all of them, current moto ignores OR
 * patterns), and a function's own output can contain the words.
 */
import {
  type CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilteredLogEvent,
} from "@aws-sdk/client-cloudwatch-logs";
import { type RetryOptions, withThrottleRetry } from "../../aws/throttle-retry.js";
import { looksLikeReport, parseReport } from "../../lambda/report-line.js";
import type { ObservationSink } from "../observations.js";
import type { MetricsWindow } from "./cloudwatch-metrics.js";

export type LogsSender = Pick<CloudWatchLogsClient, "send">;

export interface LogSampleOptions {
  /** The most REPORT lines to read (`--max-log-events`); the timeout scan has the same cap. */
  readonly maxEvents: number;
  /** `/aws/lambda/NAME` unless the function's LoggingConfig names another group. */
  readonly logGroupName?: string;
  /** The function's LoggingConfig.LogFormat: which form its REPORT lines take. */
  readonly logFormat?: "Text" | "JSON";
  /** Events asked for per FilterLogEvents page (the API allows up to 10,000). */
  readonly pageSize?: number;
  readonly retry?: RetryOptions;
  readonly onNote?: (message: string) => void;
}

export interface LogSample {
  /** REPORT lines handed to the sink. */
  readonly events: number;
  /** True when the cap stopped the scan before the log group's end. */
  readonly capped: boolean;
}

const MAX_PAGE_SIZE = 10_000;
const TIMEOUT_LINE = /Task timed out after \d+(?:\.\d+)? seconds/;

export function isTimeoutLine(message: string): boolean {
  return TIMEOUT_LINE.test(message);
}

/** Feed a function's REPORT and timeout lines in the window to the sink. */
export async function sampleReportLines(
  logs: LogsSender,
  functionName: string,
  window: MetricsWindow,
  sink: ObservationSink,
  options: LogSampleOptions,
): Promise<LogSample> {
  const logGroupName = options.logGroupName ?? `/aws/lambda/${functionName}`;
  const scan = (filterPattern: string, accept: (event: FilteredLogEvent) => boolean) =>
    scanLogGroup(logs, logGroupName, window, filterPattern, accept, options);

  const reports = scan(
    options.logFormat === "JSON" ? '"platform.report"' : '"REPORT RequestId"',
    (event) => {
      const message = event.message ?? "";
      // A timeout line the server let through is counted by the timeout scan.
      if (isTimeoutLine(message)) return false;
      const parsed = looksLikeReport(message) ? parseReport(message) : undefined;
      if (!parsed?.ok) {
        sink.skipped();
        return false;
      }
      sink.report(functionName, parsed.report, event.timestamp);
      return true;
    },
  );
  const timeouts = scan('"Task timed out after"', (event) => {
    if (!isTimeoutLine(event.message ?? "")) return false; // not counted twice as skipped
    sink.timeout(functionName, event.timestamp);
    return true;
  });
  const [reportScan, timeoutScan] = await Promise.all([reports, timeouts]);
  if (timeoutScan.capped) {
    options.onNote?.(
      `${functionName}: more than ${options.maxEvents} timeout lines in ${logGroupName}; only the first ${options.maxEvents} are counted`,
    );
  }
  return reportScan;
}

/**
 * Page through FilterLogEvents until `maxEvents` events were accepted or the
 * group ends. A log group that does not exist (a function never invoked, or
 * logging elsewhere) holds no events: that is not an error.
 */
async function scanLogGroup(
  logs: LogsSender,
  logGroupName: string,
  window: MetricsWindow,
  filterPattern: string,
  accept: (event: FilteredLogEvent) => boolean,
  options: LogSampleOptions,
): Promise<LogSample> {
  const pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  let accepted = 0;
  let nextToken: string | undefined;
  do {
    const remaining = options.maxEvents - accepted;
    if (remaining <= 0) return { events: accepted, capped: true };
    let page: Awaited<ReturnType<typeof filterPage>>;
    try {
      page = await withThrottleRetry(
        () =>
          filterPage(logs, {
            logGroupName,
            filterPattern,
            startTime: window.start.getTime(),
            endTime: window.end.getTime(),
            limit: Math.min(pageSize, remaining),
            nextToken,
          }),
        options.retry,
      );
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceNotFoundException") {
        return { events: 0, capped: false };
      }
      throw error;
    }
    const events = page.events ?? [];
    for (const [index, event] of events.entries()) {
      if (accepted >= options.maxEvents) {
        // Stopped inside a page: capped if anything acceptable was left behind.
        const rest = events.slice(index);
        return { events: accepted, capped: rest.length > 0 };
      }
      if (accept(event)) accepted++;
    }
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return { events: accepted, capped: false };
}

function filterPage(
  logs: LogsSender,
  input: ConstructorParameters<typeof FilterLogEventsCommand>[0],
): Promise<{ events?: FilteredLogEvent[]; nextToken?: string }> {
  return logs.send(new FilterLogEventsCommand(input));
}
