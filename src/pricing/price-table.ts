/**
 * The price table: its shape (a zod schema, so a user's --price-file is
 * checked as strictly as our own), and lookups by region and architecture.
 * The figures themselves live in prices.json beside this file.
 */
import { z } from "zod";
import bundledPrices from "./prices.json" with { type: "json" };

export const ARCHITECTURES = ["x86_64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

const usd = z.number().nonnegative();
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

const DurationTier = z.object({
  /** GB-seconds in a month this tier applies to; null = everything beyond the previous tier. */
  upToGbSeconds: z.number().positive().nullable(),
  perGbSecond: usd,
});

const ArchitecturePrices = z.object({
  durationTiers: z
    .array(DurationTier)
    .min(1)
    .refine((tiers) => tiers.at(-1)?.upToGbSeconds === null, {
      message: "the last duration tier must have upToGbSeconds: null",
    })
    .refine(
      (tiers) =>
        tiers.every(
          (tier, index) =>
            index === 0 ||
            tier.upToGbSeconds === null ||
            (tiers[index - 1]?.upToGbSeconds ?? 0) < tier.upToGbSeconds,
        ),
      { message: "duration tiers must be in increasing order of upToGbSeconds" },
    ),
  provisionedConcurrencyPerGbSecond: usd,
  provisionedDurationPerGbSecond: usd,
});

const PriceSet = z.object({
  /** Where this set's figures were read, when not (only) the table's own source. */
  source: z.string().min(1).optional(),
  /** The date this set's figures were read, when it differs from the table's date. */
  date: IsoDate.optional(),
  requestsPerMillion: usd,
  ephemeralStoragePerGbSecond: usd,
  architectures: z.object({ x86_64: ArchitecturePrices, arm64: ArchitecturePrices }),
  snapStart: z.object({ cachePerGbSecond: usd, restorePerGb: usd }),
  responseStreamingPerGb: usd,
});

/**
 * A region no AWS source gave prices for, priced with another region's set
 * and labelled so: every figure that reaches the user then says it is modelled.
 */
const ModelledRegion = z.object({
  priceSet: z.string(),
  modelled: z.literal(true),
});

/** A price set's name (the region's own published figures), or a modelled stand-in. */
const RegionEntry = z.union([z.string(), ModelledRegion]);

export const PriceTableSchema = z
  .object({
    currency: z.literal("USD"),
    source: z.string().min(1),
    /** The date the figures were read from the source (YYYY-MM-DD). */
    date: IsoDate,
    notes: z.array(z.string()).default([]),
    freeTier: z.object({
      requestsPerMonth: z.number().nonnegative(),
      gbSecondsPerMonth: z.number().nonnegative(),
    }),
    priceSets: z.record(z.string(), PriceSet),
    /**
     * Region code -> the name of the price set holding that region's published
     * figures, or { priceSet, modelled: true } for a region priced on another's.
     */
    regions: z.record(z.string(), RegionEntry),
  })
  .superRefine((table, context) => {
    for (const [region, entry] of Object.entries(table.regions)) {
      const setName = typeof entry === "string" ? entry : entry.priceSet;
      const path =
        typeof entry === "string" ? ["regions", region] : ["regions", region, "priceSet"];
      if (!(setName in table.priceSets)) {
        context.addIssue({
          code: "custom",
          path,
          message: `names price set "${setName}", which priceSets does not define`,
        });
      } else if (typeof entry !== "string" && setName === region) {
        context.addIssue({
          code: "custom",
          path,
          message: `is modelled on its own price set "${setName}": a region with its own prices is not modelled`,
        });
      }
    }
  });

export type PriceTable = z.infer<typeof PriceTableSchema>;
export type PriceSet = z.infer<typeof PriceSet>;
export type ArchitecturePrices = z.infer<typeof ArchitecturePrices>;

/** Where one region's prices come from: read for that region, or modelled on another's. */
export interface PriceBasis {
  readonly region: string;
  readonly source: string;
  /** The date the figures were read (YYYY-MM-DD). */
  readonly date: string;
  /** Present when no AWS source gave this region's prices: the price set standing in for them. */
  readonly modelledOn?: string;
}

/** The prices that apply to one region and architecture, with where they came from. */
export interface Prices extends PriceBasis {
  readonly architecture: Architecture;
  readonly requestsPerMillion: number;
  readonly ephemeralStoragePerGbSecond: number;
  readonly architecturePrices: ArchitecturePrices;
  readonly snapStart: PriceSet["snapStart"];
  readonly responseStreamingPerGb: number;
  readonly freeTier: PriceTable["freeTier"];
}

export class PriceTableError extends Error {
  override readonly name = "PriceTableError";
}

/** The price table that ships with the package. */
export const BUNDLED_PRICE_TABLE: PriceTable = PriceTableSchema.parse(bundledPrices);

/** Validate a price table read from elsewhere; throws PriceTableError naming the first problem. */
export function parsePriceTable(data: unknown): PriceTable {
  const result = PriceTableSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  throw new PriceTableError(`${where}: ${issue?.message ?? "invalid"}`);
}

export function knownRegions(table: PriceTable): string[] {
  return Object.keys(table.regions).sort();
}

export function isArchitecture(value: string): value is Architecture {
  return (ARCHITECTURES as readonly string[]).includes(value);
}

export function otherArchitecture(architecture: Architecture): Architecture {
  return architecture === "x86_64" ? "arm64" : "x86_64";
}

/**
 * The one lookup from a region to its prices: every command that prices
 * anything goes through here, so a modelled region is labelled wherever its
 * figures are shown. Throws PriceTableError for a region the table lacks.
 */
function lookUpRegion(table: PriceTable, region: string): { set: PriceSet; basis: PriceBasis } {
  const entry = table.regions[region];
  const setName = typeof entry === "object" ? entry.priceSet : entry;
  const set = setName === undefined ? undefined : table.priceSets[setName];
  if (!set || setName === undefined) throw new PriceTableError(`no prices for region ${region}`);
  return {
    set,
    basis: {
      region,
      source: set.source ?? table.source,
      date: set.date ?? table.date,
      ...(typeof entry === "object" ? { modelledOn: setName } : {}),
    },
  };
}

/** Where a region's prices come from, and whether they are modelled on another region's. */
export function priceBasis(table: PriceTable, region: string): PriceBasis {
  return lookUpRegion(table, region).basis;
}

/** What reports keep of the prices they used (tune run files, metrics reports). */
export const PricesUsedSchema = z.object({
  date: z.string(),
  region: z.string(),
  /** Set when the region's prices are modelled on another region's (no AWS price found). */
  modelledOn: z.string().optional(),
});
export type PricesUsed = z.infer<typeof PricesUsedSchema>;

export function pricesUsed(table: PriceTable, region: string): PricesUsed {
  const { date, modelledOn } = priceBasis(table, region);
  return { date, region, ...(modelledOn !== undefined ? { modelledOn } : {}) };
}

/** The label a modelled region carries in every output; undefined for a region's own prices. */
export function modelledPricesLabel(basis: {
  region: string;
  modelledOn?: string | undefined;
}): string | undefined {
  return basis.modelledOn === undefined
    ? undefined
    : `prices for ${basis.region} modelled on ${basis.modelledOn}: no AWS price was found for ${basis.region}`;
}

/** "eu-west-1 as of 2026-11-28", with the modelled label when there is one: the reports' price line. */
export function describePricesUsed(prices: PricesUsed): string {
  const label = modelledPricesLabel(prices);
  return `${prices.region} as of ${prices.date}${label ? ` (${label})` : ""}`;
}

/** Prices for a region and architecture; throws PriceTableError for a region the table lacks. */
export function pricesFor(table: PriceTable, region: string, architecture: Architecture): Prices {
  const { set, basis } = lookUpRegion(table, region);
  return {
    ...basis,
    architecture,
    requestsPerMillion: set.requestsPerMillion,
    ephemeralStoragePerGbSecond: set.ephemeralStoragePerGbSecond,
    architecturePrices: set.architectures[architecture],
    snapStart: set.snapStart,
    responseStreamingPerGb: set.responseStreamingPerGb,
    freeTier: table.freeTier,
  };
}

/** What moving from x86_64 to arm64 saves per GB-second in a region, at each one's first tier. */
export interface Arm64Saving {
  readonly x86PerGbSecond: number;
  readonly arm64PerGbSecond: number;
  /** The share of the x86_64 price arm64 saves: 0.2 when arm64 is 20% cheaper. */
  readonly share: number;
}

export function arm64SavingPerGbSecond(table: PriceTable, region: string): Arm64Saving {
  const perGbSecond = (architecture: Architecture) =>
    pricesFor(table, region, architecture).architecturePrices.durationTiers[0]!.perGbSecond;
  const x86PerGbSecond = perGbSecond("x86_64");
  const arm64PerGbSecond = perGbSecond("arm64");
  return { x86PerGbSecond, arm64PerGbSecond, share: 1 - arm64PerGbSecond / x86PerGbSecond };
}
