import { describe, expect, it } from "vitest";
import { balancedScore, recommend } from "../../src/tuning/strategies.js";
import { configurationResult as config } from "./fixtures.js";

const ORIGINAL = { memoryMb: 1024, architecture: "x86_64" } as const;

/** Cost falls and speed rises with memory, as for a CPU-bound function. */
const CURVE = [
  config({ memoryMb: 128, costUsd: 2.0e-6, meanMs: 400 }),
  config({ memoryMb: 512, costUsd: 3.0e-6, meanMs: 150 }),
  config({ memoryMb: 1024, costUsd: 5.0e-6, meanMs: 120 }),
  // cheapest of all on paper, but failed: never a candidate
  config({ memoryMb: 64, status: "failed", costUsd: 0, meanMs: 0 }),
];

describe("recommend: cost", () => {
  it("picks the cheapest ok configuration and prices the saving against the original", () => {
    const { recommendation, closestToSlo } = recommend(CURVE, {
      strategy: "cost",
      balancedWeight: 0.5,
      original: ORIGINAL,
    });
    expect(closestToSlo).toBeNull();
    expect(recommendation).toMatchObject({
      memoryMb: 128,
      architecture: "x86_64",
      strategy: "cost",
      costPerInvocationUsd: 2.0e-6,
      durationMsP50: 400,
      durationMsP95: 480,
      tiedWith: [],
    });
    // 5.0e-6 − 2.0e-6 = 3.0e-6 a call, 3 dollars a million, 3 / 5 = 60%
    expect(recommendation!.savingVsOriginal!.perInvocationUsd).toBeCloseTo(3.0e-6, 15);
    expect(recommendation!.savingVsOriginal!.per1MInvocationsUsd).toBeCloseTo(3.0, 9);
    expect(recommendation!.savingVsOriginal!.percent).toBeCloseTo(60, 9);
    expect(recommendation!.reason).toBe(
      "Cheapest per invocation ($0.000002), 60% cheaper than the original 1,024 MB x86_64.",
    );
  });

  it("says which configurations are tied within noise and that they are slower", () => {
    // The brief's example: 1,024 MB arm64 is cheapest; 512 MB arm64's interval
    // overlaps it (2.05e-6 ≤ 2.2e-6) but it is slower, so the choice stands.
    const results = [
      config({ memoryMb: 1024, architecture: "x86_64", costUsd: 3.4e-6, meanMs: 100 }),
      config({
        memoryMb: 1024,
        architecture: "arm64",
        costUsd: 2.1e-6,
        meanMs: 100,
        costCi95: [2.0e-6, 2.2e-6],
      }),
      config({
        memoryMb: 512,
        architecture: "arm64",
        costUsd: 2.15e-6,
        meanMs: 190,
        costCi95: [2.05e-6, 2.25e-6],
      }),
    ];
    const { recommendation } = recommend(results, {
      strategy: "cost",
      balancedWeight: 0.5,
      original: ORIGINAL,
    });
    expect(recommendation).toMatchObject({
      memoryMb: 1024,
      architecture: "arm64",
      tiedWith: [{ memoryMb: 512, architecture: "arm64" }],
    });
    // (3.4 − 2.1) / 3.4 = 38.2%
    expect(recommendation!.reason).toBe(
      "Cheapest per invocation ($0.0000021), 38% cheaper than the original 1,024 MB x86_64; " +
        "512 MB arm64 is tied within noise and slower.",
    );
  });

  it("prefers the faster of configurations tied on cost", () => {
    const results = [
      config({ memoryMb: 128, costUsd: 2.0e-6, meanMs: 400, costCi95: [1.8e-6, 2.2e-6] }),
      config({ memoryMb: 256, costUsd: 2.1e-6, meanMs: 210, costCi95: [2.0e-6, 2.2e-6] }),
      config({ memoryMb: 1024, costUsd: 5.0e-6, meanMs: 120 }),
    ];
    const { recommendation } = recommend(results, {
      strategy: "cost",
      balancedWeight: 0.5,
      original: ORIGINAL,
    });
    expect(recommendation).toMatchObject({
      memoryMb: 256,
      costPerInvocationUsd: 2.1e-6,
      tiedWith: [{ memoryMb: 128, architecture: "x86_64" }],
    });
    // (5.0 − 2.1) / 5.0 = 58%
    expect(recommendation!.savingVsOriginal!.percent).toBeCloseTo(58, 9);
    expect(recommendation!.reason).toBe(
      "Within noise of the cheapest per invocation (128 MB x86_64 at $0.000002) at $0.0000021, " +
        "and faster (210 ms mean against 400 ms mean), 58% cheaper than the original 1,024 MB x86_64.",
    );
  });

  it("treats touching intervals as tied and an interval just apart as not", () => {
    const cheapest = config({ memoryMb: 128, costUsd: 2e-6, meanMs: 400, costCi95: [1e-6, 3e-6] });
    const touching = config({ memoryMb: 256, costUsd: 4e-6, meanMs: 200, costCi95: [3e-6, 5e-6] });
    const apart = config({ memoryMb: 512, costUsd: 4e-6, meanMs: 100, costCi95: [3.1e-6, 5e-6] });
    const options = { strategy: "cost", balancedWeight: 0.5 } as const;
    expect(recommend([cheapest, touching], options).recommendation!.memoryMb).toBe(256);
    expect(recommend([cheapest, apart], options).recommendation!.memoryMb).toBe(128);
  });

  it("says when the winner is the original configuration", () => {
    const { recommendation } = recommend([config({ memoryMb: 1024, costUsd: 1e-6, meanMs: 50 })], {
      strategy: "cost",
      balancedWeight: 0.5,
      original: ORIGINAL,
    });
    expect(recommendation!.savingVsOriginal).toEqual({
      perInvocationUsd: 0,
      per1MInvocationsUsd: 0,
      percent: 0,
    });
    expect(recommendation!.reason).toBe(
      "Cheapest per invocation ($0.000001); it is the original configuration.",
    );
  });

  it("leaves the saving out when the original was not measured or failed", () => {
    const unmeasured = recommend(CURVE, {
      strategy: "cost",
      balancedWeight: 0.5,
      original: { memoryMb: 2048, architecture: "x86_64" },
    });
    expect(unmeasured.recommendation!.savingVsOriginal).toBeNull();
    expect(unmeasured.recommendation!.reason).toBe("Cheapest per invocation ($0.000002).");
    const failed = recommend(CURVE, {
      strategy: "cost",
      balancedWeight: 0.5,
      original: { memoryMb: 64, architecture: "x86_64" },
    });
    expect(failed.recommendation!.savingVsOriginal).toBeNull();
  });

  it("does not depend on the order of the results", () => {
    const options = { strategy: "cost", balancedWeight: 0.5, original: ORIGINAL } as const;
    expect(recommend([...CURVE].reverse(), options)).toEqual(recommend(CURVE, options));
  });

  it("recommends nothing when nothing succeeded", () => {
    expect(recommend([], { strategy: "cost", balancedWeight: 0.5 })).toEqual({
      recommendation: null,
      closestToSlo: null,
    });
    expect(recommend([CURVE[3]!], { strategy: "slo", balancedWeight: 0.5, maxP95Ms: 100 })).toEqual(
      { recommendation: null, closestToSlo: null },
    );
  });
});

describe("recommend: speed", () => {
  const results = [
    config({ memoryMb: 1024, costUsd: 2.5e-6, meanMs: 120, durationCi95: [115, 125] }),
    config({ memoryMb: 1769, costUsd: 3.0e-6, meanMs: 100, durationCi95: [96, 104] }),
    config({ memoryMb: 3008, costUsd: 4.9e-6, meanMs: 98, durationCi95: [95, 101] }),
  ];

  it("picks the lowest mean duration, or the cheaper of those tied on duration", () => {
    // 3,008 MB is fastest (98 ms); 1,769 MB's [96, 104] overlaps its [95, 101]
    // and costs less, so 1,769 MB wins; 1,024 MB's [115, 125] does not overlap.
    const { recommendation } = recommend(results, { strategy: "speed", balancedWeight: 0.5 });
    expect(recommendation).toMatchObject({
      memoryMb: 1769,
      strategy: "speed",
      tiedWith: [{ memoryMb: 3008, architecture: "x86_64" }],
    });
    expect(recommendation!.reason).toBe(
      "Within noise of the fastest (3,008 MB x86_64 at 98 ms mean) at 100 ms mean, " +
        "and cheaper ($0.000003 against $0.0000049 per invocation).",
    );
  });

  it("uses the duration interval, not the cost one, to find ties", () => {
    const apart = results.map((result) =>
      result.memoryMb === 1769 ? { ...result, durationCi95: { low: 101.5, high: 104 } } : result,
    );
    const { recommendation } = recommend(apart, { strategy: "speed", balancedWeight: 0.5 });
    expect(recommendation).toMatchObject({ memoryMb: 3008, tiedWith: [] });
    expect(recommendation!.reason).toBe("Fastest (98 ms mean, $0.0000049 per invocation).");
  });
});

describe("recommend: balanced", () => {
  it("scores weight × cost / max cost + (1 − weight) × duration / max duration", () => {
    // max cost 5.0e-6, max duration 400 ms:
    //   128 MB: 0.5 × 2/5 + 0.5 × 400/400 = 0.2 + 0.5    = 0.7
    //   512 MB: 0.5 × 3/5 + 0.5 × 150/400 = 0.3 + 0.1875 = 0.4875
    //  1024 MB: 0.5 × 5/5 + 0.5 × 120/400 = 0.5 + 0.15   = 0.65
    const score = balancedScore(CURVE.slice(0, 3), 0.5);
    expect(CURVE.slice(0, 3).map(score)).toEqual([0.7, 0.4875, 0.65]);
    const { recommendation } = recommend(CURVE, { strategy: "balanced", balancedWeight: 0.5 });
    expect(recommendation).toMatchObject({ memoryMb: 512, strategy: "balanced" });
    expect(recommendation!.reason).toBe(
      "Best balance of cost and speed at weight 0.5 ($0.000003 per invocation, 150 ms mean).",
    );
  });

  it("is the cost strategy at weight 1 and the speed strategy at weight 0", () => {
    const at = (balancedWeight: number) =>
      recommend(CURVE, { strategy: "balanced", balancedWeight }).recommendation!.memoryMb;
    expect(at(1)).toBe(128);
    expect(at(0)).toBe(1024);
  });

  it("refuses a weight outside 0 to 1", () => {
    expect(() => recommend(CURVE, { strategy: "balanced", balancedWeight: 1.5 })).toThrow(
      RangeError,
    );
  });
});

describe("recommend: slo", () => {
  // p95 is 1.2 × the mean in the fixtures: 480, 180 and 144 ms; p99 is 1.1 × p95.
  it("picks the cheapest configuration whose p95 meets the bound", () => {
    const { recommendation, closestToSlo } = recommend(CURVE, {
      strategy: "slo",
      balancedWeight: 0.5,
      maxP95Ms: 200,
      original: ORIGINAL,
    });
    expect(closestToSlo).toBeNull();
    expect(recommendation).toMatchObject({ memoryMb: 512, durationMsP95: 180 });
    // (5 − 3) / 5 = 40%
    expect(recommendation!.reason).toBe(
      "Cheapest per invocation ($0.000003) whose p95 meets the bound: 180 ms against 200 ms, " +
        "40% cheaper than the original 1,024 MB x86_64.",
    );
  });

  it("counts a percentile equal to the bound as meeting it, and reads p99 when asked", () => {
    expect(
      recommend(CURVE, { strategy: "slo", balancedWeight: 0.5, maxP95Ms: 180 }).recommendation!
        .memoryMb,
    ).toBe(512);
    // p99: 512 MB 198 ms, 1,024 MB 158.4 ms
    expect(
      recommend(CURVE, { strategy: "slo", balancedWeight: 0.5, maxP99Ms: 160 }).recommendation!
        .memoryMb,
    ).toBe(1024);
  });

  it("names the closest configuration when none meets the bound", () => {
    expect(recommend(CURVE, { strategy: "slo", balancedWeight: 0.5, maxP95Ms: 100 })).toEqual({
      recommendation: null,
      closestToSlo: { memoryMb: 1024, architecture: "x86_64", percentileMs: 144 },
    });
  });

  it("never ties with a configuration that misses the bound", () => {
    const results = [
      // overlaps 512 MB on cost, but its p95 (480 ms) misses the bound
      config({ memoryMb: 128, costUsd: 2.0e-6, meanMs: 400, costCi95: [1.5e-6, 3.5e-6] }),
      config({ memoryMb: 512, costUsd: 3.0e-6, meanMs: 150, costCi95: [2.9e-6, 3.1e-6] }),
      config({ memoryMb: 1024, costUsd: 5.0e-6, meanMs: 120 }),
    ];
    const { recommendation } = recommend(results, {
      strategy: "slo",
      balancedWeight: 0.5,
      maxP95Ms: 200,
    });
    expect(recommendation).toMatchObject({ memoryMb: 512, tiedWith: [] });
  });

  it("needs exactly one bound", () => {
    expect(() => recommend(CURVE, { strategy: "slo", balancedWeight: 0.5 })).toThrow(RangeError);
    expect(() =>
      recommend(CURVE, { strategy: "slo", balancedWeight: 0.5, maxP95Ms: 1, maxP99Ms: 2 }),
    ).toThrow(RangeError);
    expect(() => recommend(CURVE, { strategy: "slo", balancedWeight: 0.5, maxP95Ms: -1 })).toThrow(
      RangeError,
    );
    // a bound of 0 ms is met by nothing: no recommendation, and the closest
    expect(
      recommend(CURVE, { strategy: "slo", balancedWeight: 0.5, maxP95Ms: 0 }).closestToSlo,
    ).toEqual({ memoryMb: 1024, architecture: "x86_64", percentileMs: 144 });
  });
});

describe("recommend: --metric ttfb", () => {
  /** A configuration with a time-to-first-byte distribution: p50, p95 = 2 × p50, p99 = 3 × p50. */
  const withTtfb = (
    spec: Parameters<typeof config>[0],
    ttfbP50: number,
    ttfbCi95: [number, number] = [ttfbP50 * 0.99, ttfbP50 * 1.01],
  ) => ({
    ...config(spec),
    ttfbMs: {
      mean: ttfbP50,
      trimmedMean: ttfbP50,
      p50: ttfbP50,
      p90: ttfbP50 * 2,
      p95: ttfbP50 * 2,
      p99: ttfbP50 * 3,
      min: ttfbP50 / 2,
      max: ttfbP50 * 3,
    },
    ttfbCi95: { low: ttfbCi95[0], high: ttfbCi95[1] },
  });
  // Duration says 128 MB is fastest; the first byte comes soonest at 1,024 MB.
  const STREAM = [
    withTtfb({ memoryMb: 128, costUsd: 0.000001, meanMs: 200 }, 150),
    withTtfb({ memoryMb: 512, costUsd: 0.000003, meanMs: 900 }, 60),
    withTtfb({ memoryMb: 1024, costUsd: 0.000005, meanMs: 1500 }, 20),
  ];

  it("speed ranks by TTFB p50, not by mean duration, and says so", () => {
    expect(
      recommend(STREAM, { strategy: "speed", balancedWeight: 0.5 }).recommendation,
    ).toMatchObject({ memoryMb: 128, metric: "duration" });
    const { recommendation } = recommend(STREAM, {
      strategy: "speed",
      metric: "ttfb",
      balancedWeight: 0.5,
    });
    expect(recommendation).toMatchObject({
      memoryMb: 1024,
      metric: "ttfb",
      ttfbMsP50: 20,
      ttfbMsP95: 40,
      durationMsP50: 1500,
    });
    expect(recommendation!.reason).toBe(
      "Fastest to first byte (20 ms to first byte (p50), $0.000005 per invocation).",
    );
  });

  it("judges ties on the interval of the TTFB median, then takes the cheaper", () => {
    const tied = [
      withTtfb({ memoryMb: 512, costUsd: 0.000003, meanMs: 900 }, 21, [19, 23]),
      withTtfb({ memoryMb: 1024, costUsd: 0.000005, meanMs: 1500 }, 20, [18, 22]),
    ];
    const { recommendation } = recommend(tied, {
      strategy: "speed",
      metric: "ttfb",
      balancedWeight: 0.5,
    });
    expect(recommendation).toMatchObject({ memoryMb: 512, tiedWith: [{ memoryMb: 1024 }] });
    expect(recommendation!.reason).toMatch(
      /^Within noise of the fastest to first byte \(1,024 MB x86_64 at 20 ms to first byte \(p50\)\) at 21 ms/,
    );
  });

  it("slo bounds the TTFB percentile: the cheapest whose first-byte p95 meets it", () => {
    // First-byte p95: 300, 120 and 40 ms.
    const { recommendation } = recommend(STREAM, {
      strategy: "slo",
      metric: "ttfb",
      balancedWeight: 0.5,
      maxP95Ms: 150,
    });
    expect(recommendation).toMatchObject({ memoryMb: 512 });
    expect(recommendation!.reason).toBe(
      "Cheapest per invocation ($0.000003) whose first-byte p95 meets the bound: 120 ms against 150 ms.",
    );
    expect(
      recommend(STREAM, { strategy: "slo", metric: "ttfb", balancedWeight: 0.5, maxP95Ms: 10 })
        .closestToSlo,
    ).toEqual({ memoryMb: 1024, architecture: "x86_64", percentileMs: 40 });
  });

  it("balanced weighs cost against TTFB p50, each over its maximum", () => {
    // weight 0.5: 128 MB 0.5 × 1/5 + 0.5 × 150/150 = 0.6; 512 MB 0.3 + 0.2 = 0.5; 1,024 MB 0.5 + 0.0667
    expect(
      recommend(STREAM, { strategy: "balanced", metric: "ttfb", balancedWeight: 0.5 })
        .recommendation!.memoryMb,
    ).toBe(512);
  });

  it("leaves out a configuration with no first byte measured", () => {
    const unmeasured = {
      ...config({ memoryMb: 3008, costUsd: 0.00001, meanMs: 10 }),
      ttfbMs: null,
    };
    const { recommendation } = recommend([...STREAM, unmeasured], {
      strategy: "speed",
      metric: "ttfb",
      balancedWeight: 0.5,
    });
    expect(recommendation!.memoryMb).toBe(1024);
  });
});
