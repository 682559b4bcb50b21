/**
 * Which row of the optimization guide's decision table ("Cost Optimization →
 * Decision Framework") the traffic matches, from a handful of figures, each
 * rule a named threshold with the reason for its value:
 *
 * - batch: most steps idle, and the busy steps come in bursts that fan out
 *   (several environments at once) at regular intervals;
 * - infrequent: most steps idle (or almost nothing runs), not batch;
 * - steady-baseline-spikes: some concurrency is present nearly all the time
 *   (the baseline a provisioned level would serve);
 * - unpredictable: everything else — no baseline, traffic that comes and goes.
 */
import { formatNumber, formatPercent } from "../../format.js";
import type { TrafficShape } from "../plan-result.js";
import type { PreparedTraffic } from "./prepared-traffic.js";

/** Share of steps a baseline must be present in: "nearly all the time", as the schema says. */
export const BASELINE_PRESENCE = 0.95;
/** Half the steps idle or more: the function is mostly not running. */
export const IDLE_SHARE_FOR_SPARSE = 0.5;
/** Under a tenth of an environment busy on average: almost nothing runs even if few steps are idle. */
export const MEAN_CONCURRENCY_FOR_INFREQUENT = 0.1;
/** A batch fans out: its bursts reach five environments or more on average. */
export const BATCH_MIN_BURST_PEAK = 5;
/** At least three bursts, to see a period (two gaps). */
export const BATCH_MIN_BURSTS = 3;
/** Bursts start at regular intervals: the gaps between starts vary by at most 25% (coefficient of variation). */
export const BATCH_MAX_INTERVAL_VARIATION = 0.25;
/** Peaks at least 1.5× the baseline are spikes worth paying on-demand for. */
export const SPIKE_RATIO = 1.5;

function coefficientOfVariation(values: ArrayLike<number>): number {
  const count = values.length;
  if (count === 0) return 0;
  let total = 0;
  for (let index = 0; index < count; index++) total += values[index]!;
  const mean = total / count;
  if (mean === 0) return 0;
  let squares = 0;
  for (let index = 0; index < count; index++) squares += (values[index]! - mean) ** 2;
  return Math.sqrt(squares / count) / mean;
}

/** The concurrency present in at least BASELINE_PRESENCE of steps: the low percentile of concurrency. */
function baselineOf(concurrency: Float64Array): number {
  if (concurrency.length === 0) return 0;
  const sorted = Float64Array.from(concurrency).sort();
  // At least 95% of steps have concurrency ≥ sorted[k] for k = floor(5% of steps).
  return sorted[Math.floor(sorted.length * (1 - BASELINE_PRESENCE))]!;
}

interface Bursts {
  readonly count: number;
  readonly meanPeak: number;
  readonly intervalVariation: number;
  readonly meanIntervalSteps: number;
}

/** Runs of busy steps, their mean peak concurrency, and how regular their starts are. */
function burstsOf(traffic: PreparedTraffic): Bursts {
  const starts: number[] = [];
  let peakTotal = 0;
  let peak = 0;
  let inBurst = false;
  for (let step = 0; step < traffic.steps; step++) {
    const busy = traffic.invocations[step]! > 0;
    if (busy && !inBurst) {
      starts.push(step);
      peak = 0;
    }
    if (busy) peak = Math.max(peak, traffic.concurrency[step]!);
    if (!busy && inBurst) peakTotal += peak;
    inBurst = busy;
  }
  if (inBurst) peakTotal += peak;
  const intervals = starts.slice(1).map((start, index) => start - starts[index]!);
  return {
    count: starts.length,
    meanPeak: starts.length > 0 ? peakTotal / starts.length : 0,
    intervalVariation: intervals.length > 0 ? coefficientOfVariation(intervals) : 0,
    meanIntervalSteps:
      intervals.length > 0 ? intervals.reduce((a, b) => a + b, 0) / intervals.length : 0,
  };
}

export function trafficShape(traffic: PreparedTraffic): TrafficShape {
  const steps = traffic.steps;
  let idle = 0;
  let concurrencyTotal = 0;
  for (let step = 0; step < steps; step++) {
    if (traffic.invocations[step]! === 0) idle++;
    concurrencyTotal += traffic.concurrency[step]!;
  }
  const idleStepShare = steps > 0 ? idle / steps : 0;
  const meanConcurrency = steps > 0 ? concurrencyTotal / steps : 0;
  const peakConcurrency = traffic.peakConcurrency;
  const peakToMeanConcurrency = meanConcurrency > 0 ? peakConcurrency / meanConcurrency : 0;
  const coefficient = coefficientOfVariation(traffic.invocations);
  const baselineConcurrency = baselineOf(traffic.concurrency);
  const figures = `peak/mean ${formatNumber(peakToMeanConcurrency, 1)}, ${formatPercent(idleStepShare)} of ${stepName(traffic)} idle, coefficient of variation ${formatNumber(coefficient, 2)}`;
  const shape = {
    peakToMeanConcurrency,
    idleStepShare,
    coefficientOfVariation: coefficient,
    meanConcurrency,
    peakConcurrency,
    baselineConcurrency,
  };
  const sparse = idleStepShare >= IDLE_SHARE_FOR_SPARSE;
  if (sparse) {
    const bursts = burstsOf(traffic);
    if (
      bursts.count >= BATCH_MIN_BURSTS &&
      bursts.meanPeak >= BATCH_MIN_BURST_PEAK &&
      bursts.intervalVariation <= BATCH_MAX_INTERVAL_VARIATION
    )
      return {
        ...shape,
        pattern: "batch",
        reason: `batch: ${bursts.count} bursts of about ${formatNumber(bursts.meanPeak, 1)} environments every ${describeSteps(traffic, bursts.meanIntervalSteps)} (intervals vary ${formatPercent(bursts.intervalVariation)}), idle between (${figures})`,
      };
  }
  if (sparse || meanConcurrency < MEAN_CONCURRENCY_FOR_INFREQUENT)
    return {
      ...shape,
      pattern: "infrequent",
      reason: `infrequently called: ${formatPercent(idleStepShare)} of ${stepName(traffic)} have no invocation and ${formatNumber(meanConcurrency, 2)} environments are busy on average (${figures})`,
    };
  if (baselineConcurrency >= 1)
    return {
      ...shape,
      pattern: "steady-baseline-spikes",
      reason:
        peakConcurrency >= SPIKE_RATIO * baselineConcurrency
          ? `steady baseline of ${baselineConcurrency} environment${baselineConcurrency === 1 ? "" : "s"} (present in ${formatPercent(BASELINE_PRESENCE)} of ${stepName(traffic)}) with spikes to ${peakConcurrency} (${figures})`
          : `steady: a baseline of ${baselineConcurrency} environment${baselineConcurrency === 1 ? "" : "s"} present in ${formatPercent(BASELINE_PRESENCE)} of ${stepName(traffic)}, peak ${peakConcurrency} (${figures})`,
    };
  return {
    ...shape,
    pattern: "unpredictable",
    reason: `unpredictable: no concurrency present in ${formatPercent(BASELINE_PRESENCE)} of ${stepName(traffic)}, peaks of ${peakConcurrency} against a mean of ${formatNumber(meanConcurrency, 1)} (${figures})`,
  };
}

function stepName(traffic: PreparedTraffic): string {
  return traffic.stepSeconds === 60
    ? "minutes"
    : `${formatNumber(traffic.stepSeconds, 0)}-second steps`;
}

function describeSteps(traffic: PreparedTraffic, steps: number): string {
  const minutes = (steps * traffic.stepSeconds) / 60;
  return minutes >= 120
    ? `${formatNumber(minutes / 60, 1)} hours`
    : `${formatNumber(minutes, 0)} minutes`;
}
