/**
 * Hand-built tuning results for tests: only the numbers a test is about are
 * given, the rest get plain defaults, so each expectation can be worked by hand.
 */
import type { Architecture } from "../../src/pricing/price-table.js";
import type { ConfigurationResult, TuneResult } from "../../src/tuning/tune-result.js";

export interface ConfigurationSpec {
  memoryMb: number;
  architecture?: Architecture;
  status?: "ok" | "failed";
  /** Mean cost per invocation. */
  costUsd: number;
  /** Mean duration in ms. */
  meanMs: number;
  /** Defaults to meanMs. */
  p50Ms?: number;
  /** Defaults to meanMs × 1.2. */
  p95Ms?: number;
  /** Defaults to p95Ms × 1.1. */
  p99Ms?: number;
  /** Defaults to costUsd ± 1%: narrow, so nothing ties unless a test says so. */
  costCi95?: [number, number];
  /** Defaults to meanMs ± 1%. */
  durationCi95?: [number, number];
}

export function configurationResult(spec: ConfigurationSpec): ConfigurationResult {
  const status = spec.status ?? "ok";
  const p95 = spec.p95Ms ?? spec.meanMs * 1.2;
  const [costLow, costHigh] = spec.costCi95 ?? [spec.costUsd * 0.99, spec.costUsd * 1.01];
  const [durationLow, durationHigh] = spec.durationCi95 ?? [spec.meanMs * 0.99, spec.meanMs * 1.01];
  return {
    memoryMb: spec.memoryMb,
    architecture: spec.architecture ?? "x86_64",
    status,
    error: status === "failed" ? { type: "Runtime.OutOfMemory", message: "out of memory" } : null,
    invocations: status === "ok" ? 10 : 0,
    errors: status === "ok" ? 0 : 10,
    durationMs: {
      mean: spec.meanMs,
      trimmedMean: spec.meanMs,
      p50: spec.p50Ms ?? spec.meanMs,
      p90: p95,
      p95,
      p99: spec.p99Ms ?? p95 * 1.1,
      min: spec.meanMs * 0.9,
      max: spec.p99Ms ?? p95 * 1.1,
    },
    billedDurationMs: { mean: Math.ceil(spec.meanMs) },
    maxMemoryUsedMb: { max: 64 },
    coldStart: null,
    costPerInvocationUsd: spec.costUsd,
    costPer1MInvocationsUsd: spec.costUsd * 1e6,
    costCi95: { low: costLow, high: costHigh },
    durationCi95: { low: durationLow, high: durationHigh },
    samples: [],
  };
}

export function tuneResult(
  results: ConfigurationResult[],
  overrides: Partial<TuneResult> = {},
): TuneResult {
  return {
    schemaVersion: 1,
    createdAt: "2026-01-15T10:00:00.000Z",
    target: {
      kind: "local",
      functionName: "thumbnailer",
      functionArn: "arn:aws:lambda:us-east-1:000000000000:function:thumbnailer",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:9001",
    },
    settings: {
      memoryMb: [...new Set(results.map((result) => result.memoryMb))],
      architectures: [...new Set(results.map((result) => result.architecture))],
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
      maxNum: 10,
      payloads: 1,
    },
    original: { memoryMb: 1024, architecture: "x86_64", costPerInvocationUsd: null },
    results,
    recommendation: null,
    closestToSlo: null,
    tuningCostUsd: 0.0001,
    prices: { date: "2026-01-01", region: "us-east-1" },
    sandbox: null,
    applied: null,
    ...overrides,
  };
}

const RECOMMENDATION: TuneResult["recommendation"] = {
  memoryMb: 512,
  architecture: "arm64",
  strategy: "cost",
  costPerInvocationUsd: 1.0e-6,
  durationMsP50: 100,
  durationMsP95: 120,
  reason: "Cheapest per invocation ($0.000001).",
  tiedWith: [],
  savingVsOriginal: null,
};

/** A baseline run for compare: 512 MB and 1,024 MB arm64, 512 MB recommended. */
export const BASELINE = tuneResult(
  [
    configurationResult({
      memoryMb: 512,
      architecture: "arm64",
      costUsd: 1.0e-6,
      meanMs: 100,
      p95Ms: 120,
    }),
    configurationResult({
      memoryMb: 1024,
      architecture: "arm64",
      costUsd: 1.6e-6,
      meanMs: 80,
      p95Ms: 90,
    }),
  ],
  { recommendation: RECOMMENDATION },
);

/** A later run of it: 512 MB arm64 costs 8% more (past 5%); 1,024 MB's p95 rises 5.6% (within 10%). */
export const REGRESSED = tuneResult(
  [
    configurationResult({
      memoryMb: 512,
      architecture: "arm64",
      costUsd: 1.08e-6,
      meanMs: 108,
      p95Ms: 125,
    }),
    configurationResult({
      memoryMb: 1024,
      architecture: "arm64",
      costUsd: 1.6e-6,
      meanMs: 80,
      p95Ms: 95,
    }),
  ],
  { recommendation: { ...RECOMMENDATION, costPerInvocationUsd: 1.08e-6 } },
);
