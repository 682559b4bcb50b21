/**
 * The recommendation: the cheapest available model that meets the caller's
 * cold-start limit, the runner-up, what it saves against on-demand, and the
 * guide's reasoning for the traffic's row of the decision table, with the
 * traffic's own figures.
 */
import { formatNumber, formatPercent, formatUsd } from "../../format.js";
import type { PlanSettings } from "../plan-models.js";
import type { BillingModel, BillingOption, PlanResult, TrafficShape } from "../plan-result.js";

/**
 * With latencySensitive, a model may cold start at most once in a thousand
 * invocations (0.1%): then cold starts stay out of the p99.9 latency a
 * synchronous caller sees. SnapStart's restores count as cold starts (they
 * are shorter, ~100–200 ms, but a caller still waits on them).
 */
export const LATENCY_SENSITIVE_MAX_COLD_START_SHARE = 0.001;

const NAMES: Record<BillingModel, string> = {
  "on-demand": "on-demand",
  "provisioned-concurrency": "provisioned concurrency",
  snapstart: "SnapStart",
  "managed-instances": "Managed Instances",
};

type Recommendation = PlanResult["recommendation"];

function coldStartLimit(settings: PlanSettings): { share: number; why: string } | undefined {
  const limits: { share: number; why: string }[] = [];
  if (settings.maxColdStartShare !== undefined)
    limits.push({
      share: settings.maxColdStartShare,
      why: `the cold-start limit of ${formatPercent(settings.maxColdStartShare)}`,
    });
  if (settings.latencySensitive)
    limits.push({
      share: LATENCY_SENSITIVE_MAX_COLD_START_SHARE,
      why: `latency-sensitive (at most ${formatPercent(LATENCY_SENSITIVE_MAX_COLD_START_SHARE)} cold starts)`,
    });
  return limits.sort((a, b) => a.share - b.share)[0];
}

export function recommend(
  options: readonly BillingOption[],
  shape: TrafficShape,
  settings: PlanSettings,
): Recommendation {
  const available = options
    .filter((option) => option.available)
    .sort((a, b) => a.monthlyUsd - b.monthlyUsd);
  const limit = coldStartLimit(settings);
  const excluded: Recommendation["excluded"] = [];
  const eligible = available.filter((option) => {
    if (limit === undefined || option.coldStartShare <= limit.share) return true;
    excluded.push({
      model: option.model,
      reason: `${formatPercent(option.coldStartShare)} of invocations cold start, over ${limit.why}`,
    });
    return false;
  });
  // Nothing meets the limit: the model with the fewest cold starts, cheapest first among equals.
  const ranked =
    eligible.length > 0
      ? eligible
      : [...available].sort(
          (a, b) => a.coldStartShare - b.coldStartShare || a.monthlyUsd - b.monthlyUsd,
        );
  const chosen = ranked[0]!;
  const runnerUp = ranked[1];
  const onDemand = options.find((option) => option.model === "on-demand")!;
  const monthlySavingUsd =
    chosen.model === "on-demand" ? 0 : onDemand.monthlyUsd - chosen.monthlyUsd;
  const reason = [
    why(chosen, shape, onDemand, monthlySavingUsd),
    runnerUp
      ? `Runner-up: ${NAMES[runnerUp.model]} at ${formatUsd(runnerUp.monthlyUsd)} a month (${formatUsd(runnerUp.monthlyUsd - chosen.monthlyUsd)} more).`
      : "",
    eligible.length === 0 && limit
      ? `No model meets ${limit.why}: this one has the fewest cold starts (${formatPercent(chosen.coldStartShare)}).`
      : excluded.length > 0
        ? `Left out: ${excluded.map((entry) => `${NAMES[entry.model]} (${entry.reason})`).join("; ")}.`
        : "",
  ]
    .filter(Boolean)
    .join(" ");
  return {
    model: chosen.model,
    reason,
    monthlyUsd: chosen.monthlyUsd,
    monthlySavingUsd,
    ...(runnerUp
      ? {
          runnerUp: {
            model: runnerUp.model,
            monthlyUsd: runnerUp.monthlyUsd,
            monthlyDifferenceUsd: runnerUp.monthlyUsd - chosen.monthlyUsd,
          },
        }
      : {}),
    excluded,
  };
}

/** The guide's reasoning for the chosen model, in the traffic's figures. */
function why(
  chosen: BillingOption,
  shape: TrafficShape,
  onDemand: BillingOption,
  saving: number,
): string {
  const saves =
    saving > 0
      ? `saves ${formatUsd(saving)} a month against on-demand (${formatUsd(onDemand.monthlyUsd)})`
      : saving < 0
        ? `costs ${formatUsd(-saving)} a month more than on-demand (${formatUsd(onDemand.monthlyUsd)})`
        : `costs ${formatUsd(chosen.monthlyUsd)} a month`;
  const row = {
    unpredictable:
      "the guide's row for unpredictable traffic is on-demand billing, no provisioned concurrency",
    "steady-baseline-spikes":
      "the guide's row for a steady baseline with spikes is provisioned concurrency for the baseline, on-demand for the spikes",
    batch:
      "the guide's row for batch processing is to maximise the batch size and tune memory for cost, not to reserve capacity",
    infrequent:
      "the guide's row for infrequently called functions is on-demand with memory minimised, accepting cold starts",
  }[shape.pattern];
  switch (chosen.model) {
    case "provisioned-concurrency": {
      const level = chosen.schedule
        ? `a schedule per hour of day (${Math.min(...chosen.schedule)} to ${Math.max(...chosen.schedule)} environments)`
        : environments(chosen.provisionedConcurrency ?? 0);
      const utilisation = chosen.utilisation ?? 0;
      const breakEven = chosen.breakEvenUtilisation ?? 0;
      return `${capital(shape.reason)}: ${row}. Provisioned concurrency at ${level} for the baseline, on-demand for the spikes, ${saves}; it serves ${formatPercent(utilisation)} of its configured time, ${utilisation >= breakEven ? "above" : "below"} the ${formatPercent(breakEven)} break-even.`;
    }
    case "managed-instances":
      return `${capital(shape.reason)}. High steady throughput suits Managed Instances: ${chosen.instances} × ${chosen.instanceType} serve the peak of ${shape.peakConcurrency} concurrent requests with many requests per environment, ${saves}, with no cold starts${sharedPools(chosen, onDemand)}; the code must be thread-safe.`;
    case "snapstart":
      return `${capital(shape.reason)}: ${row}. SnapStart keeps on-demand billing and turns each cold start into a restore, ${saves} (${formatPercent(chosen.coldStartShare)} of invocations restore).`;
    default:
      return `${capital(shape.reason)}: ${row}. On-demand ${saves}; ${formatPercent(chosen.coldStartShare)} of invocations cold start.`;
  }
}

/** ", and shared pools hold 20 database connections at the peak where on-demand holds 100", when they do. */
function sharedPools(chosen: BillingOption, onDemand: BillingOption): string {
  const pooled = chosen.connections?.peak;
  const single = onDemand.connections?.peak;
  if (pooled === undefined || single === undefined || pooled >= single) return "";
  return `, and shared pools hold ${formatNumber(pooled, 0)} database connections at the peak where on-demand holds ${formatNumber(single, 0)}`;
}

function environments(count: number): string {
  return `${count} environment${count === 1 ? "" : "s"}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
