/**
 * cold-starts-high: many cold starts on a function people wait for. SnapStart
 * where the runtime has it (free for Java; Python and .NET pay cache and
 * restore), else provisioned concurrency, with what it would cost a month.
 * Functions fed by an event source mapping (SQS, Kinesis, ...) are batch work
 * nobody waits on: left out. SnapStart restores are cold starts too; where the
 * logs show restores, SnapStart is already on, so the advice is to make the
 * restore cheaper (priming), not to turn SnapStart on.
 */
import { formatMs, formatPercent, formatUsd } from "../../format.js";
import { runtimeFacts } from "../../lambda/runtimes.js";
import { provisionedConcurrencyMonthlyCost, snapStartCost } from "../../pricing/cost.js";
import { pricesFor } from "../../pricing/price-table.js";
import type { FunctionFigures, MetricsRule } from "./rule.js";
import { monthlyFactor } from "./rule.js";

export const COLD_START_RATE = 0.05;
export const MINIMUM_REPORTS = 100;

export const coldStartsHigh: MetricsRule = {
  id: "cold-starts-high",
  title: "High cold-start rate",
  check(fn, context) {
    if (fn.reportLines < MINIMUM_REPORTS || fn.coldStartRate < COLD_START_RATE) return null;
    if ((fn.configuration?.eventSources.length ?? 0) > 0) return null;
    const memoryMb = fn.memorySizeMb ?? 128;
    const prices = pricesFor(context.priceTable, context.region, fn.architecture);
    const runtime = fn.configuration ? runtimeFacts(fn.configuration.runtime) : undefined;
    const evidence = coldStartEvidence(fn);
    const factor = monthlyFactor(context);
    if (fn.restores > 0) {
      return {
        id: "cold-starts-high",
        severity: "warning",
        message:
          "SnapStart is on (the logs show restores), yet cold starts stay frequent: prime the snapshot (run the hot paths in a before-checkpoint hook) so each restore does less, and keep environments warm with provisioned concurrency only if callers still wait on them.",
        evidence,
        monthlySavingsUsd: null,
        monthlyCostUsd: null,
      };
    }
    if (runtime?.snapStart) {
      const monthlyRestores =
        factor === null
          ? null
          : fn.coldStarts * factor * (fn.invocations / Math.max(1, fn.reportLines));
      const free = runtime.family === "java";
      const cost =
        free || monthlyRestores === null
          ? free
            ? 0
            : null
          : snapStartCost(prices, { memoryMb, activeHours: 730, restores: monthlyRestores })
              .totalUsd;
      return {
        id: "cold-starts-high",
        severity: "warning",
        message: `Turn on SnapStart (${fn.configuration?.runtime} supports it)${cost !== null ? `: about ${formatUsd(cost)} a month` : ""}, then cut what runs at init. Only synchronous callers feel cold starts.`,
        evidence,
        monthlySavingsUsd: null,
        monthlyCostUsd: cost,
      };
    }
    // Enough provisioned environments for the peak seen, else for the average load.
    const peak = fn.cloudWatch?.concurrentExecutionsMax ?? null;
    const average =
      context.windowDays && fn.durationMs.mean !== null
        ? (fn.invocations * fn.durationMs.mean) / 1000 / (context.windowDays * 86_400)
        : null;
    const concurrency = Math.max(1, Math.ceil(peak ?? average ?? 1));
    const cost = provisionedConcurrencyMonthlyCost(prices, {
      memoryMb,
      billedDurationMs: fn.billedDurationMs.mean ?? 0,
      invocations: factor === null ? 0 : fn.invocations * factor,
      concurrency,
    }).totalUsd;
    return {
      id: "cold-starts-high",
      severity: "warning",
      message: `If callers wait on this function, keep ${concurrency} environment${concurrency === 1 ? "" : "s"} warm with provisioned concurrency: about ${formatUsd(cost)} a month in all (${runtime ? `${runtime.id} has no SnapStart` : "SnapStart needs Java 11+, Python 3.12+ or .NET 8+"}). Cutting init work helps either way.`,
      evidence,
      monthlySavingsUsd: null,
      monthlyCostUsd: cost,
    };
  },
};

/** Counts and durations of the cold starts, inits and restores each with their own figures. */
function coldStartEvidence(fn: FunctionFigures): string {
  const ms = (value: number | null) => (value === null ? "?" : formatMs(value));
  const inits = fn.coldStarts - fn.restores;
  const parts = [
    `${fn.coldStarts.toLocaleString("en-US")} cold starts in ${fn.reportLines.toLocaleString("en-US")} invocations (${formatPercent(fn.coldStartRate)})`,
  ];
  if (inits > 0 || fn.restores === 0)
    parts.push(`init p50 ${ms(fn.initDurationMs.p50)} ms, p99 ${ms(fn.initDurationMs.p99)} ms`);
  if (fn.restores > 0)
    parts.push(
      `${fn.restores.toLocaleString("en-US")} SnapStart restores, restore p50 ${ms(fn.restoreDurationMs.p50)} ms, p99 ${ms(fn.restoreDurationMs.p99)} ms`,
    );
  return parts.join(", ");
}
