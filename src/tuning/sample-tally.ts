/**
 * What each invocation of one configuration counts as: a priced sample from its REPORT line, an
 * error (the function failed with an exception not in --allowed-exceptions, or no REPORT line
 * came back), or, for the warm-up, the cold start kept apart from the samples. Every invocation
 * with a REPORT line is paid for, failures and warm-ups included, and `spend` hears of it so the
 * run's own cost is right even when it stops half-way through a configuration.
 * No I/O: sampling.ts invokes, this decides.
 */
import type { Report } from "../lambda/report-line.js";
import { costPerInvocation } from "../pricing/cost.js";
import type { Prices } from "../pricing/price-table.js";
import type { InvocationOutcome } from "./lambda-target.js";
import type { ConfigurationResult, Sample } from "./tune-result.js";

/** What one configuration's invocations measured. */
export interface Measurement {
  readonly samples: readonly Sample[];
  /** Invocations that failed and were not counted as samples (the warm-up included). */
  readonly errors: number;
  readonly firstError: { readonly type: string; readonly message: string } | null;
  readonly coldStart: ConfigurationResult["coldStart"];
}

export interface TallyPricing {
  readonly memoryMb: number;
  /** The prices of the architecture the configuration runs on. */
  readonly prices: Prices;
  /** Function error types that still count as samples. */
  readonly allowedExceptions: readonly string[];
  /** Told the cost of every invocation that reported one. */
  readonly spend: (costUsd: number) => void;
}

export class SampleTally {
  private readonly samples: Sample[] = [];
  private errors = 0;
  private firstError: Measurement["firstError"] = null;
  private coldStart: Measurement["coldStart"] = null;

  constructor(private readonly pricing: TallyPricing) {}

  get sampleCount(): number {
    return this.samples.length;
  }

  get errorCount(): number {
    return this.errors;
  }

  get costs(): number[] {
    return this.samples.map((sample) => sample.costUsd);
  }

  /** A sampled invocation: a sample, or an error. */
  record(invocation: InvocationOutcome): void {
    const report = invocation.report;
    const costUsd = report ? this.charge(report) : 0;
    const allowed = this.isAllowed(invocation.errorType);
    if ((invocation.errorType !== undefined && !allowed) || !report) {
      this.errors++;
      this.firstError ??= {
        type: invocation.errorType ?? "Tuner.NoReport",
        message: invocation.errorMessage ?? "the log tail held no REPORT line",
      };
      return;
    }
    this.samples.push({
      durationMs: report.durationMs,
      billedDurationMs: report.billedDurationMs,
      initDurationMs: report.initDurationMs ?? null,
      restoreDurationMs: report.restoreDurationMs ?? null,
      maxMemoryUsedMb: report.maxMemoryUsedMb,
      ...(invocation.ttfbMs !== undefined ? { ttfbMs: invocation.ttfbMs } : {}),
      costUsd,
      errorType: allowed ? (invocation.errorType ?? null) : null,
    });
  }

  /**
   * The warm-up: its cold start is kept, never sampled. False when it failed with an exception
   * that is not allowed: a configuration that cannot even warm up (out of memory, a timeout)
   * is not sampled.
   */
  recordWarmUp(warmUp: InvocationOutcome): boolean {
    if (warmUp.report) {
      this.charge(warmUp.report);
      this.coldStart = {
        durationMs: warmUp.report.durationMs,
        initDurationMs: warmUp.report.initDurationMs ?? null,
        billedDurationMs: warmUp.report.billedDurationMs,
      };
    }
    if (warmUp.errorType === undefined || this.isAllowed(warmUp.errorType)) return true;
    this.errors++;
    this.firstError = { type: warmUp.errorType, message: warmUp.errorMessage ?? "" };
    return false;
  }

  measurement(): Measurement {
    return {
      samples: [...this.samples],
      errors: this.errors,
      firstError: this.firstError,
      coldStart: this.coldStart,
    };
  }

  private isAllowed(errorType: string | undefined): boolean {
    return errorType !== undefined && this.pricing.allowedExceptions.includes(errorType);
  }

  private charge(report: Report): number {
    const costUsd = costPerInvocation(this.pricing.prices, {
      memoryMb: this.pricing.memoryMb,
      billedDurationMs: report.billedDurationMs,
    }).totalUsd;
    this.pricing.spend(costUsd);
    return costUsd;
  }
}
