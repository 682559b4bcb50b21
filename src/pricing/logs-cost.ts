/**
 * What writing to CloudWatch Logs costs: the ingestion price per GB
 * (logs-prices.json, with its source and date) and the cost of a number of
 * bytes. Lambda's own START/END/REPORT lines are not counted: only what the
 * code writes, which is what a rule can tell the user to stop writing.
 */
import { z } from "zod";
import bundled from "./logs-prices.json" with { type: "json" };

const LogsPricesSchema = z.object({
  currency: z.literal("USD"),
  service: z.string(),
  source: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  notes: z.array(z.string()),
  ingestionPerGb: z.record(z.string(), z.number().nonnegative()),
});

export const LOGS_PRICES = LogsPricesSchema.parse(bundled);

/** The region logs are priced in when the region is not known (a template does not say it). */
export const DEFAULT_LOGS_REGION = "us-east-1";

/** AWS meters data in GB of 2^30 bytes. */
const BYTES_PER_GB = 2 ** 30;

export interface LogIngestionPrice {
  readonly region: string;
  readonly perGbUsd: number;
}

/** The ingestion price in a region, or undefined when the table has none for it. */
export function logIngestionPrice(region = DEFAULT_LOGS_REGION): LogIngestionPrice | undefined {
  const perGbUsd = LOGS_PRICES.ingestionPerGb[region];
  return perGbUsd === undefined ? undefined : { region, perGbUsd };
}

/** USD to ingest `bytes` of log data at `price`. */
export function logIngestionCostUsd(bytes: number, price: LogIngestionPrice): number {
  return (bytes / BYTES_PER_GB) * price.perGbUsd;
}
