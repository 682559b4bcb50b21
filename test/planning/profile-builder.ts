/**
 * Profiles for the planner's tests, written as plain arrays: a step pattern
 * repeated, or a function of the step. Start 2026-01-01T00:00:00Z, so step 0
 * is 00:00 UTC and hour-of-day tests can count on it.
 */
import type { ModelInput } from "../../src/planning/models/model-support.js";
import { prepareTraffic } from "../../src/planning/models/prepared-traffic.js";
import type { PlannedFunction, PlanSettings } from "../../src/planning/plan-models.js";
import type { TrafficProfile } from "../../src/planning/traffic-profile.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../src/pricing/price-table.js";

export const START_MS = Date.UTC(2026, 0, 1);

export function profileOf(
  steps: number,
  at: (step: number) => { invocations: number; concurrency?: number; durationMs?: number },
  stepSeconds = 60,
): TrafficProfile {
  const invocations: number[] = [];
  const concurrency: number[] = [];
  const durationMs: number[] = [];
  let hasConcurrency = false;
  let hasDuration = false;
  for (let step = 0; step < steps; step++) {
    const row = at(step);
    invocations.push(row.invocations);
    concurrency.push(row.concurrency ?? 0);
    durationMs.push(row.durationMs ?? Number.NaN);
    hasConcurrency ||= row.concurrency !== undefined;
    hasDuration ||= row.durationMs !== undefined;
  }
  return {
    source: "profile-file",
    origin: "test.csv",
    startMs: START_MS,
    stepSeconds,
    invocations,
    ...(hasConcurrency ? { concurrency } : {}),
    ...(hasDuration ? { durationMs } : {}),
  };
}

export function functionOf(overrides: Partial<PlannedFunction> = {}): PlannedFunction {
  return {
    memoryMb: 1024,
    architecture: "x86_64",
    meanDurationMs: 100,
    ephemeralStorageMb: 512,
    sources: {},
    ...overrides,
  };
}

export function settingsOf(overrides: Partial<PlanSettings> = {}): PlanSettings {
  return {
    region: "us-east-1",
    idleReclaimMinutes: 10,
    latencySensitive: false,
    savingsPlanDiscount: 0,
    connectionPoolSize: 10,
    ...overrides,
  };
}

/** One day of one-minute steps. */
export const DAY_STEPS = 1440;

/** What a model module takes, for the profile as measured. */
export function inputOf(
  profile: TrafficProfile,
  fn: PlannedFunction = functionOf(),
  settings: PlanSettings = settingsOf(),
  withSteps = false,
): ModelInput {
  return {
    traffic: prepareTraffic(profile, fn.meanDurationMs),
    fn,
    settings,
    prices: pricesFor(BUNDLED_PRICE_TABLE, settings.region, fn.architecture),
    withSteps,
  };
}

/** Seconds in the 730-hour month monthly figures are scaled to. */
export const MONTH_SECONDS = 730 * 3600;
