/**
 * One event source mapping as the optimizer needs it, wherever it was read
 * (a template, or a deployed function through the Lambda API): who it is,
 * today's settings as the simulator's MappingModel, the function's facts,
 * the guide's fixed advice, the names CloudWatch knows its source by, and
 * every figure that was not read but assumed (modelled).
 */
import type { EsmFinding, EsmMappingCheck } from "../../audit/esm-check-report.js";
import type { Architecture } from "../../pricing/price-table.js";
import { KAFKA_DEFAULT_WINDOW_SECONDS } from "../simulation/lambda-figures.js";
import {
  OTHER_DEFAULT_BATCH_SIZE,
  SQS_DEFAULT_BATCH_SIZE,
  SQS_DEFAULT_RETENTION_SECONDS,
  SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  STREAM_DEFAULT_RETENTION_SECONDS,
} from "../simulation/mapping-defaults.js";
import type { MappingModel } from "../simulation/scenario.js";
import type { ModelledFigure } from "../simulation/simulation-result.js";

type MappingSettings = EsmMappingCheck["settings"];

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
  /**
   * The deployed mapping's UUID, when it publishes its event counts (MetricsConfig EventCount):
   * AWS/Lambda PolledEventCount by EventSourceMappingUUID counts this mapping's records alone.
   */
  readonly mappingUuid?: string;
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

/**
 * Lambda's defaults for a mapping's settings and the sources' own, as the
 * simulator applies them (src/esm/simulation/mapping-defaults.ts cites each),
 * keyed the way the optimizer reads them.
 */
export const MAPPING_DEFAULTS = {
  batchSize: {
    sqs: SQS_DEFAULT_BATCH_SIZE,
    kinesis: OTHER_DEFAULT_BATCH_SIZE,
    dynamodb: OTHER_DEFAULT_BATCH_SIZE,
    kafka: OTHER_DEFAULT_BATCH_SIZE,
  },
  windowSeconds: { sqs: 0, kinesis: 0, dynamodb: 0, kafka: KAFKA_DEFAULT_WINDOW_SECONDS },
  parallelizationFactor: 1,
  maximumRetryAttempts: -1,
  maximumRecordAgeSeconds: -1,
} as const;

export const QUEUE_DEFAULTS = {
  visibilityTimeoutSeconds: SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  retentionSeconds: SQS_DEFAULT_RETENTION_SECONDS,
} as const;

/** A Kinesis stream keeps records 24 hours unless told otherwise; a DynamoDB stream always 24 hours. */
export const STREAM_RETENTION_SECONDS = STREAM_DEFAULT_RETENTION_SECONDS;

/** Shards (or partitions) when nothing says how many: one, modelled. */
export const MODELLED_SHARDS = 1;

/**
 * What the mapping's source and its readers say beside the mapping's own settings: the queue's
 * attributes, the stream's retention, the shards or partitions (already settled by the caller,
 * which says how), Kafka's provisioned pollers. Unset where nothing says: the defaults apply.
 */
export interface SourceFacts {
  readonly visibilityTimeoutSeconds?: number | undefined;
  readonly maxReceiveCount?: number | undefined;
  readonly queueRetentionSeconds?: number | undefined;
  readonly streamRetentionSeconds?: number | undefined;
  readonly shards: number;
  readonly partitions: number;
  readonly pollers?: number | undefined;
}

/**
 * The simulator's MappingModel from a mapping's settings as esm-config reads them (one reading
 * for a template's mappings, a deployed one's and settings given) and its source's facts, with
 * Lambda's and the services' defaults for what neither says.
 */
export function mappingModelOf(
  kind: MappingModel["source"],
  settings: MappingSettings,
  source: SourceFacts,
): MappingModel {
  const batchSize = settings.batchSize ?? MAPPING_DEFAULTS.batchSize[kind];
  const windowSeconds =
    settings.maximumBatchingWindowInSeconds ?? MAPPING_DEFAULTS.windowSeconds[kind];
  const reportBatchItemFailures =
    settings.functionResponseTypes.includes("ReportBatchItemFailures");
  if (kind === "sqs")
    return {
      source: "sqs",
      fifo: settings.fifo,
      messageGroups: 1,
      batchSize,
      windowSeconds,
      maximumConcurrency: settings.maximumConcurrency ?? undefined,
      visibilityTimeoutSeconds:
        source.visibilityTimeoutSeconds ?? QUEUE_DEFAULTS.visibilityTimeoutSeconds,
      maxReceiveCount: source.maxReceiveCount,
      retentionSeconds: source.queueRetentionSeconds ?? QUEUE_DEFAULTS.retentionSeconds,
      reportBatchItemFailures,
    };
  if (kind === "kinesis" || kind === "dynamodb")
    return {
      source: kind,
      shards: source.shards,
      parallelizationFactor:
        settings.parallelizationFactor ?? MAPPING_DEFAULTS.parallelizationFactor,
      batchSize,
      windowSeconds,
      tumblingWindowSeconds: settings.tumblingWindowInSeconds ?? 0,
      maximumRetryAttempts: settings.maximumRetryAttempts ?? MAPPING_DEFAULTS.maximumRetryAttempts,
      bisectBatchOnFunctionError: settings.bisectBatchOnFunctionError ?? false,
      maximumRecordAgeSeconds:
        settings.maximumRecordAgeInSeconds ?? MAPPING_DEFAULTS.maximumRecordAgeSeconds,
      retentionSeconds: source.streamRetentionSeconds ?? STREAM_RETENTION_SECONDS,
      reportBatchItemFailures,
    };
  return {
    source: "kafka",
    partitions: source.partitions,
    pollers: source.pollers,
    batchSize,
    windowSeconds,
  };
}
