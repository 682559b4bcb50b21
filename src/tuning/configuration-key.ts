/**
 * A configuration is identified by its memory and architecture: how results
 * are matched across runs, named in sentences and listed as ties.
 */
import { ARCHITECTURES, type Architecture } from "../pricing/price-table.js";
import type { Interval } from "./tune-result.js";

export interface ConfigurationKey {
  readonly memoryMb: number;
  readonly architecture: Architecture;
}

export function keyOf(configuration: ConfigurationKey): ConfigurationKey {
  return { memoryMb: configuration.memoryMb, architecture: configuration.architecture };
}

export function sameConfiguration(a: ConfigurationKey, b: ConfigurationKey): boolean {
  return a.memoryMb === b.memoryMb && a.architecture === b.architecture;
}

/** "1,024 MB x86_64": how people name a configuration. */
export function describeConfiguration(configuration: ConfigurationKey): string {
  return `${configuration.memoryMb.toLocaleString("en-US")} MB ${configuration.architecture}`;
}

/** Memory ascending, then architectures in ARCHITECTURES order: the order tables and lists use. */
export function compareConfigurations(a: ConfigurationKey, b: ConfigurationKey): number {
  return (
    a.memoryMb - b.memoryMb ||
    ARCHITECTURES.indexOf(a.architecture) - ARCHITECTURES.indexOf(b.architecture)
  );
}

/** Two intervals overlap when neither lies wholly above the other (touching counts). */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.low <= b.high && b.low <= a.high;
}
