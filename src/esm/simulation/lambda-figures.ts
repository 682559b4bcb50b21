/**
 * Lambda's documented figures the simulator rests on, each with the page it
 * was read from (read 2026-12-03), and the figures it models where AWS
 * publishes none. docs/esm-model.md gives the same list in prose.
 */
export const SQS_SCALING_PAGE =
  "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html";
export const ESM_CONFIGURATION_PAGE =
  "https://docs.aws.amazon.com/lambda/latest/dg/API_EventSourceMappingConfiguration.html";
export const BATCHING_WINDOW_PAGE =
  "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html#lambda-CreateEventSourceMapping-request-MaximumBatchingWindowInSeconds";
export const KAFKA_LOW_LATENCY_PAGE =
  "https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-low-latency.html";
export const KAFKA_SCALING_PAGE =
  "https://docs.aws.amazon.com/lambda/latest/dg/kafka-scaling-modes.html";
export const KINESIS_PAGE = "https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html";
export const QUOTAS_PAGE =
  "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";

/** SQS standard: "Lambda starts processing five batches at a time with five concurrent invocations". */
export const SQS_INITIAL_BATCHES = 5;
/** SQS standard: "increases the number of processes that are reading batches by up to 300 more instances per minute". */
export const SQS_SCALE_UP_PER_MINUTE = 300;
/** SQS: "The maximum number of batches that an event source mapping can process simultaneously is 1,000" (older pages said 1,250). */
export const SQS_MAXIMUM_BATCHES = 1_000;
/** A batch's payload is at most the synchronous invocation limit, 6 MB (BatchSize, ESM_CONFIGURATION_PAGE). */
export const BATCH_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Kafka: the default batching window is 500 ms (MaximumBatchingWindowInSeconds). */
export const KAFKA_DEFAULT_WINDOW_SECONDS = 0.5;
/** Kafka provisioned mode: "an event poller ... allocates up to 5 MB/s throughput". */
export const KAFKA_POLLER_BYTES_PER_SECOND = 5 * 1024 * 1024;
/** Kafka provisioned mode: "Each event poller supports up to 5 concurrent Lambda invocations". */
export const KAFKA_POLLER_CONCURRENCY = 5;
/** Kinesis: Lambda polls each shard (standard iterator) once per second. */
export const KINESIS_POLL_SECONDS = 1;
/**
 * Kinesis: a shard serves at most 5 GetRecords calls a second, so a lane reads
 * at most every 0.2 s (modelled for ParallelizationFactor > 1: one read serves
 * the shard's lanes, each lane keeps the shard's pace).
 */
export const KINESIS_READ_GAP_SECONDS = 0.2;
export const KINESIS_LIMITS_PAGE =
  "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html";
/** The default account concurrency quota per Region, shared by unreserved functions. */
export const ACCOUNT_CONCURRENCY = 1_000;

/** Modelled: DynamoDB Streams shards polled 4 times a second (an AWS figure we could not re-read). */
export const DYNAMODB_POLL_SECONDS = 0.25;
/** Modelled: how often the SQS pollers re-evaluate their number (300 a minute = 5 a second). */
export const SQS_SCALING_TICK_SECONDS = 1;
/**
 * Modelled: with no batching window the SQS pollers receive this often (a
 * ReceiveMessage round trip; AWS publishes no figure). Without a step, every
 * record reaching an idle poller would be its own batch of 1.
 */
export const SQS_RECEIVE_SECONDS = 0.02;
/** Modelled: a poller whose batch was throttled waits this long before receiving again. */
export const THROTTLE_BACKOFF_SECONDS = 1;
