import { describe, expect, it } from "vitest";
import {
  ComparisonSchema,
  change,
  compareRuns,
  differentFunctions,
} from "../../src/tuning/compare.js";
import { configurationResult as config, tuneResult } from "./fixtures.js";

const GATES = { maxCostIncrease: 0.05, maxP95Increase: 0.1 };

const BEFORE = tuneResult(
  [
    config({ memoryMb: 128, costUsd: 2.0e-6, meanMs: 400, p95Ms: 480 }),
    config({ memoryMb: 512, costUsd: 3.0e-6, meanMs: 150, p95Ms: 180 }),
    config({ memoryMb: 1024, costUsd: 5.0e-6, meanMs: 120, p95Ms: 144 }),
    config({ memoryMb: 3008, costUsd: 9.0e-6, meanMs: 110, p95Ms: 130 }),
  ],
  {
    recommendation: {
      memoryMb: 128,
      architecture: "x86_64",
      strategy: "cost",
      costPerInvocationUsd: 2.0e-6,
      durationMsP50: 400,
      durationMsP95: 480,
      reason: "Cheapest per invocation ($0.000002).",
      tiedWith: [],
      savingVsOriginal: null,
    },
  },
);

const AFTER = tuneResult(
  [
    // cost +5% and p95 +10% exactly: at the gates, not past them
    config({ memoryMb: 128, costUsd: 2.1e-6, meanMs: 440, p95Ms: 528 }),
    // cost +10%: past the 5% gate; p95 −5%
    config({ memoryMb: 512, costUsd: 3.3e-6, meanMs: 142.5, p95Ms: 171 }),
    // worked before, fails now
    config({ memoryMb: 1024, status: "failed", costUsd: 0, meanMs: 0 }),
    config({ memoryMb: 10240, architecture: "arm64", costUsd: 3e-5, meanMs: 100 }),
  ],
  { createdAt: "2026-01-16T10:00:00.000Z" },
);

describe("compareRuns", () => {
  const comparison = compareRuns(BEFORE, AFTER, GATES);

  it("matches configurations by memory and architecture and measures each change", () => {
    expect(comparison.configurations.map((c) => c.memoryMb)).toEqual([128, 512, 1024]);
    const [small, medium] = comparison.configurations;
    expect(small!.costPerInvocationUsd!.absolute).toBeCloseTo(0.1e-6, 15);
    expect(small!.costPerInvocationUsd!.relative).toBeCloseTo(0.05, 12);
    expect(small!.durationMsP95).toEqual({ before: 480, after: 528, absolute: 48, relative: 0.1 });
    expect(small!.breaches).toEqual([]);
    // 3.3 / 3.0 − 1 = +10% > 5%; 171 / 180 − 1 = −5%
    expect(medium!.costPerInvocationUsd!.relative).toBeCloseTo(0.1, 12);
    expect(medium!.durationMsP95!.relative).toBeCloseTo(-0.05, 12);
    expect(medium!.breaches).toEqual(["cost"]);
    // ±1% intervals around 3.0e-6 and 3.3e-6 do not meet
    expect(medium!.costWithinNoise).toBe(false);
  });

  it("flags a configuration that worked and now fails, with no numbers to compare", () => {
    expect(comparison.configurations[2]).toMatchObject({
      memoryMb: 1024,
      statusBefore: "ok",
      statusAfter: "failed",
      costPerInvocationUsd: null,
      durationMsP95: null,
      costWithinNoise: null,
      breaches: ["failed"],
    });
  });

  it("lists configurations measured in only one run without gating them", () => {
    expect(comparison.onlyBefore).toEqual([{ memoryMb: 3008, architecture: "x86_64" }]);
    expect(comparison.onlyAfter).toEqual([{ memoryMb: 10240, architecture: "arm64" }]);
  });

  it("reports the recommendation change and the verdict, in the documented shape", () => {
    expect(comparison.recommendation).toEqual({
      before: {
        memoryMb: 128,
        architecture: "x86_64",
        strategy: "cost",
        costPerInvocationUsd: 2.0e-6,
        durationMsP95: 480,
      },
      after: null,
      changed: true,
      lost: true,
    });
    expect(comparison.regression).toBe(true);
    expect(comparison.notes).toEqual([]);
    expect(ComparisonSchema.parse(comparison)).toEqual(comparison);
  });

  it("passes when every change is within the gates", () => {
    const same = compareRuns(BEFORE, BEFORE, GATES);
    expect(same.regression).toBe(false);
    expect(same.configurations.every((c) => c.breaches.length === 0)).toBe(true);
    expect(same.recommendation).toMatchObject({ changed: false, lost: false });
    expect(same.configurations[0]!.costWithinNoise).toBe(true);
  });

  it("gates p95 on its own threshold", () => {
    const slower = tuneResult(
      [config({ memoryMb: 128, costUsd: 2.0e-6, meanMs: 400, p95Ms: 530 })],
      { recommendation: BEFORE.recommendation },
    );
    const result = compareRuns(BEFORE, slower, GATES);
    // 530 / 480 − 1 = +10.4% > 10%
    expect(result.configurations[0]!.breaches).toEqual(["p95"]);
    expect(result.regression).toBe(true);
    expect(compareRuns(BEFORE, slower, { ...GATES, maxP95Increase: 0.11 }).regression).toBe(false);
  });

  it("counts a lost recommendation as a regression on its own", () => {
    const none = tuneResult(BEFORE.results, { recommendation: null });
    const result = compareRuns(BEFORE, none, GATES);
    expect(result.configurations.every((c) => c.breaches.length === 0)).toBe(true);
    expect(result.recommendation).toMatchObject({ changed: true, lost: true });
    expect(result.regression).toBe(true);
    // gaining one is not
    expect(compareRuns(none, BEFORE, GATES).regression).toBe(false);
  });

  it("notes differences that make the runs less comparable", () => {
    const elsewhere = tuneResult(BEFORE.results, {
      target: { ...BEFORE.target, region: "eu-west-1" },
      prices: { date: "2026-02-01", region: "eu-west-1" },
    });
    expect(compareRuns(BEFORE, elsewhere, GATES).notes).toEqual([
      "The runs differ in region: us-east-1 before, eu-west-1 after.",
      "The runs differ in price table date: 2026-01-01 before, 2026-02-01 after.",
    ]);
  });

  it("tells two functions apart by their handler path or logical id, else by name", () => {
    const local = (handler: string) =>
      tuneResult(BEFORE.results, {
        target: { ...BEFORE.target, local: { handler, template: null, logicalId: null } },
      });
    const io = local("examples/io-bound/handler.mjs:handler");
    const cpu = local("examples/cpu-bound/handler.mjs:handler");
    expect(differentFunctions(io, cpu)).toEqual({
      before: "examples/io-bound/handler.mjs:handler",
      after: "examples/cpu-bound/handler.mjs:handler",
    });
    expect(differentFunctions(io, local("examples/io-bound/handler.mjs:handler"))).toBeNull();
    // Results saved before handler paths were kept: by name.
    expect(differentFunctions(BEFORE, AFTER)).toBeNull();
    expect(compareRuns(io, cpu, GATES).notes).toContain(
      "The runs differ in function: examples/io-bound/handler.mjs:handler before, examples/cpu-bound/handler.mjs:handler after.",
    );
  });

  it("refuses negative gates", () => {
    expect(() => compareRuns(BEFORE, AFTER, { maxCostIncrease: -1, maxP95Increase: 0 })).toThrow();
  });
});

describe("change", () => {
  it("is relative to the value before; from zero, any rise is a full one (1), never null", () => {
    expect(change(200, 150)).toEqual({ before: 200, after: 150, absolute: -50, relative: -0.25 });
    expect(change(0, 0)).toEqual({ before: 0, after: 0, absolute: 0, relative: 0 });
    expect(change(0, 3)).toEqual({ before: 0, after: 3, absolute: 3, relative: 1 });
  });
});
