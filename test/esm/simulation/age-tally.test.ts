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
    // Each range is tallied exactly, so the percentiles are those of the uniform 0–20 ms.
    expect(tally.percentile(0.5)).toBeGreaterThan(0.01 * 0.99);
    expect(tally.percentile(0.5)).toBeLessThan(0.01 * 1.01);
    expect(tally.percentile(0.99)).toBeGreaterThan(0.0198 * 0.99);
    expect(tally.percentile(0.99)).toBeLessThanOrEqual(0.02);
    expect(tally.percentile(0.1)).toBeGreaterThan(0.002 * 0.99);
    expect(tally.percentile(0.1)).toBeLessThan(0.002 * 1.01);
  });

  it("keeps a range spanning thousands of bins in its bins: reading mid-run and adding more", () => {
    const tally = new AgeTally();
    // Ages even over 1 s – 1,001 s: the 25th percentile is 251 s.
    tally.add(1_000, 1, 1_001);
    expect(tally.percentile(0.25) / 251).toBeCloseTo(1, 2);
    // Read, then add a second range on top: 1,000 more records at 2,000–3,000 s.
    tally.add(1_000, 2_000, 3_000);
    expect(tally.percentile(0.75) / 2_500).toBeCloseTo(1, 2);
    expect(tally.percentile(0.25) / 501).toBeCloseTo(1, 2);
  });
});
