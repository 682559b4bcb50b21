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
 * Every message is recognised here again, by the same readLogLine the log
 * file sources use: a server may ignore the pattern (older moto ignores all
 * of them, current moto ignores OR patterns), and a function's own output can
 * contain the words.
 */
import {
  type CloudWatchLogsClient,
  type FilteredLogEvent,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Report } from "../../lambda/report-line.js";
import type { ResponseFigures } from "../../lambda/runtime-done.js";
import type { ObservationSink } from "../observations.js";
import type { MetricsWindow } from "./cloudwatch-metrics.js";
import { type LineKind, readLogLine } from "./log-lines.js";

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
  readonly onNote?: (message: string) => void;
}

export interface LogSample {
  /** REPORT lines handed to the sink. */
  readonly events: number;
  /** True when the cap stopped the scan before the log group's end. */
  readonly capped: boolean;
}

const MAX_PAGE_SIZE = 10_000;
const PROBE_SIZE = 50;

/** What readLogLine makes of one message, without feeding the caller's sink yet. */
function recognise(
  message: string,
  functionName: string,
): { kind: LineKind; report?: Report; response?: ResponseFigures } {
  let report: Report | undefined;
  let response: ResponseFigures | undefined;
  const kind = readLogLine(message, functionName, {
    report: (_name, parsed) => {
      report = parsed;
    },
    response: (_name, figures) => {
      response = figures;
    },
    timeout: () => {},
    skipped: () => {},
  });
  return { kind, ...(report ? { report } : {}), ...(response ? { response } : {}) };
}

/** What one event read from the log group is to a scan. */
type Reading =
  | { readonly kind: "take"; readonly emit: () => void }
  | { readonly kind: "skip" } // not a Lambda line this tool reads: counted as skipped
  | { readonly kind: "ignore" }; // the other scan's line, or nothing to either

/** Feed a function's REPORT and timeout lines in the window to the sink. */
export async function sampleReportLines(
  logs: LogsSender,
  functionName: string,
  window: MetricsWindow,
  sink: ObservationSink,
  options: LogSampleOptions,
): Promise<LogSample> {
  const logGroupName = options.logGroupName ?? `/aws/lambda/${functionName}`;
  const scan = (filterPattern: string, read: (event: FilteredLogEvent) => Reading) =>
    scanLogGroup(logs, logGroupName, window, filterPattern, read, sink, options);

  const reports = scan(
    options.logFormat === "JSON" ? '"platform.report"' : '"REPORT RequestId"',
    (event) => {
      const { kind, report } = recognise(event.message ?? "", functionName);
      if (kind === "skipped") return { kind: "skip" };
      // A timeout line the server let through is the timeout scan's to count.
      if (kind !== "report" || !report) return { kind: "ignore" };
      return { kind: "take", emit: () => sink.report(functionName, report, event.timestamp) };
    },
  );
  // Other lines the server let through are the REPORT scan's to count as skipped.
  const timeouts = scan('"Task timed out after"', (event) =>
    recognise(event.message ?? "", functionName).kind === "timeout"
      ? { kind: "take", emit: () => sink.timeout(functionName, event.timestamp) }
      : { kind: "ignore" },
  );
  // The JSON log format's platform.runtimeDone: each response's time to first byte and bytes.
  const responses =
    options.logFormat === "JSON"
      ? scan('"platform.runtimeDone"', (event) => {
          const { kind, response } = recognise(event.message ?? "", functionName);
          return kind === "response" && response
            ? { kind: "take", emit: () => sink.response?.(functionName, response, event.timestamp) }
            : { kind: "ignore" };
        })
      : undefined;
  const [reportScan, timeoutScan] = await Promise.all([reports, timeouts, responses]);
  if (timeoutScan.capped) {
    options.onNote?.(
      `${functionName}: more than ${options.maxEvents} timeout lines in ${logGroupName}; only the first ${options.maxEvents} are counted`,
    );
  }
  return reportScan;
}

/**
 * Page through FilterLogEvents until `maxEvents` events were taken or the
 * group ends. At the cap it reads on only until it meets one more event it
 * would have taken, so `capped` is exact: lines the pattern let through
 * after the last REPORT line do not make a complete sample look cut.
 *
 * A log group that does not exist (a function never invoked, or logging
 * elsewhere) holds no events: that is not an error.
 */
async function scanLogGroup(
  logs: LogsSender,
  logGroupName: string,
  window: MetricsWindow,
  filterPattern: string,
  read: (event: FilteredLogEvent) => Reading,
  sink: ObservationSink,
  options: LogSampleOptions,
): Promise<LogSample> {
  const pageSize = Math.min(options.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  let taken = 0;
  let nextToken: string | undefined;
  do {
    const remaining = options.maxEvents - taken;
    let page: Awaited<ReturnType<typeof filterPage>>;
    try {
      page = await filterPage(logs, {
        logGroupName,
        filterPattern,
        startTime: window.start.getTime(),
        endTime: window.end.getTime(),
        // At the cap, a few events are enough to learn whether the sample was cut.
        limit: Math.min(pageSize, remaining > 0 ? remaining : PROBE_SIZE),
        nextToken,
      });
    } catch (error) {
      if ((error as { name?: string }).name === "ResourceNotFoundException") {
        return { events: 0, capped: false };
      }
      throw error;
    }
    for (const event of page.events ?? []) {
      const reading = read(event);
      if (reading.kind === "skip") sink.skipped();
      if (reading.kind !== "take") continue;
      if (taken >= options.maxEvents) return { events: taken, capped: true };
      reading.emit();
      taken++;
    }
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return { events: taken, capped: false };
}
function filterPage(
  logs: LogsSender,
  input: FilterLogEventsCommandInput,
): Promise<{ events?: FilteredLogEvent[]; nextToken?: string }> {
  return logs.send(new FilterLogEventsCommand(input));
}
