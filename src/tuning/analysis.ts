/**
 * From measurements to figures and a choice, with no I/O: each configuration's samples
 * summarised (durations with their trimmed mean and percentiles, cost per invocation, bootstrap
 * intervals), a local run's samples priced again at the architectures it only models, and the
 * recommendation made by strategy (strategies.ts) under a local run's rules
 * (modelled-architecture.ts).
 */
import { durationWithStartupMs } from "../lambda/report-line.js";
import { costPerInvocation } from "../pricing/cost.js";
import { type Architecture, type PriceTable, pricesFor } from "../pricing/price-table.js";
import {
  bootstrapMeanInterval,
  bootstrapMedianInterval,
  mean,
  seededRandom,
  summarize,
} from "../statistics.js";
import {
  type ConfigurationKey,
  compareConfigurations,
  sameConfiguration,
} from "./configuration-key.js";
import { localCandidates, modelledOn, modelledReason } from "./modelled-architecture.js";
import type { Measurement } from "./sample-tally.js";
import type { TuningSettings } from "./settings.js";
import { type RecommendOutcome, recommend } from "./strategies.js";
import type { ConfigurationResult, Modelled } from "./tune-result.js";
import type { TuningPlan } from "./tuning-plan.js";

export interface Pricing {
  readonly priceTable: PriceTable;
  readonly region: string;
  /** Share of samples the trimmed mean discards (0–0.5). */
  readonly discard: number;
}

/**
 * A measured configuration's results: its own, and on a local run the same samples at each
 * priced-only architecture's rates, labelled modelled. Pricing again costs no invocation, so it
 * adds nothing to the run's own cost.
 */
export function configurationResults(
  measurement: Measurement,
  configuration: ConfigurationKey,
  plan: Pick<TuningPlan, "host" | "pricedOnly">,
  pricing: Pricing,
): ConfigurationResult[] {
  const { host } = plan;
  const measured = summariseConfiguration({
    ...measurement,
    ...configuration,
    discard: pricing.discard,
    modelled: host ? modelledOn(configuration.architecture, host) : null,
  });
  const priced = plan.pricedOnly.map((architecture) => {
    const prices = pricesFor(pricing.priceTable, pricing.region, architecture);
    return summariseConfiguration({
      ...measurement,
      memoryMb: configuration.memoryMb,
      architecture,
      discard: pricing.discard,
      samples: measurement.samples.map((sample) => ({
        ...sample,
        costUsd: costPerInvocation(prices, {
          memoryMb: configuration.memoryMb,
          billedDurationMs: sample.billedDurationMs,
        }).totalUsd,
      })),
      // pricedOnly is only ever set on a local run, where the host is known.
      modelled: modelledOn(architecture, host!),
    });
  });
  return [measured, ...priced];
}

export interface SummaryInput extends Measurement {
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly discard: number;
  readonly modelled: Modelled | null;
}

/**
 * One configuration's figures. Failed when any invocation failed or none was measured: a failed
 * configuration is reported, never recommended. Speed counts a cold sample's init (or restore)
 * too. The intervals' seeds depend on the memory size only, so a result is reproducible.
 */
export function summariseConfiguration(input: SummaryInput): ConfigurationResult {
  const samples = [...input.samples];
  const speed = samples.map(durationWithStartupMs);
  const costs = samples.map((sample) => sample.costUsd);
  const costPerInvocationUsd = mean(costs);
  const failed = input.errors > 0 || samples.length === 0;
  // Time to first byte where the invocation measured one (local runs: every answer that came).
  const firstBytes = samples.flatMap((sample) =>
    typeof sample.ttfbMs === "number" ? [sample.ttfbMs] : [],
  );
  return {
    memoryMb: input.memoryMb,
    architecture: input.architecture,
    status: failed ? "failed" : "ok",
    error: failed
      ? (input.firstError ?? { type: "Tuner.NoSamples", message: "no invocation was measured" })
      : null,
    invocations: samples.length,
    errors: input.errors,
    durationMs: summarize(speed, input.discard),
    billedDurationMs: { mean: mean(samples.map((sample) => sample.billedDurationMs)) },
    ttfbMs: firstBytes.length > 0 ? summarize(firstBytes, input.discard) : null,
    ttfbCi95:
      firstBytes.length > 0
        ? bootstrapMedianInterval(firstBytes, { random: seededRandom(input.memoryMb + 2) })
        : null,
    maxMemoryUsedMb: { max: Math.max(0, ...samples.map((sample) => sample.maxMemoryUsedMb)) },
    coldStart: input.coldStart,
    costPerInvocationUsd,
    costPer1MInvocationsUsd: costPerInvocationUsd * 1_000_000,
    costCi95: bootstrapMeanInterval(costs, { random: seededRandom(input.memoryMb) }),
    durationCi95: bootstrapMeanInterval(speed, { random: seededRandom(input.memoryMb + 1) }),
    samples,
    modelled: input.modelled,
  };
}

export type ChoiceSettings = Pick<
  TuningSettings,
  "strategy" | "balancedWeight" | "maxP95Ms" | "maxP99Ms"
> &
  Partial<Pick<TuningSettings, "metric">>;

/**
 * The recommendation. On a local run (`host` set) a function declared arm64 is only offered
 * arm64, and the reason says which figures were modelled.
 */
export function chooseConfiguration(
  results: readonly ConfigurationResult[],
  original: ConfigurationKey,
  settings: ChoiceSettings,
  host: Architecture | undefined,
): RecommendOutcome {
  const ranked = [...results].sort(compareConfigurations);
  const choice = recommend(host ? localCandidates(ranked, original) : ranked, {
    strategy: settings.strategy,
    ...(settings.metric ? { metric: settings.metric } : {}),
    balancedWeight: settings.balancedWeight,
    ...(settings.maxP95Ms !== undefined ? { maxP95Ms: settings.maxP95Ms } : {}),
    ...(settings.maxP99Ms !== undefined ? { maxP99Ms: settings.maxP99Ms } : {}),
    original,
  });
  const { recommendation } = choice;
  if (!host || !recommendation) return choice;
  const chosen = ranked.find((result) => sameConfiguration(result, recommendation))!;
  const extra = modelledReason(chosen, original, ranked);
  return extra
    ? {
        ...choice,
        recommendation: { ...recommendation, reason: `${recommendation.reason} ${extra}` },
      }
    : choice;
}
