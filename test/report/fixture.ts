/**
 * Hand-built TuneResults for the report tests: a CPU-bound function tuned on both architectures,
 * its 128 MB x86_64 run failed with an out-of-memory error. Figures are consistent with each
 * other (costs follow from billed durations at us-east-1 prices) but not from a real tuner.
 */
import type { Architecture } from "../../src/pricing/price-table.js";
import type { ConfigurationResult, Sample, TuneResult } from "../../src/tuning/tune-result.js";

const PER_GB_SECOND: Record<Architecture, number> = { x86_64: 0.0000166667, arm64: 0.0000133334 };
const PER_REQUEST = 0.0000002;

/** A fixed spread around 1.0, so every build of a configuration has the same samples. */
const JITTER = [0.97, 1.0, 1.02, 0.99, 1.05, 0.98, 1.01, 1.0, 1.12, 0.96];

export interface ConfigurationOptions {
  memoryMb: number;
  architecture: Architecture;
  /** Typical duration of one warm invocation. */
  durationMs: number;
  num?: number;
  failed?: { type: string; message: string };
}

export function costOf(memoryMb: number, architecture: Architecture, billedMs: number): number {
  return (memoryMb / 1024) * (billedMs / 1000) * PER_GB_SECOND[architecture] + PER_REQUEST;
}

export function configuration(options: ConfigurationOptions): ConfigurationResult {
  const { memoryMb, architecture, durationMs, failed } = options;
  const num = options.num ?? JITTER.length;
  if (failed) {
    const zero = { mean: 0, trimmedMean: 0, p50: 0, p90: 0, p95: 0, p99: 0, min: 0, max: 0 };
    return {
      memoryMb,
      architecture,
      status: "failed",
      error: failed,
      invocations: 0,
      errors: 1,
      durationMs: zero,
      billedDurationMs: { mean: 0 },
      maxMemoryUsedMb: { max: memoryMb },
      coldStart: null,
      costPerInvocationUsd: 0,
      costPer1MInvocationsUsd: 0,
      costCi95: { low: 0, high: 0 },
      durationCi95: { low: 0, high: 0 },
      samples: [],
    };
  }
  const samples: Sample[] = Array.from({ length: num }, (_, index) => {
    const sampleMs = round(durationMs * (JITTER[index % JITTER.length] ?? 1));
    const billed = Math.ceil(sampleMs);
    return {
      durationMs: sampleMs,
      billedDurationMs: billed,
      initDurationMs: null,
      maxMemoryUsedMb: 70,
      costUsd: costOf(memoryMb, architecture, billed),
      errorType: null,
    };
  });
  const durations = samples.map((sample) => sample.durationMs).sort((a, b) => a - b);
  const costs = samples.map((sample) => sample.costUsd);
  const meanCost = mean(costs);
  const costHalfWidth = 2 * (standardDeviation(costs) / Math.sqrt(costs.length));
  const meanDuration = mean(durations);
  const durationHalfWidth = 2 * (standardDeviation(durations) / Math.sqrt(durations.length));
  const billedMean = mean(samples.map((sample) => sample.billedDurationMs));
  return {
    memoryMb,
    architecture,
    status: "ok",
    error: null,
    invocations: num,
    errors: 0,
    durationMs: {
      mean: meanDuration,
      trimmedMean: mean(durations.slice(1, -1)),
      p50: percentile(durations, 50),
      p90: percentile(durations, 90),
      p95: percentile(durations, 95),
      p99: percentile(durations, 99),
      min: durations[0] ?? 0,
      max: durations.at(-1) ?? 0,
    },
    billedDurationMs: { mean: billedMean },
    maxMemoryUsedMb: { max: 70 },
    coldStart: {
      durationMs: round(durationMs * 1.3),
      initDurationMs: architecture === "arm64" ? 180.4 : 212.7,
      billedDurationMs: Math.ceil(durationMs * 1.3 + 200),
    },
    costPerInvocationUsd: meanCost,
    costPer1MInvocationsUsd: meanCost * 1e6,
    costCi95: { low: meanCost - costHalfWidth, high: meanCost + costHalfWidth },
    durationCi95: { low: meanDuration - durationHalfWidth, high: meanDuration + durationHalfWidth },
    samples,
  };
}

/** A CPU-bound function: twice the memory, half the time, up to one vCPU at 1,769 MB. */
export function cpuBoundDurationMs(memoryMb: number, architecture: Architecture): number {
  const atOneVcpu = architecture === "arm64" ? 230 : 200;
  return round((atOneVcpu * 1769) / Math.min(memoryMb, 1769) + (memoryMb > 1769 ? -8 : 0));
}

export const MEMORY_SIZES = [128, 256, 512, 1024, 1769, 3008];

/** The default fixture: a finished local run recommending a configuration by cost. */
export function tuneResult(overrides: Partial<TuneResult> = {}): TuneResult {
  const results = overrides.results ?? defaultResults();
  const ok = results.filter((result) => result.status === "ok");
  const cheapest = [...ok].sort((a, b) => a.costPerInvocationUsd - b.costPerInvocationUsd)[0];
  const original = { memoryMb: 1024, architecture: "x86_64" as const };
  const originalResult = results.find(
    (result) =>
      result.memoryMb === original.memoryMb && result.architecture === original.architecture,
  );
  const originalCost = originalResult?.costPerInvocationUsd ?? null;
  return {
    schemaVersion: 1,
    createdAt: "2026-03-14T09:26:53.000Z",
    target: {
      kind: "local",
      functionName: "checkout-api",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:checkout-api",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:39211",
    },
    settings: {
      memoryMb: MEMORY_SIZES,
      architectures: ["x86_64", "arm64"],
      num: 10,
      strategy: "cost",
      balancedWeight: 0.5,
      maxP95Ms: null,
      maxP99Ms: null,
      discard: 0.2,
      parallel: false,
      concurrency: 1,
      onlyColdStarts: false,
      allowedExceptions: [],
      untilConfident: false,
      maxNum: 50,
      payloads: 1,
    },
    original: { ...original, costPerInvocationUsd: originalCost },
    results,
    recommendation:
      cheapest === undefined
        ? null
        : {
            memoryMb: cheapest.memoryMb,
            architecture: cheapest.architecture,
            strategy: "cost",
            costPerInvocationUsd: cheapest.costPerInvocationUsd,
            durationMsP50: cheapest.durationMs.p50,
            durationMsP95: cheapest.durationMs.p95,
            reason: `The cheapest configuration per invocation: ${cheapest.memoryMb} MB ${cheapest.architecture}.`,
            tiedWith: ok
              .filter(
                (result) =>
                  result !== cheapest &&
                  result.costCi95.low <= cheapest.costCi95.high &&
                  cheapest.costCi95.low <= result.costCi95.high,
              )
              .map((result) => ({ memoryMb: result.memoryMb, architecture: result.architecture })),
            savingVsOriginal:
              originalCost === null
                ? null
                : {
                    perInvocationUsd: originalCost - cheapest.costPerInvocationUsd,
                    per1MInvocationsUsd: (originalCost - cheapest.costPerInvocationUsd) * 1e6,
                    percent: (100 * (originalCost - cheapest.costPerInvocationUsd)) / originalCost,
                  },
          },
    closestToSlo: null,
    tuningCostUsd: 0.00231,
    prices: { date: "2025-08-01", region: "us-east-1" },
    sandbox: {
      mechanism: "cgroup-v2",
      memoryEnforcement: "cgroup memory.max",
      hostCpus: 2,
      lawCheck: {
        ratio: 14.05,
        law: 1769 / 128,
        error: 14.05 / (1769 / 128) - 1,
        withinTolerance: true,
        checkedAt: "2025-08-01T09:30:00.000Z",
        cached: true,
      },
    },
    applied: null,
    ...overrides,
  };
}

function defaultResults(): ConfigurationResult[] {
  return (["x86_64", "arm64"] as const).flatMap((architecture) =>
    MEMORY_SIZES.map((memoryMb) =>
      memoryMb === 128 && architecture === "x86_64"
        ? configuration({
            memoryMb,
            architecture,
            durationMs: 0,
            failed: {
              type: "Runtime.OutOfMemory",
              message: "RequestId: 1f0c Error: Runtime exited with error: signal: killed",
            },
          })
        : configuration({
            memoryMb,
            architecture,
            durationMs: cpuBoundDurationMs(memoryMb, architecture),
          }),
    ),
  );
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: readonly number[]): number {
  const average = mean(values);
  return Math.sqrt(mean(values.map((value) => (value - average) ** 2)));
}

/** Nearest rank on sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
