import { describe, expect, it } from "vitest";
import {
  coldStartsPerStep,
  prepareTraffic,
  reclaimSteps,
} from "../../../src/planning/models/prepared-traffic.js";
import { profileOf } from "../profile-builder.js";

describe("prepareTraffic", () => {
  it("estimates concurrency by Little's law, rounded up, when the profile has none", () => {
    // 600 invocations × 250 ms ÷ 60,000 ms = 2.5 -> 3 environments; 1 × 250 ÷ 60,000 -> at least 1.
    const rows = [600, 1, 0];
    const traffic = prepareTraffic(
      profileOf(3, (step) => ({ invocations: rows[step]! })),
      250,
    );
    expect([...traffic.concurrency]).toEqual([3, 1, 0]);
    expect(traffic.concurrencyEstimated).toBe(true);
    expect(traffic.peakConcurrency).toBe(3);
    expect(traffic.totalInvocations).toBe(601);
  });

  it("uses a step's own duration where the profile has one, and bills it rounded up", () => {
    // Step 0: 120 × 1,000.4 ms ÷ 60,000 = 2.0008 -> 3; billed ceil(1000.4) = 1001 ms.
    const traffic = prepareTraffic(
      profileOf(2, (step) => ({ invocations: 120, durationMs: step === 0 ? 1000.4 : 500 })),
      100,
    );
    expect([...traffic.concurrency]).toEqual([3, 1]);
    expect([...traffic.billedDurationMs]).toEqual([1001, 500]);
  });

  it("keeps measured concurrency and scales it with the traffic", () => {
    const profile = profileOf(2, () => ({ invocations: 10, concurrency: 3 }));
    expect([...prepareTraffic(profile, 100).concurrency]).toEqual([3, 3]);
    // × 2.5: 7.5 -> 8 environments, 25 invocations.
    const scaled = prepareTraffic(profile, 100, 2.5);
    expect([...scaled.concurrency]).toEqual([8, 8]);
    expect(scaled.totalInvocations).toBe(50);
  });
});

describe("coldStartsPerStep: the pool model", () => {
  it("starts an environment for each rise above those used in the last idleReclaimMinutes", () => {
    // Reclaim after 2 steps. Concurrency 2, 0, 0, 3, 1, 1, 1, 4:
    // step 0: 2 new; step 3: the two from step 0 are gone (idle steps 1 and 2) -> 3 new;
    // step 7: alive = max(1, 1, 1) of steps 5..6 = 1 -> 3 new. Total 8.
    const levels = [2, 0, 0, 3, 1, 1, 1, 4];
    const traffic = prepareTraffic(
      profileOf(levels.length, (step) => ({
        invocations: levels[step]! > 0 ? 100 : 0,
        concurrency: levels[step]!,
      })),
      100,
    );
    expect([...coldStartsPerStep(traffic, 2)]).toEqual([2, 0, 0, 3, 0, 0, 0, 3]);
    // Reclaim after 3 steps: step 3 still has step 0's two -> 1 new; step 7's window, steps 4..6,
    // holds 1 -> 3 new.
    expect([...coldStartsPerStep(traffic, 3)]).toEqual([2, 0, 0, 1, 0, 0, 0, 3]);
  });

  it("counts only the spill-over above a provisioned level", () => {
    const levels = [5, 5, 1, 6];
    const traffic = prepareTraffic(
      profileOf(4, (step) => ({ invocations: 60, concurrency: levels[step]! })),
      100,
    );
    // Above 4: 1, 1, 0, 2 -> step 0 one new, step 3 one more than the one alive from step 1.
    expect([...coldStartsPerStep(traffic, 10, 4)]).toEqual([1, 0, 0, 1]);
  });

  it("never counts more cold starts than the step's invocations", () => {
    const traffic = prepareTraffic(
      profileOf(1, () => ({ invocations: 2, concurrency: 9 })),
      100,
    );
    expect([...coldStartsPerStep(traffic, 10)]).toEqual([2]);
  });

  it("turns idleReclaimMinutes into whole steps, at least one", () => {
    expect(reclaimSteps(10, 60)).toBe(10);
    expect(reclaimSteps(10, 300)).toBe(2);
    expect(reclaimSteps(1, 300)).toBe(1);
  });
});
