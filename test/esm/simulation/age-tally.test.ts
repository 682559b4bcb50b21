import { describe, expect, it } from "vitest";
import { AgeTally, binByLog, binOf, EDGES } from "../../../src/esm/simulation/age-tally.js";

describe("AgeTally", () => {
  it("bins every age as the logarithm does, at and around every bin edge", () => {
    const differing: number[] = [];
    const check = (seconds: number) => {
      if (binOf(seconds) !== binByLog(seconds)) differing.push(seconds);
    };
    for (const edge of EDGES) {
      for (const factor of [1, 1 + 1e-15, 1 - 1e-15, 1 + 2e-9, 1 - 2e-9, 1 + 1e-6, 1.005])
        check(edge * factor);
    }
    // Log-spaced ages from 0.1 ms to 10^7 s, off the edges.
    for (let index = 0; index <= 200_000; index++) check(1e-4 * 10 ** (index / 18_182));
    for (const odd of [0, -1, 1e-3, 1e9, Number.POSITIVE_INFINITY]) check(odd);
    expect(differing).toEqual([]);
  });

  it("reads percentiles of evenly spread ages within a bin (1%), wide batches included", () => {
    const tally = new AgeTally();
    // 1,000 batches of 10 records whose ages span 0–20 ms: ages even over 0–20 ms overall.
    for (let batch = 0; batch < 1_000; batch++) tally.add(10, 0, 0.02);
    expect(tally.count).toBe(10_000);
    expect(tally.meanSeconds).toBeCloseTo(0.01, 12);
    expect(tally.maxSeconds).toBe(0.02);
    // Wide batches are tallied at SPREAD_POINTS (4) midpoints: 2.5, 7.5, 12.5, 17.5 ms.
    expect(tally.percentile(0.5)).toBeGreaterThan(0.0075 * 0.99);
    expect(tally.percentile(0.5)).toBeLessThan(0.0125 * 1.01);
    expect(tally.percentile(0.99)).toBeGreaterThan(0.0175 * 0.99);
    expect(tally.percentile(0.99)).toBeLessThanOrEqual(0.02);
  });
});
