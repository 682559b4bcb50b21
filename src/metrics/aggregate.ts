/** The sink every source feeds: one accumulator per function, and the lines skipped. */
import type { Report } from "../lambda/report-line.js";
import type { ResponseFigures } from "../lambda/runtime-done.js";
import { FunctionAccumulator } from "./function-accumulator.js";
import type { ObservationSink } from "./observations.js";

export class MetricsAggregator implements ObservationSink {
  readonly functions = new Map<string, FunctionAccumulator>();
  skippedLines = 0;

  report(functionName: string, report: Report, timestampMs?: number): void {
    this.accumulator(functionName).report(report, timestampMs);
  }

  response(functionName: string, figures: ResponseFigures, timestampMs?: number): void {
    this.accumulator(functionName).response(figures, timestampMs);
  }

  timeout(functionName: string, timestampMs?: number): void {
    this.accumulator(functionName).timeout(timestampMs);
  }

  skipped(count = 1): void {
    this.skippedLines += count;
  }

  accumulator(functionName: string): FunctionAccumulator {
    let accumulator = this.functions.get(functionName);
    if (!accumulator) {
      accumulator = new FunctionAccumulator(functionName);
      this.functions.set(functionName, accumulator);
    }
    return accumulator;
  }
}
