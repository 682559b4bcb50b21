/**
 * What `dynamodb-billing --json` prints and `plan_dynamodb_billing` returns:
 * the table's traffic and each global secondary index's in figures, their cost on each billing mode over the
 * window and per 730-hour month, the recommendation with its reasons, the
 * prices with their source and date, and every modelled assumption.
 */
import { z } from "zod";

const usd = z.number().nonnegative();
const share = z.number().nonnegative();

const CapacityFiguresSchema = z.object({
  consumedUnits: z.number().nonnegative(),
  meanPerSecond: z.number().nonnegative(),
  peakPerSecond: z.number().nonnegative(),
  peakToMean: z.number().nullable(),
  onDemandUsd: usd,
  provisionedUnitHours: z.number().nonnegative(),
  peakProvisionedUnits: z.number().int().nonnegative(),
  provisionedUsd: usd,
  utilization: share,
  breakEvenUtilization: z.number(),
});

const ModeCostSchema = z.object({ windowUsd: usd, monthlyUsd: usd });

export const BILLING_MODES = ["ON_DEMAND", "PROVISIONED"] as const;

export const TableBillingResultSchema = z.object({
  table: z.string(),
  region: z.string(),
  /** Where the traffic came from: the metrics, their statistic and namespace. */
  source: z.string(),
  window: z.object({
    start: z.string(),
    end: z.string(),
    stepSeconds: z.number().int().positive(),
    hours: z.number().positive(),
  }),
  prices: z.object({
    region: z.string(),
    source: z.string(),
    date: z.string(),
    onDemandPerMillionReadUnits: usd,
    onDemandPerMillionWriteUnits: usd,
    provisionedPerReadUnitHour: usd,
    provisionedPerWriteUnitHour: usd,
  }),
  targetUtilization: share,
  /** The table's own reads and writes. */
  reads: CapacityFiguresSchema,
  writes: CapacityFiguresSchema,
  /** Each global secondary index's reads and writes, provisioned and priced on their own (empty for a table without). */
  indexes: z.array(
    z.object({
      name: z.string(),
      reads: CapacityFiguresSchema,
      writes: CapacityFiguresSchema,
      /** The index's share of each mode's cost. */
      onDemand: ModeCostSchema,
      provisioned: ModeCostSchema,
    }),
  ),
  /** Hours in which neither the table nor an index consumed anything. */
  idleHours: z.number().int().nonnegative(),
  clockHours: z.number().int().positive(),
  idleHourShare: share,
  /** The table and its indexes together. */
  onDemand: ModeCostSchema,
  provisioned: ModeCostSchema,
  pricedUtilization: share.nullable(),
  breakEvenUtilization: share.nullable(),
  recommendation: z.object({
    mode: z.enum(BILLING_MODES),
    monthlySavingUsd: usd,
    reasons: z.array(z.string()),
  }),
  /** What the figures rest on that was modelled, not measured. */
  assumptions: z.array(z.string()),
});

export type TableBillingResult = z.infer<typeof TableBillingResultSchema>;
