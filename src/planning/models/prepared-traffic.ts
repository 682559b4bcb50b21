/**
 * The profile as every billing model reads it: typed columns of invocations,
 * whole-environment concurrency and duration per step, built once (and once
 * more per scaling factor) so each model walks plain arrays. Also the one
 * cold-start model all Lambda-billed models share.
 */
import { billedDurationMs } from "../../pricing/cost.js";
import type { TrafficProfile } from "../traffic-profile.js";

export interface PreparedTraffic {
  readonly startMs: number;
  readonly stepSeconds: number;
  readonly steps: number;
  readonly periodSeconds: number;
  readonly invocations: Float64Array;
  /** Environments busy at once in each step: measured, or estimated by Little's law; whole numbers. */
  readonly concurrency: Float64Array;
  /** Billed duration of one invocation in each step, ms (the step's mean, rounded up as Lambda bills). */
  readonly billedDurationMs: Float64Array;
  readonly concurrencyEstimated: boolean;
  readonly totalInvocations: number;
  readonly peakConcurrency: number;
  /** Concurrency before rounding up to whole environments: what scaling multiplies. */
  readonly exactConcurrency: Float64Array;
  /** The factor this traffic is of the measured one (1 as measured). */
  readonly factor: number;
  /** The hour of day (UTC, 0–23) each step starts in: what a provisioned-concurrency schedule keys on. */
  readonly hourOfDay: Uint8Array;
}

/**
 * Read a profile into columns. Where the profile has no concurrency, each
 * step's is invocations × duration / step length (Little's law), rounded up:
 * one invocation in a step keeps at least one environment busy.
 */
export function prepareTraffic(
  profile: TrafficProfile,
  meanDurationMs: number,
  factor = 1,
): PreparedTraffic {
  const steps = profile.invocations.length;
  const invocations = new Float64Array(steps);
  const exact = new Float64Array(steps);
  const billed = new Float64Array(steps);
  const estimated = profile.concurrency === undefined;
  const stepMs = profile.stepSeconds * 1000;
  const hourOfDay = new Uint8Array(steps);
  for (let step = 0; step < steps; step++) {
    hourOfDay[step] = Math.floor((profile.startMs + step * stepMs) / 3_600_000) % 24;
    const count = profile.invocations[step]!;
    const stepDuration = profile.durationMs?.[step];
    const durationMs =
      stepDuration !== undefined && Number.isFinite(stepDuration) ? stepDuration : meanDurationMs;
    invocations[step] = count;
    exact[step] = estimated ? (count * durationMs) / stepMs : profile.concurrency![step]!;
    billed[step] = billedDurationMs(durationMs);
  }
  const measured: PreparedTraffic = {
    startMs: profile.startMs,
    stepSeconds: profile.stepSeconds,
    steps,
    periodSeconds: steps * profile.stepSeconds,
    invocations,
    concurrency: new Float64Array(0),
    billedDurationMs: billed,
    concurrencyEstimated: estimated,
    totalInvocations: 0,
    peakConcurrency: 0,
    exactConcurrency: exact,
    factor: 1,
    hourOfDay,
  };
  return scaleTraffic(measured, factor);
}

/**
 * The traffic with invocations and concurrency × factor (durations kept),
 * concurrency rounded up to whole environments; at least one environment in
 * a step with invocations.
 */
export function scaleTraffic(base: PreparedTraffic, factor: number): PreparedTraffic {
  const steps = base.steps;
  const invocations = new Float64Array(steps);
  const exact = new Float64Array(steps);
  const concurrency = new Float64Array(steps);
  let totalInvocations = 0;
  let peakConcurrency = 0;
  for (let step = 0; step < steps; step++) {
    const count = base.invocations[step]! * factor;
    const raw = base.exactConcurrency[step]! * factor;
    const environments = Math.ceil(raw - 1e-9);
    invocations[step] = count;
    exact[step] = raw;
    const whole = count > 0 ? Math.max(1, environments) : Math.max(0, environments);
    concurrency[step] = whole;
    totalInvocations += count;
    if (whole > peakConcurrency) peakConcurrency = whole;
  }
  return {
    ...base,
    invocations,
    concurrency,
    exactConcurrency: exact,
    totalInvocations,
    peakConcurrency,
    factor: base.factor * factor,
  };
}

/** Steps an idle environment survives: idleReclaimMinutes in whole steps, at least one. */
export function reclaimSteps(idleReclaimMinutes: number, stepSeconds: number): number {
  return Math.max(1, Math.round((idleReclaimMinutes * 60) / stepSeconds));
}

/**
 * Cold starts per step under the pool model: an environment used in a step
 * stays alive for `reclaim` steps after; so the environments alive before
 * step t are the most busy at once in the `reclaim` steps before it, and each
 * environment step t needs above that is a new one (never more than the
 * step's invocations). `above` subtracts a provisioned level first (one
 * for every step, or one per step): the spill-over past provisioned
 * concurrency, which on-demand environments serve.
 * One pass with a monotonic deque (a sliding-window maximum): O(steps).
 */
export function coldStartsPerStep(
  traffic: PreparedTraffic,
  reclaim: number,
  above?: number | Float64Array,
): Float64Array {
  // On-demand and SnapStart ask for the same series: work it out once per traffic.
  if (above === undefined) {
    const cached = onDemandColdStarts.get(traffic);
    if (cached?.reclaim === reclaim) return cached.series;
  }
  const { steps, concurrency, invocations } = traffic;
  const result = new Float64Array(steps);
  if (scratch.demand.length < steps) {
    scratch.demand = new Float64Array(steps);
    scratch.window = new Int32Array(steps);
  }
  // Scratch columns reused from call to call: the sweep calls this for every model and factor.
  const demand = scratch.demand;
  if (above === undefined) demand.set(concurrency);
  else if (typeof above === "number")
    for (let step = 0; step < steps; step++) demand[step] = Math.max(0, concurrency[step]! - above);
  else
    for (let step = 0; step < steps; step++)
      demand[step] = Math.max(0, concurrency[step]! - above[step]!);
  // Indices of the window's candidates for maximum, their demand decreasing.
  const window = scratch.window;
  let head = 0;
  let tail = 0;
  for (let step = 0; step < steps; step++) {
    while (head < tail && window[head]! < step - reclaim) head++;
    const alive = head < tail ? demand[window[head]!]! : 0;
    const needed = demand[step]!;
    if (needed > alive) {
      // Spill-over invocations are the step's share above the level.
      const share = concurrency[step]! > 0 ? needed / concurrency[step]! : 0;
      result[step] = Math.min(needed - alive, Math.ceil(invocations[step]! * share - 1e-9));
    }
    while (head < tail && demand[window[tail - 1]!]! <= needed) tail--;
    window[tail++] = step;
  }
  if (above === undefined) onDemandColdStarts.set(traffic, { reclaim, series: result });
  return result;
}

const scratch = { demand: new Float64Array(0), window: new Int32Array(0) };

const onDemandColdStarts = new WeakMap<
  PreparedTraffic,
  { reclaim: number; series: Float64Array }
>();

export function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
