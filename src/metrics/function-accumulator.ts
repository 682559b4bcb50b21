/**
 * Everything the logs say about one function, counted as the lines stream by:
 * REPORT lines give durations, billed durations, memory used, cold starts
 * (inits, and SnapStart restores counted apart) and cost; timeout lines give timeouts. Constant memory per measure beyond a few
 * million invocations (see value-distribution.ts).
 */
import type { Report } from "../lambda/report-line.js";
import type { ResponseFigures } from "../lambda/runtime-done.js";
import { FREE_STREAMED_BYTES, gbSeconds } from "../pricing/cost.js";
import { ValueDistribution } from "./value-distribution.js";

export class FunctionAccumulator {
  readonly durationMs = new ValueDistribution();
  readonly billedDurationMs = new ValueDistribution();
  readonly initDurationMs = new ValueDistribution();
  /** Restore Duration of SnapStart restores: a restore is the cold start of a SnapStart function. */
  readonly restoreDurationMs = new ValueDistribution();
  readonly maxMemoryUsedMb = new ValueDistribution();
  /** Memory used as a share of the size configured when it was measured. */
  readonly memoryUtilization = new ValueDistribution();
  /** platform.runtimeDone's responseLatency: ms until the response's first byte. */
  readonly responseLatencyMs = new ValueDistribution();
  /** platform.runtimeDone's responseDuration: ms from the first byte to the last. */
  readonly responseDurationMs = new ValueDistribution();
  /** platform.runtimeDone's producedBytes: the response's bytes. */
  readonly producedBytes = new ValueDistribution();
  /** platform.runtimeDone events that had any of those figures. */
  responses = 0;
  /** Bytes of every response counted, summed. */
  producedBytesTotal = 0;
  /** Bytes beyond the first 6 MB of each response, summed: what the streaming charge bills. */
  producedBytesBeyondFree = 0;
  /** How many REPORT lines saw each memory size: the size can change within a window. */
  readonly memorySizes = new Map<number, number>();
  reports = 0;
  failedReports = 0;
  timeoutReports = 0;
  timeoutLines = 0;
  /** Inits and restores: every invocation that had to start an execution environment. */
  coldStarts = 0;
  /** The cold starts that were SnapStart restores (a REPORT line with Restore Duration). */
  restores = 0;
  /** Billed GB-seconds: priced at the end, once the architecture is known. */
  billedGbSeconds = 0;
  firstMs: number | undefined;
  lastMs: number | undefined;

  constructor(readonly name: string) {}

  report(report: Report, timestampMs?: number): void {
    this.reports++;
    this.seen(timestampMs);
    this.durationMs.add(report.durationMs);
    this.billedDurationMs.add(report.billedDurationMs);
    this.maxMemoryUsedMb.add(report.maxMemoryUsedMb);
    if (report.memorySizeMb > 0)
      this.memoryUtilization.add(report.maxMemoryUsedMb / report.memorySizeMb);
    this.memorySizes.set(report.memorySizeMb, (this.memorySizes.get(report.memorySizeMb) ?? 0) + 1);
    if (report.initDurationMs !== undefined) this.initDurationMs.add(report.initDurationMs);
    if (report.restoreDurationMs !== undefined) {
      this.restores++;
      this.restoreDurationMs.add(report.restoreDurationMs);
    }
    if (report.initDurationMs !== undefined || report.restoreDurationMs !== undefined)
      this.coldStarts++;
    if (report.status === "timeout") this.timeoutReports++;
    else if (report.status !== undefined) this.failedReports++;
    // Billed Duration already covers init on a cold start (billed since 1 August 2025), and on a
    // restore Lambda writes Billed Duration = ceil(Duration + Billed Restore Duration): adding
    // Billed Restore Duration again (as Power Tuning does) would bill the restore twice.
    this.billedGbSeconds += gbSeconds(report.memorySizeMb, report.billedDurationMs);
  }

  response(figures: ResponseFigures, timestampMs?: number): void {
    this.responses++;
    this.seen(timestampMs);
    if (figures.responseLatencyMs !== undefined)
      this.responseLatencyMs.add(figures.responseLatencyMs);
    if (figures.responseDurationMs !== undefined)
      this.responseDurationMs.add(figures.responseDurationMs);
    if (figures.producedBytes !== undefined) {
      this.producedBytes.add(figures.producedBytes);
      this.producedBytesTotal += figures.producedBytes;
      this.producedBytesBeyondFree += Math.max(0, figures.producedBytes - FREE_STREAMED_BYTES);
    }
  }

  timeout(timestampMs?: number): void {
    this.timeoutLines++;
    this.seen(timestampMs);
  }

  /** Timeouts: a line per timeout, or a REPORT status where the runtime writes one; never both counted. */
  get timeouts(): number {
    return Math.max(this.timeoutLines, this.timeoutReports);
  }

  /** The memory size most REPORT lines saw. */
  get memorySizeMb(): number | null {
    let best: number | null = null;
    let bestCount = -1;
    for (const [size, count] of this.memorySizes) {
      if (count > bestCount || (count === bestCount && size > (best ?? 0))) {
        best = size;
        bestCount = count;
      }
    }
    return best;
  }

  private seen(timestampMs: number | undefined): void {
    if (timestampMs === undefined || !Number.isFinite(timestampMs)) return;
    if (this.firstMs === undefined || timestampMs < this.firstMs) this.firstMs = timestampMs;
    if (this.lastMs === undefined || timestampMs > this.lastMs) this.lastMs = timestampMs;
  }
}
