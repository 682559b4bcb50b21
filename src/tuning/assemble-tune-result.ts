/**
 * The result document of a run (tune-result.ts) from what it measured and decided: the same for
 * a complete run and for one that stopped early, which carries `partial` and no recommendation.
 * No I/O: the time, the host's load and the run's own cost are handed in.
 */
import type { Architecture, PriceTable } from "../pricing/price-table.js";
import { pricesUsed } from "../pricing/price-table.js";
import { compareConfigurations } from "./configuration-key.js";
import type { HostLoadReading } from "./host-load.js";
import { judgeRun } from "./run-verdict.js";
import type { TuningSettings } from "./settings.js";
import type { ConfigurationResult, LocalSource, TunedCode, TuneResult } from "./tune-result.js";

export interface TuneResultInput {
  readonly createdAt: string;
  readonly target: {
    readonly kind: "local" | "aws";
    readonly functionName: string;
    readonly functionArn: string;
    readonly region: string;
    readonly endpointUrl?: string | undefined;
    readonly local?: LocalSource | undefined;
    readonly sandbox?: TuneResult["sandbox"] | undefined;
    readonly runtime?: TuneResult["runtime"] | undefined;
    readonly code?: TunedCode | null | undefined;
  };
  readonly settings: TuningSettings;
  /** The architectures the run was asked for (tuning-plan.ts). */
  readonly architectures: readonly Architecture[];
  readonly original: { readonly memoryMb: number; readonly architecture: Architecture };
  readonly results: readonly ConfigurationResult[];
  readonly decided: Pick<TuneResult, "recommendation" | "closestToSlo" | "applied" | "partial">;
  readonly tuningCostUsd: number;
  readonly priceTable: PriceTable;
  /** This machine's load before the first invocation and after the last; both or no verdict on it. */
  readonly hostLoad: {
    readonly before: HostLoadReading | undefined;
    readonly after: HostLoadReading | undefined;
  };
}

export function assembleTuneResult(input: TuneResultInput): TuneResult {
  const { settings, original, target } = input;
  const ranked = [...input.results].sort(compareConfigurations);
  const originalResult = ranked.find(
    (result) =>
      result.status === "ok" &&
      result.memoryMb === original.memoryMb &&
      result.architecture === original.architecture,
  );
  const { before, after } = input.hostLoad;
  return {
    schemaVersion: 1,
    createdAt: input.createdAt,
    target: {
      kind: target.kind,
      functionName: target.functionName,
      functionArn: target.functionArn,
      region: target.region,
      endpoint: target.endpointUrl ?? null,
      local: target.local ?? null,
    },
    code: target.code ?? null,
    settings: {
      memoryMb: [...settings.memorySizes],
      architectures: [...input.architectures],
      num: settings.num,
      strategy: settings.strategy,
      metric: settings.metric,
      balancedWeight: settings.balancedWeight,
      maxP95Ms: settings.maxP95Ms ?? null,
      maxP99Ms: settings.maxP99Ms ?? null,
      discard: settings.discard,
      parallel: settings.parallel,
      concurrency: settings.concurrency,
      onlyColdStarts: settings.onlyColdStarts,
      allowedExceptions: [...settings.allowedExceptions],
      untilConfident: settings.untilConfident,
      maxNum: settings.maxNum,
      payloads: settings.payloads.length,
    },
    original: {
      memoryMb: original.memoryMb,
      architecture: original.architecture,
      costPerInvocationUsd: originalResult?.costPerInvocationUsd ?? null,
    },
    results: ranked,
    recommendation: input.decided.recommendation,
    closestToSlo: input.decided.closestToSlo,
    tuningCostUsd: input.tuningCostUsd,
    prices: pricesUsed(input.priceTable, target.region),
    sandbox: target.sandbox ?? null,
    runtime: target.runtime ?? null,
    applied: input.decided.applied,
    partial: input.decided.partial,
    verdict: judgeRun({
      results: ranked,
      num: settings.num,
      dryRun: settings.dryRun,
      host: before && after ? { before, after } : null,
      lawCheck: target.sandbox?.lawCheck ?? null,
    }),
  };
}

/** Why a stopped run's result is partial: how far it got, and what stopped it. */
export function stoppedReason(measured: number, planned: number, cause: unknown): string {
  return `stopped after ${measured} of ${planned} configurations: ${
    cause instanceof Error ? cause.message : String(cause)
  }`;
}
