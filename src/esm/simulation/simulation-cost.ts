/**
 * What the simulated invocations cost: requests, GB-seconds of billed
 * duration (rounded up to the millisecond per invocation, as Lambda bills),
 * and /tmp beyond 512 MB. The duration tiers apply to the month the run's
 * rate would make (a run shorter than a month is scaled up to price its
 * tier, then scaled back), as `plan` prices a profile.
 */
import { formatNumber } from "../../format.js";
import type { CostLine } from "../../planning/plan-result.js";
import {
  billableEphemeralGb,
  MB_PER_GB,
  SECONDS_PER_MONTH,
  tieredDurationCost,
} from "../../pricing/cost.js";
import type { Prices } from "../../pricing/price-table.js";

export interface SimulatedUsage {
  readonly invocations: number;
  /** Billed milliseconds summed over the invocations. */
  readonly billedMs: number;
  readonly memoryMb: number;
  readonly ephemeralStorageMb: number;
  readonly periodSeconds: number;
}

/** A sum with the digits a calculator check needs: six places under a dollar. */
const usd = (value: number) => `$${value.toFixed(value < 1 ? 6 : 2)}`;

export interface SimulatedCost {
  readonly periodUsd: number;
  readonly monthlyUsd: number;
  readonly lines: CostLine[];
}

export function simulatedCost(prices: Prices, usage: SimulatedUsage): SimulatedCost {
  const toMonth = SECONDS_PER_MONTH / usage.periodSeconds;
  const periodGbSeconds = (usage.memoryMb / MB_PER_GB) * (usage.billedMs / 1000);
  const monthly = tieredDurationCost(
    prices.architecturePrices.durationTiers,
    periodGbSeconds * toMonth,
  );
  const durationUsd = monthly.usd / toMonth;
  const requestsUsd = (usage.invocations / 1_000_000) * prices.requestsPerMillion;
  const ephemeralUsd =
    billableEphemeralGb(usage.ephemeralStorageMb) *
    (usage.billedMs / 1000) *
    prices.ephemeralStoragePerGbSecond;
  const firstTier = prices.architecturePrices.durationTiers[0]!.perGbSecond;
  const lines: CostLine[] = [
    {
      label: "requests",
      usd: requestsUsd,
      formula: `${usage.invocations.toLocaleString("en-US")} invocations × $${prices.requestsPerMillion.toFixed(2)} per million`,
    },
    {
      label: "duration",
      usd: durationUsd,
      formula: `${formatNumber(periodGbSeconds, 3)} GB-s (${formatNumber(usage.memoryMb)} MB × ${formatNumber(usage.billedMs / 1000, 3)} billed s) at $${firstTier} per GB-s${monthly.tiers.length > 1 ? ", lower tiers past the first at the month's rate" : ""} = ${usd(durationUsd)}`,
    },
  ];
  if (ephemeralUsd > 0)
    lines.push({
      label: "ephemeral storage",
      usd: ephemeralUsd,
      formula: `${formatNumber(billableEphemeralGb(usage.ephemeralStorageMb), 3)} GB beyond 512 MB × ${formatNumber(usage.billedMs / 1000, 3)} s × $${prices.ephemeralStoragePerGbSecond} per GB-s`,
    });
  const periodUsd = requestsUsd + durationUsd + ephemeralUsd;
  return { periodUsd, monthlyUsd: periodUsd * toMonth, lines };
}
