import { describe, expect, it } from "vitest";
import {
  BUNDLED_PRICE_TABLE,
  describePricesUsed,
  knownRegions,
  modelledPricesLabel,
  type PriceTable,
  PriceTableError,
  parsePriceTable,
  priceBasis,
  pricesFor,
  pricesUsed,
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
    expect(pricesFor(BUNDLED_PRICE_TABLE, "us-west-2", "x86_64").architecturePrices).toEqual(
      usEast1.architecturePrices,
    );
  });

  it("gives Osaka (ap-northeast-3) its own prices, read from its own AWS entry", () => {
    // Power Tuning prices Osaka at 2.7e-9 per ms at 128 MB, about $0.0000216 per GB-s: the
    // figure an older copy of AWS's feed held ($0.00002153, and $0.26 per 1M requests). AWS's
    // current entry for Osaka, under the same rate codes, holds the figures below, which
    // today equal Tokyo's. The table keeps them as Osaka's own, not as a borrowed Tokyo set.
    expect(BUNDLED_PRICE_TABLE.regions["ap-northeast-3"]).toBe("ap-northeast-3");
    const osaka = pricesFor(BUNDLED_PRICE_TABLE, "ap-northeast-3", "x86_64");
    expect(osaka.modelledOn).toBeUndefined();
    expect(osaka.source).toContain("its own ap-northeast-3 entry");
    expect(osaka.source).toContain("janritter/aws-lambda-live-tuner");
    expect(osaka.date).toBe("2026-12-02");
    expect(osaka.architecturePrices.durationTiers[0]!.perGbSecond).toBe(0.0000166667);
    expect(osaka.architecturePrices.durationTiers[0]!.perGbSecond).not.toBe(0.00002153);
    expect(osaka.requestsPerMillion).toBe(0.2);
    expect(osaka.ephemeralStoragePerGbSecond).toBe(0.000000037);
    expect(osaka.architecturePrices.provisionedConcurrencyPerGbSecond).toBe(0.0000053835);
    expect(osaka.architecturePrices.provisionedDurationPerGbSecond).toBe(0.0000125615);
    const osakaArm = pricesFor(BUNDLED_PRICE_TABLE, "ap-northeast-3", "arm64");
    expect(osakaArm.architecturePrices.durationTiers[0]!.perGbSecond).toBe(0.0000133334);

    const tokyo = pricesFor(BUNDLED_PRICE_TABLE, "ap-northeast-1", "x86_64");
    expect(tokyo.source).toContain("its own ap-northeast-1 entry");
    expect(tokyo.source).not.toBe(osaka.source);
    expect(osaka.architecturePrices).toEqual(tokyo.architecturePrices);
  });

  it("gives the other regions it once mapped their own price sets too", () => {
    for (const [region, alike] of [
      ["ap-southeast-4", "ap-southeast-2"],
      ["us-east-2", "us-east-1"],
      ["us-west-2", "us-east-1"],
    ] as const) {
      expect(BUNDLED_PRICE_TABLE.regions[region], region).toBe(region);
      const own = pricesFor(BUNDLED_PRICE_TABLE, region, "x86_64");
      expect(own.source, region).toContain(`its own ${region} entry`);
      expect(own.modelledOn, region).toBeUndefined();
      const other = pricesFor(BUNDLED_PRICE_TABLE, alike, "x86_64");
      expect(own.architecturePrices, region).toEqual(other.architecturePrices);
      expect(own.ephemeralStoragePerGbSecond, region).toBe(other.ephemeralStoragePerGbSecond);
    }
    expect(
      pricesFor(BUNDLED_PRICE_TABLE, "ap-southeast-4", "x86_64").architecturePrices
        .provisionedConcurrencyPerGbSecond,
    ).toBe(0.000005236);
  });

  it("refuses a region it has no prices for", () => {
    expect(knownRegions(BUNDLED_PRICE_TABLE)).not.toContain("mars-1");
    expect(() => pricesFor(BUNDLED_PRICE_TABLE, "mars-1", "x86_64")).toThrow(PriceTableError);
  });
});

describe("every region in the bundled table is sourced or labelled modelled", () => {
  it.each(knownRegions(BUNDLED_PRICE_TABLE))("%s", (region) => {
    const entry = BUNDLED_PRICE_TABLE.regions[region];
    const basis = priceBasis(BUNDLED_PRICE_TABLE, region);
    expect(basis.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    if (typeof entry === "string") {
      // Sourced: its own price set, whose source names this region.
      expect(entry).toBe(region);
      expect(basis.modelledOn).toBeUndefined();
      expect(basis.source).toContain(region);
      expect(modelledPricesLabel(basis)).toBeUndefined();
    } else {
      // Modelled: another region's set, and the label every output carries.
      expect(entry?.modelled).toBe(true);
      expect(basis.modelledOn).toBe(entry?.priceSet);
      expect(modelledPricesLabel(basis)).toBe(
        `prices for ${region} modelled on ${entry?.priceSet}: no AWS price was found for ${region}`,
      );
    }
  });
});

/** The bundled table plus a region priced on Singapore's set, as a user's --price-file may hold. */
function withModelledRegion(): PriceTable {
  const table = structuredClone(BUNDLED_PRICE_TABLE);
  table.regions["ap-southeast-3"] = { priceSet: "ap-southeast-1", modelled: true };
  return parsePriceTable(table);
}

describe("a region modelled on another's prices", () => {
  it("is priced with that set and labelled wherever its prices are used", () => {
    const table = withModelledRegion();
    const jakarta = pricesFor(table, "ap-southeast-3", "arm64");
    const singapore = pricesFor(table, "ap-southeast-1", "arm64");
    expect(jakarta.region).toBe("ap-southeast-3");
    expect(jakarta.modelledOn).toBe("ap-southeast-1");
    expect(jakarta.architecturePrices).toEqual(singapore.architecturePrices);
    expect(jakarta.date).toBe(singapore.date);
    expect(pricesUsed(table, "ap-southeast-3")).toEqual({
      date: "2026-11-28",
      region: "ap-southeast-3",
      modelledOn: "ap-southeast-1",
    });
    expect(describePricesUsed(pricesUsed(table, "ap-southeast-3"))).toBe(
      "ap-southeast-3 as of 2026-11-28 (prices for ap-southeast-3 modelled on ap-southeast-1: no AWS price was found for ap-southeast-3)",
    );
    expect(describePricesUsed(pricesUsed(table, "ap-northeast-3"))).toBe(
      "ap-northeast-3 as of 2026-12-02",
    );
  });

  it("must name a price set that exists, and not its own", () => {
    const dangling = structuredClone(BUNDLED_PRICE_TABLE);
    dangling.regions["ap-southeast-3"] = { priceSet: "nowhere", modelled: true };
    expect(() => parsePriceTable(dangling)).toThrow(
      'regions.ap-southeast-3.priceSet: names price set "nowhere", which priceSets does not define',
    );
    const onItself = structuredClone(BUNDLED_PRICE_TABLE);
    onItself.regions["ap-northeast-3"] = { priceSet: "ap-northeast-3", modelled: true };
    expect(() => parsePriceTable(onItself)).toThrow(/is modelled on its own price set/);
    const unlabelled = structuredClone(BUNDLED_PRICE_TABLE) as unknown as {
      regions: Record<string, unknown>;
    };
    unlabelled.regions["ap-southeast-3"] = { priceSet: "ap-southeast-1" };
    expect(() => parsePriceTable(unlabelled)).toThrow(/regions\.ap-southeast-3/);
  });
});

describe("parsePriceTable", () => {
  const clone = () =>
    structuredClone(BUNDLED_PRICE_TABLE) as Record<string, unknown> & typeof BUNDLED_PRICE_TABLE;

  it("accepts the bundled table", () => {
    expect(parsePriceTable(clone())).toEqual(BUNDLED_PRICE_TABLE);
  });

  it("accepts a file in the older shape: no per-set source or date, regions sharing a set", () => {
    const older = clone();
    for (const set of Object.values(older.priceSets)) {
      delete set.source;
      delete set.date;
    }
    older.regions["us-west-2"] = "us-east-1";
    const table = parsePriceTable(older);
    const oregon = pricesFor(table, "us-west-2", "x86_64");
    expect(oregon.source).toBe(older.source);
    expect(oregon.date).toBe(older.date);
    expect(oregon.modelledOn).toBeUndefined();
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
