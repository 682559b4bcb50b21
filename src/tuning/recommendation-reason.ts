/**
 * The recommendation's `reason`: why this configuration, what it saves against
 * the original, and which others are tied within noise — one sentence a person
 * can act on without reading the table.
 */

import { formatMs, formatPercent, formatUsd } from "../format.js";
import { describeConfiguration, sameConfiguration } from "./configuration-key.js";
import type { SpeedMeasure } from "./speed-metric.js";
import type { ConfigurationResult, Strategy } from "./tune-result.js";

export interface SloBound {
  readonly percentile: "p95" | "p99";
  readonly limitMs: number;
}

export interface ReasonInput {
  readonly strategy: Strategy;
  /** What "fast" means here: the mean duration, or the time to first byte (speed-metric.ts). */
  readonly speed: SpeedMeasure;
  readonly balancedWeight: number;
  readonly slo: SloBound | null;
  /** The recommended configuration. */
  readonly chosen: ConfigurationResult;
  /** The best by the strategy's own measure; differs from `chosen` when a tie went to the other measure. */
  readonly leader: ConfigurationResult;
  /** Tied within noise with the leader, other than `chosen`. */
  readonly tied: readonly ConfigurationResult[];
  /** The original configuration, when it was measured. */
  readonly original: ConfigurationResult | null;
}

export function explainRecommendation(input: ReasonInput): string {
  const others = input.tied.filter((tied) => tied !== input.leader);
  return `${whyChosen(input)}${againstOriginal(input)}${tiesClause(input, others)}.`;
}

function whyChosen({ strategy, speed, balancedWeight, slo, chosen, leader }: ReasonInput): string {
  const switched = chosen !== leader;
  const meanMs = speed.describe;
  const fasterThanLeader = `and faster (${meanMs(chosen)} against ${meanMs(leader)})`;
  switch (strategy) {
    case "cost":
      return switched
        ? `Within noise of the cheapest per invocation (${describeConfiguration(leader)} at ${formatUsd(leader.costPerInvocationUsd)}) at ${formatUsd(chosen.costPerInvocationUsd)}, ${fasterThanLeader}`
        : `Cheapest per invocation (${formatUsd(chosen.costPerInvocationUsd)})`;
    case "speed":
      return switched
        ? `Within noise of the ${speed.fastest.toLowerCase()} (${describeConfiguration(leader)} at ${meanMs(leader)}) at ${meanMs(chosen)}, and cheaper (${formatUsd(chosen.costPerInvocationUsd)} against ${formatUsd(leader.costPerInvocationUsd)} per invocation)`
        : `${speed.fastest} (${meanMs(chosen)}, ${formatUsd(chosen.costPerInvocationUsd)} per invocation)`;
    case "balanced": {
      const weight = `weight ${balancedWeight.toLocaleString("en-US", { maximumFractionDigits: 3 })}`;
      return switched
        ? `Within noise on cost of the best balance of cost and speed at ${weight} (${describeConfiguration(leader)} at ${formatUsd(leader.costPerInvocationUsd)}) at ${formatUsd(chosen.costPerInvocationUsd)}, ${fasterThanLeader}`
        : `Best balance of cost and speed at ${weight} (${formatUsd(chosen.costPerInvocationUsd)} per invocation, ${meanMs(chosen)})`;
    }
    case "slo": {
      const bound = slo!;
      const label = speed.percentileLabel(bound.percentile);
      const figure = formatMs(speed.distribution(chosen)[bound.percentile]);
      const meets = `its ${label} of ${figure} ms meets the ${formatMs(bound.limitMs)} ms bound`;
      return switched
        ? `Within noise of the cheapest configuration that meets the ${label} bound of ${formatMs(bound.limitMs)} ms (${describeConfiguration(leader)} at ${formatUsd(leader.costPerInvocationUsd)}) at ${formatUsd(chosen.costPerInvocationUsd)}, ${fasterThanLeader}; ${meets}`
        : `Cheapest per invocation (${formatUsd(chosen.costPerInvocationUsd)}) whose ${label} meets the bound: ${figure} ms against ${formatMs(bound.limitMs)} ms`;
    }
  }
}

function againstOriginal({ chosen, original }: ReasonInput): string {
  if (!original) return "";
  if (sameConfiguration(chosen, original)) return "; it is the original configuration";
  const name = `the original ${describeConfiguration(original)}`;
  const saving = original.costPerInvocationUsd - chosen.costPerInvocationUsd;
  if (saving === 0 || original.costPerInvocationUsd === 0) return `, as cheap as ${name}`;
  const share = formatPercent(Math.abs(saving) / original.costPerInvocationUsd);
  return saving > 0 ? `, ${share} cheaper than ${name}` : `, ${share} dearer than ${name}`;
}

function tiesClause(input: ReasonInput, others: readonly ConfigurationResult[]): string {
  if (others.length === 0) return "";
  const also = input.chosen !== input.leader ? "also " : "";
  const verb = others.length === 1 ? "is" : "are";
  const trailing =
    input.strategy === "speed"
      ? others.every((o) => o.costPerInvocationUsd > input.chosen.costPerInvocationUsd)
        ? "dearer"
        : "no cheaper"
      : others.every((o) => input.speed.figure(o) > input.speed.figure(input.chosen))
        ? "slower"
        : "no faster";
  return `; ${listOf(others.map(describeConfiguration))} ${verb} ${also}tied within noise and ${trailing}`;
}

/** "A", "A and B", "A, B and C", "A, B, C and 2 more". */
function listOf(names: readonly string[]): string {
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  if (shown.length === 1) return shown[0]!;
  return `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}
