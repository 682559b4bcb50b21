import { describe, expect, it } from "vitest";
import { planBillingModels, SCALING_FACTORS } from "../../src/planning/plan-models.js";
import { PlanResultSchema } from "../../src/planning/plan-result.js";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";
import { DAY_STEPS, functionOf, MONTH_SECONDS, profileOf, settingsOf } from "./profile-builder.js";

const PC = 0.0000041667;
const PC_DURATION = 0.0000097222;
const ON_DEMAND = 0.0000166667;
const DAYS_PER_MONTH = MONTH_SECONDS / 86_400; // 30.41667

// Baseline 4 environments, 12 for the first 10 minutes of every hour; 1 s invocations, 1 GB, 1 s init.
const spiky = profileOf(DAY_STEPS, (step) =>
  step % 60 < 10 ? { invocations: 720, concurrency: 12 } : { invocations: 240, concurrency: 4 },
);
const nodeApi = functionOf({
  name: "orders-api",
  runtime: "nodejs20.x",
  meanDurationMs: 1000,
  initDurationMs: 1000,
  sources: { memoryMb: "option" },
});

describe("planBillingModels", () => {
  it("recommends provisioned concurrency for the baseline and says what it saves", () => {
    const result = planBillingModels(spiky, nodeApi, settingsOf(), BUNDLED_PRICE_TABLE, [
      "architecture assumed x86_64",
    ]);
    expect(() => PlanResultSchema.parse(result)).not.toThrow();
    expect(result.periodSeconds).toBe(86_400);
    expect(result.profile).toEqual({
      source: "profile-file",
      origin: "test.csv",
      start: "2026-01-01T00:00:00.000Z",
      end: "2026-01-02T00:00:00.000Z",
      stepSeconds: 60,
      steps: 1440,
      invocations: 460_800,
      concurrencyEstimated: false,
    });
    expect(result.function).toMatchObject({ name: "orders-api", runtime: "nodejs20.x" });
    expect(result.shape.pattern).toBe("steady-baseline-spikes");
    // Worked in models/provisioned-concurrency.test.ts: PC at 4 against on-demand's 196 cold starts.
    const pcDay =
      4 * 86_400 * PC + 345_600 * PC_DURATION + (115_200 + 192) * ON_DEMAND + 460_800 * 0.2e-6;
    const onDemandDay = (460_800 + 196) * ON_DEMAND + 460_800 * 0.2e-6;
    const [onDemand, pc, snapstart, managed] = result.options;
    expect(onDemand!.monthlyUsd).toBeCloseTo(onDemandDay * DAYS_PER_MONTH, 8);
    expect(pc!.monthlyUsd).toBeCloseTo(pcDay * DAYS_PER_MONTH, 8);
    expect(snapstart).toMatchObject({ model: "snapstart", available: false });
    expect(managed).toMatchObject({ model: "managed-instances", available: false });
    const saving = (onDemandDay - pcDay) * DAYS_PER_MONTH;
    expect(result.recommendation).toMatchObject({
      model: "provisioned-concurrency",
      monthlySavingUsd: expect.closeTo(saving, 8),
      runnerUp: { model: "on-demand", monthlyDifferenceUsd: expect.closeTo(saving, 8) },
      excluded: [],
    });
    expect(result.recommendation.reason).toContain(
      "Steady baseline of 4 environments (present in 95% of minutes) with spikes to 12 (peak/mean 2.3, 0% of minutes idle, coefficient of variation 0.56): the guide's row for a steady baseline with spikes is provisioned concurrency for the baseline, on-demand for the spikes. Provisioned concurrency at 4 environments for the baseline, on-demand for the spikes, saves $",
    );
    expect(result.recommendation.reason).toContain("above the 60% break-even");
    expect(result.notes).toEqual(["architecture assumed x86_64"]);
    expect(result.modelled).toContain(
      "idleReclaimMinutes = 10 (an idle environment is reclaimed after 10 minutes: each rise in concurrency above the environments still alive is a cold start)",
    );
    expect(result.pricesUsed).toEqual({ date: "2026-11-28", region: "us-east-1" });
  });

  it("thins the profile into at most 500 timeline points whose costs add up to each model's", () => {
    const result = planBillingModels(spiky, nodeApi, settingsOf(), BUNDLED_PRICE_TABLE);
    // 1,440 steps in spans of ⌈1,440 ÷ 500⌉ = 3: 480 points.
    expect(result.timeline).toHaveLength(480);
    expect(result.timeline[1]).toMatchObject({
      time: "2026-01-01T00:03:00.000Z",
      invocations: 3 * 720,
      peakConcurrency: 12,
    });
    for (const option of result.options.filter((candidate) => candidate.available)) {
      const total = result.timeline.reduce((sum, point) => sum + point.usd[option.model]!, 0);
      expect(total).toBeCloseTo(option.periodUsd, 9);
    }
    expect(Object.keys(result.timeline[0]!.usd)).toEqual(["on-demand", "provisioned-concurrency"]);
  });

  it("prices every available model with the traffic scaled from 0.1× to 10×", () => {
    const result = planBillingModels(spiky, nodeApi, settingsOf(), BUNDLED_PRICE_TABLE);
    expect(result.scaling.map((point) => point.factor)).toEqual([...SCALING_FACTORS]);
    const atOne = result.scaling.find((point) => point.factor === 1)!;
    expect(atOne.periodUsd["on-demand"]).toBe(result.options[0]!.periodUsd);
    expect(atOne.periodUsd["provisioned-concurrency"]).toBe(result.options[1]!.periodUsd);
    // × 2: 921,600 one-second invocations; baseline 8 and spikes 24: PC re-optimised at 8.
    // 8 × 86,400 × PC + (576,000 + 345,600 × 8/24) GB-s × PC_DURATION + 230,400 GB-s spill +
    // 16 new environments at each of the 24 spikes = 384 GB-s of init, + requests.
    const atTwo = result.scaling.find((point) => point.factor === 2)!;
    expect(atTwo.periodUsd["provisioned-concurrency"]).toBeCloseTo(
      8 * 86_400 * PC + 691_200 * PC_DURATION + (230_400 + 384) * ON_DEMAND + 921_600 * 0.2e-6,
      9,
    );
    expect(atTwo.periodUsd.snapstart).toBeUndefined();
  });

  it("recommends on-demand for an infrequent function, and excludes it when latency-sensitive", () => {
    const sparse = profileOf(DAY_STEPS, (step) => ({ invocations: step % 30 === 0 ? 1 : 0 }));
    const fn = functionOf({ initDurationMs: 500 });
    const plain = planBillingModels(sparse, fn, settingsOf(), BUNDLED_PRICE_TABLE);
    expect(plain.shape.pattern).toBe("infrequent");
    expect(plain.recommendation.model).toBe("on-demand");
    expect(plain.recommendation.monthlySavingUsd).toBe(0);
    // 28.8 GB-s (4.8 of duration, 24 of init) and 48 requests a day.
    expect(plain.recommendation.monthlyUsd).toBeCloseTo(
      (28.8 * ON_DEMAND + 48 * 0.2e-6) * DAYS_PER_MONTH,
      10,
    );
    expect(plain.recommendation.reason).toMatch(
      /^Infrequently called: 97% of minutes have no invocation .*: the guide's row for infrequently called functions is on-demand with memory minimised, accepting cold starts\. On-demand costs \$0\.01 a month; 100% of invocations cold start/,
    );
    expect(plain.recommendation.runnerUp?.model).toBe("provisioned-concurrency");
    // No concurrency column: estimated, said twice (a note and the modelled list).
    expect(plain.profile.concurrencyEstimated).toBe(true);
    expect(plain.notes).toContain(
      "the profile has no concurrency: it is estimated per step as invocations × duration ÷ step length (Little's law), rounded up",
    );

    const strict = planBillingModels(
      sparse,
      fn,
      settingsOf({ latencySensitive: true }),
      BUNDLED_PRICE_TABLE,
    );
    // Every invocation cold starts on-demand: over the 0.1% a latency-sensitive caller allows.
    expect(strict.recommendation.excluded).toEqual([
      {
        model: "on-demand",
        reason: "100% of invocations cold start, over latency-sensitive (at most 0.1% cold starts)",
      },
    ]);
    // Provisioned concurrency at 1 (86,400 × PC + 4.8 × PC_DURATION + requests) beats Managed Instances.
    expect(strict.recommendation.model).toBe("provisioned-concurrency");
    expect(strict.recommendation.monthlyUsd).toBeCloseTo(
      (86_400 * PC + 4.8 * PC_DURATION + 48 * 0.2e-6) * DAYS_PER_MONTH,
      10,
    );
    expect(strict.recommendation.monthlySavingUsd).toBeLessThan(0);
    // 4.8 GB-s served of 86,400 configured: 0.0056%, far below the 60% break-even.
    expect(strict.recommendation.reason).toContain(
      "Provisioned concurrency at 1 environment for the baseline, on-demand for the spikes, costs $",
    );
    expect(strict.recommendation.reason).toContain(
      "it serves 0.01% of its configured time, below the 60% break-even.",
    );
    expect(strict.recommendation.reason).toContain(
      "Left out: on-demand (100% of invocations cold start, over latency-sensitive (at most 0.1% cold starts)).",
    );
  });

  it("applies maxColdStartShare, the stricter of the two limits winning", () => {
    const sparse = profileOf(DAY_STEPS, (step) => ({ invocations: step % 30 === 0 ? 1 : 0 }));
    const result = planBillingModels(
      sparse,
      functionOf(),
      settingsOf({ maxColdStartShare: 0.5 }),
      BUNDLED_PRICE_TABLE,
    );
    expect(result.recommendation.excluded[0]?.reason).toBe(
      "100% of invocations cold start, over the cold-start limit of 50%",
    );
  });

  it("recommends Managed Instances for high steady throughput", () => {
    const highSteady = profileOf(DAY_STEPS, () => ({ invocations: 60_000 }));
    const result = planBillingModels(
      highSteady,
      functionOf({ runtime: "nodejs22.x", memoryMb: 2048, architecture: "arm64" }),
      settingsOf(),
      BUNDLED_PRICE_TABLE,
    );
    // Worked in models/managed-instances.test.ts: $23.283 a day against on-demand's
    // 17,280,000 × $0.0000133334 + $17.28.
    expect(result.recommendation.model).toBe("managed-instances");
    expect(result.recommendation.monthlyUsd).toBeCloseTo(23.283 * DAYS_PER_MONTH, 8);
    expect(result.recommendation.monthlySavingUsd).toBeCloseTo(
      (17_280_000 * 0.0000133334 + 17.28 - 23.283) * DAYS_PER_MONTH,
      6,
    );
    expect(result.recommendation.reason).toContain(
      "High steady throughput suits Managed Instances: 3 × c7g.large serve the peak of 100 concurrent requests",
    );
    // Two environments' pools of 10 (models/connections.test.ts).
    expect(result.recommendation.reason).toContain(
      ", with no cold starts, and shared pools hold 20 database connections at the peak where on-demand holds 100; the code must be thread-safe.",
    );
    expect(result.modelled).toContain(
      "maxConcurrencyPerEnvironment = 64 (AWS's default 64 per vCPU for nodejs22.x; Lambda lowers it when the environment's CPU or memory saturate, so a CPU-bound function serves fewer)",
    );
  });

  it("plans a 30-day, one-minute profile into a result the schema accepts", {
    timeout: 60_000,
  }, () => {
    const month = profileOf(43_200, (step) => ({
      invocations: 600 + (step % 1440 >= 540 && step % 1440 < 1080 ? 1200 : 0),
      durationMs: 180,
    }));
    const result = planBillingModels(
      month,
      functionOf({ runtime: "python3.13", initDurationMs: 800 }),
      settingsOf(),
      BUNDLED_PRICE_TABLE,
    );
    expect(PlanResultSchema.safeParse(result).success).toBe(true);
    expect(result.timeline.length).toBeLessThanOrEqual(500);
    expect(result.periodSeconds).toBe(43_200 * 60);
    // A 30-day period is 720 hours: monthly figures are period figures × 730 ÷ 720.
    const onDemand = result.options[0]!;
    expect(onDemand.monthlyUsd).toBeCloseTo((onDemand.periodUsd * 730) / 720, 10);
  });

  it("plans a profile with no invocations at all", () => {
    const idle = profileOf(60, () => ({ invocations: 0 }));
    const result = planBillingModels(idle, functionOf(), settingsOf(), BUNDLED_PRICE_TABLE);
    expect(PlanResultSchema.safeParse(result).success).toBe(true);
    expect(result.shape).toMatchObject({
      pattern: "infrequent",
      idleStepShare: 1,
      peakConcurrency: 0,
    });
    expect(result.recommendation).toMatchObject({ model: "on-demand", monthlyUsd: 0 });
    expect(result.options[0]).toMatchObject({ periodUsd: 0, coldStarts: 0, coldStartShare: 0 });
  });

  it("reads five-minute steps: idleReclaimMinutes = 10 is two steps", () => {
    // One invocation every 15 minutes (every third 5-minute step): each is a cold start, since the
    // environment is reclaimed after two idle steps; every 10 minutes it stays warm.
    const every15 = profileOf(288, (step) => ({ invocations: step % 3 === 0 ? 1 : 0 }), 300);
    const every10 = profileOf(288, (step) => ({ invocations: step % 2 === 0 ? 1 : 0 }), 300);
    const settings = settingsOf();
    const cold = planBillingModels(every15, functionOf(), settings, BUNDLED_PRICE_TABLE);
    const warm = planBillingModels(every10, functionOf(), settings, BUNDLED_PRICE_TABLE);
    expect(cold.options[0]!.coldStarts).toBe(96);
    expect(warm.options[0]!.coldStarts).toBe(1);
    expect(cold.periodSeconds).toBe(86_400);
    expect(cold.shape.reason).toContain("of 300-second steps idle");
  });
});
