/**
 * The search over a mapping's settings, on the hand-checkable fake simulator
 * (fake-simulator.ts): the cheapest setting within the bound wins, throttling
 * settings are left out unless allowed, and when nothing meets the bound the
 * closest is reported, not recommended.
 */
import { describe, expect, it } from "vitest";
import {
  type Bound,
  type Candidate,
  rankCandidates,
  searchSettings,
} from "../../../src/esm/optimize/search-settings.js";
import {
  adviseVisibilityTimeout,
  kafkaPollers,
  searchSpaceOf,
  tumblingWindowLengths,
} from "../../../src/esm/optimize/search-space.js";
import type { Scenario } from "../../../src/esm/simulation/scenario.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../../src/pricing/price-table.js";
import { fakeSimulate } from "./fake-simulator.js";

function sqsScenario(overrides: {
  rate: number;
  batchSize?: number;
  windowSeconds?: number;
  maximumConcurrency?: number;
  reservedConcurrency?: number;
  overheadMs?: number;
  perRecordMs?: number;
  timeoutSeconds?: number;
}): Scenario {
  return {
    mapping: {
      source: "sqs",
      fifo: false,
      messageGroups: 1,
      batchSize: overrides.batchSize ?? 10,
      windowSeconds: overrides.windowSeconds ?? 0,
      maximumConcurrency: overrides.maximumConcurrency,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: undefined,
      retentionSeconds: 345_600,
      reportBatchItemFailures: true,
    },
    function: {
      overheadMs: overrides.overheadMs ?? 100,
      perRecordMs: overrides.perRecordMs ?? 10,
      errorRate: 0,
      reservedConcurrency: overrides.reservedConcurrency,
      timeoutSeconds: overrides.timeoutSeconds ?? 900,
      memoryMb: 1024,
      architecture: "x86_64",
      ephemeralStorageMb: 512,
    },
    arrivals: { perSecond: [overrides.rate], stepSeconds: 3600, process: "constant" },
    recordBytes: 1024,
    seed: 1,
    maxEvents: 1_000_000,
    prices: pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64"),
    timelinePoints: 10,
  };
}

function search(scenario: Scenario, bound: Bound) {
  const { space, current } = searchSpaceOf(scenario);
  return searchSettings(space, { knobs: current, scenario }, bound, fakeSimulate);
}

describe("searchSettings on the fake simulator", () => {
  it("picks the cheapest setting whose age stays under the bound: the batch the window can fill in time", () => {
    // 100 records/s, 100 ms + 10 ms a record, bound 10 s. A batch holds e = min(BatchSize, 100 × window)
    // records and a record's age is min(window, BatchSize / 100) + 0.1 + 0.01 e. The larger the batch
    // the cheaper per record, so the window is as long as the bound allows: with BatchSize ≥ 100 w,
    // age = 2 w + 0.1 < 10 → w < 4.95: on the fine list, 3 s, batches of 300, age 6.1 s.
    const scenario = sqsScenario({ rate: 100 });
    const outcome = search(scenario, { maxAgeSeconds: 10, allowThrottles: false });
    expect(outcome.best).toBeDefined();
    const best = outcome.best!;
    expect(best.knobs.windowSeconds).toBe(3);
    expect(best.knobs.batchSize).toBeGreaterThanOrEqual(300);
    expect(best.result.meanBatchSize).toBe(300);
    expect(best.result.ageP99Seconds).toBeCloseTo(3 + 0.1 + 3, 6);
    // Today's 10-record batches with no window: a batch of 1 each (the fake fills no batch without a window).
    expect(outcome.current.result.meanBatchSize).toBe(1);
    expect(best.result.monthlyUsd).toBeLessThan(outcome.current.result.monthlyUsd);
    expect(outcome.searched).toBeGreaterThan(50);
    // The knobs it changed, each put back to today's value: the batch size alone back at 10 costs more.
    const batchReverted = outcome.reverted.find((entry) => entry.knob === "batchSize");
    expect(batchReverted?.candidate.result.monthlyUsd).toBeGreaterThan(best.result.monthlyUsd);
  });

  it("leaves out settings that throttle, unless throttles are allowed", () => {
    // Reserved concurrency 2: 1,000 records/s at 1 record a batch needs 1,000 × 0.11 s = 110 at once.
    // Without MaximumConcurrency ≤ 2 the pollers push past the reservation and throttle.
    const scenario = sqsScenario({
      rate: 50,
      reservedConcurrency: 2,
      perRecordMs: 1,
      overheadMs: 50,
    });
    const strict = search(scenario, { maxAgeSeconds: 30, allowThrottles: false });
    expect(strict.current.result.throttles).toBeGreaterThan(0);
    expect(strict.current.meetsBound).toBe(false);
    expect(strict.best).toBeDefined();
    expect(strict.best!.result.throttles).toBe(0);
    const allowed = search(scenario, { maxAgeSeconds: 30, allowThrottles: true });
    expect(allowed.best).toBeDefined();
    expect(allowed.best!.result.monthlyUsd).toBeLessThanOrEqual(strict.best!.result.monthlyUsd);
  });

  it("recommends nothing when no setting meets the bound, and reports the closest", () => {
    // 2,000 records/s through 2 at a time at 1 s + 1 ms a record: 2 × (1,000 / 2.0 s) at most
    // 1,000 records/s, whatever the batch: the backlog grows.
    const scenario = sqsScenario({
      rate: 2_000,
      overheadMs: 1_000,
      perRecordMs: 1,
      reservedConcurrency: 2,
      timeoutSeconds: 900,
    });
    const outcome = search(scenario, { maxAgeSeconds: 1, allowThrottles: false });
    expect(outcome.best).toBeUndefined();
    expect(outcome.closest.meetsBound).toBe(false);
    expect(outcome.closest.result.ageP99Seconds).toBeLessThanOrEqual(
      outcome.current.result.ageP99Seconds,
    );
    expect(outcome.reverted).toEqual([]);
  });

  it("never recommends a batch that would outlast the function's timeout", () => {
    // 10 ms a record and a 3 s timeout: at most 289 records a batch (100 + 10 × 289 = 2,990 ms),
    // 250 on the fine list; the bound (60 s) would otherwise allow batches of thousands.
    const scenario = sqsScenario({ rate: 100, timeoutSeconds: 3 });
    const outcome = search(scenario, { maxAgeSeconds: 60, allowThrottles: false });
    expect(outcome.best!.knobs.batchSize).toBe(250);
    expect(outcome.best!.result.meanBatchSize).toBe(250);
  });
});

describe("the search's bounds", () => {
  it("finds the same settings with fewer runs than simulating every one", () => {
    for (const scenario of [
      sqsScenario({ rate: 100 }),
      sqsScenario({ rate: 50, reservedConcurrency: 2, perRecordMs: 1, overheadMs: 50 }),
      sqsScenario({ rate: 2_000, overheadMs: 1_000, perRecordMs: 1, reservedConcurrency: 2 }),
    ]) {
      const bound = { maxAgeSeconds: 10, allowThrottles: false };
      const { space, current } = searchSpaceOf(scenario);
      const { estimate: _, ...everyOne } = space;
      const bounded = searchSettings(space, { knobs: current, scenario }, bound, fakeSimulate);
      const full = searchSettings(everyOne, { knobs: current, scenario }, bound, fakeSimulate);
      // The same cost and age (settings that tie exactly, BatchSize 500 or 10,000 behind a window
      // that fills 300, may differ with the order they were visited in).
      expect(bounded.best?.result.monthlyUsd).toBe(full.best?.result.monthlyUsd);
      expect(bounded.best?.result.ageP99Seconds).toBe(full.best?.result.ageP99Seconds);
      expect(bounded.closest.result.ageP99Seconds).toBe(full.closest.result.ageP99Seconds);
      expect(bounded.searched).toBeLessThan(full.searched);
    }
  });
});

describe("rankCandidates", () => {
  const candidate = (monthlyUsd: number, ageP99Seconds: number, meetsBound: boolean) =>
    ({
      knobs: {},
      meetsBound,
      result: { monthlyUsd, ageP99Seconds },
    }) as unknown as Candidate;

  it("puts settings within the bound first, then the cheaper, a near tie going to the younger", () => {
    const ranked = [
      candidate(5, 1, false),
      candidate(10, 8, true),
      candidate(10.001, 2, true),
      candidate(7, 9, true),
    ].sort(rankCandidates);
    expect(ranked.map((c) => [c.result.monthlyUsd, c.result.ageP99Seconds])).toEqual([
      [7, 9],
      [10.001, 2],
      [10, 8],
      [5, 1],
    ]);
  });
});

describe("what follows from the knobs", () => {
  it("raises a queue's visibility timeout to 6× the function's timeout plus the window, never lowers it", () => {
    expect(adviseVisibilityTimeout(30, 10, 5)).toBe(65);
    expect(adviseVisibilityTimeout(900, 10, 5)).toBe(900);
  });

  it("provisions Kafka pollers for 5 MB/s and 5 invocations each, at most one per partition", () => {
    // 20,000 records/s of 1 KiB = 19.5 MiB/s → 4 pollers; 200 batches/s of 100 ms → 20 at once → 4 pollers.
    expect(
      kafkaPollers({
        peakPerSecond: 20_000,
        recordBytes: 1024,
        batchSize: 100,
        batchMs: 100,
        partitions: 12,
      }),
    ).toBe(4);
    // 1 s batches: 200 at once → 40 pollers, capped at 12 partitions.
    expect(
      kafkaPollers({
        peakPerSecond: 20_000,
        recordBytes: 1024,
        batchSize: 100,
        batchMs: 1_000,
        partitions: 12,
      }),
    ).toBe(12);
  });
});

describe("the tumbling window lengths searched", () => {
  it("searches none for a mapping without a window, else the standard lengths under the bound and today's", () => {
    expect(tumblingWindowLengths(0, 600)).toEqual([]);
    expect(tumblingWindowLengths(60, 600)).toEqual([10, 30, 60, 120, 300]);
    expect(tumblingWindowLengths(45, 100)).toEqual([10, 30, 45, 60]);
    // Today's 300 s is not under a 120 s bound: a record's aggregate would wait up to 300 s.
    expect(tumblingWindowLengths(300, 120)).toEqual([10, 30, 60]);
    expect(tumblingWindowLengths(900, 1_000)).toEqual([10, 30, 60, 120, 300, 600, 900]);
    // No standard length under a 5 s bound: the longest whole second under it; under 1 s, today's alone.
    expect(tumblingWindowLengths(60, 5)).toEqual([4]);
    expect(tumblingWindowLengths(60, 1)).toEqual([60]);
  });

  function kinesisScenario(tumblingWindowSeconds: number): Scenario {
    const base = sqsScenario({ rate: 100 });
    return {
      ...base,
      mapping: {
        source: "kinesis",
        shards: 2,
        parallelizationFactor: 1,
        batchSize: 100,
        windowSeconds: 0,
        tumblingWindowSeconds,
        maximumRetryAttempts: -1,
        bisectBatchOnFunctionError: false,
        maximumRecordAgeSeconds: -1,
        retentionSeconds: 86_400,
        reportBatchItemFailures: true,
      },
    };
  }

  it("keeps today's window when no other length saves more than a tie, and never adds one", () => {
    // The fake simulator ignores the window: every length costs the same, so today's 60 s stays.
    const bound = { maxAgeSeconds: 600, allowThrottles: false };
    const windowed = kinesisScenario(60);
    const { space, current } = searchSpaceOf(windowed, [], bound);
    expect(current.tumblingWindowSeconds).toBe(60);
    const outcome = searchSettings(
      space,
      { knobs: current, scenario: windowed },
      bound,
      fakeSimulate,
    );
    expect(outcome.best!.knobs.tumblingWindowSeconds).toBe(60);
    expect(outcome.settled).toHaveLength(1);
    expect(outcome.settled[0]!.chosen).toBe(60);
    expect(outcome.settled[0]!.candidates.map((entry) => entry.value)).toEqual([
      10, 30, 60, 120, 300,
    ]);
    expect(space.apply(outcome.best!.knobs).mapping).toMatchObject({ tumblingWindowSeconds: 60 });

    const plain = kinesisScenario(0);
    const without = searchSpaceOf(plain, [], bound);
    expect(without.space.settled).toBeUndefined();
    expect(without.current).not.toHaveProperty("tumblingWindowSeconds");
    const found = searchSettings(
      without.space,
      { knobs: without.current, scenario: plain },
      bound,
      fakeSimulate,
    );
    expect(found.settled).toEqual([]);
    expect(without.space.apply(found.best!.knobs).mapping).toMatchObject({
      tumblingWindowSeconds: 0,
    });
  });
});
