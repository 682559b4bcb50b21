/**
 * What a DynamoDB table's reads and writes cost on each billing mode:
 * on-demand per million request units, provisioned per capacity unit-hour
 * (dynamodb-prices.json, with its source and date). A user's price file in
 * the same shape prices another region, checked as strictly as the bundled
 * one, every mistake naming the option and the file.
 */
import { z } from "zod";
import { UsageError } from "../errors.js";
import { invalidOption } from "../options.js";
import bundled from "./dynamodb-prices.json" with { type: "json" };
import { readJsonFile } from "./price-file.js";

const usd = z.number().nonnegative();

export const DynamoDbRegionPricesSchema = z.strictObject({
  onDemandPerMillionReadUnits: usd,
  onDemandPerMillionWriteUnits: usd,
  provisionedPerReadUnitHour: usd,
  provisionedPerWriteUnitHour: usd,
});
export type DynamoDbRegionPrices = z.infer<typeof DynamoDbRegionPricesSchema>;

export const DynamoDbPricesSchema = z.object({
  currency: z.literal("USD"),
  service: z.string(),
  source: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD"),
  notes: z.array(z.string()).default([]),
  regions: z.record(z.string(), DynamoDbRegionPricesSchema),
});
export type DynamoDbPrices = z.infer<typeof DynamoDbPricesSchema>;

export const BUNDLED_DYNAMODB_PRICES: DynamoDbPrices = DynamoDbPricesSchema.parse(bundled);

/** One region's prices, with where they come from: what a bill is computed and labelled with. */
export interface DynamoDbPriceSheet extends DynamoDbRegionPrices {
  readonly region: string;
  readonly source: string;
  readonly date: string;
}

/**
 * The prices of `region` from `priceFile` (else the bundled table); a region
 * the table lacks is the caller's mistake, named in its words.
 */
export function loadDynamoDbPrices(
  priceFile: string | undefined,
  region: string,
  names: { readonly priceFile: string; readonly region: string },
): DynamoDbPriceSheet {
  const table = priceFile === undefined ? BUNDLED_DYNAMODB_PRICES : readPriceFile(priceFile, names);
  const prices = table.regions[region];
  if (prices === undefined)
    throw invalidOption(
      names.region,
      region,
      `expected a region the DynamoDB price table has: one of ${Object.keys(table.regions).join(", ")} (or a ${names.priceFile} that covers it)`,
    );
  return { region, source: table.source, date: table.date, ...prices };
}

function readPriceFile(file: string, names: { readonly priceFile: string }): DynamoDbPrices {
  const data = readJsonFile(file, names.priceFile);
  const parsed = DynamoDbPricesSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${names.priceFile} ${file}: not a DynamoDB price table: ${issue.path.join(".") || "the file"}: ${issue.message} (see docs/commands/dynamodb-billing.md for the format)`,
    );
  }
  return parsed.data;
}
