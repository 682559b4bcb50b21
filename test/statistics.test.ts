import { describe, expect, it } from "vitest";
import {
  bootstrapMeanInterval,
  EMPTY_DISTRIBUTION,
  mean,
  percentile,
  seededRandom,
  summarize,
} from "../src/statistics.js";

/** 1..9 and one outlier: the shape a GC pause gives a handful of Lambda durations. */
const SKEWED = [7, 3, 100, 1, 9, 4, 2, 8, 6, 5];

describe("summarize", () => {
  it("reports mean, trimmed mean, type-7 percentiles, min and max", () => {
    expect(summarize(SKEWED, 0.2)).toEqual({
      // (1 + … + 9 + 100) / 10 = 145 / 10
      mean: 14.5,
      // floor(10 × 0.2) = 2 dropped from each end: (3 + 4 + 5 + 6 + 7 + 8) / 6
      trimmedMean: 5.5,
      // h = 9 × 0.5 = 4.5: halfway between the 5th and 6th sorted values (5, 6)
      p50: 5.5,
      // h = 9 × 0.9 = 8.1: 9 + 0.1 × (100 − 9)
      p90: expect.closeTo(18.1, 12),
      // h = 8.55: 9 + 0.55 × 91
      p95: expect.closeTo(59.05, 12),
      // h = 8.91: 9 + 0.91 × 91
      p99: expect.closeTo(91.81, 12),
      min: 1,
      max: 100,
    });
  });

  it("discards floor(n × discard) from each end, as Power Tuning's discardTopBottom", () => {
    // 0.45 × 10 = 4.5 -> 4 from each end: the middle two (5, 6) remain
    expect(summarize(SKEWED, 0.45).trimmedMean).toBe(5.5);
    // 0.1 × 10 = 1 from each end: (2 + … + 9) / 8 = 44 / 8
    expect(summarize(SKEWED, 0.1).trimmedMean).toBe(5.5);
    // 0.15 × 10 = 1.5 -> 1, the same as 0.1
    expect(summarize(SKEWED, 0.15).trimmedMean).toBe(5.5);
    // nothing dropped: the trimmed mean is the mean
    expect(summarize(SKEWED, 0).trimmedMean).toBe(14.5);
    // 0.1 × 5 = 0.5 -> 0: too few samples to trim, so nothing is dropped
    expect(summarize([1, 2, 3, 4, 50], 0.1).trimmedMean).toBe(12);
    // 0.2 × 5 = 1 from each end: (2 + 3 + 4) / 3
    expect(summarize([1, 2, 3, 4, 50], 0.2).trimmedMean).toBe(3);
  });

  it("refuses a discard share that would leave nothing", () => {
    expect(() => summarize(SKEWED, 0.5)).toThrow(RangeError);
    expect(() => summarize(SKEWED, -0.1)).toThrow(RangeError);
    expect(() => summarize(SKEWED, Number.NaN)).toThrow(RangeError);
  });

  it("gives zeros for no samples and the sample itself for one", () => {
    expect(summarize([], 0.2)).toEqual(EMPTY_DISTRIBUTION);
    expect(summarize([42], 0.2)).toEqual({
      mean: 42,
      trimmedMean: 42,
      p50: 42,
      p90: 42,
      p95: 42,
      p99: 42,
      min: 42,
      max: 42,
    });
  });

  it("does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    summarize(values, 0);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("percentile", () => {
  it("interpolates linearly between closest ranks (NumPy's default)", () => {
    // numpy.percentile([1, 2, 3, 4], 25) == 1.75: h = 3 × 0.25 = 0.75
    expect(percentile([4, 3, 2, 1], 0.25)).toBe(1.75);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 1)).toBe(4);
    expect(percentile([], 0.5)).toBe(0);
    expect(() => percentile([1], 1.5)).toThrow(RangeError);
  });

  it("computes the mean of nothing as 0", () => {
    expect(mean([])).toBe(0);
    expect(mean([1, 2, 6])).toBe(3);
  });
});

describe("seededRandom", () => {
  it("repeats for a seed, differs between seeds, and stays in [0, 1)", () => {
    const first = seededRandom(7);
    const again = seededRandom(7);
    const other = seededRandom(8);
    const a = Array.from({ length: 5 }, first);
    expect(Array.from({ length: 5 }, again)).toEqual(a);
    expect(Array.from({ length: 5 }, other)).not.toEqual(a);
    const many = Array.from({ length: 20_000 }, seededRandom(1));
    expect(Math.min(...many)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...many)).toBeLessThan(1);
    // a uniform mean is 0.5 with a standard error of 0.289 / √20,000 ≈ 0.002
    expect(mean(many)).toBeCloseTo(0.5, 1);
  });
});

describe("bootstrapMeanInterval", () => {
  it("takes the quantiles of the resampled means (worked by hand)", () => {
    // Values [0, 1]; random draws pick index floor(r × 2). The four resamples
    // draw (0,0), (0,1), (1,0), (1,1): means 0, 0.5, 0.5, 1.
    const draws = [0.1, 0.1, 0.1, 0.6, 0.6, 0.1, 0.6, 0.6];
    let next = 0;
    const interval = bootstrapMeanInterval([0, 1], {
      confidence: 0.5,
      resamples: 4,
      random: () => draws[next++]!,
    });
    // tails at 0.25 and 0.75 of [0, 0.5, 0.5, 1]: h = 0.75 -> 0.375, h = 2.25 -> 0.625
    expect(interval).toEqual({ low: 0.375, high: 0.625 });
    expect(next).toBe(8);
  });

  it("is deterministic without a generator, and with the same seed", () => {
    const values = Array.from({ length: 30 }, seededRandom(3)).map((u) => 100 + 50 * u);
    expect(bootstrapMeanInterval(values)).toEqual(bootstrapMeanInterval(values));
    expect(bootstrapMeanInterval(values, { random: seededRandom(9) })).toEqual(
      bootstrapMeanInterval(values, { random: seededRandom(9) }),
    );
  });

  it("brackets the mean about as widely as the normal approximation", () => {
    // 400 uniform [0, 1) values: standard error 0.2887 / √400 ≈ 0.0144,
    // so a 95% interval is about 2 × 1.96 × 0.0144 ≈ 0.0566 wide.
    const values = Array.from({ length: 400 }, seededRandom(11));
    const { low, high } = bootstrapMeanInterval(values);
    expect(low).toBeLessThan(mean(values));
    expect(high).toBeGreaterThan(mean(values));
    expect(high - low).toBeGreaterThan(0.0566 * 0.85);
    expect(high - low).toBeLessThan(0.0566 * 1.15);
    // a 50% interval is narrower
    const half = bootstrapMeanInterval(values, { confidence: 0.5 });
    expect(half.high - half.low).toBeLessThan(high - low);
  });

  it("collapses for identical values, one value and no values", () => {
    expect(bootstrapMeanInterval([5, 5, 5, 5])).toEqual({ low: 5, high: 5 });
    expect(bootstrapMeanInterval([3.25])).toEqual({ low: 3.25, high: 3.25 });
    expect(bootstrapMeanInterval([])).toEqual({ low: 0, high: 0 });
  });

  it("refuses impossible settings", () => {
    expect(() => bootstrapMeanInterval([1, 2], { confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrapMeanInterval([1, 2], { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapMeanInterval([1, 2], { resamples: 2.5 })).toThrow(RangeError);
  });
});
