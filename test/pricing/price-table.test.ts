import { describe, expect, it } from "vitest";
import {
  BUNDLED_PRICE_TABLE,
  knownRegions,
  PriceTableError,
  parsePriceTable,
  pricesFor,
} from "../../src/pricing/price-table.js";

describe("the bundled price table", () => {
  it("has a source and the date it was read", () => {
    expect(BUNDLED_PRICE_TABLE.source).toContain("aws.amazon.com/lambda/pricing");
    expect(BUNDLED_PRICE_TABLE.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("holds the us-east-1 figures", () => {
    const x86 = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");
    expect(x86.architecturePrices.durationTiers).toEqual([
      { upToGbSeconds: 6e9, perGbSecond: 0.0000166667 },
      { upToGbSeconds: 15e9, perGbSecond: 0.000015 },
      { upToGbSeconds: null, perGbSecond: 0.0000133334 },
    ]);
    expect(x86.requestsPerMillion).toBe(0.2);
    expect(x86.ephemeralStoragePerGbSecond).toBe(0.0000000309);
    expect(x86.architecturePrices.provisionedConcurrencyPerGbSecond).toBe(0.0000041667);
    expect(x86.architecturePrices.provisionedDurationPerGbSecond).toBe(0.0000097222);
    const arm = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "arm64");
    expect(
      arm.architecturePrices.durationTiers.map((tier) => [tier.upToGbSeconds, tier.perGbSecond]),
    ).toEqual([
      [7.5e9, 0.0000133334],
      [18.75e9, 0.0000120001],
      [null, 0.0000106667],
    ]);
    expect(arm.architecturePrices.provisionedConcurrencyPerGbSecond).toBe(0.0000033334);
    expect(arm.architecturePrices.provisionedDurationPerGbSecond).toBe(0.0000077778);
    expect(x86.snapStart).toEqual({ cachePerGbSecond: 0.0000015046, restorePerGb: 0.0001397998 });
    expect(x86.responseStreamingPerGb).toBe(0.008);
    expect(x86.freeTier).toEqual({ requestsPerMonth: 1_000_000, gbSecondsPerMonth: 400_000 });
  });

  it("prices the regions that differ from us-east-1 differently", () => {
    const usEast1 = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");
    for (const region of ["af-south-1", "ap-east-1", "eu-south-1", "me-south-1", "me-central-1"]) {
      const regional = pricesFor(BUNDLED_PRICE_TABLE, region, "x86_64");
      expect(regional.architecturePrices.durationTiers[0]!.perGbSecond, region).toBeGreaterThan(
        usEast1.architecturePrices.durationTiers[0]!.perGbSecond,
      );
      expect(regional.requestsPerMillion, region).toBeGreaterThan(0.2);
    }
    expect(
      pricesFor(BUNDLED_PRICE_TABLE, "af-south-1", "x86_64").architecturePrices.durationTiers[0]!
        .perGbSecond,
    ).toBe(0.0000221);
    // Osaka shares us-east-1's duration price but not its provisioned-concurrency price.
    const osaka = pricesFor(BUNDLED_PRICE_TABLE, "ap-northeast-3", "x86_64");
    expect(osaka.architecturePrices.durationTiers).toEqual(
      usEast1.architecturePrices.durationTiers,
    );
    expect(osaka.architecturePrices.provisionedConcurrencyPerGbSecond).toBeGreaterThan(
      0.0000041667,
    );
    expect(pricesFor(BUNDLED_PRICE_TABLE, "us-west-2", "x86_64").architecturePrices).toEqual(
      usEast1.architecturePrices,
    );
  });

  it("refuses a region it has no prices for", () => {
    expect(knownRegions(BUNDLED_PRICE_TABLE)).not.toContain("mars-1");
    expect(() => pricesFor(BUNDLED_PRICE_TABLE, "mars-1", "x86_64")).toThrow(PriceTableError);
  });
});

describe("parsePriceTable", () => {
  const clone = () =>
    structuredClone(BUNDLED_PRICE_TABLE) as Record<string, unknown> & typeof BUNDLED_PRICE_TABLE;

  it("accepts the bundled table", () => {
    expect(parsePriceTable(clone())).toEqual(BUNDLED_PRICE_TABLE);
  });

  it("names the first problem of a malformed table", () => {
    const negative = clone();
    negative.priceSets["us-east-1"]!.requestsPerMillion = -1;
    expect(() => parsePriceTable(negative)).toThrow(/priceSets\.us-east-1\.requestsPerMillion/);

    const openEnded = clone();
    openEnded.priceSets["us-east-1"]!.architectures.x86_64.durationTiers = [
      { upToGbSeconds: 6e9, perGbSecond: 1 },
    ];
    expect(() => parsePriceTable(openEnded)).toThrow(/upToGbSeconds: null/);

    const dangling = clone();
    dangling.regions["xx-test-1"] = "nowhere";
    expect(() => parsePriceTable(dangling)).toThrow(/regions\.xx-test-1/);

    expect(() => parsePriceTable({ currency: "USD" })).toThrow(PriceTableError);
    expect(() => parsePriceTable([])).toThrow(PriceTableError);
  });
});
