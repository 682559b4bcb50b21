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
  requestsPerMillion: usd,
  ephemeralStoragePerGbSecond: usd,
  architectures: z.object({ x86_64: ArchitecturePrices, arm64: ArchitecturePrices }),
  snapStart: z.object({ cachePerGbSecond: usd, restorePerGb: usd }),
  responseStreamingPerGb: usd,
});

export const PriceTableSchema = z
  .object({
    currency: z.literal("USD"),
    source: z.string().min(1),
    /** The date the figures were read from the source (YYYY-MM-DD). */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD"),
    notes: z.array(z.string()).default([]),
    freeTier: z.object({
      requestsPerMonth: z.number().nonnegative(),
      gbSecondsPerMonth: z.number().nonnegative(),
    }),
    priceSets: z.record(z.string(), PriceSet),
    /** Region code -> name of its price set. Most regions share the us-east-1 set. */
    regions: z.record(z.string(), z.string()),
  })
  .superRefine((table, context) => {
    for (const [region, setName] of Object.entries(table.regions)) {
      if (!(setName in table.priceSets)) {
        context.addIssue({
          code: "custom",
          path: ["regions", region],
          message: `names price set "${setName}", which priceSets does not define`,
        });
      }
    }
  });

export type PriceTable = z.infer<typeof PriceTableSchema>;
export type PriceSet = z.infer<typeof PriceSet>;
export type ArchitecturePrices = z.infer<typeof ArchitecturePrices>;

/** The prices that apply to one region and architecture, with where they came from. */
export interface Prices {
  readonly region: string;
  readonly architecture: Architecture;
  readonly requestsPerMillion: number;
  readonly ephemeralStoragePerGbSecond: number;
  readonly architecturePrices: ArchitecturePrices;
  readonly snapStart: PriceSet["snapStart"];
  readonly responseStreamingPerGb: number;
  readonly freeTier: PriceTable["freeTier"];
  readonly source: string;
  readonly date: string;
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

/** Prices for a region and architecture; throws PriceTableError for a region the table lacks. */
export function pricesFor(table: PriceTable, region: string, architecture: Architecture): Prices {
  const setName = table.regions[region];
  const set = setName === undefined ? undefined : table.priceSets[setName];
  if (!set) throw new PriceTableError(`no prices for region ${region}`);
  return {
    region,
    architecture,
    requestsPerMillion: set.requestsPerMillion,
    ephemeralStoragePerGbSecond: set.ephemeralStoragePerGbSecond,
    architecturePrices: set.architectures[architecture],
    snapStart: set.snapStart,
    responseStreamingPerGb: set.responseStreamingPerGb,
    freeTier: table.freeTier,
    source: table.source,
    date: table.date,
  };
}

/** How much less arm64 costs per GB-second than x86_64 in a region's first tier, in whole percent. */
export function arm64SavingPercent(table: PriceTable, region: string): number {
  const perGbSecond = (architecture: Architecture) =>
    pricesFor(table, region, architecture).architecturePrices.durationTiers[0]!.perGbSecond;
  return Math.round((1 - perGbSecond("arm64") / perGbSecond("x86_64")) * 100);
}
