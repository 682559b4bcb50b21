/**
 * The result document from what a run measured and decided, complete or stopped early.
 */
import { describe, expect, it } from "vitest";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";
import {
  assembleTuneResult,
  stoppedReason,
  type TuneResultInput,
} from "../../src/tuning/assemble-tune-result.js";
import type { HostLoadReading } from "../../src/tuning/host-load.js";
import type { TuningSettings } from "../../src/tuning/settings.js";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { configurationResult } from "./fixtures.js";

const SETTINGS: TuningSettings = {
  memorySizes: [1024, 128],
  architectures: [],
  num: 10,
  payloads: [{ payload: new TextEncoder().encode("{}"), weight: 1 }],
  strategy: "cost",
  metric: "duration",
  balancedWeight: 0.5,
  maxP95Ms: 800,
  discard: 0.2,
  parallel: false,
  concurrency: 5,
  onlyColdStarts: false,
  allowedExceptions: ["ValidationError"],
  sleepBetweenMs: 0,
  untilConfident: false,
  maxNum: 10,
  dryRun: false,
  apply: false,
};

const reading = (atMs: number, loadAverage1m: number): HostLoadReading => ({
  atMs,
  cpus: 2,
  loadAverage1m,
  cpuTimes: null,
  processCpuMs: 0,
});

function input(overrides: Partial<TuneResultInput> = {}): TuneResultInput {
  return {
    createdAt: "2026-12-02T15:00:00.000Z",
    target: {
      kind: "aws",
      functionName: "orders",
      functionArn: "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders",
      region: "us-east-1",
    },
    settings: SETTINGS,
    architectures: ["x86_64"],
    original: { memoryMb: 1024, architecture: "x86_64" },
    // Measured in the run's order, largest first: the document lists them smallest first.
    results: [
      configurationResult({ memoryMb: 1024, costUsd: 1.86667e-6, meanMs: 100 }),
      configurationResult({ memoryMb: 128, costUsd: 1.04e-6, meanMs: 402 }),
    ],
    decided: { recommendation: null, closestToSlo: null, applied: null, partial: null },
    tuningCostUsd: 0.0000352,
    priceTable: BUNDLED_PRICE_TABLE,
    hostLoad: { before: undefined, after: undefined },
    ...overrides,
  };
}

describe("assembleTuneResult", () => {
  it("writes a document the schema accepts, results in configuration order", () => {
    const result = assembleTuneResult(input());
    expect(TuneResultSchema.parse(result)).toEqual(result);
    expect(result.results.map((entry) => entry.memoryMb)).toEqual([128, 1024]);
    expect(result.target).toEqual({
      kind: "aws",
      functionName: "orders",
      functionArn: "arn:aws-cn:lambda:cn-north-1:123456789012:function:orders",
      region: "us-east-1",
      endpoint: null,
      local: null,
    });
    // The settings as asked, with the bound not given as null and the payloads counted.
    expect(result.settings).toMatchObject({
      memoryMb: [1024, 128],
      architectures: ["x86_64"],
      maxP95Ms: 800,
      maxP99Ms: null,
      payloads: 1,
      allowedExceptions: ["ValidationError"],
    });
    expect(result.prices.region).toBe("us-east-1");
    expect(result.tuningCostUsd).toBe(0.0000352);
  });

  it("prices the original from its own result, only when that one succeeded", () => {
    expect(assembleTuneResult(input()).original).toEqual({
      memoryMb: 1024,
      architecture: "x86_64",
      costPerInvocationUsd: 1.86667e-6,
    });
    const failedOriginal = input({
      results: [
        configurationResult({ memoryMb: 1024, status: "failed", costUsd: 0, meanMs: 0 }),
        configurationResult({ memoryMb: 128, costUsd: 1.04e-6, meanMs: 402 }),
      ],
    });
    expect(assembleTuneResult(failedOriginal).original.costPerInvocationUsd).toBeNull();
  });

  it("judges the host's load only from both readings", () => {
    const before = reading(0, 0.4);
    const after = reading(60_000, 0.6);
    expect(
      assembleTuneResult(input({ hostLoad: { before, after: undefined } })).verdict?.hostLoad,
    ).toBeNull();
    expect(
      assembleTuneResult(input({ hostLoad: { before, after } })).verdict?.hostLoad,
    ).toMatchObject({ cpus: 2, loadBefore: 0.4, loadAfter: 0.6 });
  });

  it("carries a stopped run's reason, with nothing recommended", () => {
    const reason = stoppedReason(1, 3, new Error("connect ECONNREFUSED 127.0.0.1:9001"));
    expect(reason).toBe("stopped after 1 of 3 configurations: connect ECONNREFUSED 127.0.0.1:9001");
    expect(stoppedReason(0, 2, "aborted")).toBe("stopped after 0 of 2 configurations: aborted");
    const result = assembleTuneResult(
      input({
        decided: { recommendation: null, closestToSlo: null, applied: null, partial: { reason } },
      }),
    );
    expect(result.partial).toEqual({ reason });
    expect(result.recommendation).toBeNull();
  });
});
