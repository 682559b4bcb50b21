import { describe, expect, it } from "vitest";
import { prepareTraffic } from "../../../src/planning/models/prepared-traffic.js";
import { trafficShape } from "../../../src/planning/models/traffic-shape.js";
import { DAY_STEPS, profileOf } from "../profile-builder.js";

const shapeOf = (profile: ReturnType<typeof profileOf>, durationMs = 100) =>
  trafficShape(prepareTraffic(profile, durationMs));

describe("traffic shape", () => {
  it("calls a function infrequent when most minutes are idle", () => {
    // One invocation every 30 minutes: 48 busy minutes of 1,440, idle 1,392 ÷ 1,440 = 96.7%.
    const shape = shapeOf(
      profileOf(DAY_STEPS, (step) => ({ invocations: step % 30 === 0 ? 1 : 0 })),
    );
    expect(shape.pattern).toBe("infrequent");
    expect(shape.idleStepShare).toBeCloseTo(1392 / 1440, 12);
    // Concurrency 1 in 48 minutes: mean 48 ÷ 1,440 = 0.0333, peak 1, peak/mean 30.
    expect(shape.meanConcurrency).toBeCloseTo(1 / 30, 12);
    expect(shape.peakToMeanConcurrency).toBeCloseTo(30, 10);
    expect(shape.baselineConcurrency).toBe(0);
    // Invocations per minute: mean 1/30; σ = √(1/30 × 29/30) = 0.1795; CV = σ ÷ mean = √29 = 5.385.
    expect(shape.coefficientOfVariation).toBeCloseTo(Math.sqrt(29), 10);
    expect(shape.reason).toBe(
      "infrequently called: 97% of minutes have no invocation and 0.03 environments are busy on average (peak/mean 30, 97% of minutes idle, coefficient of variation 5.39)",
    );
  });

  it("calls regular bursts that fan out, with idle between, batch", () => {
    // Every hour, 5 minutes at 20 environments; idle 55 minutes of 60 = 91.7%.
    const shape = shapeOf(
      profileOf(DAY_STEPS, (step) =>
        step % 60 < 5 ? { invocations: 100, concurrency: 20 } : { invocations: 0, concurrency: 0 },
      ),
    );
    expect(shape.pattern).toBe("batch");
    expect(shape.idleStepShare).toBeCloseTo(55 / 60, 12);
    expect(shape.reason).toMatch(
      /^batch: 24 bursts of about 20 environments every 60 minutes \(intervals vary 0%\), idle between/,
    );
  });

  it("calls irregular sparse bursts infrequent, not batch", () => {
    // Bursts of 20 at minutes 0, 100, 130, 700 and 1,000: intervals 100, 30, 570, 300 vary too much.
    const starts = new Set([0, 100, 130, 700, 1000]);
    const shape = shapeOf(
      profileOf(DAY_STEPS, (step) =>
        starts.has(step)
          ? { invocations: 100, concurrency: 20 }
          : { invocations: 0, concurrency: 0 },
      ),
    );
    expect(shape.pattern).toBe("infrequent");
  });

  it("finds the baseline present in 95% of minutes and the spikes above it", () => {
    const shape = shapeOf(
      profileOf(DAY_STEPS, (step) =>
        step % 60 < 10
          ? { invocations: 720, concurrency: 12 }
          : { invocations: 240, concurrency: 4 },
      ),
      1000,
    );
    expect(shape.pattern).toBe("steady-baseline-spikes");
    expect(shape.baselineConcurrency).toBe(4);
    expect(shape.peakConcurrency).toBe(12);
    // Mean concurrency (1,200 × 4 + 240 × 12) ÷ 1,440 = 7,680 ÷ 1,440 = 5.333; peak/mean 2.25.
    expect(shape.meanConcurrency).toBeCloseTo(16 / 3, 12);
    expect(shape.peakToMeanConcurrency).toBeCloseTo(2.25, 12);
    expect(shape.idleStepShare).toBe(0);
    // Invocations: 240 in 5/6 of minutes, 720 in 1/6: mean 320, variance 5/6 × 80² + 1/6 × 400² =
    // 32,000, σ = 178.89, CV = 0.559.
    expect(shape.coefficientOfVariation).toBeCloseTo(Math.sqrt(32_000) / 320, 12);
    expect(shape.reason).toBe(
      "steady baseline of 4 environments (present in 95% of minutes) with spikes to 12 (peak/mean 2.3, 0% of minutes idle, coefficient of variation 0.56)",
    );
  });

  it("calls traffic with no baseline and no long idle stretches unpredictable", () => {
    // Idle every fifth minute (20%), otherwise 1 to 13 environments: nothing present 95% of the time.
    const shape = shapeOf(
      profileOf(DAY_STEPS, (step) => {
        const level = step % 5 === 0 ? 0 : ((step * 7) % 13) + 1;
        return { invocations: level * 60, concurrency: level };
      }),
    );
    expect(shape.pattern).toBe("unpredictable");
    expect(shape.baselineConcurrency).toBe(0);
    expect(shape.idleStepShare).toBeCloseTo(0.2, 12);
    expect(shape.reason).toMatch(/^unpredictable: no concurrency present in 95% of minutes/);
  });
});
