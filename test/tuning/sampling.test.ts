/**
 * --until-confident's arithmetic: when another batch is taken, and how big it is. The batches
 * themselves are invoked end to end in tune-local.test.ts.
 */
import { describe, expect, it } from "vitest";
import { isConfident, nextBatchSize, wantsMoreSamples } from "../../src/tuning/sampling.js";

/** Costs alternating between two values, n of them. */
const alternating = (low: number, high: number, n: number) =>
  Array.from({ length: n }, (_, index) => (index % 2 === 0 ? low : high));

describe("isConfident", () => {
  it("is confident when the mean cost is known to within 5%", () => {
    // Mean 1.02e-6, standard error about 4.6e-9: a 95% half-width near 0.9% of the mean.
    expect(isConfident(alternating(1.0e-6, 1.04e-6, 20))).toBe(true);
    expect(isConfident([2.1e-6, 2.1e-6])).toBe(true);
  });

  it("is not when the costs spread wider, there is one sample, or they cost nothing", () => {
    // Mean 1.5e-6, half-width about a third of it.
    expect(isConfident(alternating(1.0e-6, 2.0e-6, 4))).toBe(false);
    expect(isConfident([2.1e-6])).toBe(false);
    expect(isConfident([0, 0, 0])).toBe(false);
  });
});

describe("nextBatchSize", () => {
  it("takes half of --num, at least 5, and never goes past --max-num", () => {
    expect(nextBatchSize({ num: 30, maxNum: 100 }, 30)).toBe(15);
    expect(nextBatchSize({ num: 4, maxNum: 100 }, 4)).toBe(5);
    expect(nextBatchSize({ num: 7, maxNum: 100 }, 7)).toBe(5);
    expect(nextBatchSize({ num: 30, maxNum: 50 }, 45)).toBe(5);
    expect(nextBatchSize({ num: 30, maxNum: 50 }, 48)).toBe(2);
  });
});

describe("wantsMoreSamples", () => {
  const settings = { untilConfident: true, dryRun: false, maxNum: 50 };
  const wide = { errorCount: 0, sampleCount: 4, costs: alternating(1.0e-6, 2.0e-6, 4) };

  it("asks for another batch while the interval is wide", () => {
    expect(wantsMoreSamples(settings, wide)).toBe(true);
    expect(
      wantsMoreSamples(settings, {
        errorCount: 0,
        sampleCount: 20,
        costs: alternating(1.0e-6, 1.04e-6, 20),
      }),
    ).toBe(false);
  });

  it("stops without --until-confident, on a dry run, after an error, and at --max-num", () => {
    expect(wantsMoreSamples({ ...settings, untilConfident: false }, wide)).toBe(false);
    expect(wantsMoreSamples({ ...settings, dryRun: true }, wide)).toBe(false);
    expect(wantsMoreSamples(settings, { ...wide, errorCount: 1 })).toBe(false);
    expect(wantsMoreSamples({ ...settings, maxNum: 4 }, wide)).toBe(false);
  });
});
