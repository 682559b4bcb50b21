/**
 * What every metrics source (log files, the emulator's logs, CloudWatch) hands
 * the aggregator: Lambda's own log lines, already recognised, per function.
 * Sources parse; the aggregator counts. Neither knows about the other's
 * format or statistics.
 */
import type { Report } from "../lambda/report-line.js";

export interface ObservationSink {
  /** One REPORT line (text or JSON log format) of a function. */
  report(functionName: string, report: Report): void;
  /** One "Task timed out after N.NN seconds" line of a function. */
  timeout(functionName: string): void;
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
