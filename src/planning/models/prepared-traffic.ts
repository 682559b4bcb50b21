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
  const concurrency = new Float64Array(steps);
  const billed = new Float64Array(steps);
  const estimated = profile.concurrency === undefined;
  let totalInvocations = 0;
  let peakConcurrency = 0;
  for (let step = 0; step < steps; step++) {
    const count = profile.invocations[step]! * factor;
    const stepDuration = profile.durationMs?.[step];
    const durationMs =
      stepDuration !== undefined && Number.isFinite(stepDuration) ? stepDuration : meanDurationMs;
    const measured = profile.concurrency?.[step];
    const environments =
      measured !== undefined && !estimated
        ? Math.ceil(measured * factor - 1e-9)
        : Math.ceil((count * durationMs) / (profile.stepSeconds * 1000) - 1e-9);
    invocations[step] = count;
    // A step with invocations has at least one environment busy.
    concurrency[step] = count > 0 ? Math.max(1, environments) : Math.max(0, environments);
    billed[step] = billedDurationMs(durationMs);
    totalInvocations += count;
    if (concurrency[step]! > peakConcurrency) peakConcurrency = concurrency[step]!;
  }
  return {
    startMs: profile.startMs,
    stepSeconds: profile.stepSeconds,
    steps,
    periodSeconds: steps * profile.stepSeconds,
    invocations,
    concurrency,
    billedDurationMs: billed,
    concurrencyEstimated: estimated,
    totalInvocations,
    peakConcurrency,
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
 * step's invocations). `above` subtracts a fixed level first: the spill-over
 * past provisioned concurrency, which on-demand environments serve.
 * One pass with a monotonic deque (a sliding-window maximum): O(steps).
 */
export function coldStartsPerStep(
  traffic: PreparedTraffic,
  reclaim: number,
  above: (step: number) => number = () => 0,
): Float64Array {
  const { steps, concurrency, invocations } = traffic;
  const result = new Float64Array(steps);
  const demand = new Float64Array(steps);
  for (let step = 0; step < steps; step++)
    demand[step] = Math.max(0, concurrency[step]! - above(step));
  // Indices of the window's candidates for maximum, their demand decreasing.
  const window = new Int32Array(steps);
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
  return result;
}

export function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
