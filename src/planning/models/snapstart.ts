/**
 * SnapStart over the profile: on-demand, with each cold start a restore
 * from the snapshot instead of an init. A restore bills its Billed Restore
 * Duration (the runtime loading and after-restore hooks) like duration; its
 * length is modelled (RESTORE_DURATION_MS). Python and .NET also pay the
 * snapshot cache for every second the version is active (three hours at
 * least; one version, the whole period here) and each restore by the GB
 * restored; Java pays nothing extra.
 */
import { FREE_EPHEMERAL_STORAGE_MB } from "../../lambda/limits.js";
import { runtimeFacts, SNAPSTART_SOURCE } from "../../lambda/runtimes.js";
import { SNAPSTART_MINIMUM_CACHE_HOURS, snapStartCost } from "../../pricing/cost.js";
import type { CostLine } from "../plan-result.js";
import {
  amount,
  CONCURRENCY_ESTIMATED_LABEL,
  IDLE_RECLAIM_LABEL,
  type ModelInput,
  makeOption,
  memoryGb,
  type PricedModel,
  price,
  totalOf,
  unavailableOption,
} from "./model-support.js";
import { runOnDemand } from "./on-demand.js";

/**
 * Billed restore duration of one SnapStart restore, ms. AWS publishes no
 * figure: its SnapStart page promises "as low as sub-second" startup, and the
 * optimization guide gives ~100–200 ms for a restore; we take the top of
 * that range. Modelled, and labelled so in every output.
 */
export const RESTORE_DURATION_MS = 200;

export function priceSnapStart(input: ModelInput): PricedModel {
  const { fn, prices, traffic, settings } = input;
  if (fn.runtime === undefined)
    return {
      option: unavailableOption(
        "snapstart",
        "runtime unknown: give the runtime (java21, python3.12, dotnet8...) to price SnapStart",
      ),
    };
  const runtime = runtimeFacts(fn.runtime);
  if (!runtime?.snapStart)
    return {
      option: unavailableOption(
        "snapstart",
        `${fn.runtime} has no SnapStart: it needs Java 11+, Python 3.12+ or .NET 8+ as a zip function (${SNAPSTART_SOURCE})`,
      ),
    };
  if (fn.ephemeralStorageMb > FREE_EPHEMERAL_STORAGE_MB)
    return {
      option: unavailableOption(
        "snapstart",
        `SnapStart needs ephemeral storage of ${FREE_EPHEMERAL_STORAGE_MB} MB; this function has ${fn.ephemeralStorageMb} MB`,
      ),
    };
  const run = runOnDemand(input, { billedMs: RESTORE_DURATION_MS, label: "restore" });
  const lines: CostLine[] = [...run.lines];
  const paysForSnapshots = runtime.family !== "java";
  const periodHours = traffic.periodSeconds / 3600;
  let cacheUsd = 0;
  let restoreUsd = 0;
  if (paysForSnapshots) {
    const charge = snapStartCost(prices, {
      memoryMb: fn.memoryMb,
      activeHours: periodHours,
      restores: run.coldStarts,
    });
    cacheUsd = charge.cacheUsd;
    restoreUsd = charge.restoreUsd;
    const cachedHours = Math.max(periodHours, SNAPSTART_MINIMUM_CACHE_HOURS);
    lines.push(
      {
        label: "snapshot cache",
        usd: cacheUsd,
        formula: `${amount(memoryGb(fn))} GB × ${amount(cachedHours, 2)} hours × 3600 × ${price(prices.snapStart.cachePerGbSecond)} (one version active the whole period, three hours at least)`,
      },
      {
        label: "snapshot restores",
        usd: restoreUsd,
        formula: `${amount(run.coldStarts, 2)} restores × ${amount(memoryGb(fn))} GB × ${price(prices.snapStart.restorePerGb)}`,
      },
    );
  }
  // The timeline spreads the snapshot charges evenly over the period: their sum stays the total.
  const snapshotPerStep = (cacheUsd + restoreUsd) / traffic.steps;
  const stepUsd =
    run.stepUsd && snapshotPerStep > 0
      ? Float64Array.from(run.stepUsd, (usd) => usd + snapshotPerStep)
      : run.stepUsd;
  const notes = [
    `each cold start is a restore from the snapshot (about ${RESTORE_DURATION_MS} ms billed, modelled) instead of an init`,
    paysForSnapshots
      ? `${runtime.id} pays the snapshot cache and each restore`
      : `${runtime.id}: SnapStart itself is free (no cache or restore charge)`,
    "not together with provisioned concurrency; works on published versions only",
  ];
  const modelled = [
    `restoreDurationMs = ${RESTORE_DURATION_MS} (billed restore duration of one restore; AWS publishes no figure)`,
    IDLE_RECLAIM_LABEL(settings.idleReclaimMinutes),
  ];
  if (traffic.concurrencyEstimated) modelled.push(CONCURRENCY_ESTIMATED_LABEL);
  return {
    option: makeOption("snapstart", traffic, {
      periodUsd: totalOf(lines),
      coldStarts: run.coldStarts,
      lines,
      notes,
      modelled,
    }),
    ...(stepUsd ? { stepUsd } : {}),
  };
}
