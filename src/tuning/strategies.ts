/**
 * Choose a configuration from a tuning run's results by strategy — cost,
 * speed, balanced or slo — and refuse to pretend that noise is a difference:
 * configurations whose confidence interval overlaps the best one's are tied,
 * and among the tied the tuner prefers the faster (the cheaper for speed).
 * The rules are written up in docs/tuning-statistics.md.
 */
import {
  type ConfigurationKey,
  compareConfigurations,
  intervalsOverlap,
  keyOf,
  sameConfiguration,
} from "./configuration-key.js";
import { explainRecommendation, type SloBound } from "./recommendation-reason.js";
import { measuredFor, type SpeedMeasure, speedMeasure } from "./speed-metric.js";
import type {
  ConfigurationResult,
  Interval,
  Metric,
  Recommendation,
  Strategy,
} from "./tune-result.js";

export interface RecommendOptions {
  readonly strategy: Strategy;
  /** What "fast" means: the duration (default) or the time to first byte (speed-metric.ts). */
  readonly metric?: Metric;
  /** balanced only: 0 ranks by speed alone, 1 by cost alone (Power Tuning's balancedWeight). */
  readonly balancedWeight: number;
  /** slo: the p95 bound in ms (give this or maxP99Ms, not both). */
  readonly maxP95Ms?: number;
  /** slo: the p99 bound in ms. */
  readonly maxP99Ms?: number;
  /** The function's configuration before tuning, for the saving against it. */
  readonly original?: ConfigurationKey;
}

/** With the slo strategy and no configuration meeting the bound: the one that came closest. */
export type ClosestToSlo = ConfigurationKey & { readonly percentileMs: number };

export interface RecommendOutcome {
  readonly recommendation: Recommendation | null;
  readonly closestToSlo: ClosestToSlo | null;
}

/** Orders two configurations, best first. */
type Ranking = (a: ConfigurationResult, b: ConfigurationResult) => number;

const byCost: Ranking = (a, b) => a.costPerInvocationUsd - b.costPerInvocationUsd;
const bySpeedOf =
  (speed: SpeedMeasure): Ranking =>
  (a, b) =>
    speed.figure(a) - speed.figure(b);

/** Rank by each criterion in turn; the configuration order last, so a choice never depends on input order. */
function rankBy(...criteria: Ranking[]): Ranking {
  return (a, b) => {
    for (const criterion of criteria) {
      const order = criterion(a, b);
      if (order !== 0) return order;
    }
    return compareConfigurations(a, b);
  };
}

function best(
  configurations: readonly ConfigurationResult[],
  ranking: Ranking,
): ConfigurationResult {
  return [...configurations].sort(ranking)[0]!;
}

/**
 * Recommend one of the results with status "ok" (failed ones never compete).
 * No ok results, or no configuration meeting the slo bound, give a null
 * recommendation; for the latter closestToSlo names the one with the lowest
 * bounded percentile.
 */
export function recommend(
  results: readonly ConfigurationResult[],
  options: RecommendOptions,
): RecommendOutcome {
  checkOptions(options);
  const speed = speedMeasure(options.metric);
  const bySpeed = bySpeedOf(speed);
  // A configuration without the metric's figures (no first byte measured) cannot compete on it.
  const measured = results.filter(
    (result) => result.status === "ok" && measuredFor(result, options.metric),
  );
  if (measured.length === 0) return { recommendation: null, closestToSlo: null };

  const slo = options.strategy === "slo" ? sloBound(options) : null;
  const bounded = (result: ConfigurationResult) =>
    slo ? speed.distribution(result)[slo.percentile] : 0;
  const candidates = slo ? measured.filter((result) => bounded(result) <= slo.limitMs) : measured;
  if (slo && candidates.length === 0) {
    const closest = best(
      measured,
      rankBy((a, b) => bounded(a) - bounded(b), byCost),
    );
    return {
      recommendation: null,
      closestToSlo: { ...keyOf(closest), percentileMs: bounded(closest) },
    };
  }

  const leader = best(candidates, strategyRanking(options, candidates, bySpeed, speed));
  // Tied: not distinguishable from the leader on the measure the strategy is
  // about. Among them, pick on the other measure: that is what the tie costs nothing to gain.
  const noise = noiseInterval(options.strategy, speed);
  const tiedGroup = candidates.filter(
    (candidate) => candidate === leader || intervalsOverlap(noise(candidate), noise(leader)),
  );
  const chosen = best(
    tiedGroup,
    options.strategy === "speed" ? rankBy(byCost, bySpeed) : rankBy(bySpeed, byCost),
  );
  const tied = tiedGroup.filter((candidate) => candidate !== chosen).sort(compareConfigurations);

  const original = options.original
    ? (measured.find((result) => sameConfiguration(result, options.original!)) ?? null)
    : null;
  return {
    recommendation: {
      ...keyOf(chosen),
      strategy: options.strategy,
      metric: options.metric ?? "duration",
      costPerInvocationUsd: chosen.costPerInvocationUsd,
      durationMsP50: chosen.durationMs.p50,
      durationMsP95: chosen.durationMs.p95,
      ttfbMsP50: chosen.ttfbMs?.p50 ?? null,
      ttfbMsP95: chosen.ttfbMs?.p95 ?? null,
      reason: explainRecommendation({
        strategy: options.strategy,
        speed,
        balancedWeight: options.balancedWeight,
        slo,
        chosen,
        leader,
        tied,
        original,
      }),
      tiedWith: tied.map(keyOf),
      savingVsOriginal: original ? savingAgainst(original, chosen) : null,
    },
    closestToSlo: null,
  };
}

function strategyRanking(
  options: RecommendOptions,
  candidates: readonly ConfigurationResult[],
  bySpeed: Ranking,
  speed: SpeedMeasure,
): Ranking {
  switch (options.strategy) {
    case "cost":
    case "slo":
      return rankBy(byCost, bySpeed);
    case "speed":
      return rankBy(bySpeed, byCost);
    case "balanced": {
      const score = balancedScore(candidates, options.balancedWeight, speed);
      return rankBy((a, b) => score(a) - score(b), byCost, bySpeed);
    }
  }
}

/**
 * Power Tuning's balanced value, lower is better:
 * weight × cost / max cost + (1 − weight) × speed / max speed,
 * the maxima taken over the configurations competing, the speed the metric's
 * (mean duration by default). Dividing by the maximum (not min–max scaling)
 * keeps each term's ratios: twice the cost scores twice.
 */
export function balancedScore(
  candidates: readonly ConfigurationResult[],
  weight: number,
  speed: SpeedMeasure = speedMeasure("duration"),
): (configuration: ConfigurationResult) => number {
  const maxCost = Math.max(...candidates.map((c) => c.costPerInvocationUsd));
  const maxSpeed = Math.max(...candidates.map((c) => speed.figure(c)));
  const share = (value: number, max: number) => (max > 0 ? value / max : 0);
  return (configuration) =>
    weight * share(configuration.costPerInvocationUsd, maxCost) +
    (1 - weight) * share(speed.figure(configuration), maxSpeed);
}

/** The interval that says whether two configurations differ on the strategy's own measure. */
function noiseInterval(
  strategy: Strategy,
  speed: SpeedMeasure,
): (configuration: ConfigurationResult) => Interval {
  return strategy === "speed" ? speed.interval : (configuration) => configuration.costCi95;
}

function sloBound(options: RecommendOptions): SloBound {
  return options.maxP95Ms !== undefined
    ? { percentile: "p95", limitMs: options.maxP95Ms }
    : { percentile: "p99", limitMs: options.maxP99Ms! };
}

function checkOptions(options: RecommendOptions): void {
  const { balancedWeight, maxP95Ms, maxP99Ms } = options;
  if (!(balancedWeight >= 0 && balancedWeight <= 1)) {
    throw new RangeError(`balancedWeight must be from 0 to 1, got ${balancedWeight}`);
  }
  if (options.strategy === "slo" && (maxP95Ms === undefined) === (maxP99Ms === undefined)) {
    throw new RangeError("the slo strategy needs exactly one bound: maxP95Ms or maxP99Ms");
  }
  for (const bound of [maxP95Ms, maxP99Ms]) {
    if (bound !== undefined && !(bound >= 0 && Number.isFinite(bound))) {
      throw new RangeError(`an slo bound must be a number of ms ≥ 0, got ${bound}`);
    }
  }
}

function savingAgainst(
  original: ConfigurationResult,
  chosen: ConfigurationResult,
): NonNullable<Recommendation["savingVsOriginal"]> {
  const perInvocationUsd = original.costPerInvocationUsd - chosen.costPerInvocationUsd;
  return {
    perInvocationUsd,
    per1MInvocationsUsd: original.costPer1MInvocationsUsd - chosen.costPer1MInvocationsUsd,
    percent:
      original.costPerInvocationUsd > 0
        ? (perInvocationUsd / original.costPerInvocationUsd) * 100
        : 0,
  };
}
