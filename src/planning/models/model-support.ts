/**
 * What every billing model shares: its inputs, the shape of what it returns
 * (an option of the plan plus, when asked, its cost step by step for the
 * timeline), the Lambda charges they all use (duration across the tiers,
 * requests, /tmp), and how figures are written into a bill's formulas so a
 * reader can redo them with a calculator.
 */
import {
  billableEphemeralGb,
  MB_PER_GB,
  SECONDS_PER_MONTH,
  tieredDurationCost,
} from "../../pricing/cost.js";
import type { Prices } from "../../pricing/price-table.js";
import type { PlannedFunction, PlanSettings } from "../plan-models.js";
import type { BillingModel, BillingOption, CostLine } from "../plan-result.js";
import type { PreparedTraffic } from "./prepared-traffic.js";

export interface ModelInput {
  readonly traffic: PreparedTraffic;
  readonly fn: PlannedFunction;
  readonly settings: PlanSettings;
  readonly prices: Prices;
  /** Fill stepUsd (the timeline wants it; the scaling sweep does not). */
  readonly withSteps: boolean;
}

export interface PricedModel {
  readonly option: BillingOption;
  /** The option's cost in each step; sums to option.periodUsd. */
  readonly stepUsd?: Float64Array;
}

/** A month in the profile's own periods: what scales period figures to a 730-hour month. */
export function monthsIn(periodSeconds: number): number {
  return periodSeconds / SECONDS_PER_MONTH;
}

export function makeOption(
  model: BillingModel,
  traffic: PreparedTraffic,
  parts: {
    periodUsd: number;
    coldStarts: number;
    lines: CostLine[];
    notes: string[];
    modelled: string[];
  } & Partial<BillingOption>,
): BillingOption {
  const months = monthsIn(traffic.periodSeconds);
  const { periodUsd, coldStarts, lines, notes, modelled, ...extra } = parts;
  return {
    model,
    available: true,
    periodUsd,
    monthlyUsd: periodUsd / months,
    coldStarts,
    coldStartShare:
      traffic.totalInvocations > 0 ? Math.min(1, coldStarts / traffic.totalInvocations) : 0,
    monthlyColdStarts: coldStarts / months,
    lines,
    notes,
    modelled,
    ...extra,
  };
}

export function unavailableOption(model: BillingModel, reason: string): BillingOption {
  return {
    model,
    available: false,
    reason,
    periodUsd: 0,
    monthlyUsd: 0,
    coldStarts: 0,
    coldStartShare: 0,
    monthlyColdStarts: 0,
    lines: [],
    notes: [],
    modelled: [],
  };
}

export function memoryGb(fn: PlannedFunction): number {
  return fn.memoryMb / MB_PER_GB;
}

/** A price as written in AWS's tables: every digit, never an exponent ($0.0000166667). */
export function price(usd: number): string {
  return `$${usd.toFixed(12).replace(/0+$/, "").replace(/\.$/, "")}`;
}

// Formulas are written for every model at every scaling factor: one formatter per precision,
// made once (toLocaleString builds a new one on each call).
const formatters = new Map<number, Intl.NumberFormat>();

/** A count or quantity in a formula: thousands separated, up to four decimals (as format.ts's formatNumber). */
export function amount(value: number, fractionDigits = 4): string {
  let formatter = formatters.get(fractionDigits);
  if (!formatter) {
    formatter = new Intl.NumberFormat("en-US", { maximumFractionDigits: fractionDigits });
    formatters.set(fractionDigits, formatter);
  }
  return formatter.format(value);
}

/** Money in a formula: to the hundredth of a cent, enough to check a calculator against. */
export function money(usd: number): string {
  return `$${amount(usd, 4)}`;
}

export interface DurationCharge {
  readonly usd: number;
  /** The mean price per GB-s actually paid across the tiers. */
  readonly effectivePerGbSecond: number;
  /** That price as a formula writes it: "$0.0000166667", or the mean with the tiers it comes from. */
  readonly rate: string;
}

/**
 * On-demand duration for GB-seconds over the profile's period. The tiers are
 * monthly, so the period's GB-s are scaled to a 730-hour month to find the
 * tier boundaries, priced, and scaled back.
 */
export function onDemandDuration(
  prices: Prices,
  gbSeconds: number,
  periodSeconds: number,
): DurationCharge {
  const months = monthsIn(periodSeconds);
  const tiers = prices.architecturePrices.durationTiers;
  const monthly = tieredDurationCost(tiers, gbSeconds / months);
  const usd = monthly.usd * months;
  const firstTier = tiers[0]!;
  const effectivePerGbSecond = gbSeconds > 0 ? usd / gbSeconds : firstTier.perGbSecond;
  const rate =
    monthly.tiers.length <= 1
      ? price(firstTier.perGbSecond)
      : `${price(effectivePerGbSecond)}, the mean across the tiers for ${amount(gbSeconds / months, 0)} GB-s a month (${monthly.tiers
          .map((tier) => `${amount(tier.gbSeconds, 0)} × ${price(tier.perGbSecond)}`)
          .join(" + ")})`;
  return { usd, effectivePerGbSecond, rate };
}

export function requestsLine(prices: Prices, invocations: number): CostLine {
  return {
    label: "requests",
    usd: (invocations / 1_000_000) * prices.requestsPerMillion,
    formula: `${amount(invocations, 2)} requests ÷ 1,000,000 × ${price(prices.requestsPerMillion)}`,
  };
}

/** /tmp above the free 512 MB, billed per GB-s of billed duration; undefined when nothing is billed. */
export function ephemeralLine(
  prices: Prices,
  fn: PlannedFunction,
  billedSeconds: number,
): CostLine | undefined {
  const gb = billableEphemeralGb(fn.ephemeralStorageMb);
  if (gb === 0 || billedSeconds === 0) return undefined;
  return {
    label: "ephemeral storage above 512 MB",
    usd: gb * billedSeconds * prices.ephemeralStoragePerGbSecond,
    formula: `${amount(gb)} GB × ${amount(billedSeconds, 2)} s × ${price(prices.ephemeralStoragePerGbSecond)}`,
  };
}

export function totalOf(lines: readonly CostLine[]): number {
  return lines.reduce((total, line) => total + line.usd, 0);
}

export const IDLE_RECLAIM_LABEL = (minutes: number) =>
  `idleReclaimMinutes = ${minutes} (an idle environment is reclaimed after ${minutes} minutes: each rise in concurrency above the environments still alive is a cold start)`;

export const CONCURRENCY_ESTIMATED_LABEL =
  "concurrency estimated per step by Little's law: invocations × duration ÷ step length, rounded up";
