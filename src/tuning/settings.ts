/**
 * Everything a tuning run is asked to do, checked and defaulted: what
 * TuningOptionsSchema (tuning-options.ts) makes of a caller's options, less the
 * target. runTuning takes it as it is.
 */
import type { Architecture } from "../pricing/price-table.js";
import type { WeightedPayload } from "./payloads.js";
import type { Metric, Strategy } from "./tune-result.js";

export interface TuningSettings {
  readonly memorySizes: readonly number[];
  /** Empty: the function's own architecture. */
  readonly architectures: readonly Architecture[];
  /** Invocations per configuration, after the warm-up. */
  readonly num: number;
  readonly payloads: readonly WeightedPayload[];
  readonly strategy: Strategy;
  /** What the strategy ranks speed by: the duration, or the time to first byte (speed-metric.ts). */
  readonly metric: Metric;
  /** Weight of cost against speed for the balanced strategy (0–1). */
  readonly balancedWeight: number;
  readonly maxP95Ms?: number;
  readonly maxP99Ms?: number;
  /** Share of samples the trimmed mean discards (0–0.5). */
  readonly discard: number;
  readonly parallel: boolean;
  readonly concurrency: number;
  readonly onlyColdStarts: boolean;
  /** Function error types that still count as samples. */
  readonly allowedExceptions: readonly string[];
  readonly sleepBetweenMs: number;
  /** Keep sampling until the cost interval's half-width is under 5% of its mean (up to maxNum). */
  readonly untilConfident: boolean;
  readonly maxNum: number;
  /** Invoke once per configuration, no warm-up, and change nothing that is not restored. */
  readonly dryRun: boolean;
  /** Set the winner when done: on $LATEST, or as a published version behind this alias. */
  readonly apply: false | { readonly alias?: string };
}

export const CONFIDENCE_TARGET = 0.05;
