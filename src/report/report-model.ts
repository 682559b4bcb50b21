/**
 * What every report (HTML, terminal, CSV) reads out of a TuneResult the same way: the order of
 * the rows, which configuration won and which are tied with it, and how a row is named. One place,
 * so the three reports never disagree about the winner or the order.
 */
import { ARCHITECTURES, type Architecture } from "../pricing/price-table.js";
import {
  type ConfigurationKey,
  compareConfigurations,
  describeConfiguration,
  sameConfiguration,
} from "../tuning/configuration-key.js";
import {
  type ConfigurationResult,
  measuredFunction,
  type TuneResult,
} from "../tuning/tune-result.js";

export { describeConfiguration, sameConfiguration };

/** What a report calls the function (the handler path of a local run, else its name). */
export const functionTitle = measuredFunction;

/** The architectures whose durations a run modelled rather than measured, with the label each carries. */
export function modelledArchitectures(
  result: TuneResult,
): { architecture: Architecture; duration: string; measuredOn: Architecture }[] {
  const seen = new Map<Architecture, { duration: string; measuredOn: Architecture }>();
  for (const configuration of sortedConfigurations(result)) {
    if (configuration.modelled && !seen.has(configuration.architecture))
      seen.set(configuration.architecture, configuration.modelled);
  }
  return [...seen].map(([architecture, modelled]) => ({ architecture, ...modelled }));
}

/** recommended: the winner; tied: within noise of it (confidence intervals overlap). */
export type Standing = "recommended" | "tied" | null;

/** Memory ascending, then architectures in ARCHITECTURES order: the order every table uses. */
export function sortedConfigurations(result: TuneResult): ConfigurationResult[] {
  return [...result.results].sort(compareConfigurations);
}

/** The architectures that have results, in ARCHITECTURES order: one chart series each. */
export function architecturesOf(result: TuneResult): Architecture[] {
  return ARCHITECTURES.filter((architecture) =>
    result.results.some((configuration) => configuration.architecture === architecture),
  );
}

/** Every memory size that has a result, ascending: the charts' shared x axis. */
export function memorySizesOf(result: TuneResult): number[] {
  return [...new Set(result.results.map((configuration) => configuration.memoryMb))].sort(
    (a, b) => a - b,
  );
}

export function standingOf(result: TuneResult, key: ConfigurationKey): Standing {
  const recommendation = result.recommendation;
  if (recommendation === null) return null;
  if (sameConfiguration(recommendation, key)) return "recommended";
  return recommendation.tiedWith.some((tied) => sameConfiguration(tied, key)) ? "tied" : null;
}

/**
 * Whether a configuration's statistics describe real samples. A failed configuration may still
 * have counted some (allowed exceptions, or successes before the failure); with none, its
 * distribution is only placeholders and must not be shown as a measurement.
 */
export function hasSamples(configuration: ConfigurationResult): boolean {
  return configuration.invocations > 0 && Number.isFinite(configuration.durationMs.p50);
}

/** Only successful configurations are drawn on the curves: a failed one has no cost to compare. */
export function isCharted(configuration: ConfigurationResult): boolean {
  return configuration.status === "ok" && hasSamples(configuration);
}

export function strategyDescription(result: TuneResult): string {
  const { strategy, balancedWeight, maxP95Ms, maxP99Ms } = result.settings;
  const firstByte = result.settings.metric === "ttfb";
  switch (strategy) {
    case "cost":
      return "cost: the cheapest per invocation";
    case "speed":
      return firstByte ? "speed: the fastest to first byte (p50)" : "speed: the fastest";
    case "balanced":
      return `balanced: cost and ${firstByte ? "time to first byte" : "speed"} weighted ${balancedWeight} to ${round(1 - balancedWeight)}`;
    case "slo":
      return `slo: the cheapest whose ${firstByte ? "first-byte " : ""}${sloBound(maxP95Ms, maxP99Ms)}`;
  }
}

/** Whether any configuration measured its time to first byte (local runs do): the reports then show it. */
export function hasFirstByteTimes(result: TuneResult): boolean {
  return result.results.some((configuration) => configuration.ttfbMs != null);
}

/** "p95 ≤ 200 ms", the bound the slo strategy had to meet. */
export function sloBound(maxP95Ms: number | null, maxP99Ms: number | null): string {
  if (maxP99Ms !== null) return `p99 ≤ ${maxP99Ms.toLocaleString("en-US")} ms`;
  if (maxP95Ms !== null) return `p95 ≤ ${maxP95Ms.toLocaleString("en-US")} ms`;
  return "latency meets the bound";
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
