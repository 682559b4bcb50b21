/**
 * optimizeEventSourceMappings over the fixture template with the real
 * simulator (runSimulation): an SQS queue whose batches can grow, a Kinesis
 * stream that falls behind until ParallelizationFactor rises, and a DynamoDB
 * stream whose traffic no setting of one shard can keep up with; then
 * streams with a tumbling window, whose length is searched under the bound,
 * and one without, which gets none. The
 * figures are the simulator's, so the assertions are their relations and the
 * reasons' sentences, not exact values.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optimizeEventSourceMappings } from "../../../src/esm/optimize/optimize-mappings.js";
import { EsmOptimizeResultSchema } from "../../../src/esm/optimize/optimize-result.js";

const TEMPLATE = join(import.meta.dirname, "..", "..", "fixtures", "esm-optimize", "template.yaml");

describe("optimizeEventSourceMappings with the real simulator", () => {
  it("SQS at 50 records/s: larger batches with a window, cheaper and within the bound, the visibility timeout raised", async () => {
    const result = await optimizeEventSourceMappings({
      template: TEMPLATE,
      mapping: "OrderWorker/OrderQueue",
      rate: 50,
      overheadMs: 50,
      recordMs: 5,
      maxAgeSeconds: 30,
    });
    expect(EsmOptimizeResultSchema.parse(result)).toEqual(result);
    const [sqs] = result.mappings;
    const { current, recommended } = { current: sqs!.current, recommended: sqs!.recommended! };
    expect(current).toEqual({
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      "ScalingConfig.MaximumConcurrency": null,
      VisibilityTimeout: 30,
    });
    expect(recommended.BatchSize as number).toBeGreaterThan(10);
    expect(recommended.MaximumBatchingWindowInSeconds as number).toBeGreaterThanOrEqual(1);
    expect(recommended.VisibilityTimeout).toBe(
      60 + (recommended.MaximumBatchingWindowInSeconds as number),
    );
    const predicted = sqs!.predicted;
    expect(predicted.current.meetsBound).toBe(true);
    expect(predicted.recommended!.meetsBound).toBe(true);
    expect(predicted.recommended!.ageP99Seconds).toBeLessThan(30);
    expect(predicted.recommended!.ageP99Seconds).toBeGreaterThan(predicted.current.ageP99Seconds);
    expect(predicted.recommended!.monthlyUsd).toBeLessThan(predicted.current.monthlyUsd / 2);
    expect(predicted.recommended!.invocations).toBeLessThan(predicted.current.invocations / 10);
    const reasons = sqs!.reasons.join("\n");
    expect(reasons).toMatch(
      /The recommended settings keep p99 age at [\d.]+ s for \$[\d.]+ a month: \$[\d.]+ \(\d+%\) less\./,
    );
    expect(reasons).toContain(
      "The queue's VisibilityTimeout of 30 s is under 6× the function's 10 s timeout (AWS's advice)",
    );
    // The window, not the lane's capacity, sets the age: 25% more traffic fills batches sooner.
    expect(sqs!.headroom).toMatchObject({ trafficFactor: 1.25, meetsBound: true });
    expect(sqs!.headroom!.ageP99Seconds).toBeLessThanOrEqual(predicted.recommended!.ageP99Seconds);
    expect(reasons).toContain(
      `Headroom: on 25% more traffic the recommended settings keep p99 age at ${Math.round(sqs!.headroom!.ageP99Seconds * 100) / 100} s, still within the bound.`,
    );
  });

  it("Kinesis at 2,000 records/s on two shards: today's settings fall behind, a higher ParallelizationFactor catches up", async () => {
    // 100 records in 150 ms a batch: 667 records/s a shard, 1,333 on two, under the 2,000 arriving.
    const result = await optimizeEventSourceMappings({
      template: TEMPLATE,
      mapping: "ClickMapping",
      rate: 2_000,
      overheadMs: 50,
      recordMs: 1,
      maxAgeSeconds: 10,
    });
    const [kinesis] = result.mappings;
    expect(kinesis!.predicted.current.meetsBound).toBe(false);
    expect(kinesis!.predicted.current.backlogEnd).toBeGreaterThan(1_000_000);
    expect(kinesis!.predicted.recommended!.meetsBound).toBe(true);
    expect(kinesis!.predicted.recommended!.ageP99Seconds).toBeLessThan(10);
    expect(kinesis!.recommended!.ParallelizationFactor as number).toBeGreaterThan(1);
    const reasons = kinesis!.reasons.join("\n");
    expect(reasons).toMatch(
      /Today's settings miss the bound; the recommended ones bring p99 age from [\d,]+ s to [\d.]+ s/,
    );
    expect(reasons).toMatch(
      /ParallelizationFactor \d+ instead of today's 1 matters most: with today's value and the rest as recommended, p99 age .* over the bound\./,
    );
    // The cheapest setting within the bound runs its lanes nearly full: 25% more traffic and they fall behind.
    const headroom = kinesis!.headroom!;
    expect(headroom.meetsBound).toBe(false);
    expect(headroom.backlogEnd).toBeGreaterThan(kinesis!.predicted.recommended!.backlogEnd);
    expect(headroom.oldestWaitingSeconds).toBeGreaterThanOrEqual(10);
    expect(reasons).toMatch(
      /Headroom: on 25% more traffic the recommended settings would miss the bound \(p99 age [\d.]+ s, [\d,]+ records still waiting at the end, the oldest for [\d.]+ s\): they fit today's traffic closely\./,
    );
  });

  it("DynamoDB at 20,000 records/s on one shard: nothing meets the bound; the closest and the shards it would take", async () => {
    const result = await optimizeEventSourceMappings({
      template: TEMPLATE,
      mapping: "AccountAudit/AccountChanges",
      rate: 20_000,
      overheadMs: 200,
      recordMs: 2,
      maxAgeSeconds: 5,
    });
    const [dynamodb] = result.mappings;
    expect(dynamodb!.recommended).toBeNull();
    expect(dynamodb!.predicted.recommended).toBeNull();
    const reasons = dynamodb!.reasons.join("\n");
    expect(reasons).toMatch(
      /None of the settings searched meets the bound\. The closest, BatchSize [\d,]+, MaximumBatchingWindowInSeconds \d+, ParallelizationFactor 10, reaches p99 age/,
    );
    expect(reasons).toMatch(
      /1 shard × ParallelizationFactor 10 allow 10\. About \d+ shards would be needed/,
    );
    expect(
      result.modelled.find((figure) => figure.name === "AccountAudit/AccountChanges: shards")
        ?.value,
    ).toBe(1);
  });
});

const STREAM_ARNS = {
  kinesis: "arn:aws:kinesis:us-east-1:123456789012:stream/clicks",
  dynamodb: "arn:aws:dynamodb:us-east-1:123456789012:table/Accounts/stream/2026-01-01T00:00:00.000",
} as const;

/** One stream mapping given by its settings: 20 records/s over an hour on two shards, 50 ms + 1 ms a record. */
async function optimizeStream(
  source: keyof typeof STREAM_ARNS,
  tumblingWindowSeconds: number | undefined,
  maxAgeSeconds: number,
) {
  const result = await optimizeEventSourceMappings({
    settings: {
      EventSourceArn: STREAM_ARNS[source],
      BatchSize: 100,
      ...(tumblingWindowSeconds !== undefined
        ? { TumblingWindowInSeconds: tumblingWindowSeconds }
        : {}),
    },
    rate: 20,
    seconds: 3_600,
    shards: 2,
    overheadMs: 50,
    recordMs: 1,
    maxAgeSeconds,
  });
  expect(EsmOptimizeResultSchema.parse(result)).toEqual(result);
  return result.mappings[0]!;
}

describe("TumblingWindowInSeconds with the real simulator", () => {
  it("Kinesis with a 60 s tumbling window and a 600 s bound: a 300 s window, fewer invocations for the same records, its aggregates out within the bound", async () => {
    const kinesis = await optimizeStream("kinesis", 60, 600);
    expect(kinesis.current.TumblingWindowInSeconds).toBe(60);
    // 10 s to 300 s searched (600 s and 900 s are not under the bound); the longest is the cheapest.
    expect(kinesis.recommended!.TumblingWindowInSeconds).toBe(300);
    expect(kinesis.predicted.recommended!.meetsBound).toBe(true);
    expect(300 + kinesis.predicted.recommended!.ageP99Seconds).toBeLessThan(600);
    const reason = kinesis.reasons.find((line) => line.startsWith("TumblingWindowInSeconds 300 s"));
    expect(reason).toMatch(
      /^TumblingWindowInSeconds 300 s instead of today's 60 s: each window ends with one more invocation per lane \(shard × ParallelizationFactor\) carrying its state, so a longer window takes fewer invocations for the same records: ([\d,]+) invocations instead of ([\d,]+) over the simulated period, \$[\d.]+ a month instead of \$[\d.]+; a record's aggregate is out only when its window closes, up to 300 s \+ the p99 age of [\d.]+ s after it arrives, under the 600 s bound\. Lengths simulated with the rest as recommended: 10 s, [\d,]+ invocations, \$[\d.]+ a month; 30 s, .*; 120 s, .*; 300 s, [\d,]+ invocations, \$[\d.]+ a month\.$/,
    );
    const [, at300, at60] = /: ([\d,]+) invocations instead of ([\d,]+)/.exec(reason!)!;
    const count = (text: string) => Number(text.replaceAll(",", ""));
    expect(count(at300!)).toBeLessThan(count(at60!));
    expect(reason).not.toContain("600 s,");
  });

  it("DynamoDB Streams with a 300 s tumbling window and a 120 s bound: a 60 s window, since today's holds aggregates past the bound", async () => {
    const dynamodb = await optimizeStream("dynamodb", 300, 120);
    expect(dynamodb.current.TumblingWindowInSeconds).toBe(300);
    expect(dynamodb.recommended!.TumblingWindowInSeconds).toBe(60);
    expect(60 + dynamodb.predicted.recommended!.ageP99Seconds).toBeLessThan(120);
    const reason = dynamodb.reasons.find((line) => line.startsWith("TumblingWindowInSeconds"));
    expect(reason).toMatch(
      /^TumblingWindowInSeconds 60 s instead of today's 300 s: a record's aggregate is out only when its window closes, up to 300 s after it arrives with today's, past the 120 s bound; 60 s is the cheapest length under it \(up to 60 s \+ the p99 age of [\d.]+ s after it arrives\): each window ends with one more invocation per lane \(shard × ParallelizationFactor\) carrying its state, so a longer window takes fewer invocations for the same records\. Lengths simulated with the rest as recommended: 10 s, [\d,]+ invocations, \$[\d.]+ a month; 30 s, [\d,]+ invocations, \$[\d.]+ a month; 60 s, [\d,]+ invocations, \$[\d.]+ a month\.$/,
    );
  });

  it("Kinesis with a 300 s tumbling window and a 600 s bound keeps it: the longest length whose aggregates are out within the bound", async () => {
    const kinesis = await optimizeStream("kinesis", 300, 600);
    expect(kinesis.recommended!.TumblingWindowInSeconds).toBe(300);
    expect(kinesis.reasons.find((line) => line.startsWith("TumblingWindowInSeconds"))).toMatch(
      /^TumblingWindowInSeconds stays at 300 s, the longest length searched whose aggregate is out within the 600 s bound \(a record's aggregate is out only when its window closes, up to 300 s \+ the p99 age of [\d.]+ s after it arrives\); each window ends with one more invocation per lane/,
    );
  });

  it("a Kinesis mapping without a tumbling window gets none: nothing searched, recommended or said about it", async () => {
    const kinesis = await optimizeStream("kinesis", undefined, 600);
    expect(kinesis.current).toEqual({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
    });
    expect(kinesis.recommended).not.toBeNull();
    expect(kinesis.recommended).not.toHaveProperty("TumblingWindowInSeconds");
    expect(kinesis.reasons.join("\n")).not.toMatch(/Tumbling|aggregate/);
  });
});
