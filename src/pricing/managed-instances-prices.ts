/**
 * The EC2 instance types Lambda Managed Instances can run on, with their
 * On-Demand hourly prices by region: the table's shape (a zod schema, so the
 * bundled JSON is checked as strictly as prices.json) and one lookup. The
 * figures, their source and date live in managed-instances-prices.json.
 */
import { z } from "zod";
import bundled from "./managed-instances-prices.json" with { type: "json" };
import { ARCHITECTURES, type Architecture } from "./price-table.js";

const usd = z.number().nonnegative();

const InstanceTypeSchema = z.object({
  type: z.string().min(1),
  family: z.enum(["general", "compute", "memory"]),
  architecture: z.enum(ARCHITECTURES),
  vcpus: z.number().int().positive(),
  memoryGib: z.number().positive(),
});
export type ManagedInstanceType = z.infer<typeof InstanceTypeSchema>;

export const ManagedInstancesPriceTableSchema = z
  .object({
    currency: z.literal("USD"),
    source: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD"),
    notes: z.array(z.string()).default([]),
    /** The management fee, as a share of the On-Demand instance price (0.15). */
    managementFeeShare: z.number().min(0).max(1),
    requestsPerMillion: usd,
    instanceTypes: z.array(InstanceTypeSchema).min(1),
    priceSets: z.record(z.string(), z.object({ hourlyUsd: z.record(z.string(), usd) })),
    /** Region -> its own price set, or { priceSet, modelled: true } for a region priced on another's. */
    regions: z.record(
      z.string(),
      z.union([z.string(), z.object({ priceSet: z.string(), modelled: z.literal(true) })]),
    ),
  })
  .superRefine((table, context) => {
    const types = new Set(table.instanceTypes.map((row) => row.type));
    for (const [name, set] of Object.entries(table.priceSets)) {
      for (const type of types)
        if (!(type in set.hourlyUsd))
          context.addIssue({
            code: "custom",
            path: ["priceSets", name, "hourlyUsd"],
            message: `has no price for ${type}`,
          });
    }
    for (const [region, entry] of Object.entries(table.regions)) {
      const setName = typeof entry === "string" ? entry : entry.priceSet;
      if (!(setName in table.priceSets))
        context.addIssue({
          code: "custom",
          path: ["regions", region],
          message: `names price set "${setName}", which priceSets does not define`,
        });
    }
  });
export type ManagedInstancesPriceTable = z.infer<typeof ManagedInstancesPriceTableSchema>;

export const BUNDLED_MANAGED_INSTANCES_PRICES: ManagedInstancesPriceTable =
  ManagedInstancesPriceTableSchema.parse(bundled);

/** One instance type with its hourly price in a region. */
export interface PricedInstanceType extends ManagedInstanceType {
  readonly hourlyUsd: number;
}

export interface ManagedInstancesPrices {
  readonly region: string;
  readonly date: string;
  readonly source: string;
  readonly managementFeeShare: number;
  readonly requestsPerMillion: number;
  /** Set when the region's instance prices are another region's (no price was read for it). */
  readonly modelledOn?: string;
  readonly instanceTypes: readonly PricedInstanceType[];
}

/** The instance types of one architecture, priced for a region; undefined for a region the table lacks. */
export function managedInstancesPricesFor(
  region: string,
  architecture: Architecture,
  table: ManagedInstancesPriceTable = BUNDLED_MANAGED_INSTANCES_PRICES,
): ManagedInstancesPrices | undefined {
  const entry = table.regions[region];
  if (entry === undefined) return undefined;
  const setName = typeof entry === "string" ? entry : entry.priceSet;
  const set = table.priceSets[setName]!;
  return {
    region,
    date: table.date,
    source: table.source,
    managementFeeShare: table.managementFeeShare,
    requestsPerMillion: table.requestsPerMillion,
    ...(typeof entry === "string" ? {} : { modelledOn: setName }),
    instanceTypes: table.instanceTypes
      .filter((row) => row.architecture === architecture)
      .map((row) => ({ ...row, hourlyUsd: set.hourlyUsd[row.type]! })),
  };
}
