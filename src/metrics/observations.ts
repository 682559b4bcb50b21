/**
 * What every metrics source (log files, the emulator's logs, CloudWatch) hands
 * the aggregator: Lambda's own log lines, already recognised, per function.
 * Sources parse; the aggregator counts. Neither knows about the other's
 * format or statistics.
 */
import type { Report } from "../lambda/report-line.js";
import type { ResponseFigures } from "../lambda/runtime-done.js";

export interface ObservationSink {
  /**
   * One REPORT line (text or JSON log format) of a function. `timestampMs` is
   * the event's time when the data carries one (exports, `aws logs tail`,
   * filter-log-events, JSON records): it tells the window the logs cover, from
   * which a month is projected.
   */
  report(functionName: string, report: Report, timestampMs?: number): void;
  /**
   * One platform.runtimeDone event (JSON log format) with figures of the response: its time to
   * first byte (responseLatency), the time to send the rest (responseDuration), its bytes.
   * A sink that has no use for them leaves it out.
   */
  response?(functionName: string, figures: ResponseFigures, timestampMs?: number): void;
  /** One "Task timed out after N.NN seconds" line of a function. */
  timeout(functionName: string, timestampMs?: number): void;
  /** A line that is not a Lambda log line this tool reads (a function's own output counts too). */
  skipped(count?: number): void;
}

/** Where a source's data ended early (a truncated gzip), and how much it had read by then. */
export interface SourceProblem {
  readonly source: string;
  readonly message: string;
  readonly bytesRead: number;
  readonly linesRead: number;
}
