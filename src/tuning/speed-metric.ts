/**
 * The speed a strategy ranks by, for each metric: the strategies (strategies.ts), the reason
 * (recommendation-reason.ts) and the reports ask here, so `--metric ttfb` is one more metric,
 * not a case of its own in each of them.
 *
 * - duration: the mean duration (init or restore included on a cold sample), its percentiles,
 *   and the 95% interval of its mean, as AWS Lambda Power Tuning averages it;
 * - ttfb: time to first byte, ranked by its median (p50) because a few slow first bytes
 *   should not hide which size usually answers first, judged tied on the 95% interval of
 *   that median, with its p95 and p99 for the slo strategy.
 */
import { formatMs } from "../format.js";
import type { ConfigurationResult, Distribution, Interval, Metric } from "./tune-result.js";

export interface SpeedMeasure {
  /** What the strategies rank by: lower is faster. */
  readonly figure: (result: ConfigurationResult) => number;
  /** Whether two configurations differ by more than noise on it. */
  readonly interval: (result: ConfigurationResult) => Interval;
  /** Its distribution (the slo bound's percentiles). */
  readonly distribution: (result: ConfigurationResult) => Distribution;
  /** The figure as a person reads it: "412.5 ms mean", "38.2 ms to first byte (p50)". */
  readonly describe: (result: ConfigurationResult) => string;
  /** "fastest", "fastest to first byte". */
  readonly fastest: string;
  /** The slo wording of a percentile: "p95", "first-byte p95". */
  readonly percentileLabel: (percentile: "p95" | "p99") => string;
}

const NOT_MEASURED = Number.POSITIVE_INFINITY;

const DURATION: SpeedMeasure = {
  figure: (result) => result.durationMs.mean,
  interval: (result) => result.durationCi95,
  distribution: (result) => result.durationMs,
  describe: (result) => `${formatMs(result.durationMs.mean)} ms mean`,
  fastest: "Fastest",
  percentileLabel: (percentile) => percentile,
};

const TTFB: SpeedMeasure = {
  // A configuration with no first byte measured cannot be the fastest to one.
  figure: (result) => result.ttfbMs?.p50 ?? NOT_MEASURED,
  interval: (result) => result.ttfbCi95 ?? { low: NOT_MEASURED, high: NOT_MEASURED },
  distribution: (result) =>
    result.ttfbMs ?? {
      mean: NOT_MEASURED,
      trimmedMean: NOT_MEASURED,
      p50: NOT_MEASURED,
      p90: NOT_MEASURED,
      p95: NOT_MEASURED,
      p99: NOT_MEASURED,
      min: NOT_MEASURED,
      max: NOT_MEASURED,
    },
  describe: (result) =>
    result.ttfbMs
      ? `${formatMs(result.ttfbMs.p50)} ms to first byte (p50)`
      : "no first byte measured",
  fastest: "Fastest to first byte",
  percentileLabel: (percentile) => `first-byte ${percentile}`,
};

export function speedMeasure(metric: Metric | undefined): SpeedMeasure {
  return metric === "ttfb" ? TTFB : DURATION;
}

/** Whether a configuration has the figures the metric ranks by. */
export function measuredFor(result: ConfigurationResult, metric: Metric | undefined): boolean {
  return metric !== "ttfb" || (result.ttfbMs !== null && result.ttfbMs !== undefined);
}
