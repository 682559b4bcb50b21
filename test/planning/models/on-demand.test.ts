import { describe, expect, it } from "vitest";
import { priceOnDemand } from "../../../src/planning/models/on-demand.js";
import {
  DAY_STEPS,
  functionOf,
  inputOf,
  MONTH_SECONDS,
  profileOf,
  settingsOf,
} from "../profile-builder.js";

// One day of one-minute steps; one 100 ms invocation every 30 minutes: 48 invocations.
const everyHalfHour = profileOf(DAY_STEPS, (step) => ({ invocations: step % 30 === 0 ? 1 : 0 }));

describe("on-demand", () => {
  it("bills every invocation of an infrequent function as a cold start, init included", () => {
    const { option } = priceOnDemand(
      inputOf(
        everyHalfHour,
        functionOf({ memoryMb: 1024, meanDurationMs: 100, initDurationMs: 500 }),
      ),
    );
    // 30 minutes between invocations > 10 minutes idle: each of the 48 starts a new environment.
    expect(option.coldStarts).toBe(48);
    expect(option.coldStartShare).toBe(1);
    // Duration 48 × 0.1 s × 1 GB = 4.8 GB-s; init 48 × 0.5 s × 1 GB = 24 GB-s.
    // (28.8 GB-s a day is 876 GB-s a month: all in the first tier, $0.0000166667.)
    const duration = option.lines.find((line) => line.label === "duration")!;
    const init = option.lines.find((line) => line.label === "init billed on cold starts")!;
    const requests = option.lines.find((line) => line.label === "requests")!;
    expect(duration.usd).toBeCloseTo(4.8 * 0.0000166667, 12);
    expect(init.usd).toBeCloseTo(24 * 0.0000166667, 12);
    expect(requests.usd).toBeCloseTo((48 / 1_000_000) * 0.2, 12);
    const total = 28.8 * 0.0000166667 + (48 / 1_000_000) * 0.2;
    expect(option.periodUsd).toBeCloseTo(total, 12);
    // A month is 730 h = 2,628,000 s; the day is 86,400 s.
    expect(option.monthlyUsd).toBeCloseTo((total * MONTH_SECONDS) / 86_400, 10);
    expect(option.monthlyColdStarts).toBeCloseTo((48 * MONTH_SECONDS) / 86_400, 6);
    expect(duration.formula).toBe(
      "4.8 GB-s (Σ invocations × billed ms ÷ 1000 × 1 GB) × $0.0000166667",
    );
    expect(init.formula).toBe("48 cold starts × 500 ms ÷ 1000 × 1 GB = 24 GB-s × $0.0000166667");
    expect(option.modelled).toContain(
      "idleReclaimMinutes = 10 (an idle environment is reclaimed after 10 minutes: each rise in concurrency above the environments still alive is a cold start)",
    );
  });

  it("keeps environments warm when invocations come within idleReclaimMinutes", () => {
    // Every 5 minutes: only the first starts an environment; with 3-minute reclaim, all 288 do.
    const everyFive = profileOf(DAY_STEPS, (step) => ({ invocations: step % 5 === 0 ? 1 : 0 }));
    expect(priceOnDemand(inputOf(everyFive)).option.coldStarts).toBe(1);
    const quick = inputOf(everyFive, functionOf(), settingsOf({ idleReclaimMinutes: 3 }));
    expect(priceOnDemand(quick).option.coldStarts).toBe(288);
  });

  it("counts cold starts without billing init when the init duration is unknown", () => {
    const { option } = priceOnDemand(inputOf(everyHalfHour));
    expect(option.coldStarts).toBe(48);
    expect(option.lines.map((line) => line.label)).toEqual(["duration", "requests"]);
    expect(option.notes).toContain(
      "init duration unknown: cold starts are counted but no init is billed",
    );
  });

  it("prices across the duration tiers on the month's GB-seconds", () => {
    // 10 GB × 10 s × 10,000 invocations a minute for one day = 1,440,000,000 GB-s a day,
    // 43.8 billion GB-s a month: 6 billion at tier 1, 9 billion at tier 2, 28.8 billion at tier 3.
    const heavy = profileOf(DAY_STEPS, () => ({ invocations: 10_000, concurrency: 1700 }));
    const { option } = priceOnDemand(
      inputOf(heavy, functionOf({ memoryMb: 10_240, meanDurationMs: 10_000 })),
    );
    const monthGbSeconds = 1_440_000_000 * (MONTH_SECONDS / 86_400);
    expect(monthGbSeconds).toBeCloseTo(43_800_000_000, 0);
    const monthUsd = 6e9 * 0.0000166667 + 9e9 * 0.000015 + 28.8e9 * 0.0000133334;
    const duration = option.lines.find((line) => line.label === "duration")!;
    expect(duration.usd).toBeCloseTo(monthUsd * (86_400 / MONTH_SECONDS), 4);
    expect(duration.formula).toContain("the mean across the tiers for 43,800,000,000 GB-s a month");
  });

  it("bills /tmp above 512 MB per GB-second of billed duration", () => {
    const { option } = priceOnDemand(
      inputOf(everyHalfHour, functionOf({ ephemeralStorageMb: 1536 })),
    );
    // 1 GB billable × 48 × 0.1 s = 4.8 GB-s × $0.0000000309.
    const storage = option.lines.find((line) => line.label === "ephemeral storage above 512 MB")!;
    expect(storage.usd).toBeCloseTo(4.8 * 0.0000000309, 15);
  });
});
