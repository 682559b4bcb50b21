/**
 * simulateEventSourceMapping: options in, a run out; bad options refused in
 * one line naming the option (as the caller names it), the value and the range.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { scenarioFrom, simulateEventSourceMapping } from "../../../src/esm/simulation/simulate.js";
import { EsmSimulateOptionsSchema } from "../../../src/esm/simulation/simulate-options.js";
import { flagName } from "../../../src/options.js";
import { PRICES } from "./scenarios.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/esm");

async function refusal(input: Record<string, unknown>): Promise<string> {
  try {
    await simulateEventSourceMapping(input as never, flagName);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("simulateEventSourceMapping", () => {
  it("runs SQS with Lambda's defaults and says what it used", async () => {
    // 50 records/s for 600 s, batches of (default) 10 taking 5 + 1 × 10 = 15 ms.
    const result = await simulateEventSourceMapping({
      source: "sqs",
      rate: 50,
      seconds: 600,
      arrival: "constant",
      recordMs: 1,
      overheadMs: 5,
    });
    expect(result.arrived).toBe(30_000);
    expect(result.settings.BatchSize).toBe(10);
    expect(result.settings.VisibilityTimeout).toBe(30);
    expect(result.settings.MaximumBatchingWindowInSeconds).toBe(0);
    expect(result.processed + result.backlogEnd).toBe(30_000);
    expect(result.notes[0]).toBe("batch duration from given: overheadMs + recordMs");
    expect(result.prices.region).toBe("us-east-1");
    expect(result.monthlyUsd).toBeGreaterThan(result.periodUsd);
  });

  it("reads a rate profile: invocations per step are records", async () => {
    // 600 + 6,000 + 600 + 600 records over four one-minute steps = 7,800.
    const result = await simulateEventSourceMapping({
      source: "kinesis",
      rateProfile: join(FIXTURES, "profile-burst.csv"),
      arrival: "constant",
      batchMs: 200,
      shards: 2,
    });
    expect(result.periodSeconds).toBe(240);
    expect(result.arrived).toBe(7_800);
    expect(result.settings.BatchSize).toBe(100);
    expect(result.settings.Shards).toBe(2);
  });

  it("a burst: its rate between its start and its end", async () => {
    // 10 records/s for 400 s, but 100/s from 100 s for 50 s: 10 × 350 + 100 × 50 = 8,500.
    const result = await simulateEventSourceMapping({
      source: "dynamodb",
      rate: 10,
      burstRate: 100,
      burstAtSeconds: 100,
      burstSeconds: 50,
      seconds: 400,
      arrival: "constant",
      batchMs: 50,
    });
    expect(result.arrived).toBe(8_500);
    expect(result.periodSeconds).toBe(400);
  });

  it("scenarioFrom applies each source's defaults", () => {
    const settings = EsmSimulateOptionsSchema.parse({ source: "kafka", rate: 1 });
    const scene = scenarioFrom(
      settings,
      { perSecond: [1], stepSeconds: 60, process: "constant" },
      { overheadMs: 10, perRecordMs: 1, source: "options" },
      PRICES,
    );
    expect(scene.mapping).toEqual({
      source: "kafka",
      partitions: 1,
      pollers: undefined,
      batchSize: 100,
      windowSeconds: 0.5,
    });
    expect(scene.function.overheadMs).toBe(10);
  });

  it("refuses a rate of 0 or less", async () => {
    expect(await refusal({ source: "sqs", rate: 0, batchMs: 10 })).toBe(
      "--rate 0 is not valid: expected records per second above 0",
    );
  });

  it("refuses a batch size outside the source's range", async () => {
    expect(await refusal({ source: "kinesis", rate: 1, batchMs: 10, batchSize: 20_000 })).toBe(
      "--batch-size 20000 is not valid: expected a whole number of records from 1 to 10,000",
    );
    expect(await refusal({ source: "sqs", fifo: true, rate: 1, batchMs: 10, batchSize: 20 })).toBe(
      "--batch-size 20 is not valid: expected a whole number from 1 to 10 for a FIFO queue",
    );
    expect(await refusal({ source: "sqs", rate: 1, batchMs: 10, batchSize: 50 })).toBe(
      "--batch-size 50 is not valid: expected at most 10 without --window-seconds of at least 1 (Lambda requires a batching window for larger SQS batches)",
    );
  });

  it("refuses a window outside 0–300 and a parallelization outside 1–10", async () => {
    expect(await refusal({ source: "sqs", rate: 1, batchMs: 10, windowSeconds: 301 })).toBe(
      "--window-seconds 301 is not valid: expected a whole number of seconds from 0 to 300",
    );
    expect(await refusal({ source: "kinesis", rate: 1, batchMs: 10, parallelization: 11 })).toBe(
      "--parallelization 11 is not valid: expected a whole number from 1 to 10",
    );
  });

  it("refuses a setting the source does not have", async () => {
    expect(await refusal({ source: "sqs", rate: 1, batchMs: 10, shards: 4 })).toBe(
      "--shards does not apply to --source sqs",
    );
    expect(await refusal({ source: "kinesis", rate: 1, batchMs: 10, maxConcurrency: 5 })).toBe(
      "--max-concurrency does not apply to --source kinesis",
    );
  });

  it("wants exactly one traffic source and one duration source", async () => {
    expect(await refusal({ source: "sqs", batchMs: 10 })).toBe(
      "give the traffic: --rate (records per second) or --rate-profile (a profile file)",
    );
    expect(await refusal({ source: "sqs", rate: 1, rateProfile: "x.csv", batchMs: 10 })).toBe(
      "give --rate or --rate-profile, not both",
    );
    expect(await refusal({ source: "sqs", rate: 1 })).toBe(
      "give the function's duration per batch: --batch-ms, --record-ms with --overhead-ms, --tune-file or --log-files",
    );
    expect(await refusal({ source: "sqs", rate: 1, batchMs: 10, recordMs: 1 })).toBe(
      "give one duration source, not --batch-ms and --record-ms: --batch-ms, --record-ms with --overhead-ms, --tune-file or --log-files",
    );
  });

  it("names the profile's bad line", async () => {
    const message = await refusal({
      source: "kinesis",
      rateProfile: join(FIXTURES, "profile-bad-row.csv"),
      batchMs: 10,
    });
    expect(message).toMatch(/^--rate-profile: .*profile-bad-row\.csv.*line 4/);
    expect(message).toMatch(/expected a whole number ≥ 0/);
  });

  it("stops a run past --max-events, naming the flag", async () => {
    expect(
      await refusal({ source: "sqs", rate: 1000, seconds: 3600, batchMs: 10, maxEvents: 1000 }),
    ).toMatch(
      /^the simulation passed 1,000 events at \d+ s of 3,600 s simulated: .* or allow more events with --max-events$/,
    );
  });
});
