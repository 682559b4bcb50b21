/**
 * Statistics over samples, shared by the tuner and the metrics report: the
 * distribution the tuner reports per configuration, percentiles, and the
 * bootstrap interval that decides whether two configurations differ by more
 * than noise. Pure functions; the method behind each number is written up in
 * docs/tuning-statistics.md.
 */

/** Summary of samples (ms): what a tune result reports per measure (its schema: tuning/tune-result.ts). */
export interface Distribution {
  mean: number;
  trimmedMean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
}

/** A confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * What a configuration with no samples reports (every invocation failed).
 * Zeros rather than NaN, because JSON has no NaN and the schema wants numbers;
 * the configuration's status ("failed") is what says they mean nothing.
 */
export const EMPTY_DISTRIBUTION: Distribution = Object.freeze({
  mean: 0,
  trimmedMean: 0,
  p50: 0,
  p90: 0,
  p95: 0,
  p99: 0,
  min: 0,
  max: 0,
});

/** The largest share `discard` may take from each end: at 0.5 nothing would be left. */
export const MAX_DISCARD = 0.5;

/**
 * Summarise samples (ms). `discard` is the share of the sorted samples dropped
 * from EACH end for the trimmed mean, as AWS Lambda Power Tuning's
 * `discardTopBottom` does: floor(n × discard) lowest and as many highest, so
 * 0.2 over 10 samples keeps the middle 6. It must be at least 0 and below 0.5.
 */
export function summarize(values: readonly number[], discard: number): Distribution {
  if (!(discard >= 0 && discard < MAX_DISCARD)) {
    throw new RangeError(`discard must be ≥ 0 and < ${MAX_DISCARD}, got ${discard}`);
  }
  if (values.length === 0) return { ...EMPTY_DISTRIBUTION };
  const sorted = sortAscending(values);
  return {
    mean: mean(sorted),
    trimmedMean: trimmedMean(sorted, discard),
    p50: percentileOfSorted(sorted, 0.5),
    p90: percentileOfSorted(sorted, 0.9),
    p95: percentileOfSorted(sorted, 0.95),
    p99: percentileOfSorted(sorted, 0.99),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Power Tuning's trimmed mean over already sorted values (see `summarize`). */
function trimmedMean(sorted: readonly number[], discard: number): number {
  const dropped = Math.floor(sorted.length * discard);
  return mean(sorted.slice(dropped, sorted.length - dropped));
}

/**
 * The p-quantile (0 ≤ p ≤ 1) by linear interpolation between closest ranks:
 * Hyndman and Fan's type 7, the default of R, NumPy and Excel's PERCENTILE.INC.
 * Position h = (n − 1) × p in the sorted samples; between two samples the
 * value moves in a straight line. It never reports a value outside the samples.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  return percentileOfSorted(sortAscending(values), p);
}

/** Type-7 percentile of values already sorted ascending (p from 0 to 1). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a percentile must be from 0 to 1, got ${p}`);
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (upper - lower) * (position - below);
}

function sortAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** A source of uniform numbers in [0, 1), like Math.random. */
export type RandomSource = () => number;

/**
 * mulberry32: a 32-bit seeded generator, small and fast, with a full 2^32
 * period — plenty for resampling a few thousand samples a few thousand times,
 * and the same seed always gives the same intervals, so runs and tests repeat.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed used when the caller brings no generator: results repeat run to run. */
export const DEFAULT_BOOTSTRAP_SEED = 0x5eed;

export interface BootstrapOptions {
  /** Coverage of the interval; 0.95 by default. */
  confidence?: number;
  /** How many resamples; 2,000 by default (enough for stable 2.5% and 97.5% quantiles). */
  resamples?: number;
  /** Uniform [0, 1) source; a fresh seededRandom(DEFAULT_BOOTSTRAP_SEED) by default. */
  random?: RandomSource;
}

/**
 * Percentile bootstrap confidence interval of the mean: draw `resamples`
 * samples of size n with replacement, take each one's mean, and report the
 * (1 − confidence) / 2 and (1 + confidence) / 2 quantiles (type 7) of those
 * means. It assumes nothing about the shape of the distribution, which for
 * Lambda durations is skewed by GC pauses and noisy neighbours.
 *
 * No samples give [0, 0] (see EMPTY_DISTRIBUTION); one sample gives a
 * zero-width interval at that sample: a single measurement shows no noise,
 * which is not evidence that there is none.
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  options: BootstrapOptions = {},
): Interval {
  return bootstrapInterval(values, options, (draws) => {
    let sum = 0;
    for (const value of draws) sum += value;
    return sum / draws.length;
  });
}

/**
 * The same percentile bootstrap for the median (type 7): what a measure ranked by its p50,
 * such as time to first byte, is judged by. Same rules for no sample and one sample.
 */
export function bootstrapMedianInterval(
  values: readonly number[],
  options: BootstrapOptions = {},
): Interval {
  return bootstrapInterval(values, options, (draws) => {
    draws.sort();
    return percentileOfSorted(draws, 0.5);
  });
}

/** Resample `values` with replacement, take `statistic` of each resample, and bound it. */
function bootstrapInterval(
  values: readonly number[],
  options: BootstrapOptions,
  statistic: (draws: Float64Array) => number,
): Interval {
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 2000;
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  }
  if (!(Number.isInteger(resamples) && resamples >= 1)) {
    throw new RangeError(`resamples must be a whole number ≥ 1, got ${resamples}`);
  }
  if (values.length === 0) return { low: 0, high: 0 };
  if (values.length === 1) return { low: values[0]!, high: values[0]! };
  const random = options.random ?? seededRandom(DEFAULT_BOOTSTRAP_SEED);
  const count = values.length;
  const draws = new Float64Array(count);
  const statistics = new Array<number>(resamples);
  for (let resample = 0; resample < resamples; resample++) {
    for (let draw = 0; draw < count; draw++) draws[draw] = values[Math.floor(random() * count)]!;
    statistics[resample] = statistic(draws);
  }
  return quantileInterval(statistics, confidence);
}

/** The (1 − confidence) / 2 and (1 + confidence) / 2 quantiles of resampled statistics. */
function quantileInterval(statistics: number[], confidence: number): Interval {
  statistics.sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return {
    low: percentileOfSorted(statistics, tail),
    high: percentileOfSorted(statistics, 1 - tail),
  };
}
