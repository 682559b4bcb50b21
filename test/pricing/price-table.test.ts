import { describe, expect, it } from "vitest";
import {
  costPerInvocation,
  monthlyCost,
  provisionedConcurrencyMonthlyCost,
  responseStreamingCost,
  snapStartCost,
} from "../../src/pricing/cost.js";
import {
  arm64SavingPerGbSecond,
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

  // Worked from AWS's published us-east-1 prices (aws.amazon.com/lambda/pricing):
  //   requests $0.20 per 1M; x86_64 duration $0.0000166667 per GB-s for the first 6 billion
  //   GB-s a month, $0.000015 for the next 9 billion, $0.0000133334 beyond 15 billion;
  //   arm64 $0.0000133334 / $0.0000120001 / $0.0000106667 (tiers at 7.5 and 18.75 billion);
  //   ephemeral storage $0.0000000309 per GB-s above the free 512 MB; provisioned concurrency
  //   $0.0000041667 per GB-s configured (arm64 $0.0000033334) and $0.0000097222 per GB-s of
  //   duration (arm64 $0.0000077778); free tier 1M requests and 400,000 GB-s a month.
  const usEast1 = (architecture: "x86_64" | "arm64") =>
    pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", architecture);

  it("prices 1M invocations of 128 MB for 100 ms on x86_64 at $0.20 + 12,500 GB-s × $0.0000166667", () => {
    const month = monthlyCost(usEast1("x86_64"), {
      invocations: 1_000_000,
      memoryMb: 128,
      billedDurationMs: 100,
    });
    expect(month.gbSeconds).toBeCloseTo(12_500, 9);
    expect(month.requestsUsd).toBeCloseTo(0.2, 12);
    expect(month.computeUsd).toBeCloseTo(0.20833375, 12);
    expect(month.totalUsd).toBeCloseTo(0.40833375, 12);
    // One of those invocations, as the tuner prices it: $0.0000002 + 0.0125 GB-s of compute.
    const one = costPerInvocation(usEast1("x86_64"), { memoryMb: 128, billedDurationMs: 100 });
    expect(one.gbSeconds).toBeCloseTo(0.0125, 15);
    expect(one.requestUsd).toBeCloseTo(0.0000002, 18);
    expect(one.totalUsd).toBeCloseTo(0.00000040833375, 18);
  });

  it("prices AWS's arm64 example: 3M requests of 512 MB for 120 ms come to $2.40 + $0.60", () => {
    // AWS's current pricing page, first example (a food-ordering mobile back end on arm64,
    // free tier left out):
    // 3M × 0.12 s × 0.5 GB = 180,000 GB-s × $0.0000133334 = $2.40; 3M requests × $0.20/M = $0.60.
    const month = monthlyCost(usEast1("arm64"), {
      invocations: 3_000_000,
      memoryMb: 512,
      billedDurationMs: 120,
    });
    expect(month.gbSeconds).toBeCloseTo(180_000, 6);
    expect(month.computeUsd).toBeCloseTo(2.400012, 9);
    expect(month.requestsUsd).toBeCloseTo(0.6, 12);
    expect(Number(month.totalUsd.toFixed(2))).toBe(3.0);
  });

  it("subtracts the free tier as AWS's older pricing page's two examples do", () => {
    // Example 1: 512 MB, 3M invocations of 1 s. 1,500,000 GB-s − 400,000 free = 1,100,000 GB-s;
    // the page, at the rounded $0.00001667, said $18.34 + $0.40 = $18.74; at $0.0000166667 the
    // compute is $18.33337. 2M billable requests × $0.20/M = $0.40.
    const month = monthlyCost(usEast1("x86_64"), {
      invocations: 3_000_000,
      memoryMb: 512,
      billedDurationMs: 1_000,
      freeTier: true,
    });
    expect(month.billableGbSeconds).toBe(1_100_000);
    expect(month.billableRequests).toBe(2_000_000);
    expect(month.computeUsd).toBeCloseTo(18.33337, 9);
    expect(month.totalUsd).toBeCloseTo(18.73337, 9);
    expect(Number(month.totalUsd.toFixed(1))).toBe(18.7);
    // Example 2: 128 MB, 30M invocations of 200 ms. 750,000 GB-s − 400,000 free = 350,000 GB-s;
    // the page said $5.83 + 29M × $0.20/M = $5.80, $11.63 in all.
    const second = monthlyCost(usEast1("x86_64"), {
      invocations: 30_000_000,
      memoryMb: 128,
      billedDurationMs: 200,
      freeTier: true,
    });
    expect(second.billableGbSeconds).toBeCloseTo(350_000, 6);
    expect(second.computeUsd).toBeCloseTo(5.833345, 9);
    expect(second.requestsUsd).toBeCloseTo(5.8, 12);
    expect(Number(second.totalUsd.toFixed(2))).toBe(11.63);
  });

  it("charges a month of 20 billion GB-s on x86_64 across AWS's three tiers", () => {
    // 6e9 × $0.0000166667 + 9e9 × $0.000015 + 5e9 × $0.0000133334
    //   = $100,000.20 + $135,000 + $66,667 = $301,667.20
    const month = monthlyCost(usEast1("x86_64"), {
      invocations: 20_000_000_000,
      memoryMb: 1_024,
      billedDurationMs: 1_000,
    });
    expect(month.computeTiers.map((tier) => [tier.gbSeconds, tier.perGbSecond])).toEqual([
      [6e9, 0.0000166667],
      [9e9, 0.000015],
      [5e9, 0.0000133334],
    ]);
    expect(month.computeUsd).toBeCloseTo(301_667.2, 4);
    // arm64's tiers sit at 7.5 and 18.75 billion: 7.5e9 × $0.0000133334 + 11.25e9 ×
    // $0.0000120001 + 1.25e9 × $0.0000106667 = $100,000.50 + $135,001.125 + $13,333.375.
    const arm = monthlyCost(usEast1("arm64"), {
      invocations: 20_000_000_000,
      memoryMb: 1_024,
      billedDurationMs: 1_000,
    });
    expect(arm.computeUsd).toBeCloseTo(248_335, 4);
  });

  it("charges /tmp above 512 MB at $0.0000000309 per GB-s", () => {
    // 10,240 MB of /tmp: 9.5 GB billed; 1M invocations × 1 s = 9,500,000 GB-s × $0.0000000309.
    const month = monthlyCost(usEast1("x86_64"), {
      invocations: 1_000_000,
      memoryMb: 128,
      billedDurationMs: 1_000,
      ephemeralStorageMb: 10_240,
    });
    expect(month.ephemeralUsd).toBeCloseTo(0.29355, 12);
  });

  it("charges provisioned concurrency per GB-s configured and a lower duration price", () => {
    // 10 environments of 1,024 MB for a 730-hour month: 26,280,000 GB-s × $0.0000041667
    // = $109.500876; 1M invocations × 1 s = 1,000,000 GB-s × $0.0000097222 = $9.7222.
    const month = provisionedConcurrencyMonthlyCost(usEast1("x86_64"), {
      concurrency: 10,
      invocations: 1_000_000,
      memoryMb: 1_024,
      billedDurationMs: 1_000,
    });
    expect(month.configuredGbSeconds).toBe(26_280_000);
    expect(month.configuredUsd).toBeCloseTo(109.500876, 9);
    expect(month.durationUsd).toBeCloseTo(9.7222, 9);
    // arm64: $0.0000033334 and $0.0000077778 per GB-s.
    const arm = provisionedConcurrencyMonthlyCost(usEast1("arm64"), {
      concurrency: 10,
      invocations: 1_000_000,
      memoryMb: 1_024,
      billedDurationMs: 1_000,
    });
    expect(arm.configuredUsd).toBeCloseTo(87.601752, 9);
    expect(arm.durationUsd).toBeCloseTo(7.7778, 9);
  });

  it("charges SnapStart's cache and restores, and streamed bytes beyond 6 MB", () => {
    // SnapStart (Python, .NET): cache $0.0000015046 per GB-s, restore $0.0001397998 per GB.
    // One 1,024 MB version cached a 730-hour month: 2,628,000 GB-s = $3.9540888;
    // 1,000 restores of 1 GB = $0.1397998.
    const snapStart = snapStartCost(usEast1("x86_64"), {
      memoryMb: 1_024,
      activeHours: 730,
      restores: 1_000,
    });
    expect(snapStart.cacheUsd).toBeCloseTo(3.9540888, 9);
    expect(snapStart.restoreUsd).toBeCloseTo(0.1397998, 12);
    // Response streaming: $0.008 per GB beyond the first 6 MB of a response.
    const streamed = responseStreamingCost(usEast1("x86_64"), {
      responseBytes: 6 * 1024 ** 2 + 1024 ** 3,
      responses: 1_000,
    });
    expect(streamed).toBeCloseTo(8, 12);
  });

  it("saves 20% per GB-second on arm64 in us-east-1: 1 − $0.0000133334 / $0.0000166667", () => {
    const saving = arm64SavingPerGbSecond(BUNDLED_PRICE_TABLE, "us-east-1");
    expect(saving.x86PerGbSecond).toBe(0.0000166667);
    expect(saving.arm64PerGbSecond).toBe(0.0000133334);
    // 0.0000033333 / 0.0000166667 = 0.199998…, AWS's "up to 20%" less.
    expect(saving.share).toBeCloseTo(0.199998, 6);
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
