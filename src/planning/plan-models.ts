/**
 * Every billing model priced on one profile, the traffic's shape, and the
 * recommendation: pure, no I/O. Each model is its own module under
 * models/ and walks the prepared profile once; this file runs them on the
 * traffic as measured (with a cost per step, for the timeline) and on the
 * traffic scaled 0.1× to 10× (where the models' costs cross). The formulas
 * and every modelled assumption: docs/commands/plan.md.
 */
import {
  modelledPricesLabel,
  type PriceTable,
  pricesFor,
  pricesUsed,
} from "../pricing/price-table.js";
import { withConnections } from "./models/connections.js";
import { priceManagedInstances } from "./models/managed-instances.js";
import type { ModelInput, PricedModel } from "./models/model-support.js";
import { priceOnDemand } from "./models/on-demand.js";
import { type PreparedTraffic, prepareTraffic, scaleTraffic } from "./models/prepared-traffic.js";
import { priceProvisionedConcurrency } from "./models/provisioned-concurrency.js";
import { recommend } from "./models/recommendation.js";
import { priceSnapStart } from "./models/snapstart.js";
import { trafficShape } from "./models/traffic-shape.js";
import type { BillingModel, PlanResult } from "./plan-result.js";
import type { TrafficProfile } from "./traffic-profile.js";

/** The traffic multiples the scaling chart prices every model at. */
export const SCALING_FACTORS = [0.1, 0.2, 0.5, 1, 2, 5, 10] as const;
/** The timeline has at most this many points: a chart's worth. */
export const MAX_TIMELINE_POINTS = 500;

/** The function being planned, every fact resolved (options, then template, then observed). */
export interface PlannedFunction {
  readonly name?: string;
  readonly memoryMb: number;
  readonly architecture: "x86_64" | "arm64";
  readonly runtime?: string;
  readonly meanDurationMs: number;
  readonly initDurationMs?: number;
  readonly ephemeralStorageMb: number;
  /** Where each fact came from: "option", "template", "logs", "cloudwatch", "profile", "default". */
  readonly sources: Readonly<Record<string, string>>;
}

/** The planner's own settings, checked and defaulted by PlanOptionsSchema. */
export interface PlanSettings {
  readonly region: string;
  readonly idleReclaimMinutes: number;
  readonly maxColdStartShare?: number | undefined;
  readonly latencySensitive: boolean;
  readonly maxConcurrencyPerEnvironment?: number | undefined;
  readonly savingsPlanDiscount: number;
  /** Connections in one Managed Instances environment's pool (models/connections.ts). */
  readonly connectionPoolSize: number;
}

export function planBillingModels(
  profile: TrafficProfile,
  fn: PlannedFunction,
  settings: PlanSettings,
  table: PriceTable,
  notes: readonly string[] = [],
): PlanResult {
  if (profile.invocations.length === 0) throw new Error("the profile has no steps to plan on");
  const prices = pricesFor(table, settings.region, fn.architecture);
  const traffic = prepareTraffic(profile, fn.meanDurationMs);
  const priced = priceAll({ traffic, fn, settings, prices, withSteps: true });
  const options = withConnections(
    priced.map((model) => model.option),
    traffic,
    fn,
    settings,
  );
  const shape = trafficShape(traffic);
  const allNotes = [...notes];
  if (traffic.concurrencyEstimated)
    allNotes.push(
      "the profile has no concurrency: it is estimated per step as invocations × duration ÷ step length (Little's law), rounded up",
    );
  const modelledRegion = modelledPricesLabel(prices);
  if (modelledRegion) allNotes.push(modelledRegion);
  const modelled = [...new Set(options.flatMap((option) => option.modelled))];
  if (modelledRegion) modelled.push(modelledRegion);
  const end = profile.startMs + traffic.periodSeconds * 1000;
  return {
    function: {
      ...(fn.name !== undefined ? { name: fn.name } : {}),
      memoryMb: fn.memoryMb,
      architecture: fn.architecture,
      ...(fn.runtime !== undefined ? { runtime: fn.runtime } : {}),
      meanDurationMs: fn.meanDurationMs,
      ...(fn.initDurationMs !== undefined ? { initDurationMs: fn.initDurationMs } : {}),
      ephemeralStorageMb: fn.ephemeralStorageMb,
      sources: { ...fn.sources },
    },
    profile: {
      source: profile.source,
      origin: profile.origin,
      start: new Date(profile.startMs).toISOString(),
      end: new Date(end).toISOString(),
      stepSeconds: profile.stepSeconds,
      steps: traffic.steps,
      invocations: traffic.totalInvocations,
      concurrencyEstimated: traffic.concurrencyEstimated,
    },
    periodSeconds: traffic.periodSeconds,
    pricesUsed: pricesUsed(table, settings.region),
    shape,
    options,
    recommendation: recommend(options, shape, settings),
    scaling: scaling(traffic, priced, (scaled) => ({
      traffic: scaled,
      fn,
      settings,
      prices,
      withSteps: false,
    })),
    timeline: timeline(traffic, priced),
    modelled,
    notes: allNotes,
  };
}

/** Every model, in the order the plan lists them. */
function priceAll(input: ModelInput): PricedModel[] {
  const onDemand = priceOnDemand(input);
  const provisioned = priceProvisionedConcurrency(input, onDemand.effectivePerGbSecond);
  return [
    { option: onDemand.option, ...(onDemand.stepUsd ? { stepUsd: onDemand.stepUsd } : {}) },
    provisioned,
    priceSnapStart(input),
    priceManagedInstances(input),
  ];
}

/** Each available model's cost over the period with invocations and concurrency × factor (PC re-optimised). */
function scaling(
  traffic: PreparedTraffic,
  measured: readonly PricedModel[],
  inputFor: (traffic: PreparedTraffic) => ModelInput,
): PlanResult["scaling"] {
  return SCALING_FACTORS.map((factor) => {
    const models = factor === 1 ? measured : priceAll(inputFor(scaleTraffic(traffic, factor)));
    const periodUsd: Partial<Record<BillingModel, number>> = {};
    for (const { option } of models)
      if (option.available) periodUsd[option.model] = option.periodUsd;
    return { factor, periodUsd };
  });
}

/** The profile in at most MAX_TIMELINE_POINTS spans of whole steps, each with every available model's cost. */
function timeline(
  traffic: PreparedTraffic,
  models: readonly PricedModel[],
): PlanResult["timeline"] {
  const span = Math.max(1, Math.ceil(traffic.steps / MAX_TIMELINE_POINTS));
  const points: PlanResult["timeline"] = [];
  for (let first = 0; first < traffic.steps; first += span) {
    const last = Math.min(traffic.steps, first + span);
    let invocations = 0;
    let peak = 0;
    for (let step = first; step < last; step++) {
      invocations += traffic.invocations[step]!;
      peak = Math.max(peak, traffic.concurrency[step]!);
    }
    const usd: Partial<Record<BillingModel, number>> = {};
    for (const { option, stepUsd } of models) {
      if (!option.available || !stepUsd) continue;
      let total = 0;
      for (let step = first; step < last; step++) total += stepUsd[step]!;
      usd[option.model] = total;
    }
    points.push({
      time: new Date(traffic.startMs + first * traffic.stepSeconds * 1000).toISOString(),
      invocations,
      peakConcurrency: peak,
      usd,
    });
  }
  return points;
}
