import type { Report } from "../../src/lambda/report-line.js";
import type { ObservationSink } from "../../src/metrics/observations.js";

/** Keeps everything a source fed it, for exact comparison with the truth. */
export class RecordingSink implements ObservationSink {
  readonly reports = new Map<string, Report[]>();
  readonly timeouts = new Map<string, number>();
  skippedLines = 0;

  report(functionName: string, report: Report): void {
    const reports = this.reports.get(functionName) ?? [];
    reports.push(report);
    this.reports.set(functionName, reports);
  }

  timeout(functionName: string): void {
    this.timeouts.set(functionName, (this.timeouts.get(functionName) ?? 0) + 1);
  }

  skipped(count = 1): void {
    this.skippedLines += count;
  }

  get reportCount(): number {
    let count = 0;
    for (const reports of this.reports.values()) count += reports.length;
    return count;
  }
}
