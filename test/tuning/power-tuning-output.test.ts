/**
 * `--format power-tuning`: a tuning result in Power Tuning's output shape, with
 * our figures in its fields (docs/commands/tune.md says how each is computed).
 */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/errors.js";
import { summarize } from "../../src/statistics.js";
import {
  checkPowerTuningFormat,
  PowerTuningOutputSchema,
  powerTuningOutput,
} from "../../src/tuning/power-tuning-output.js";
import { configurationResult, tuneResult } from "./fixtures.js";

const VISUALIZATION = "file:///work/.lambda-optimizer/runs/run-api.html";

function withTrimmedMean<T extends ReturnType<typeof configurationResult>>(
  configuration: T,
  trimmedMean: number,
): T {
  return { ...configuration, durationMs: { ...configuration.durationMs, trimmedMean } };
}

const RESULTS = [
  withTrimmedMean(configurationResult({ memoryMb: 128, costUsd: 4.1e-7, meanMs: 120 }), 118.5),
  withTrimmedMean(configurationResult({ memoryMb: 512, costUsd: 9.2e-7, meanMs: 60 }), 58.25),
  configurationResult({ memoryMb: 1024, status: "failed", costUsd: 0, meanMs: 0 }),
];

const RECOMMENDED = tuneResult(RESULTS, {
  tuningCostUsd: 0.0000231,
  recommendation: {
    memoryMb: 128,
    architecture: "x86_64",
    strategy: "cost",
    costPerInvocationUsd: 4.1e-7,
    durationMsP50: 120,
    durationMsP95: 144,
    reason: "Cheapest per invocation.",
    tiedWith: [],
    savingVsOriginal: null,
  },
});

describe("--format power-tuning", () => {
  it("puts the recommendation's priced average and trimmed-mean duration where Power Tuning puts its own", () => {
    const output = powerTuningOutput(RECOMMENDED, {
      includeStats: true,
      visualization: VISUALIZATION,
      dryRun: false,
    });
    expect(PowerTuningOutputSchema.parse(output)).toEqual(output);
    expect(output).toEqual({
      power: 128,
      cost: 4.1e-7,
      duration: 118.5,
      stateMachine: {
        executionCost: 0,
        lambdaCost: 0.0000231,
        visualization: VISUALIZATION,
      },
      // The failed 1,024 MB is left out, as Power Tuning's analyzer leaves out empty results.
      stats: [
        { value: 128, averagePrice: 4.1e-7, averageDuration: 118.5 },
        { value: 512, averagePrice: 9.2e-7, averageDuration: 58.25 },
      ],
    });
    expect(Object.keys(output!)).toEqual(["power", "cost", "duration", "stateMachine", "stats"]);
  });

  it("lists stats only when asked (includeOutputResults), as Power Tuning does", () => {
    const output = powerTuningOutput(RECOMMENDED, {
      includeStats: false,
      visualization: VISUALIZATION,
      dryRun: false,
    });
    expect(output).not.toHaveProperty("stats");
    expect(output?.power).toBe(128);
  });

  it("prints null for a dry run, as Power Tuning's analyzer returns nothing then", () => {
    expect(
      powerTuningOutput(RECOMMENDED, {
        includeStats: true,
        visualization: VISUALIZATION,
        dryRun: true,
      }),
    ).toBeNull();
  });

  it("has null power, cost and duration when nothing is recommended", () => {
    const output = powerTuningOutput(tuneResult(RESULTS, { recommendation: null }), {
      includeStats: true,
      visualization: VISUALIZATION,
      dryRun: false,
    });
    expect(output).toMatchObject({ power: null, cost: null, duration: null });
    expect(output?.stats).toHaveLength(2);
  });

  it("refuses two architectures before the run: Power Tuning's shape holds one", () => {
    expect(() => checkPowerTuningFormat(["x86_64"])).not.toThrow();
    expect(() => checkPowerTuningFormat([])).not.toThrow();
    expect(() => checkPowerTuningFormat(["x86_64", "arm64"])).toThrow(
      new UsageError(
        "--format power-tuning describes one architecture, as Power Tuning tunes only the function's own: give --arch x86_64 or --arch arm64, or use --format json for both",
      ),
    );
  });

  it("duration is Power Tuning's averageDuration: the same trimmed mean over its own worked example", () => {
    // Power Tuning's computeAverageDuration over 1, 2, 3, 4, 2000 ms: 3 at 0.2 and at 0.4, 402 at 0.
    expect(summarize([1, 2, 3, 4, 2000], 0.2).trimmedMean).toBe(3);
    expect(summarize([1, 2, 3, 4, 2000], 0.4).trimmedMean).toBe(3);
    expect(summarize([1, 2, 3, 4, 2000], 0).trimmedMean).toBe(402);
    // Fewer samples than it takes to discard one: nothing is discarded.
    expect(summarize([1], 0.4).trimmedMean).toBe(1);
  });
});
