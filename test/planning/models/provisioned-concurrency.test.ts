import { describe, expect, it } from "vitest";
import { priceOnDemand } from "../../../src/planning/models/on-demand.js";
import {
  breakEvenUtilisation,
  priceProvisionedConcurrency,
} from "../../../src/planning/models/provisioned-concurrency.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../../src/pricing/price-table.js";
import { DAY_STEPS, functionOf, inputOf, profileOf } from "../profile-builder.js";

const PC = 0.0000041667; // us-east-1 x86_64 allocation, per GB-s
const PC_DURATION = 0.0000097222;
const ON_DEMAND = 0.0000166667;

function priced(profile: Parameters<typeof inputOf>[0], fn = functionOf()) {
  const input = inputOf(profile, fn, undefined, true);
  const onDemand = priceOnDemand(input);
  return { onDemand, pc: priceProvisionedConcurrency(input, onDemand.effectivePerGbSecond) };
}

const line = (lines: { label: string; usd: number }[], label: string) =>
  lines.find((candidate) => candidate.label === label)?.usd ?? 0;

describe("provisioned concurrency", () => {
  it("wins on a steady profile: ten environments busy all day", () => {
    // 600 one-second invocations a minute at 1 GB keep exactly 10 environments busy.
    const steady = profileOf(DAY_STEPS, () => ({ invocations: 600, concurrency: 10 }));
    const { onDemand, pc } = priced(steady, functionOf({ meanDurationMs: 1000 }));
    // Each level up to 10 serves 60 GB-s in each of 1,440 steps: it saves
    // (0.0000166667 − 0.0000097222) × 86,400 = $0.6000048 a day for $0.36000288 of allocation.
    expect(pc.option.provisionedConcurrency).toBe(10);
    expect(pc.option.schedule).toBeUndefined();
    // Allocation 10 × 86,400 s × 1 GB × PC; 864,000 GB-s at the PC duration price; 864,000 requests.
    expect(line(pc.option.lines, "provisioned concurrency allocation")).toBeCloseTo(
      10 * 86_400 * PC,
      10,
    );
    expect(line(pc.option.lines, "duration served by provisioned concurrency")).toBeCloseTo(
      864_000 * PC_DURATION,
      10,
    );
    const pcTotal = 864_000 * PC + 864_000 * PC_DURATION + 0.1728;
    expect(pc.option.periodUsd).toBeCloseTo(pcTotal, 10);
    expect(pc.option.coldStarts).toBe(0);
    expect(pc.option.utilisation).toBeCloseTo(1, 10);
    // On-demand: 864,000 GB-s × 0.0000166667 + requests; 10 cold starts on the first minute.
    const onDemandTotal = 864_000 * ON_DEMAND + 0.1728;
    expect(onDemand.option.periodUsd).toBeCloseTo(onDemandTotal, 10);
    expect(onDemand.option.coldStarts).toBe(10);
    expect(onDemandTotal - pcTotal).toBeCloseTo(2.4000192, 6);
  });

  it("provisions the baseline, not the peak, when spikes are short", () => {
    // Baseline 4 environments; the first 10 minutes of every hour rise to 12. One-second
    // invocations keep each environment busy: 60 invocations per environment per minute.
    const spiky = profileOf(DAY_STEPS, (step) =>
      step % 60 < 10 ? { invocations: 720, concurrency: 12 } : { invocations: 240, concurrency: 4 },
    );
    const { onDemand, pc } = priced(
      spiky,
      functionOf({ meanDurationMs: 1000, initDurationMs: 1000 }),
    );
    // Levels 1..4 serve every minute: saving 0.0000069445 × 60 GB-s × 1,440 = $0.6000048 > $0.36000288.
    // Levels 5..12 serve only the 240 spike minutes: 0.0000069445 × 60 × 240 = $0.1000008 < $0.36000288.
    expect(pc.option.provisionedConcurrency).toBe(4);
    expect(pc.option.schedule).toBeUndefined();
    // GB-s: 1,200 baseline minutes × 240 + 240 spike minutes × 720 = 288,000 + 172,800 = 460,800.
    // Served by PC: 288,000 + 172,800 × 4/12 = 345,600; spill-over 115,200.
    // Spill-over cold starts: 8 new environments at each of the 24 spikes (50 idle minutes between) = 192,
    // each billing 1 s of init at 1 GB: 192 GB-s.
    expect(pc.option.coldStarts).toBe(192);
    const expected =
      4 * 86_400 * PC + 345_600 * PC_DURATION + (115_200 + 192) * ON_DEMAND + 460_800 * 0.2e-6;
    expect(pc.option.periodUsd).toBeCloseTo(expected, 10);
    expect(line(pc.option.lines, "spill-over duration on-demand")).toBeCloseTo(
      115_200 * ON_DEMAND,
      10,
    );
    expect(line(pc.option.lines, "init billed on spill-over cold starts")).toBeCloseTo(
      192 * ON_DEMAND,
      10,
    );
    // At the peak (12) it would cost 12 × 86,400 × PC + 460,800 × PC_DURATION + requests: more.
    const atPeak = 12 * 86_400 * PC + 460_800 * PC_DURATION + 460_800 * 0.2e-6;
    expect(atPeak).toBeGreaterThan(expected);
    // Utilisation: 345,600 GB-s served of 4 × 86,400 = 345,600 configured.
    expect(pc.option.utilisation).toBeCloseTo(1, 10);
    // On-demand: 12 cold starts at first, then 8 at each of the other 23 spikes = 196 inits.
    expect(onDemand.option.coldStarts).toBe(196);
    expect(onDemand.option.periodUsd).toBeCloseTo((460_800 + 196) * ON_DEMAND + 0.09216, 10);
    expect(pc.option.periodUsd).toBeLessThan(onDemand.option.periodUsd);
  });

  it("sets a level per hour of day when traffic follows the clock", () => {
    // 10 busy environments from 08:00 to 20:00 UTC, nothing the rest of the day.
    const office = profileOf(DAY_STEPS, (step) =>
      step >= 480 && step < 1200
        ? { invocations: 600, concurrency: 10 }
        : { invocations: 0, concurrency: 0 },
    );
    const { onDemand, pc } = priced(office, functionOf({ meanDurationMs: 1000 }));
    // A flat level pays allocation for 24 hours but serves 12: a level saves
    // 0.0000069445 × 60 × 720 = $0.3000024 for $0.36000288, so flat is the minimum, 1.
    expect(pc.option.provisionedConcurrency).toBe(1);
    // Per hour, a busy hour's level saves 0.0000069445 × 3,600 = $0.0250002 for $0.01500012: 10.
    expect(pc.option.schedule).toEqual([0, 0, 0, 0, 0, 0, 0, 0, ...Array(12).fill(10), 0, 0, 0, 0]);
    // Schedule: 10 × 12 h × 3,600 s × PC + 432,000 GB-s × PC_DURATION + 432,000 requests.
    const scheduled = 10 * 12 * 3600 * PC + 432_000 * PC_DURATION + 0.0864;
    expect(pc.option.periodUsd).toBeCloseTo(scheduled, 10);
    // Flat 1: 86,400 × PC + 43,200 × PC_DURATION + 388,800 × ON_DEMAND + requests.
    const flat = 86_400 * PC + 43_200 * PC_DURATION + 388_800 * ON_DEMAND + 0.0864;
    expect(pc.option.notes.join(" ")).toContain(
      `costs $${scheduled.toFixed(4)} over the period against $${flat.toFixed(4)} for a flat 1`,
    );
    expect(pc.option.periodUsd).toBeLessThan(onDemand.option.periodUsd);
    // The timeline's steps add up to the period's total.
    expect(pc.stepUsd!.reduce((a, b) => a + b, 0)).toBeCloseTo(pc.option.periodUsd, 9);
  });

  it("reports the best level of at least 1 even when none beats on-demand", () => {
    const sparse = profileOf(DAY_STEPS, (step) => ({ invocations: step % 30 === 0 ? 1 : 0 }));
    const { onDemand, pc } = priced(sparse);
    expect(pc.option.provisionedConcurrency).toBe(1);
    expect(pc.option.periodUsd).toBeGreaterThan(onDemand.option.periodUsd);
  });

  it("breaks even at 60% utilisation in us-east-1", () => {
    // 0.0000041667 ÷ (0.0000166667 − 0.0000097222) = 0.0000041667 ÷ 0.0000069445 = 0.60000.
    const x86 = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64").architecturePrices;
    expect(
      breakEvenUtilisation({
        onDemand: x86.durationTiers[0]!.perGbSecond,
        allocation: x86.provisionedConcurrencyPerGbSecond,
        pcDuration: x86.provisionedDurationPerGbSecond,
      }),
    ).toBeCloseTo(0.0000041667 / 0.0000069445, 12);
    expect(0.0000041667 / 0.0000069445).toBeCloseTo(0.6, 4);
    // arm64: 0.0000033334 ÷ (0.0000133334 − 0.0000077778) = 0.0000033334 ÷ 0.0000055556 = 0.60001.
    const steady = profileOf(60, () => ({ invocations: 60, concurrency: 1 }));
    const { pc } = priced(steady, functionOf({ architecture: "arm64" }));
    expect(pc.option.breakEvenUtilisation).toBeCloseTo(0.0000033334 / 0.0000055556, 12);
  });
});
