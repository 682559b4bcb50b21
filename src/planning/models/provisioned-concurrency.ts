/**
 * Provisioned concurrency over the profile: for a level L the allocation
 * (L × memory × every second configured × the PC price), the duration of
 * what the level serves at the PC duration price (a step's invocations
 * served by PC: min(concurrency, L) ÷ concurrency), the rest on-demand
 * (where spill-over may cold start, counted with the same pool model above
 * L), and requests.
 *
 * Every level from 0 to the peak is costed from a histogram of per-step
 * concurrency built once: served GB-s at L = the GB-s of steps with
 * concurrency ≤ L + L × Σ (GB-s ÷ concurrency) of the steps above L, both
 * running sums over the histogram, so the sweep is O(steps + peak), not
 * O(steps × peak). The sweep prices spill-over at the on-demand run's mean
 * price per GB-s and leaves out the init of spill-over cold starts; the
 * chosen level is then priced exactly (tiers, spill-over cold starts).
 *
 * The scheduled variant does the same per hour of day (UTC): each hour's
 * level is the cheapest for the steps in that hour, as Application Auto
 * Scaling's scheduled actions can set.
 */
import type { CostLine } from "../plan-result.js";
import {
  amount,
  CONCURRENCY_ESTIMATED_LABEL,
  ephemeralLine,
  IDLE_RECLAIM_LABEL,
  type ModelInput,
  makeOption,
  memoryGb,
  money,
  onDemandDuration,
  type PricedModel,
  price,
  requestsLine,
  totalOf,
} from "./model-support.js";
import { coldStartsPerStep, type PreparedTraffic, reclaimSteps } from "./prepared-traffic.js";

/**
 * The utilisation above which provisioned concurrency costs less than
 * on-demand for the same work: u × onDemand > allocation + u × pcDuration
 * ⇔ u > allocation ÷ (onDemand − pcDuration). At the first on-demand tier.
 */
export function breakEvenUtilisation(perGbSecond: {
  onDemand: number;
  allocation: number;
  pcDuration: number;
}): number {
  const margin = perGbSecond.onDemand - perGbSecond.pcDuration;
  return margin > 0 ? Math.min(1, perGbSecond.allocation / margin) : 1;
}

/**
 * The cheapest level for each group of steps (one group: the flat level; 24
 * groups: the hour-of-day schedule), from one histogram per group built in
 * one pass, with each level's cost relative to no provisioned concurrency at
 * the sweep's linear prices.
 */
function cheapestLevels(
  traffic: PreparedTraffic,
  gbSecondsPerStep: Float64Array,
  groups: number,
  groupOf: Uint8Array | null,
  allocationPerStepLevel: number,
  saving: number,
  minimum: number,
): { levels: number[]; cost: number } {
  const width = traffic.peakConcurrency + 2;
  // perEnvironmentAt[group × width + c]: Σ GB-s ÷ c over the group's steps at concurrency c.
  const perEnvironmentAt = new Float64Array(groups * width);
  const stepsIn = new Float64Array(groups);
  for (let step = 0; step < traffic.steps; step++) {
    const group = groupOf === null ? 0 : groupOf[step]!;
    stepsIn[group]! += 1;
    const concurrency = traffic.concurrency[step]!;
    if (concurrency > 0)
      perEnvironmentAt[group * width + concurrency]! += gbSecondsPerStep[step]! / concurrency;
  }
  const levels: number[] = [];
  let total = 0;
  for (let group = 0; group < groups; group++) {
    if (stepsIn[group] === 0) {
      levels.push(0);
      continue;
    }
    const base = group * width;
    const allocationPerLevel = allocationPerStepLevel * stepsIn[group]!;
    // Going from L to L + 1 serves one more environment in every step above L: the marginal
    // saving is `saving` × Σ over c > L of perEnvironmentAt[c].
    let above = 0;
    for (let concurrency = 1; concurrency < width; concurrency++)
      above += perEnvironmentAt[base + concurrency]!;
    let best = minimum;
    let cost = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let level = 0; level <= Math.max(traffic.peakConcurrency, minimum); level++) {
      if (level >= minimum && cost < bestCost - 1e-12) {
        bestCost = cost;
        best = level;
      }
      cost += allocationPerLevel - saving * above;
      above -= level + 1 < width ? perEnvironmentAt[base + level + 1]! : 0;
    }
    levels.push(best);
    total += bestCost;
  }
  return { levels, cost: total };
}

interface PricedLevels {
  readonly lines: CostLine[];
  readonly coldStarts: number;
  readonly utilisation: number;
  readonly stepUsd?: Float64Array;
}

/** The exact bill for a level per step (flat or scheduled). */
function priceLevels(
  input: ModelInput,
  level: number | Float64Array,
  gbSecondsPerStep: Float64Array,
  describeLevel: string,
): PricedLevels {
  const { traffic, fn, settings, prices } = input;
  const gb = memoryGb(fn);
  const architecture = prices.architecturePrices;
  const initMs = fn.initDurationMs ?? 0;
  const coldStarts = coldStartsPerStep(
    traffic,
    reclaimSteps(settings.idleReclaimMinutes, traffic.stepSeconds),
    level,
  );
  const levelAt = (step: number) => (typeof level === "number" ? level : level[step]!);
  let environmentSeconds = 0;
  let servedGbSeconds = 0;
  let spillGbSeconds = 0;
  let coldStartCount = 0;
  let billedSeconds = 0;
  for (let step = 0; step < traffic.steps; step++) {
    const provisioned = levelAt(step);
    const concurrency = traffic.concurrency[step]!;
    environmentSeconds += provisioned * traffic.stepSeconds;
    const share = concurrency > 0 ? Math.min(concurrency, provisioned) / concurrency : 0;
    servedGbSeconds += gbSecondsPerStep[step]! * share;
    spillGbSeconds += gbSecondsPerStep[step]! * (1 - share);
    coldStartCount += coldStarts[step]!;
    billedSeconds += gbSecondsPerStep[step]! / gb;
  }
  const spillInitGbSeconds = ((coldStartCount * initMs) / 1000) * gb;
  const allocationGbSeconds = environmentSeconds * gb;
  const spill = onDemandDuration(
    prices,
    spillGbSeconds + spillInitGbSeconds,
    traffic.periodSeconds,
  );
  const lines: CostLine[] = [
    {
      label: "provisioned concurrency allocation",
      usd: allocationGbSeconds * architecture.provisionedConcurrencyPerGbSecond,
      formula: `${describeLevel}: ${amount(environmentSeconds, 0)} environment-seconds × ${amount(gb)} GB = ${amount(allocationGbSeconds)} GB-s × ${price(architecture.provisionedConcurrencyPerGbSecond)}`,
    },
    {
      label: "duration served by provisioned concurrency",
      usd: servedGbSeconds * architecture.provisionedDurationPerGbSecond,
      formula: `${amount(servedGbSeconds)} GB-s (each step's share min(concurrency, level) ÷ concurrency) × ${price(architecture.provisionedDurationPerGbSecond)}`,
    },
  ];
  if (spillGbSeconds > 0)
    lines.push({
      label: "spill-over duration on-demand",
      usd: spillGbSeconds * spill.effectivePerGbSecond,
      formula: `${amount(spillGbSeconds)} GB-s × ${spill.rate}`,
    });
  if (spillInitGbSeconds > 0)
    lines.push({
      label: "init billed on spill-over cold starts",
      usd: spillInitGbSeconds * spill.effectivePerGbSecond,
      formula: `${amount(coldStartCount, 2)} cold starts × ${amount(initMs)} ms ÷ 1000 × ${amount(gb)} GB = ${amount(spillInitGbSeconds)} GB-s × ${spill.rate}`,
    });
  lines.push(requestsLine(prices, traffic.totalInvocations));
  const storage = ephemeralLine(prices, fn, billedSeconds);
  if (storage) lines.push(storage);
  let stepUsd: Float64Array | undefined;
  if (input.withSteps) {
    stepUsd = new Float64Array(traffic.steps);
    const perRequest = prices.requestsPerMillion / 1_000_000;
    const storagePerSecond = storage && billedSeconds > 0 ? storage.usd / billedSeconds : 0;
    for (let step = 0; step < traffic.steps; step++) {
      const provisioned = levelAt(step);
      const concurrency = traffic.concurrency[step]!;
      const share = concurrency > 0 ? Math.min(concurrency, provisioned) / concurrency : 0;
      const work = gbSecondsPerStep[step]!;
      stepUsd[step] =
        provisioned * traffic.stepSeconds * gb * architecture.provisionedConcurrencyPerGbSecond +
        work * share * architecture.provisionedDurationPerGbSecond +
        (work * (1 - share) + ((coldStarts[step]! * initMs) / 1000) * gb) *
          spill.effectivePerGbSecond +
        traffic.invocations[step]! * perRequest +
        (work / gb) * storagePerSecond;
    }
  }
  return {
    lines,
    coldStarts: coldStartCount,
    utilisation: allocationGbSeconds > 0 ? Math.min(1, servedGbSeconds / allocationGbSeconds) : 0,
    ...(stepUsd ? { stepUsd } : {}),
  };
}

export function priceProvisionedConcurrency(
  input: ModelInput,
  onDemandPerGbSecond: number,
): PricedModel {
  const { traffic, fn, prices, settings } = input;
  const gb = memoryGb(fn);
  const architecture = prices.architecturePrices;
  const gbSecondsPerStep = new Float64Array(traffic.steps);
  for (let step = 0; step < traffic.steps; step++)
    gbSecondsPerStep[step] =
      (traffic.invocations[step]! * traffic.billedDurationMs[step]! * gb) / 1000;
  const saving = onDemandPerGbSecond - architecture.provisionedDurationPerGbSecond;
  const allocationPerStepLevel =
    gb * traffic.stepSeconds * architecture.provisionedConcurrencyPerGbSecond;

  const flatSweep = cheapestLevels(
    traffic,
    gbSecondsPerStep,
    1,
    null,
    allocationPerStepLevel,
    saving,
    1,
  );
  const flatLevel = flatSweep.levels[0]!;
  const flat = priceLevels(
    input,
    flatLevel,
    gbSecondsPerStep,
    `${flatLevel} environment${flatLevel === 1 ? "" : "s"} all ${amount(traffic.periodSeconds / 3600, 2)} hours`,
  );

  // The scheduled variant: one level per hour of day.
  const scheduleSweep = cheapestLevels(
    traffic,
    gbSecondsPerStep,
    24,
    traffic.hourOfDay,
    allocationPerStepLevel,
    saving,
    0,
  );
  const schedule = scheduleSweep.levels;
  // Priced exactly only when it can win: some hour differs from the flat level, something is
  // provisioned (a schedule of zeros is on-demand), and the sweep finds it cheaper.
  const flatUsd = totalOf(flat.lines);
  let scheduled: PricedLevels | undefined;
  if (
    schedule.some((level) => level > 0) &&
    schedule.some((level) => level !== flatLevel) &&
    scheduleSweep.cost < flatSweep.cost
  ) {
    const levels = new Float64Array(traffic.steps);
    for (let step = 0; step < traffic.steps; step++)
      levels[step] = schedule[traffic.hourOfDay[step]!]!;
    scheduled = priceLevels(
      input,
      levels,
      gbSecondsPerStep,
      `a level per hour of day (UTC) [${schedule.join(", ")}]`,
    );
  }
  const scheduledUsd = scheduled ? totalOf(scheduled.lines) : Number.POSITIVE_INFINITY;
  const useSchedule = scheduled !== undefined && scheduledUsd < flatUsd - 1e-9;
  const chosen = useSchedule && scheduled ? scheduled : flat;

  const notes: string[] = [
    "not together with SnapStart: a function version uses one or the other",
    `the level is chosen from every level 0 to the peak (${traffic.peakConcurrency}) on allocation and duration; the init billed on spill-over cold starts is added for the level reported`,
  ];
  if (useSchedule)
    notes.push(
      `a schedule (Application Auto Scaling scheduled actions, a level per hour of day, UTC) costs ${money(scheduledUsd)} over the period against ${money(flatUsd)} for a flat ${flatLevel}: the option is priced on the schedule`,
    );
  if (chosen.coldStarts > 0)
    notes.push(
      `${amount(chosen.coldStarts, 0)} cold starts remain: spill-over above the level starts new on-demand environments`,
    );
  const modelled = [IDLE_RECLAIM_LABEL(settings.idleReclaimMinutes)];
  if (traffic.concurrencyEstimated) modelled.push(CONCURRENCY_ESTIMATED_LABEL);
  const option = makeOption("provisioned-concurrency", traffic, {
    periodUsd: totalOf(chosen.lines),
    coldStarts: chosen.coldStarts,
    lines: chosen.lines,
    notes,
    modelled,
    provisionedConcurrency: flatLevel,
    ...(useSchedule ? { schedule } : {}),
    utilisation: chosen.utilisation,
    breakEvenUtilisation: breakEvenUtilisation({
      onDemand: architecture.durationTiers[0]!.perGbSecond,
      allocation: architecture.provisionedConcurrencyPerGbSecond,
      pcDuration: architecture.provisionedDurationPerGbSecond,
    }),
  });
  return { option, ...(chosen.stepUsd ? { stepUsd: chosen.stepUsd } : {}) };
}
