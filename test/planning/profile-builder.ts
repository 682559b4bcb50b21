/**
 * Profiles for the planner's tests, written as plain arrays: a step pattern
 * repeated, or a function of the step. Start 2026-01-01T00:00:00Z, so step 0
 * is 00:00 UTC and hour-of-day tests can count on it.
 */
import type { PlannedFunction, PlanSettings } from "../../src/planning/plan-models.js";
import type { TrafficProfile } from "../../src/planning/traffic-profile.js";

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
    ...overrides,
  };
}

/** One day of one-minute steps. */
export const DAY_STEPS = 1440;
