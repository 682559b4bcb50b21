/**
 * How each source feeds the common engine (mapping-engine.ts): its lanes
 * (ordered sub-streams of records), how many batches may run at once, how it
 * polls, and what happens to a failed batch. One place per source, so the
 * differences between SQS, streams and Kafka read side by side.
 */
import {
  ACCOUNT_CONCURRENCY,
  BATCH_PAYLOAD_BYTES,
  DYNAMODB_POLL_SECONDS,
  KAFKA_POLLER_BYTES_PER_SECOND,
  KAFKA_POLLER_CONCURRENCY,
  KINESIS_POLL_SECONDS,
  KINESIS_READ_GAP_SECONDS,
  SQS_INITIAL_BATCHES,
  SQS_MAXIMUM_BATCHES,
  SQS_RECEIVE_SECONDS,
} from "./lambda-figures.js";
import type { Scenario } from "./scenario.js";

export interface EngineModel {
  /** Ordered sub-streams the arrivals split evenly over. */
  readonly lanes: number;
  /** A lane runs one batch at a time (streams, Kafka partitions, FIFO message groups). */
  readonly sequential: boolean;
  /** Lanes share pollers: lane → group, and a group's concurrent batches are capped. */
  readonly groups: number;
  readonly groupOf: (lane: number) => number;
  /** The cap per group at the start (SQS standard scales it; see scaling). */
  readonly groupCap: number;
  /** SQS standard: the pollers start at groupCap and scale up to this. */
  readonly scaling: { readonly ceiling: number; readonly perTick: number } | undefined;
  /** 0: records are seen as they arrive (long polling); else the poll interval of an idle lane. */
  readonly pollSeconds: number;
  /** SQS: a batch short of full waits for the next receive (pollSeconds grid) instead of leaving at once. */
  readonly partialOnPoll: boolean;
  /** Kinesis: a lane reads at most once per this many seconds (GetRecords' 5 reads a second per shard). */
  readonly minReadGapSeconds: number;
  readonly windowSeconds: number;
  /** BatchSize, lowered to what fits in the 6 MB payload. */
  readonly batchMax: number;
  readonly tumblingSeconds: number;
  /**
   * A failed batch: "queue" returns its records to the queue after the visibility timeout
   * (SQS standard); "lane" retries it at the head of its lane after `retryDelaySeconds`
   * (streams and Kafka at once, SQS FIFO after the visibility timeout), blocking the lane.
   */
  readonly failure: "queue" | "lane";
  readonly retryDelaySeconds: number;
  /** Receives (first try included) after which a failed record is given up; Infinity for never. */
  readonly receiveLimit: number;
  readonly bisect: boolean;
  readonly reportBatchItemFailures: boolean;
  /** Records older than this are discarded instead of processed (retention, MaximumRecordAgeInSeconds). */
  readonly maxAgeSeconds: number;
  /** A throttled batch counts as a receive (SQS) or is simply retried (streams, Kafka). */
  readonly throttleCountsAsReceive: boolean;
  /** Kafka provisioned mode: bytes per second each poller (group) reads; Infinity otherwise. */
  readonly groupBytesPerSecond: number;
  /** Concurrency the function may use: reserved, else the account's default quota. */
  readonly concurrencyLimit: number;
}

export function engineModel(scenario: Scenario): EngineModel {
  const mapping = scenario.mapping;
  const fn = scenario.function;
  const batchMax = Math.max(
    1,
    Math.min(mapping.batchSize, Math.floor(BATCH_PAYLOAD_BYTES / scenario.recordBytes)),
  );
  const concurrencyLimit = fn.reservedConcurrency ?? ACCOUNT_CONCURRENCY;
  if (mapping.source === "sqs") {
    const ceiling = Math.min(
      SQS_MAXIMUM_BATCHES,
      mapping.maximumConcurrency ?? SQS_MAXIMUM_BATCHES,
    );
    const lanes = mapping.fifo ? mapping.messageGroups : 1;
    return {
      lanes,
      sequential: mapping.fifo,
      groups: 1,
      groupOf: () => 0,
      groupCap: mapping.fifo ? ceiling : Math.min(SQS_INITIAL_BATCHES, ceiling),
      scaling: mapping.fifo ? undefined : { ceiling, perTick: 5 },
      pollSeconds: SQS_RECEIVE_SECONDS,
      partialOnPoll: true,
      minReadGapSeconds: 0,
      windowSeconds: mapping.windowSeconds,
      batchMax,
      tumblingSeconds: 0,
      failure: mapping.fifo ? "lane" : "queue",
      retryDelaySeconds: mapping.visibilityTimeoutSeconds,
      receiveLimit: mapping.maxReceiveCount ?? Number.POSITIVE_INFINITY,
      bisect: false,
      reportBatchItemFailures: mapping.reportBatchItemFailures,
      maxAgeSeconds: mapping.retentionSeconds,
      throttleCountsAsReceive: true,
      groupBytesPerSecond: Number.POSITIVE_INFINITY,
      concurrencyLimit,
    };
  }
  if (mapping.source === "kafka") {
    const pollers = mapping.pollers;
    return {
      lanes: mapping.partitions,
      sequential: true,
      groups: pollers ?? 1,
      groupOf: pollers === undefined ? () => 0 : (lane) => lane % pollers,
      groupCap: pollers === undefined ? mapping.partitions : KAFKA_POLLER_CONCURRENCY,
      scaling: undefined,
      pollSeconds: 0,
      partialOnPoll: false,
      minReadGapSeconds: 0,
      windowSeconds: mapping.windowSeconds,
      batchMax,
      tumblingSeconds: 0,
      failure: "lane",
      retryDelaySeconds: 0,
      receiveLimit: Number.POSITIVE_INFINITY,
      bisect: false,
      reportBatchItemFailures: false,
      maxAgeSeconds: Number.POSITIVE_INFINITY,
      throttleCountsAsReceive: false,
      groupBytesPerSecond:
        pollers === undefined ? Number.POSITIVE_INFINITY : KAFKA_POLLER_BYTES_PER_SECOND,
      concurrencyLimit,
    };
  }
  const lanes = mapping.shards * mapping.parallelizationFactor;
  return {
    lanes,
    sequential: true,
    groups: 1,
    groupOf: () => 0,
    groupCap: lanes,
    scaling: undefined,
    pollSeconds: mapping.source === "kinesis" ? KINESIS_POLL_SECONDS : DYNAMODB_POLL_SECONDS,
    partialOnPoll: false,
    minReadGapSeconds: mapping.source === "kinesis" ? KINESIS_READ_GAP_SECONDS : 0,
    windowSeconds: mapping.windowSeconds,
    batchMax,
    tumblingSeconds: mapping.tumblingWindowSeconds,
    failure: "lane",
    retryDelaySeconds: 0,
    receiveLimit:
      mapping.maximumRetryAttempts < 0
        ? Number.POSITIVE_INFINITY
        : mapping.maximumRetryAttempts + 1,
    bisect: mapping.bisectBatchOnFunctionError,
    reportBatchItemFailures: mapping.reportBatchItemFailures,
    maxAgeSeconds: Math.min(
      mapping.retentionSeconds,
      mapping.maximumRecordAgeSeconds < 0
        ? Number.POSITIVE_INFINITY
        : mapping.maximumRecordAgeSeconds,
    ),
    throttleCountsAsReceive: false,
    groupBytesPerSecond: Number.POSITIVE_INFINITY,
    concurrencyLimit,
  };
}
