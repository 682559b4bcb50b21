import { describe, expect, it } from "vitest";
import {
  billedDurationMs,
  costPerInvocation,
  meanBilledDurationMs,
  monthlyCost,
  provisionedConcurrencyMonthlyCost,
  responseStreamingCost,
  snapStartCost,
  tieredDurationCost,
} from "../../src/pricing/cost.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../src/pricing/price-table.js";

const x86 = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");
const arm = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "arm64");

describe("billed duration", () => {
  it("rounds each invocation up to the next millisecond", () => {
    expect(billedDurationMs(12.34)).toBe(13);
    expect(billedDurationMs(12)).toBe(12);
    expect(billedDurationMs(0.01)).toBe(1);
    expect(billedDurationMs(0)).toBe(0);
  });

  it("bills a cold start's init and duration together, rounded once", () => {
    // 98% warm at ceil(10.2) = 11 ms, 2% cold at ceil(10.2 + 250.5) = 261 ms
    expect(
      meanBilledDurationMs({ durationMs: 10.2, initDurationMs: 250.5, coldStartRate: 0.02 }),
    ).toBeCloseTo(0.98 * 11 + 0.02 * 261, 10);
    expect(meanBilledDurationMs({ durationMs: 10.2 })).toBe(11);
  });
});

describe("costPerInvocation", () => {
  it("prices 1,024 MB for 100 ms on x86_64 in us-east-1", () => {
    const cost = costPerInvocation(x86, { memoryMb: 1024, billedDurationMs: 100 });
    // 1 GB x 0.1 s = 0.1 GB-s x $0.0000166667 = $0.00000166667; request $0.20 / 1M = $0.0000002
    expect(cost.gbSeconds).toBeCloseTo(0.1, 12);
    expect(cost.computeUsd).toBeCloseTo(0.1 * 0.0000166667, 15);
    expect(cost.requestUsd).toBeCloseTo(0.0000002, 15);
    expect(cost.ephemeralUsd).toBe(0);
    expect(cost.totalUsd).toBeCloseTo(0.00000166667 + 0.0000002, 15);
  });

  it("prices 128 MB for 1 ms on arm64", () => {
    const cost = costPerInvocation(arm, { memoryMb: 128, billedDurationMs: 1 });
    // 0.125 GB x 0.001 s = 0.000125 GB-s x $0.0000133334
    expect(cost.computeUsd).toBeCloseTo(0.000125 * 0.0000133334, 18);
  });

  it("charges ephemeral storage above 512 MB only", () => {
    const cost = costPerInvocation(x86, {
      memoryMb: 1024,
      billedDurationMs: 2000,
      ephemeralStorageMb: 10_240,
    });
    // (10,240 - 512) / 1024 = 9.5 GB x 2 s = 19 GB-s x $0.0000000309
    expect(cost.ephemeralUsd).toBeCloseTo(19 * 0.0000000309, 18);
    expect(
      costPerInvocation(x86, { memoryMb: 1024, billedDurationMs: 2000, ephemeralStorageMb: 512 })
        .ephemeralUsd,
    ).toBe(0);
  });
});

describe("monthlyCost", () => {
  it("matches the issue's worked example: 1,024 MB x 100 ms x 10M", () => {
    const month = monthlyCost(x86, {
      memoryMb: 1024,
      billedDurationMs: 100,
      invocations: 10_000_000,
    });
    // 10M x 0.1 GB-s = 1,000,000 GB-s x $0.0000166667 = $16.6667; 10 x $0.20 = $2.00
    expect(month.gbSeconds).toBeCloseTo(1_000_000, 6);
    expect(month.computeUsd).toBeCloseTo(16.6667, 8);
    expect(month.requestsUsd).toBeCloseTo(2, 10);
    expect(month.totalUsd.toFixed(2)).toBe("18.67");
    const armMonth = monthlyCost(arm, {
      memoryMb: 1024,
      billedDurationMs: 100,
      invocations: 10_000_000,
    });
    // 1,000,000 GB-s x $0.0000133334 = $13.3334 + $2.00
    expect(armMonth.totalUsd.toFixed(2)).toBe("15.33");
  });

  it("crosses the 6B GB-s tier boundary on x86_64", () => {
    // 10,240 MB = 10 GB x 1 s = 10 GB-s an invocation; 700M invocations = 7B GB-s
    const month = monthlyCost(x86, {
      memoryMb: 10_240,
      billedDurationMs: 1000,
      invocations: 700_000_000,
    });
    expect(month.gbSeconds).toBeCloseTo(7e9, 0);
    expect(month.computeTiers).toHaveLength(2);
    expect(month.computeTiers[0]!.gbSeconds).toBeCloseTo(6e9, 0);
    expect(month.computeTiers[1]!.gbSeconds).toBeCloseTo(1e9, 0);
    // 6B x 0.0000166667 + 1B x 0.000015 = 100,000.2 + 15,000
    expect(month.computeUsd).toBeCloseTo(6e9 * 0.0000166667 + 1e9 * 0.000015, 4);
    expect(month.computeUsd).toBeCloseTo(115_000.2, 4);
  });

  it("reaches the third tier beyond 15B GB-s, and arm64's own boundaries", () => {
    const x86Tiers = tieredDurationCost(x86.architecturePrices.durationTiers, 20e9);
    // 6B x 0.0000166667 + 9B x 0.000015 + 5B x 0.0000133334
    expect(x86Tiers.usd).toBeCloseTo(100_000.2 + 135_000 + 66_667, 3);
    const armTiers = tieredDurationCost(arm.architecturePrices.durationTiers, 20e9);
    // 7.5B x 0.0000133334 + 11.25B x 0.0000120001 + 1.25B x 0.0000106667
    expect(armTiers.tiers.map((tier) => tier.gbSeconds)).toEqual([7.5e9, 11.25e9, 1.25e9]);
    expect(armTiers.usd).toBeCloseTo(100_000.5 + 135_001.125 + 13_333.375, 3);
  });

  it("subtracts the free tier only when asked", () => {
    const workload = { memoryMb: 1024, billedDurationMs: 100, invocations: 10_000_000 };
    const month = monthlyCost(x86, { ...workload, freeTier: true });
    // (1,000,000 - 400,000) GB-s x $0.0000166667 = $10.00002; (10M - 1M) x $0.20/M = $1.80
    expect(month.billableGbSeconds).toBeCloseTo(600_000, 6);
    expect(month.computeUsd).toBeCloseTo(10.00002, 8);
    expect(month.requestsUsd).toBeCloseTo(1.8, 10);
    expect(monthlyCost(x86, workload).freeTierApplied).toBe(false);
    const tiny = monthlyCost(x86, {
      memoryMb: 128,
      billedDurationMs: 10,
      invocations: 1000,
      freeTier: true,
    });
    expect(tiny.totalUsd).toBe(0);
  });

  it("costs nothing for no invocations", () => {
    expect(
      monthlyCost(x86, { memoryMb: 1024, billedDurationMs: 100, invocations: 0 }).totalUsd,
    ).toBe(0);
  });
});

describe("other billing models", () => {
  it("prices provisioned concurrency for a 730-hour month", () => {
    const cost = provisionedConcurrencyMonthlyCost(x86, {
      memoryMb: 1024,
      billedDurationMs: 100,
      invocations: 10_000_000,
      concurrency: 10,
    });
    // 10 x 1 GB x 730 h x 3600 s = 26,280,000 GB-s x $0.0000041667 = $109.500876
    expect(cost.configuredGbSeconds).toBe(26_280_000);
    expect(cost.configuredUsd).toBeCloseTo(109.500876, 6);
    // 1,000,000 GB-s of duration x $0.0000097222 = $9.7222
    expect(cost.durationUsd).toBeCloseTo(9.7222, 8);
    expect(cost.totalUsd).toBeCloseTo(109.500876 + 9.7222 + 2, 6);
  });

  it("prices SnapStart's cache (three-hour minimum) and restores", () => {
    // 1 GB x 3 h x 3600 s = 10,800 GB-s x $0.0000015046 = $0.01624968
    const brief = snapStartCost(x86, { memoryMb: 1024, activeHours: 1, restores: 0 });
    expect(brief.cacheUsd).toBeCloseTo(0.01624968, 10);
    // 1,000 restores x 0.5 GB x $0.0001397998 = $0.0698999
    const restores = snapStartCost(x86, { memoryMb: 512, activeHours: 730, restores: 1000 });
    expect(restores.restoreUsd).toBeCloseTo(0.0698999, 10);
  });

  it("charges streaming only beyond the first 6 MB of each response", () => {
    expect(responseStreamingCost(x86, { responseBytes: 6 * 1024 * 1024, responses: 1000 })).toBe(0);
    // 1 GiB + 6 MiB responses: 1 GiB billed each x 10 x $0.008
    expect(
      responseStreamingCost(x86, { responseBytes: 1024 ** 3 + 6 * 1024 ** 2, responses: 10 }),
    ).toBeCloseTo(0.08, 12);
  });
});
