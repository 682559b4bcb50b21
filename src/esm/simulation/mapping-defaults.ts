/**
 * Lambda's and the sources' own defaults, applied when a setting is not given
 * (docs/esm-model.md cites each):
 *  - BatchSize: 10 for SQS, 100 for every other source (EventSourceMappingConfiguration);
 *  - MaximumBatchingWindowInSeconds: 0 for SQS and streams, 500 ms for Kafka;
 *  - ParallelizationFactor 1, MaximumRetryAttempts −1 and MaximumRecordAgeInSeconds −1
 *    (until the record expires);
 *  - an SQS queue's VisibilityTimeout 30 s and MessageRetentionPeriod 4 days;
 *  - a Kinesis stream's and a DynamoDB stream's retention 24 hours.
 */
export const SQS_DEFAULT_BATCH_SIZE = 10;
export const OTHER_DEFAULT_BATCH_SIZE = 100;
export const SQS_FIFO_MAXIMUM_BATCH_SIZE = 10;
/** BatchSize above this needs a batching window of at least 1 s on SQS. */
export const SQS_BATCH_WITHOUT_WINDOW = 10;
export const SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
export const SQS_DEFAULT_RETENTION_SECONDS = 4 * 24 * 3600;
export const STREAM_DEFAULT_RETENTION_SECONDS = 24 * 3600;
/** MaximumRecordAgeInSeconds: −1, or 60 to 604,800. */
export const MINIMUM_RECORD_AGE_SECONDS = 60;

export const SQS_QUEUE_PAGE =
  "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html";
export const KINESIS_RETENTION_PAGE =
  "https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html";
export const DYNAMODB_STREAMS_PAGE =
  "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html";
