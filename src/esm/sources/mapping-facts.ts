/**
 * One event source mapping as the optimizer needs it, wherever it was read
 * (a template, or a deployed function through the Lambda API): who it is,
 * today's settings as the simulator's MappingModel, the function's facts,
 * the guide's fixed advice, the names CloudWatch knows its source by, and
 * every figure that was not read but assumed (modelled).
 */
import type { EsmFinding } from "../../audit/esm-check-report.js";
import type { Architecture } from "../../pricing/price-table.js";
import type { MappingModel } from "../simulation/scenario.js";
import type { ModelledFigure } from "../simulation/simulation-result.js";

/** The function behind a mapping, as read: what a Scenario's FunctionModel takes besides the duration. */
export interface FunctionFacts {
  /** The deployed function's name, or the template's logical id. */
  readonly name: string | null;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency: number | undefined;
  readonly ephemeralStorageMb: number;
}

/** What CloudWatch names the source and the function by (AWS/SQS QueueName, AWS/Kinesis StreamName, ...). */
export interface MetricNames {
  readonly functionName?: string;
  readonly queueName?: string;
  readonly streamName?: string;
  readonly tableName?: string;
  /** A DynamoDB stream's label: the last part of its ARN. */
  readonly streamLabel?: string;
}

export interface MappingFacts {
  readonly id: string;
  readonly label: string;
  readonly eventSource: MappingModel["source"];
  /** The function's logical id (template) or name (deployed). */
  readonly function: string | null;
  readonly line: number | null;
  readonly mapping: MappingModel;
  readonly fn: FunctionFacts;
  readonly advice: EsmFinding[];
  readonly names: MetricNames;
  readonly modelled: ModelledFigure[];
  readonly notes: string[];
}

/** Lambda's defaults for a mapping's settings (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html). */
export const MAPPING_DEFAULTS = {
  batchSize: { sqs: 10, kinesis: 100, dynamodb: 100, kafka: 100 },
  /** Seconds; Kafka's is 500 ms. */
  windowSeconds: { sqs: 0, kinesis: 0, dynamodb: 0, kafka: 0.5 },
  parallelizationFactor: 1,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
} as const;

/** SQS's queue defaults (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html). */
export const QUEUE_DEFAULTS = { visibilityTimeoutSeconds: 30, retentionSeconds: 345_600 } as const;

/** A Kinesis stream keeps records 24 hours unless told otherwise; a DynamoDB stream always 24 hours. */
export const STREAM_RETENTION_SECONDS = 86_400;

/** Shards (or partitions) when nothing says how many: one, modelled. */
export const MODELLED_SHARDS = 1;
