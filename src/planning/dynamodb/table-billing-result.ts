/**
 * What `dynamodb-billing --json` prints and `plan_dynamodb_billing` returns:
 * the table's traffic in figures, its cost on each billing mode over the
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
  reads: CapacityFiguresSchema,
  writes: CapacityFiguresSchema,
  idleHours: z.number().int().nonnegative(),
  clockHours: z.number().int().positive(),
  idleHourShare: share,
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
