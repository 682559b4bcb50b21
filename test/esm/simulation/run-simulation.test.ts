/**
 * The simulator against figures computed by hand (each test writes its
 * arithmetic out), and its promises: seeded, bounded by maxEvents.
 */
import { describe, expect, it } from "vitest";
import { runEngine } from "../../../src/esm/simulation/mapping-engine.js";
import {
  runSimulation,
  SimulationTooLongError,
} from "../../../src/esm/simulation/run-simulation.js";
import { engineModel } from "../../../src/esm/simulation/source-models.js";
import { constantRate, kafka, lambda, poissonRate, scenario, sqs, stream } from "./scenarios.js";

describe("runSimulation: deterministic cases", () => {
  it("capacity-bound SQS: the backlog grows at arrival minus capacity", () => {
    // 100 records/s arrive; batches of 10 take 1 s; MaximumConcurrency 5:
    // capacity = 5 × 10 / 1 s = 50 records/s, so the backlog grows by 100 − 50 = 50 records/s.
    const result = runSimulation(
      scenario({
        mapping: sqs({ maximumConcurrency: 5 }),
        arrivals: constantRate(100, 600),
        function: lambda({ overheadMs: 1000 }),
      }),
    );
    expect(result.arrived).toBe(60_000); // 100 × 600
    expect(result.concurrencyMax).toBe(5);
    expect(result.meanBatchSize).toBeCloseTo(10, 1);
    // 50 × 600 = 30,000 processed, less the 5 × 10 records in flight at the end and the
    // first second's short batches (pollers take the few records there, every 20 ms).
    expect(result.processed).toBeGreaterThanOrEqual(30_000 - 150);
    expect(result.processed).toBeLessThanOrEqual(30_000);
    expect(result.backlogEnd).toBeGreaterThanOrEqual(30_000);
    expect(result.backlogEnd).toBeLessThanOrEqual(30_000 + 150);
    // Half way, at 300 s: 50 × 300 = 15,000 waiting (within the start-up shortfall above).
    const middle = result.timeline.find((point) => Math.abs(point.atSeconds - 300) < 1e-6)!;
    expect(Math.abs(middle.backlog - 15_000)).toBeLessThanOrEqual(150);
    // The oldest record waits backlog / capacity: 15,000 / 100 per s arrival gap = 150 s at 300 s.
    expect(middle.oldestAgeSeconds).toBeGreaterThan(145);
    expect(middle.oldestAgeSeconds).toBeLessThan(155);
  });

  it("a batching window sets the invocation count", () => {
    // 2 records/s (one every 0.5 s), BatchSize 100, window 30 s, batches take 100 ms.
    // A window opens at its first record and closes 30 s later with 61 records
    // (the first, then one each 0.5 s up to and including the window's end); the
    // next record, 0.5 s later, opens the next: one invocation per 30.5 s.
    // Over 3,600 s: 3,600 / 30.5 = 118.0 invocations (T / W = 120 if records arrived at the window's start).
    const result = runSimulation(
      scenario({
        mapping: sqs({ batchSize: 100, windowSeconds: 30 }),
        arrivals: constantRate(2, 3600),
      }),
    );
    expect(Math.abs(result.invocations - 3600 / 30.5)).toBeLessThanOrEqual(1);
    expect(result.meanBatchSize).toBeCloseTo(61, 0);
    // The oldest record of a batch waited the whole window: 30 s.
    expect(result.maxAgeSeconds).toBeCloseTo(30, 1);
  });

  it("ParallelizationFactor multiplies a shard's throughput", () => {
    // One Kinesis shard, 1,000 records/s, batches of 100 taking 1 s.
    // Factor 1: one batch at a time = 100 records/s → 60,000 in 600 s.
    // Factor 5: five at a time = 500 records/s → 300,000 in 600 s.
    // Less, at most, a batch per lane in flight at the end and the lanes' first polls (staggered
    // over the first second, each finding under 100 records).
    const run = (parallelizationFactor: number) =>
      runSimulation(
        scenario({
          mapping: stream({ parallelizationFactor }),
          arrivals: constantRate(1000, 600),
          function: lambda({ overheadMs: 1000 }),
        }),
      );
    const one = run(1);
    const five = run(5);
    expect(one.processed).toBeGreaterThanOrEqual(60_000 - 100);
    expect(one.processed).toBeLessThanOrEqual(60_000);
    expect(five.processed).toBeGreaterThanOrEqual(300_000 - 1_000);
    expect(five.processed).toBeLessThanOrEqual(300_000);
    expect(one.concurrencyMax).toBe(1);
    expect(five.concurrencyMax).toBe(5);
  });

  it("Kafka provisioned pollers: each reads at most 5 MB/s", () => {
    // 8 partitions, 1 poller, records of 100 KB at 100 records/s = 9.77 MB/s asked;
    // one poller reads 5 MB/s = 5 × 1,048,576 / 102,400 = 51.2 records/s → ≈ 30,720 in 600 s.
    const result = runSimulation(
      scenario({
        mapping: kafka({ partitions: 8, pollers: 1, batchSize: 10, windowSeconds: 0 }),
        arrivals: constantRate(100, 600),
        recordBytes: 102_400,
        function: lambda({ overheadMs: 10 }),
      }),
    );
    expect(result.processed / 600).toBeGreaterThan(51.2 * 0.97);
    expect(result.processed / 600).toBeLessThan(51.2 * 1.01);
  });
});

describe("runSimulation: SQS pollers and concurrency", () => {
  it("pollers start at 5 and add 300 a minute (5 a second) while records wait", () => {
    // 1,000 records/s, batches of 10 taking 1 s: 100 batches at once are needed, so records
    // wait and the pollers grow by 5 each second: 10 after 1 s, 55 after 10 s, 100 after 19 s
    // (read half-way between the rescaling ticks).
    const result = runSimulation({
      ...scenario({
        mapping: sqs(),
        arrivals: constantRate(1000, 20),
        function: lambda({ overheadMs: 1000 }),
      }),
      timelinePoints: 40,
    });
    const at = (seconds: number) =>
      result.timeline.find((point) => Math.abs(point.atSeconds - seconds) < 1e-6)!.concurrency;
    expect(at(1.5)).toBe(10);
    expect(at(10.5)).toBe(55);
    expect(at(19.5)).toBe(100);
  });

  it("reserved concurrency below the pollers throttles, and caps the throughput", () => {
    // Reserved concurrency 20, batches of 10 taking 1 s: at most 20 × 10 = 200 records/s,
    // 60,000 in 300 s, whatever the pollers; the batches beyond 20 at once are throttled.
    const result = runSimulation(
      scenario({
        mapping: sqs(),
        arrivals: constantRate(1000, 300),
        function: lambda({ overheadMs: 1000, reservedConcurrency: 20 }),
      }),
    );
    expect(result.concurrencyMax).toBe(20);
    expect(result.throttles).toBeGreaterThan(0);
    expect(result.processed).toBeGreaterThanOrEqual(60_000 - 400);
    expect(result.processed).toBeLessThanOrEqual(60_000);
    expect(result.notes).toContain(
      `${result.throttles.toLocaleString("en-US")} batches throttled: the function's concurrency (20) is below what the mapping asks for`,
    );
  });

  it("throttled batches count as receives and reach the dead-letter queue", () => {
    // Reserved concurrency 5 equals the first 5 pollers, but at 1 s there are 10: the 5 extra
    // batches are throttled, return after 30 s, and at maxReceiveCount 2 are dead-lettered.
    const result = runSimulation(
      scenario({
        mapping: sqs({ maxReceiveCount: 2 }),
        arrivals: constantRate(100, 300),
        function: lambda({ overheadMs: 1000, reservedConcurrency: 5 }),
      }),
    );
    expect(result.throttles).toBeGreaterThan(0);
    expect(result.discarded).toBeGreaterThan(0);
    expect(result.processed + result.discarded + result.backlogEnd).toBe(30_000);
  });

  it("FIFO: one batch at a time per message group", () => {
    // 3 message groups, 100 records/s, batches of 10 taking 0.5 s: 3 at once at most,
    // 3 × 10 / 0.5 = 60 records/s → 18,000 in 300 s.
    const result = runSimulation(
      scenario({
        mapping: sqs({ fifo: true, messageGroups: 3 }),
        arrivals: constantRate(100, 300),
        function: lambda({ overheadMs: 500 }),
      }),
    );
    expect(result.concurrencyMax).toBe(3);
    expect(result.processed).toBeGreaterThanOrEqual(18_000 - 100);
    expect(result.processed).toBeLessThanOrEqual(18_000);
  });
});

describe("runSimulation: Poisson arrivals against queueing theory", () => {
  it("M/D/c: mean wait within 10% of Erlang C's M/M/c wait halved, 5% of Cosmetatos's M/D/c", () => {
    // SQS, BatchSize 1, MaximumConcurrency c = 4, each record takes D = 1 s (μ = 1/s),
    // Poisson arrivals λ = 3.2/s: a = λ/μ = 3.2, ρ = a/c = 0.8.
    // Erlang C: C = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a))
    //   Σ_{k<4} 3.2^k/k! = 1 + 3.2 + 5.12 + 5.4613 = 14.7813
    //   3.2^4/4! · 4/0.8 = 4.3691 × 5 = 21.8453 → C = 21.8453 / 36.6267 = 0.5964
    // M/M/c mean wait Wq = C / (cμ − λ) = 0.5964 / 0.8 = 0.7456 s.
    // M/D/c mean wait ≈ Wq / 2 = 0.3728 s (the classic approximation), or with Cosmetatos's
    // correction for c > 1: Wq / 2 × (1 + (1 − ρ)(c − 1)(√(4 + 5c) − 2) / (16ρc))
    //   = 0.3728 × (1 + 0.2 × 3 × 2.899 / 51.2) = 0.3728 × 1.0340 = 0.3855 s.
    let sum = 0;
    for (let k = 0; k < 4; k++) sum += 3.2 ** k / factorial(k);
    const top = (3.2 ** 4 / factorial(4)) * (4 / (4 - 3.2));
    const erlangC = top / (sum + top);
    const expected = erlangC / (4 - 3.2) / 2;
    expect(expected).toBeCloseTo(0.3728, 3);
    // Three seeded runs of 160,000 records each; the only departure from M/D/c is the modelled
    // 20 ms receive interval of an idle poller (≤ 10 ms more, on average, for the 40% of records
    // that find one idle: about +1%).
    const means = [7, 8, 9].map((seed) => {
      const scene = scenario({
        mapping: sqs({ batchSize: 1, maximumConcurrency: 4 }),
        arrivals: poissonRate(3.2, 50_000),
        function: lambda({ overheadMs: 1000 }),
        seed,
      });
      return runEngine(scene, engineModel(scene)).ages.meanSeconds;
    });
    const simulated = means.reduce((sum, value) => sum + value, 0) / means.length;
    expect(simulated).toBeGreaterThan(expected * 0.9);
    expect(simulated).toBeLessThan(expected * 1.1);
    const cosmetatos = expected * (1 + (0.2 * 3 * (Math.sqrt(24) - 2)) / (16 * 0.8 * 4));
    expect(cosmetatos).toBeCloseTo(0.3855, 3);
    // Seeds 7, 8, 9 give 0.405, 0.397, 0.383 s; their mean 0.395 s is within 5% of it.
    expect(Math.abs(simulated / cosmetatos - 1)).toBeLessThan(0.05);
  });
});

describe("runSimulation: seeded", () => {
  const scene = (seed: number) =>
    scenario({
      mapping: sqs({ maximumConcurrency: 3 }),
      arrivals: poissonRate(20, 600),
      function: lambda({ overheadMs: 300, errorRate: 0.1 }),
      seed,
    });

  it("the same seed gives the same run, another seed another", () => {
    const first = runSimulation(scene(42));
    const again = runSimulation(scene(42));
    const other = runSimulation(scene(43));
    expect(again).toEqual(first);
    expect(other.arrived).not.toBe(first.arrived);
    expect(other.ageP99Seconds).not.toBe(first.ageP99Seconds);
  });
});

describe("runSimulation: failures", () => {
  it("SQS: a failing batch returns after the visibility timeout and is dead-lettered at maxReceiveCount", () => {
    // 10 records/s, every batch fails, visibility 30 s, maxReceiveCount 3: a record is received
    // at t, t + 30 and t + 60 (+ 0.1 s per try), then dead-lettered: those that arrived before
    // about 600 − 60.2 = 539.8 s are discarded: ≈ 5,398 of 6,000, none processed.
    const result = runSimulation(
      scenario({
        mapping: sqs({ maxReceiveCount: 3 }),
        arrivals: constantRate(10, 600),
        function: lambda({ errorRate: 1 }),
      }),
    );
    expect(result.processed).toBe(0);
    expect(result.discarded).toBeGreaterThan(5_398 - 20);
    expect(result.discarded).toBeLessThan(5_398 + 20);
    // Every dead-lettered record was received 3 times; the last minute's 600 records once or twice.
    const receives = result.meanBatchSize * result.invocations;
    expect(receives).toBeGreaterThanOrEqual(3 * result.discarded);
    expect(receives).toBeLessThanOrEqual(3 * result.discarded + 2 * 600);
  });

  it("SQS ReportBatchItemFailures retries only the failed records", () => {
    // 10% of records fail, each retried after 30 s until it succeeds: everything but the
    // last minute's records is processed, and retries ≈ 10% of records (+1% retried twice).
    const result = runSimulation(
      scenario({
        mapping: sqs({ reportBatchItemFailures: true }),
        arrivals: constantRate(10, 3600),
        function: lambda({ errorRate: 0.1 }),
      }),
    );
    expect(result.arrived).toBe(36_000);
    expect(result.retries / result.arrived).toBeGreaterThan(0.1);
    expect(result.retries / result.arrived).toBeLessThan(0.115);
    expect(result.backlogEnd).toBeLessThan(10 * 90);
  });

  it("streams: a failing batch blocks its shard and is given up after MaximumRetryAttempts", () => {
    // 1 shard, 100 records/s, batches of 100 taking 1 s, every attempt fails, 2 retries:
    // each batch takes 3 invocations (3 s) and is discarded; the shard does 100 records per 3 s.
    const result = runSimulation(
      scenario({
        mapping: stream({ maximumRetryAttempts: 2 }),
        arrivals: constantRate(100, 300),
        function: lambda({ overheadMs: 1000, errorRate: 1 }),
      }),
    );
    expect(result.processed).toBe(0);
    expect(result.invocations).toBeGreaterThanOrEqual(297);
    expect(result.invocations).toBeLessThanOrEqual(300);
    // 100 batches of 100 given up in 300 s → 10,000 (the last one may be in flight).
    expect(result.discarded).toBeGreaterThanOrEqual(9_900);
    expect(result.discarded).toBeLessThanOrEqual(10_000);
    expect(result.backlogEnd).toBeGreaterThan(15_000); // 30,000 arrived − 10,000 given up
  });

  it("streams: BisectBatchOnFunctionError splits a failing batch down to single records", () => {
    // Batches of 8 (8 records arrive per poll at 8 records/s), every attempt fails,
    // MaximumRetryAttempts 0: 8 → 4 + 4 → 2 × 4 → 1 × 8 = 15 invocations per batch, then the
    // 8 single records are given up (halving does not spend a retry).
    const result = runSimulation(
      scenario({
        mapping: stream({
          batchSize: 8,
          maximumRetryAttempts: 0,
          bisectBatchOnFunctionError: true,
        }),
        arrivals: constantRate(8, 100),
        function: lambda({ overheadMs: 1, errorRate: 1 }),
      }),
    );
    expect(result.processed).toBe(0);
    const batches = result.discarded / 8;
    expect(result.invocations).toBeCloseTo(batches * 15, -1);
    expect(result.discarded).toBeGreaterThanOrEqual(784); // 800 arrived, the last poll's may wait
  });

  it("streams: records past MaximumRecordAgeInSeconds are given up", () => {
    // Every attempt fails and retries are unlimited: records are given up only when older than 60 s;
    // the oldest record waiting never gets much older than that.
    const result = runSimulation(
      scenario({
        mapping: stream({ maximumRecordAgeSeconds: 60 }),
        arrivals: constantRate(10, 600),
        function: lambda({ overheadMs: 1000, errorRate: 1 }),
      }),
    );
    expect(result.processed).toBe(0);
    expect(result.discarded).toBeGreaterThan(10 * (600 - 62));
    const oldest = Math.max(...result.timeline.map((point) => point.oldestAgeSeconds));
    expect(oldest).toBeLessThan(63);
  });
});

describe("runSimulation: bounded", () => {
  it("a 0 s visibility timeout returns failed records at once, without running time backwards", () => {
    // Every batch times out (1,000 × 50 ms > 1 s) and its records are visible again at once;
    // reserved concurrency 1 under 2 pollers throttles. 30 s of it is a few hundred events.
    const result = runSimulation(
      scenario({
        mapping: sqs({
          batchSize: 1000,
          windowSeconds: 30,
          maximumConcurrency: 2,
          visibilityTimeoutSeconds: 0,
        }),
        arrivals: { perSecond: [0.5, 300, 300], stepSeconds: 10, process: "poisson" },
        function: lambda({
          overheadMs: 100,
          perRecordMs: 50,
          reservedConcurrency: 1,
          timeoutSeconds: 1,
        }),
        maxEvents: 100_000,
      }),
    );
    expect(result.processed).toBe(0);
    expect(result.backlogEnd).toBe(result.arrived);
    expect(result.events).toBeLessThan(1_000);
    expect(result.notes[0]).toBe(
      "a full batch takes 50100 ms, past the 1 s timeout: it times out and is retried",
    );
  });

  it("stops past maxEvents with a message saying what to lower", () => {
    expect(() =>
      runSimulation(
        scenario({ mapping: sqs(), arrivals: constantRate(100, 3600), maxEvents: 1_000 }),
      ),
    ).toThrow(SimulationTooLongError);
    expect(() =>
      runSimulation(
        scenario({ mapping: sqs(), arrivals: constantRate(100, 3600), maxEvents: 1_000 }),
      ),
    ).toThrow(
      /passed 1,000 events at \d+ s of 3,600 s simulated: shorten the period, lower the rate/,
    );
  });
});

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}
