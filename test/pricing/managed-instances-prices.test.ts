import { describe, expect, it } from "vitest";
import {
  BUNDLED_MANAGED_INSTANCES_PRICES,
  ManagedInstancesPriceTableSchema,
  managedInstancesPricesFor,
} from "../../src/pricing/managed-instances-prices.js";
import { BUNDLED_PRICE_TABLE, knownRegions } from "../../src/pricing/price-table.js";

describe("the Managed Instances price table", () => {
  it("prices every region the Lambda price table has, us-east-1 read and the rest modelled", () => {
    const regions = Object.keys(BUNDLED_MANAGED_INSTANCES_PRICES.regions).sort();
    expect(regions).toEqual(knownRegions(BUNDLED_PRICE_TABLE));
    expect(BUNDLED_MANAGED_INSTANCES_PRICES.regions["us-east-1"]).toBe("us-east-1");
    for (const region of regions.filter((name) => name !== "us-east-1"))
      expect(BUNDLED_MANAGED_INSTANCES_PRICES.regions[region]).toEqual({
        priceSet: "us-east-1",
        modelled: true,
      });
    expect(BUNDLED_MANAGED_INSTANCES_PRICES.date).toBe("2026-12-03");
    expect(BUNDLED_MANAGED_INSTANCES_PRICES.managementFeeShare).toBe(0.15);
  });

  it("holds general, compute and memory families for both architectures", () => {
    for (const architecture of ["arm64", "x86_64"] as const) {
      const prices = managedInstancesPricesFor("us-east-1", architecture)!;
      expect(new Set(prices.instanceTypes.map((row) => row.family))).toEqual(
        new Set(["general", "compute", "memory"]),
      );
    }
    const arm = managedInstancesPricesFor("us-east-1", "arm64")!;
    expect(arm.instanceTypes.find((row) => row.type === "m7g.large")).toEqual({
      type: "m7g.large",
      family: "general",
      architecture: "arm64",
      vcpus: 2,
      memoryGib: 8,
      hourlyUsd: 0.0816,
    });
    expect(managedInstancesPricesFor("xx-nowhere-1", "arm64")).toBeUndefined();
  });

  it("rejects a price set that leaves an instance type unpriced", () => {
    const broken = structuredClone(BUNDLED_MANAGED_INSTANCES_PRICES);
    delete broken.priceSets["us-east-1"]!.hourlyUsd["c7g.large"];
    const result = ManagedInstancesPriceTableSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("has no price for c7g.large");
  });
});
