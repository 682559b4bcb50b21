/**
 * How the plan's reports (terminal, HTML, the MCP summary) name what they show: the billing
 * models, the guide's traffic patterns, a schedule of provisioned concurrency, and where the
 * cheapest model changes as the traffic grows or shrinks. One place, so every surface says the
 * same thing in the same words.
 */
import { formatNumber, formatPercent } from "../format.js";
import type {
  BillingModel,
  BillingOption,
  PlanResult,
  TrafficPattern,
} from "../planning/plan-result.js";

export const BILLING_MODEL_LABELS: Record<BillingModel, string> = {
  "on-demand": "on-demand",
  "provisioned-concurrency": "provisioned concurrency",
  snapstart: "SnapStart",
  "managed-instances": "Managed Instances",
};

/** The guide's decision table's rows ("Cost Optimization → Decision Framework"). */
export const TRAFFIC_PATTERN_LABELS: Record<TrafficPattern, string> = {
  unpredictable: "unpredictable",
  "steady-baseline-spikes": "steady baseline + spikes",
  batch: "batch",
  infrequent: "infrequent",
};

/** A 24-hour schedule as runs of equal levels: "00–07h 4, 08–19h 14, 20–23h 6" (UTC). */
export function describeSchedule(schedule: readonly number[]): string {
  const runs: string[] = [];
  let start = 0;
  for (let hour = 1; hour <= schedule.length; hour++) {
    if (hour < schedule.length && schedule[hour] === schedule[start]) continue;
    const span = hour - 1 === start ? `${pad(start)}h` : `${pad(start)}–${pad(hour - 1)}h`;
    runs.push(`${span} ${schedule[start]}`);
    start = hour;
  }
  return `${runs.join(", ")} UTC`;
}

/** "8–17": the lowest and highest level of a schedule, for a table cell. */
function describeLevels(schedule: readonly number[]): string {
  const low = Math.min(...schedule);
  const high = Math.max(...schedule);
  return low === high ? String(low) : `${low}–${high}`;
}

const pad = (hour: number) => String(hour).padStart(2, "0");

/**
 * What sets an option apart, in a few words: its provisioned level or schedule, its instances,
 * or why it cannot run this function.
 */
export function optionDetail(option: BillingOption, form: "full" | "short" = "full"): string {
  if (!option.available) return `unavailable: ${option.reason ?? "not priced"}`;
  const parts: string[] = [];
  if (option.schedule)
    parts.push(
      form === "full"
        ? `schedule ${describeSchedule(option.schedule)}`
        : `schedule ${describeLevels(option.schedule)} by hour of day`,
    );
  else if (option.provisionedConcurrency !== undefined)
    parts.push(`level ${formatNumber(option.provisionedConcurrency, 0)}`);
  if (option.utilisation !== undefined) {
    const breakEven =
      option.breakEvenUtilisation === undefined
        ? ""
        : `, break-even ${formatPercent(option.breakEvenUtilisation)}`;
    parts.push(`utilisation ${formatPercent(option.utilisation)}${breakEven}`);
  }
  if (option.instanceType !== undefined)
    parts.push(`${formatNumber(option.instances ?? 0, 0)} × ${option.instanceType} at the peak`);
  if (option.connections !== undefined)
    parts.push(
      `${formatNumber(option.connections.peak, 0)} database connection${option.connections.peak === 1 ? "" : "s"} at the peak`,
    );
  return parts.join("; ");
}

/** The models a chart or a table draws: those that can run this function. */
export function availableModels(result: PlanResult): BillingModel[] {
  return result.options.filter((option) => option.available).map((option) => option.model);
}

/** Where the cheapest model changes as the traffic is scaled: the factor at which two lines cross. */
export interface ScalingCrossing {
  /** The traffic multiple at which they cost the same (interpolated on a log scale). */
  readonly factor: number;
  /** The model cheapest below it. */
  readonly below: BillingModel;
  /** The model cheapest above it. */
  readonly above: BillingModel;
}

/** Every change of the cheapest available model along `scaling`, in order of factor. */
export function scalingCrossings(result: PlanResult): ScalingCrossing[] {
  const models = availableModels(result);
  const points = [...result.scaling].sort((a, b) => a.factor - b.factor);
  const cheapestAt = (point: PlanResult["scaling"][number]) =>
    models.reduce<BillingModel | undefined>((best, model) => {
      const cost = point.periodUsd[model];
      if (cost === undefined) return best;
      return best === undefined || cost < (point.periodUsd[best] ?? Infinity) ? model : best;
    }, undefined);
  const crossings: ScalingCrossing[] = [];
  for (let index = 1; index < points.length; index++) {
    const before = points[index - 1]!;
    const after = points[index]!;
    const below = cheapestAt(before);
    const above = cheapestAt(after);
    if (below === undefined || above === undefined || below === above) continue;
    // The two lines, straight between the points on a log axis: where their difference is zero.
    const gapBefore = before.periodUsd[below]! - before.periodUsd[above]!;
    const gapAfter = after.periodUsd[below]! - after.periodUsd[above]!;
    const share = gapBefore === gapAfter ? 0.5 : gapBefore / (gapBefore - gapAfter);
    const logFactor =
      Math.log(before.factor) + share * (Math.log(after.factor) - Math.log(before.factor));
    crossings.push({ factor: Math.exp(logFactor), below, above });
  }
  return crossings;
}

/**
 * The cheapest model along the scaled traffic, in words: "on-demand up to 0.67×, then Managed
 * Instances (traffic scaled 0.1× to 10×)". Undefined without scaling points.
 */
export function describeScaling(result: PlanResult): string | undefined {
  const factors = result.scaling.map((point) => point.factor);
  if (factors.length === 0) return undefined;
  const range = `traffic scaled ${formatNumber(Math.min(...factors))}× to ${formatNumber(Math.max(...factors))}×`;
  const crossings = scalingCrossings(result);
  const first = crossings[0];
  if (first === undefined)
    return `${BILLING_MODEL_LABELS[result.recommendation.model]} is the cheapest throughout (${range})`;
  const steps = [`${BILLING_MODEL_LABELS[first.below]} up to ${formatNumber(first.factor)}×`];
  crossings.forEach((crossing, index) => {
    const next = crossings[index + 1];
    steps.push(
      next === undefined
        ? `then ${BILLING_MODEL_LABELS[crossing.above]}`
        : `then ${BILLING_MODEL_LABELS[crossing.above]} up to ${formatNumber(next.factor)}×`,
    );
  });
  return `cheapest: ${steps.join(", ")} (${range})`;
}
