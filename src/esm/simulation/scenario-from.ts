/**
 * From settled settings to a Scenario, purely: Lambda's and the sources' own
 * defaults for what is unset (mapping-defaults.ts), and the checks the options
 * schema cannot make alone. The optimizer calls scenarioFrom per candidate
 * with the arrivals, duration and prices it read once.
 */
import { UsageError } from "../../errors.js";
import { fieldName, invalidOption, type OptionName } from "../../options.js";
import type { Prices } from "../../pricing/price-table.js";
import { KAFKA_DEFAULT_WINDOW_SECONDS } from "./lambda-figures.js";
import {
  MINIMUM_RECORD_AGE_SECONDS,
  OTHER_DEFAULT_BATCH_SIZE,
  SQS_BATCH_WITHOUT_WINDOW,
  SQS_DEFAULT_BATCH_SIZE,
  SQS_DEFAULT_RETENTION_SECONDS,
  SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  SQS_FIFO_MAXIMUM_BATCH_SIZE,
  STREAM_DEFAULT_RETENTION_SECONDS,
} from "./mapping-defaults.js";
import type { ArrivalRates, MappingModel, Scenario } from "./scenario.js";
import type { EsmSimulateOptions } from "./simulate-options.js";

/** How long a batch of n records takes: `overheadMs + perRecordMs × n`, and where that came from. */
export interface BatchDuration {
  readonly overheadMs: number;
  readonly perRecordMs: number;
  /** "options", "tune result FILE at 1024 MB", "REPORT lines (N invocations)". */
  readonly source: string;
}

/** The settled options a Scenario needs beyond arrivals, duration and prices (EsmSimulateOptions has them all). */
export type ScenarioSettings = Pick<
  EsmSimulateOptions,
  | "source"
  | "batchSize"
  | "windowSeconds"
  | "maxConcurrency"
  | "fifo"
  | "messageGroups"
  | "visibilityTimeoutSeconds"
  | "maxReceiveCount"
  | "reportBatchItemFailures"
  | "shards"
  | "parallelization"
  | "tumblingWindowSeconds"
  | "maximumRetryAttempts"
  | "bisectOnError"
  | "maximumRecordAgeSeconds"
  | "partitions"
  | "pollers"
  | "errorRate"
  | "reservedConcurrency"
  | "timeoutSeconds"
  | "memoryMb"
  | "architecture"
  | "ephemeralStorageMb"
  | "recordBytes"
  | "seed"
  | "maxEvents"
>;

/** Points in a result's timeline. */
export const TIMELINE_POINTS = 240;

/** Settings each source does not have: given for it, they are refused rather than ignored. */
const NOT_FOR: Record<EsmSimulateOptions["source"], readonly (keyof ScenarioSettings)[]> = {
  sqs: [
    "shards",
    "parallelization",
    "tumblingWindowSeconds",
    "maximumRetryAttempts",
    "bisectOnError",
    "maximumRecordAgeSeconds",
    "partitions",
    "pollers",
  ],
  kinesis: [
    "maxConcurrency",
    "fifo",
    "messageGroups",
    "visibilityTimeoutSeconds",
    "maxReceiveCount",
    "partitions",
    "pollers",
  ],
  dynamodb: [
    "maxConcurrency",
    "fifo",
    "messageGroups",
    "visibilityTimeoutSeconds",
    "maxReceiveCount",
    "partitions",
    "pollers",
  ],
  kafka: [
    "maxConcurrency",
    "fifo",
    "messageGroups",
    "visibilityTimeoutSeconds",
    "maxReceiveCount",
    "shards",
    "parallelization",
    "tumblingWindowSeconds",
    "maximumRetryAttempts",
    "bisectOnError",
    "maximumRecordAgeSeconds",
    "reportBatchItemFailures",
  ],
};

/**
 * The Scenario for settled settings: Lambda's and the source's defaults for
 * what is unset (mapping-defaults.ts). Pure: the optimizer calls it per
 * candidate with the arrivals, duration and prices it read once.
 */
export function scenarioFrom(
  settings: ScenarioSettings,
  arrivals: ArrivalRates,
  duration: BatchDuration,
  prices: Prices,
): Scenario {
  return {
    mapping: mappingFrom(settings),
    function: {
      overheadMs: duration.overheadMs,
      perRecordMs: duration.perRecordMs,
      errorRate: settings.errorRate,
      reservedConcurrency: settings.reservedConcurrency,
      timeoutSeconds: settings.timeoutSeconds,
      memoryMb: settings.memoryMb,
      architecture: settings.architecture,
      ephemeralStorageMb: settings.ephemeralStorageMb ?? 512,
    },
    arrivals,
    recordBytes: settings.recordBytes,
    seed: settings.seed,
    maxEvents: settings.maxEvents,
    prices,
    timelinePoints: TIMELINE_POINTS,
  };
}

function mappingFrom(settings: ScenarioSettings): MappingModel {
  switch (settings.source) {
    case "sqs":
      return {
        source: "sqs",
        fifo: settings.fifo ?? false,
        messageGroups: settings.messageGroups ?? 1,
        batchSize: settings.batchSize ?? SQS_DEFAULT_BATCH_SIZE,
        windowSeconds: settings.windowSeconds ?? 0,
        maximumConcurrency: settings.maxConcurrency,
        visibilityTimeoutSeconds:
          settings.visibilityTimeoutSeconds ?? SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
        maxReceiveCount: settings.maxReceiveCount,
        retentionSeconds: SQS_DEFAULT_RETENTION_SECONDS,
        reportBatchItemFailures: settings.reportBatchItemFailures ?? false,
      };
    case "kafka":
      return {
        source: "kafka",
        partitions: settings.partitions ?? 1,
        pollers: settings.pollers,
        batchSize: settings.batchSize ?? OTHER_DEFAULT_BATCH_SIZE,
        windowSeconds: settings.windowSeconds ?? KAFKA_DEFAULT_WINDOW_SECONDS,
      };
    default:
      return {
        source: settings.source,
        shards: settings.shards ?? 1,
        parallelizationFactor: settings.parallelization ?? 1,
        batchSize: settings.batchSize ?? OTHER_DEFAULT_BATCH_SIZE,
        windowSeconds: settings.windowSeconds ?? 0,
        tumblingWindowSeconds: settings.tumblingWindowSeconds ?? 0,
        maximumRetryAttempts: settings.maximumRetryAttempts ?? -1,
        bisectBatchOnFunctionError: settings.bisectOnError ?? false,
        maximumRecordAgeSeconds: settings.maximumRecordAgeSeconds ?? -1,
        retentionSeconds: STREAM_DEFAULT_RETENTION_SECONDS,
        reportBatchItemFailures: settings.reportBatchItemFailures ?? false,
      };
  }
}

/** What the schema cannot check alone: settings the source lacks, and the settings that depend on each other. */
export function checkSettings(options: ScenarioSettings, nameOf: OptionName = fieldName): void {
  for (const key of NOT_FOR[options.source])
    if (options[key] !== undefined)
      throw new UsageError(
        `${nameOf([key])} does not apply to ${nameOf(["source"])} ${options.source}`,
      );
  if (options.source === "sqs") {
    if (options.messageGroups !== undefined && options.fifo !== true)
      throw new UsageError(
        `${nameOf(["messageGroups"])} applies to a FIFO queue: give ${nameOf(["fifo"])} too`,
      );
    const batchSize = options.batchSize ?? SQS_DEFAULT_BATCH_SIZE;
    if (options.fifo === true && batchSize > SQS_FIFO_MAXIMUM_BATCH_SIZE)
      throw invalidOption(
        nameOf(["batchSize"]),
        batchSize,
        `expected a whole number from 1 to ${SQS_FIFO_MAXIMUM_BATCH_SIZE} for a FIFO queue`,
      );
    if (batchSize > SQS_BATCH_WITHOUT_WINDOW && (options.windowSeconds ?? 0) < 1)
      throw invalidOption(
        nameOf(["batchSize"]),
        batchSize,
        `expected at most ${SQS_BATCH_WITHOUT_WINDOW} without ${nameOf(["windowSeconds"])} of at least 1 (Lambda requires a batching window for larger SQS batches)`,
      );
  }
  const age = options.maximumRecordAgeSeconds;
  if (age !== undefined && age !== -1 && age < MINIMUM_RECORD_AGE_SECONDS)
    throw invalidOption(
      nameOf(["maximumRecordAgeSeconds"]),
      age,
      `expected -1 (no limit) or a whole number of seconds from ${MINIMUM_RECORD_AGE_SECONDS} to 604,800`,
    );
}
