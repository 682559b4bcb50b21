/**
 * Cost functions: pure arithmetic over a Prices record. No I/O, no rounding
 * beyond what Lambda itself does (billed duration rounds up to 1 ms); callers
 * round for display.
 *
 * Since 1 August 2025 Lambda bills the init phase of on-demand functions: a
 * cold start's REPORT line has a Billed Duration that already covers Init
 * Duration + Duration. Price from billed duration and never add init again.
 */
import { FREE_EPHEMERAL_STORAGE_MB, PAYLOAD_LIMIT_BYTES } from "../lambda/limits.js";
import type { ArchitecturePrices, Prices } from "./price-table.js";

export const MB_PER_GB = 1024;
/** AWS prices provisioned concurrency and monthly estimates on a 730-hour month. */
export const HOURS_PER_MONTH = 730;
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** SnapStart caches a version's snapshot for at least three hours. */
export const SNAPSTART_MINIMUM_CACHE_HOURS = 3;

/** Lambda rounds each invocation's duration up to the next millisecond. */
export function billedDurationMs(durationMs: number): number {
  return Math.ceil(durationMs);
}

/**
 * Mean billed duration when a share of invocations are cold starts: a cold
 * start bills init + duration together, rounded up once.
 */
export function meanBilledDurationMs(options: {
  durationMs: number;
  initDurationMs?: number;
  coldStartRate?: number;
}): number {
  const warm = billedDurationMs(options.durationMs);
  const rate = options.coldStartRate ?? 0;
  if (rate === 0 || !options.initDurationMs) return warm;
  const cold = billedDurationMs(options.durationMs + options.initDurationMs);
  return (1 - rate) * warm + rate * cold;
}

export function gbSeconds(memoryMb: number, durationMs: number): number {
  return (memoryMb / MB_PER_GB) * (durationMs / 1000);
}

/** GB of /tmp that is billed: everything above the free 512 MB. */
export function billableEphemeralGb(ephemeralStorageMb: number): number {
  return Math.max(0, ephemeralStorageMb - FREE_EPHEMERAL_STORAGE_MB) / MB_PER_GB;
}

export interface InvocationCost {
  readonly gbSeconds: number;
  readonly computeUsd: number;
  readonly requestUsd: number;
  readonly ephemeralUsd: number;
  readonly totalUsd: number;
}

export interface InvocationShape {
  readonly memoryMb: number;
  /** Billed duration of the invocation (already rounded up, init included on a cold start). */
  readonly billedDurationMs: number;
  readonly ephemeralStorageMb?: number;
}

/**
 * The cost of one invocation at the first (most expensive) duration tier —
 * the price a function pays unless its account runs billions of GB-s a month.
 */
export function costPerInvocation(prices: Prices, invocation: InvocationShape): InvocationCost {
  const computeGbSeconds = gbSeconds(invocation.memoryMb, invocation.billedDurationMs);
  const firstTier = prices.architecturePrices.durationTiers[0]!;
  const computeUsd = computeGbSeconds * firstTier.perGbSecond;
  const requestUsd = prices.requestsPerMillion / 1_000_000;
  const ephemeralUsd =
    billableEphemeralGb(invocation.ephemeralStorageMb ?? FREE_EPHEMERAL_STORAGE_MB) *
    (invocation.billedDurationMs / 1000) *
    prices.ephemeralStoragePerGbSecond;
  return {
    gbSeconds: computeGbSeconds,
    computeUsd,
    requestUsd,
    ephemeralUsd,
    totalUsd: computeUsd + requestUsd + ephemeralUsd,
  };
}

export interface TierCharge {
  readonly fromGbSeconds: number;
  readonly toGbSeconds: number | null;
  readonly gbSeconds: number;
  readonly perGbSecond: number;
  readonly usd: number;
}

/** Charge a month's GB-seconds across the duration tiers, cheapest tier last. */
export function tieredDurationCost(
  tiers: ArchitecturePrices["durationTiers"],
  monthlyGbSeconds: number,
): { usd: number; tiers: TierCharge[] } {
  const charges: TierCharge[] = [];
  let from = 0;
  for (const tier of tiers) {
    if (monthlyGbSeconds <= from) break;
    const to = tier.upToGbSeconds;
    const inTier = Math.min(monthlyGbSeconds, to ?? Number.POSITIVE_INFINITY) - from;
    charges.push({
      fromGbSeconds: from,
      toGbSeconds: to,
      gbSeconds: inTier,
      perGbSecond: tier.perGbSecond,
      usd: inTier * tier.perGbSecond,
    });
    if (to === null) break;
    from = to;
  }
  return { usd: charges.reduce((sum, charge) => sum + charge.usd, 0), tiers: charges };
}

export interface MonthlyWorkload extends InvocationShape {
  readonly invocations: number;
  /** Subtract the free tier (1M requests and 400,000 GB-s a month). Off unless asked. */
  readonly freeTier?: boolean;
}

export interface MonthlyCost {
  readonly invocations: number;
  readonly gbSeconds: number;
  readonly billableGbSeconds: number;
  readonly billableRequests: number;
  readonly computeUsd: number;
  readonly computeTiers: TierCharge[];
  readonly requestsUsd: number;
  readonly ephemeralUsd: number;
  readonly totalUsd: number;
  readonly freeTierApplied: boolean;
}

/**
 * A month of on-demand invocations, with the duration tiers applied as if this
 * workload were the account's only use of the region and architecture.
 */
export function monthlyCost(prices: Prices, workload: MonthlyWorkload): MonthlyCost {
  const freeTier = workload.freeTier === true;
  const monthGbSeconds =
    workload.invocations * gbSeconds(workload.memoryMb, workload.billedDurationMs);
  const billableGbSeconds = freeTier
    ? Math.max(0, monthGbSeconds - prices.freeTier.gbSecondsPerMonth)
    : monthGbSeconds;
  const billableRequests = freeTier
    ? Math.max(0, workload.invocations - prices.freeTier.requestsPerMonth)
    : workload.invocations;
  const compute = tieredDurationCost(prices.architecturePrices.durationTiers, billableGbSeconds);
  const requestsUsd = (billableRequests / 1_000_000) * prices.requestsPerMillion;
  const ephemeralUsd =
    workload.invocations *
    billableEphemeralGb(workload.ephemeralStorageMb ?? FREE_EPHEMERAL_STORAGE_MB) *
    (workload.billedDurationMs / 1000) *
    prices.ephemeralStoragePerGbSecond;
  return {
    invocations: workload.invocations,
    gbSeconds: monthGbSeconds,
    billableGbSeconds,
    billableRequests,
    computeUsd: compute.usd,
    computeTiers: compute.tiers,
    requestsUsd,
    ephemeralUsd,
    totalUsd: compute.usd + requestsUsd + ephemeralUsd,
    freeTierApplied: freeTier,
  };
}

export interface ProvisionedConcurrencyWorkload extends MonthlyWorkload {
  /** Environments kept initialized. */
  readonly concurrency: number;
  /** Hours a month the provisioned concurrency is configured (730 = always). */
  readonly hours?: number;
}

export interface ProvisionedConcurrencyCost {
  readonly configuredGbSeconds: number;
  readonly configuredUsd: number;
  readonly durationUsd: number;
  readonly requestsUsd: number;
  readonly ephemeralUsd: number;
  readonly totalUsd: number;
}

/**
 * A month with provisioned concurrency: the configured environments are paid
 * for every second they exist, and invocations they serve pay the lower
 * provisioned duration price. Assumes every invocation fits within the
 * provisioned environments (no spill-over to on-demand), and no init billing,
 * since provisioned environments initialise ahead of requests.
 */
export function provisionedConcurrencyMonthlyCost(
  prices: Prices,
  workload: ProvisionedConcurrencyWorkload,
): ProvisionedConcurrencyCost {
  const seconds = (workload.hours ?? HOURS_PER_MONTH) * 3600;
  const memoryGb = workload.memoryMb / MB_PER_GB;
  const configuredGbSeconds = workload.concurrency * memoryGb * seconds;
  const configuredUsd =
    configuredGbSeconds * prices.architecturePrices.provisionedConcurrencyPerGbSecond;
  const durationGbSeconds =
    workload.invocations * gbSeconds(workload.memoryMb, workload.billedDurationMs);
  const durationUsd = durationGbSeconds * prices.architecturePrices.provisionedDurationPerGbSecond;
  const onDemand = monthlyCost(prices, { ...workload, freeTier: false });
  return {
    configuredGbSeconds,
    configuredUsd,
    durationUsd,
    requestsUsd: onDemand.requestsUsd,
    ephemeralUsd: onDemand.ephemeralUsd,
    totalUsd: configuredUsd + durationUsd + onDemand.requestsUsd + onDemand.ephemeralUsd,
  };
}

export interface SnapStartCost {
  readonly cacheUsd: number;
  readonly restoreUsd: number;
  readonly totalUsd: number;
}

/**
 * SnapStart's own charges (Python and .NET; Java's SnapStart is free): the
 * snapshot cache for every second a published version is active (at least
 * three hours), and each restore by the GB of memory restored.
 */
export function snapStartCost(
  prices: Prices,
  usage: { memoryMb: number; activeHours: number; restores: number; versions?: number },
): SnapStartCost {
  const memoryGb = usage.memoryMb / MB_PER_GB;
  const hours = Math.max(usage.activeHours, SNAPSTART_MINIMUM_CACHE_HOURS);
  const cacheUsd =
    (usage.versions ?? 1) * memoryGb * hours * 3600 * prices.snapStart.cachePerGbSecond;
  const restoreUsd = usage.restores * memoryGb * prices.snapStart.restorePerGb;
  return { cacheUsd, restoreUsd, totalUsd: cacheUsd + restoreUsd };
}

/** Bytes of each streamed response that are free of the streaming charge: the first 6 MB. */
export const FREE_STREAMED_BYTES = PAYLOAD_LIMIT_BYTES.synchronous;
/** AWS prices processed bytes per GB of 1,024³ bytes, as its MB of the limits are 1,024². */
export const BYTES_PER_GB = 1024 ** 3;

/**
 * The response-streaming charge: the bytes a function writes to its response stream ("processed
 * bytes") beyond the first 6 MB of each response, per GB. A response of 6 MB or less costs nothing
 * more than its duration and request.
 */
export function responseStreamingCost(
  prices: Prices,
  usage: { responseBytes: number; responses: number },
): number {
  const billedBytes = Math.max(0, usage.responseBytes - FREE_STREAMED_BYTES) * usage.responses;
  return (billedBytes / BYTES_PER_GB) * prices.responseStreamingPerGb;
}
