/**
 * What the simulator runs: one event source mapping, the records that arrive,
 * and the function that processes them, every value settled (no defaults,
 * no files). runSimulation takes it and nothing else, so the optimizer can
 * run thousands of them without I/O. simulateEventSourceMapping builds it
 * from the options (flags, a profile file, a tune result, REPORT lines).
 */
import type { Architecture, Prices } from "../../pricing/price-table.js";

/** How records arrive: a rate per fixed step, and how they are spaced within it. */
export interface ArrivalRates {
  /** Records per second in each step; the simulation lasts `perSecond.length × stepSeconds`. */
  readonly perSecond: ArrayLike<number>;
  readonly stepSeconds: number;
  /** constant: evenly spaced at the step's rate; poisson: exponential gaps drawn from the seed. */
  readonly process: "constant" | "poisson";
}

/** An SQS queue (standard or FIFO) polled by Lambda. */
export interface SqsMapping {
  readonly source: "sqs";
  readonly fifo: boolean;
  /** FIFO: message groups the records spread over evenly (a group's batches run one at a time, in order). */
  readonly messageGroups: number;
  readonly batchSize: number;
  /** MaximumBatchingWindowInSeconds. */
  readonly windowSeconds: number;
  /** ScalingConfig.MaximumConcurrency; undefined when unset (the pollers' own scaling limits). */
  readonly maximumConcurrency: number | undefined;
  /** The queue's VisibilityTimeout: a failed or throttled batch is received again after it. */
  readonly visibilityTimeoutSeconds: number;
  /** The redrive policy's maxReceiveCount; undefined for no dead-letter queue (retried until the retention ends). */
  readonly maxReceiveCount: number | undefined;
  /** The queue's MessageRetentionPeriod. */
  readonly retentionSeconds: number;
  /** FunctionResponseTypes has ReportBatchItemFailures: only the failed records return to the queue. */
  readonly reportBatchItemFailures: boolean;
}

/** A Kinesis stream or a DynamoDB stream. */
export interface StreamMapping {
  readonly source: "kinesis" | "dynamodb";
  readonly shards: number;
  /** ParallelizationFactor: concurrent batches per shard, order kept per partition key. */
  readonly parallelizationFactor: number;
  readonly batchSize: number;
  readonly windowSeconds: number;
  /** TumblingWindowInSeconds; 0 for none. */
  readonly tumblingWindowSeconds: number;
  /** MaximumRetryAttempts; -1 retries until the record expires. */
  readonly maximumRetryAttempts: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** MaximumRecordAgeInSeconds; -1 for none (the stream's retention). */
  readonly maximumRecordAgeSeconds: number;
  /** The stream's retention: 24 hours for DynamoDB, 24 hours to 365 days for Kinesis. */
  readonly retentionSeconds: number;
  readonly reportBatchItemFailures: boolean;
}

/** A Kafka topic (Amazon MSK or self-managed). */
export interface KafkaMapping {
  readonly source: "kafka";
  readonly partitions: number;
  /** Provisioned mode: the pollers kept (each serves whole partitions); undefined for on-demand mode. */
  readonly pollers: number | undefined;
  readonly batchSize: number;
  readonly windowSeconds: number;
}

export type MappingModel = SqsMapping | StreamMapping | KafkaMapping;

/** The function behind the mapping: how long a batch takes and what it costs. */
export interface FunctionModel {
  /** A batch of n records takes `overheadMs + perRecordMs × n`. */
  readonly overheadMs: number;
  readonly perRecordMs: number;
  /** The share of batches (or, with ReportBatchItemFailures, of records) that fail. */
  readonly errorRate: number;
  /** Reserved concurrency; undefined for the account's unreserved pool. */
  readonly reservedConcurrency: number | undefined;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly ephemeralStorageMb: number;
}

export interface Scenario {
  readonly mapping: MappingModel;
  readonly function: FunctionModel;
  readonly arrivals: ArrivalRates;
  readonly recordBytes: number;
  readonly seed: number;
  /** The most events the run may take: past it the run stops with a clear error, never hangs. */
  readonly maxEvents: number;
  /** The region's prices, for the function's cost. */
  readonly prices: Prices;
  /** Points in the result's timeline (the run is thinned to this many). */
  readonly timelinePoints: number;
}
