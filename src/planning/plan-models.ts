/**
 * Every billing model priced on one profile, the traffic's shape, and the
 * recommendation: pure, no I/O. STUB: the planning-models helper replaces
 * this body.
 */
import type { PriceTable } from "../pricing/price-table.js";
import type { PlanResult } from "./plan-result.js";
import type { TrafficProfile } from "./traffic-profile.js";

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
}

export function planBillingModels(
  profile: TrafficProfile,
  fn: PlannedFunction,
  settings: PlanSettings,
  table: PriceTable,
  notes: readonly string[] = [],
): PlanResult {
  void [profile, fn, settings, table, notes];
  throw new Error("the billing models are not built yet");
}
