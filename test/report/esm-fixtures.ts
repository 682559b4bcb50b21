/**
 * Hand-made answers of the simulator and the optimizer, each parsed by its schema, for the
 * reports' tests: figures a reader can redo by hand.
 *
 * The run: an SQS queue fed 100 records/s for an hour, BatchSize 10, a batch of 10 taking
 * 30 + 4 × 10 = 70 ms at 1,024 MB: 36,000 invocations. Requests 36,000 × $0.20 per million =
 * $0.0072; duration 36,000 × 0.07 s × 1 GB = 2,520 GB-s × $0.0000166667 = $0.042; $0.0492 in
 * all, × 730 = $35.92 a month. A burst from minute 15 to 20 builds a backlog that drains by 25.
 */
import { EsmOptimizeResultSchema } from "../../src/esm/optimize/optimize-result.js";
import { EsmSimulationResultSchema } from "../../src/esm/simulation/simulation-result.js";

/** 61 points, one a minute: the backlog climbs 1,200 a minute during the burst, then drains. */
function timeline() {
  return Array.from({ length: 61 }, (_, minute) => {
    const backlog =
      minute <= 15
        ? 5
        : minute <= 20
          ? 5 + (minute - 15) * 1_200
          : Math.max(5, 6_005 - (minute - 20) * 1_500);
    return {
      atSeconds: minute * 60,
      backlog,
      oldestAgeSeconds: backlog <= 5 ? 0.1 : backlog / 100,
      concurrency: minute > 15 && minute <= 25 ? 5 : 1,
      processed: minute === 0 ? 0 : 6_000,
      throttles: minute === 18 ? 3 : 0,
    };
  });
}

export const SIMULATION_RESULT = EsmSimulationResultSchema.parse({
  source: "sqs",
  settings: {
    BatchSize: 10,
    MaximumBatchingWindowInSeconds: 0,
    "ScalingConfig.MaximumConcurrency": 5,
    VisibilityTimeout: 30,
    ReportBatchItemFailures: false,
    MemorySize: 1_024,
    Architecture: "x86_64",
    ReservedConcurrentExecutions: null,
  },
  seed: 7,
  periodSeconds: 3_600,
  arrived: 360_005,
  processed: 360_000,
  backlogEnd: 5,
  discarded: 0,
  invocations: 36_000,
  meanBatchSize: 10,
  ageP50Seconds: 0.04,
  ageP99Seconds: 38.5,
  maxAgeSeconds: 60.05,
  concurrencyMax: 5,
  throttles: 3,
  retries: 3,
  periodUsd: 0.0492,
  monthlyUsd: 35.916,
  lines: [
    {
      label: "Requests",
      usd: 0.0072,
      formula: "36,000 invocations × $0.20 per million",
    },
    {
      label: "Duration",
      usd: 0.042,
      formula: "36,000 × 0.07 s × 1 GB = 2,520 GB-s × $0.0000166667",
    },
  ],
  prices: { date: "2026-11-01", region: "us-east-1" },
  timeline: timeline(),
  events: 1_152_000,
  modelled: [
    {
      name: "pollerStartupSeconds",
      value: 1,
      why: "Lambda does not document how long a new poller takes to start receiving",
    },
  ],
  notes: [
    "3 invocations were throttled at MaximumConcurrency 5 and retried after the visibility timeout.",
  ],
});

const advice = (property: string, line: number | null, message: string, fix: string) => ({
  ruleId: "esm-config" as const,
  severity: "warning" as const,
  resource: "Worker",
  property,
  message,
  fix,
  line,
});

export const OPTIMIZE_RESULT = EsmOptimizeResultSchema.parse({
  source: "template",
  origin: "template.yaml",
  maxAgeSeconds: 60,
  allowThrottles: false,
  mappings: [
    {
      id: "Worker/JobQueue",
      label: "Worker's SQS event JobQueue",
      eventSource: "sqs",
      function: "Worker",
      line: 19,
      traffic: { source: "rate", meanPerSecond: 300, peakPerSecond: 300, periodSeconds: 3_600 },
      duration: { overheadMs: 40, perRecordMs: 3, source: "--overhead-ms, --record-ms" },
      current: {
        BatchSize: 1,
        MaximumBatchingWindowInSeconds: null,
        "ScalingConfig.MaximumConcurrency": 5,
        VisibilityTimeout: 30,
      },
      recommended: {
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 1,
        "ScalingConfig.MaximumConcurrency": 5,
        VisibilityTimeout: 180,
      },
      predicted: {
        current: {
          ageP99Seconds: 1_800,
          maxAgeSeconds: 3_300,
          backlogEnd: 200_000,
          throttles: 0,
          concurrencyMax: 5,
          invocations: 880_000,
          periodUsd: 0.8,
          monthlyUsd: 584,
          meetsBound: false,
        },
        recommended: {
          ageP99Seconds: 1.2,
          maxAgeSeconds: 2.1,
          backlogEnd: 12,
          throttles: 0,
          concurrencyMax: 2,
          invocations: 21_600,
          periodUsd: 0.0242,
          monthlyUsd: 17.67,
          meetsBound: true,
        },
      },
      headroom: {
        trafficFactor: 1.25,
        ageP99Seconds: 1.4,
        backlogEnd: 15,
        oldestWaitingSeconds: 0.9,
        throttles: 0,
        meetsBound: true,
      },
      searched: 240,
      reasons: [
        "Today's settings fall behind: 5 concurrent batches of 1 record at 43 ms process 116 records/s of the 300 arriving, so the backlog grows without end.",
        "BatchSize 50 with a 1 s window spreads the 40 ms overhead over 50 records: 190 ms a batch, 263 records/s per concurrent batch.",
      ],
      advice: [
        advice(
          "FunctionResponseTypes",
          21,
          "A failed record makes Lambda retry its whole batch.",
          "Add ReportBatchItemFailures to FunctionResponseTypes.",
        ),
      ],
    },
    {
      id: "ClickMapping",
      label: "EventSourceMapping ClickMapping",
      eventSource: "kinesis",
      function: "ClickConsumer",
      line: 41,
      traffic: { source: "rate", meanPerSecond: 300, peakPerSecond: 300, periodSeconds: 3_600 },
      duration: { overheadMs: 40, perRecordMs: 3, source: "--overhead-ms, --record-ms" },
      current: { BatchSize: 500, MaximumBatchingWindowInSeconds: 0, ParallelizationFactor: 1 },
      recommended: null,
      predicted: {
        current: {
          ageP99Seconds: 95,
          maxAgeSeconds: 120,
          backlogEnd: 500,
          throttles: 0,
          concurrencyMax: 2,
          invocations: 2_400,
          periodUsd: 0.01,
          monthlyUsd: 7.3,
          meetsBound: false,
        },
        recommended: null,
      },
      headroom: null,
      searched: 90,
      reasons: [
        "No setting searched keeps the p99 age under 60 s: one shard cannot carry 300 records/s at 3 ms a record.",
      ],
      advice: [],
    },
  ],
  prices: { date: "2026-11-01", region: "us-east-1" },
  modelled: [
    {
      name: "pollersAtStart",
      value: 5,
      why: "AWS says Lambda starts with five pollers; how fast more start is not documented",
    },
  ],
  notes: [],
});
