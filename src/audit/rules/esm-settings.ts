/**
 * The checks of esm-config on one event source mapping's own settings, as
 * plain data: the properties of an AWS::Lambda::EventSourceMapping or of a SAM
 * SQS/Kinesis/DynamoDB event, or the same fields as the Lambda API's
 * CreateEventSourceMapping takes them (they share their names: BatchSize,
 * ScalingConfig.MaximumConcurrency, DestinationConfig.OnFailure...). The
 * esm-config rule runs them on templates; esm_optimize on settings an agent
 * gives. One implementation, so both say the same.
 */
import { isPlainObject } from "../../plain-object.js";
import { referencedResource } from "../../template/references.js";
import { numberOf } from "../function-facts.js";
import type { Severity } from "../rule.js";
import { isTrue, textOf } from "./service-helpers.js";

/** What feeds the mapping: the checks differ for queues and streams; Kafka and the rest get the range checks only. */
export type SourceKind = "sqs" | "kinesis" | "dynamodb" | "kafka" | "other";

export const KIND_NAME: Record<SourceKind, string> = {
  sqs: "SQS",
  kinesis: "Kinesis",
  dynamodb: "DynamoDB Streams",
  kafka: "Kafka",
  other: "event source",
};

export interface MappingSettings {
  readonly kind: SourceKind;
  /** An SQS FIFO queue (FifoQueue: true, or a name ending .fifo): batches of at most 10. */
  readonly fifo: boolean;
  /** The mapping's properties, in CloudFormation's and the Lambda API's names. */
  readonly properties: Record<string, unknown>;
}

/** A mistake in the settings: the property to change (a path inside the properties), why, and how. */
export interface SettingFinding {
  readonly property: readonly string[];
  readonly severity: Extract<Severity, "error" | "warning">;
  readonly message: string;
  readonly fix: string;
}

/** What is wrong with one mapping's own settings (the queue's visibility timeout is the rule's, from the template). */
export function checkMappingSettings(settings: MappingSettings): SettingFinding[] {
  const findings: SettingFinding[] = [];
  const { kind, fifo, properties: p } = settings;
  const report =
    (severity: SettingFinding["severity"]) =>
    (property: readonly string[], message: string, fix: string) =>
      findings.push({ property, severity, message, fix });
  const error = report("error");
  const warning = report("warning");

  const batchSize = numberOf(p.BatchSize);
  const window = numberOf(p.MaximumBatchingWindowInSeconds);
  if (batchSize !== undefined && (batchSize < 1 || batchSize > 10_000)) {
    error(
      ["BatchSize"],
      `BatchSize ${batchSize} is outside 1–10,000; the deployment fails.`,
      "Set BatchSize between 1 and 10,000 (1–10 on a FIFO queue).",
    );
  }
  if (kind === "sqs" && batchSize !== undefined && batchSize > 10) {
    if (fifo) {
      error(
        ["BatchSize"],
        `BatchSize ${batchSize} on a FIFO queue, whose maximum is 10; the deployment fails.`,
        "Set BatchSize to 10 or less.",
      );
    } else if (window === undefined || window < 1) {
      error(
        [window === undefined ? "BatchSize" : "MaximumBatchingWindowInSeconds"],
        `SQS BatchSize ${batchSize} needs MaximumBatchingWindowInSeconds of at least 1; CloudFormation rejects it without.`,
        "Set MaximumBatchingWindowInSeconds to 1 or more (or BatchSize to 10 or less).",
      );
    }
  }
  if (kind === "sqs") {
    for (const property of ["ParallelizationFactor", "TumblingWindowInSeconds"]) {
      if (p[property] !== undefined) {
        error(
          [property],
          `${property} applies to Kinesis and DynamoDB streams only, not SQS; the deployment fails.`,
          `Remove ${property}; for SQS throughput use ScalingConfig.MaximumConcurrency and BatchSize.`,
        );
      }
    }
  }
  if (window !== undefined && window > 300) {
    error(
      ["MaximumBatchingWindowInSeconds"],
      `MaximumBatchingWindowInSeconds ${window} is above the maximum of 300; the deployment fails.`,
      "Set MaximumBatchingWindowInSeconds to 300 or less.",
    );
  }
  const scaling = isPlainObject(p.ScalingConfig) ? p.ScalingConfig : undefined;
  const maximumConcurrency = numberOf(scaling?.MaximumConcurrency);
  if (maximumConcurrency !== undefined && (maximumConcurrency < 2 || maximumConcurrency > 1000)) {
    error(
      ["ScalingConfig", "MaximumConcurrency"],
      `ScalingConfig.MaximumConcurrency ${maximumConcurrency} is outside 2–1,000; the deployment fails.`,
      "Set MaximumConcurrency between 2 and 1,000.",
    );
  }
  if (kind === "other" || kind === "kafka") return findings;

  const responseTypes = Array.isArray(p.FunctionResponseTypes) ? p.FunctionResponseTypes : [];
  if (!responseTypes.includes("ReportBatchItemFailures")) {
    warning(
      ["FunctionResponseTypes"],
      `no FunctionResponseTypes: [ReportBatchItemFailures], so one failed record makes the whole batch retry${kind === "sqs" ? "" : " (and blocks the shard until it succeeds or expires)"}, paying again for the records that succeeded.`,
      "Set FunctionResponseTypes: [ReportBatchItemFailures] and return batchItemFailures from the handler (Powertools' batch utility does it).",
    );
  }
  if (kind === "kinesis" || kind === "dynamodb") {
    const onFailure = onFailureOf(p);
    if (onFailure?.Destination === undefined && onFailure?.Type === undefined) {
      warning(
        ["DestinationConfig"],
        `no DestinationConfig.OnFailure: a record that keeps failing is retried until it expires from the ${KIND_NAME[kind]} stream (blocking its shard), then lost.`,
        "Set DestinationConfig.OnFailure.Destination to an SQS queue, SNS topic or S3 bucket, with MaximumRetryAttempts and BisectBatchOnFunctionError.",
      );
    }
  }
  return findings;
}

/** The settings that shape a mapping's batches, throughput and failures, as written (null: not set, Lambda's default applies). */
export interface MappingSettingsRead {
  readonly batchSize: number | null;
  readonly maximumBatchingWindowInSeconds: number | null;
  readonly maximumConcurrency: number | null;
  readonly parallelizationFactor: number | null;
  readonly tumblingWindowInSeconds: number | null;
  readonly maximumRetryAttempts: number | null;
  readonly maximumRecordAgeInSeconds: number | null;
  readonly bisectBatchOnFunctionError: boolean | null;
  readonly functionResponseTypes: string[];
  /** The on-failure destination: an ARN, or the logical id of the resource the template refers to. */
  readonly onFailureDestination: string | null;
  readonly startingPosition: string | null;
  readonly filterCriteria: boolean;
  readonly fifo: boolean;
}

export function readMappingSettings(settings: MappingSettings): MappingSettingsRead {
  const p = settings.properties;
  const number = (value: unknown) => numberOf(value) ?? null;
  const scaling = isPlainObject(p.ScalingConfig) ? p.ScalingConfig : undefined;
  const destination = onFailureOf(p)?.Destination;
  return {
    batchSize: number(p.BatchSize),
    maximumBatchingWindowInSeconds: number(p.MaximumBatchingWindowInSeconds),
    maximumConcurrency: number(scaling?.MaximumConcurrency),
    parallelizationFactor: number(p.ParallelizationFactor),
    tumblingWindowInSeconds: number(p.TumblingWindowInSeconds),
    maximumRetryAttempts: number(p.MaximumRetryAttempts),
    maximumRecordAgeInSeconds: number(p.MaximumRecordAgeInSeconds),
    bisectBatchOnFunctionError:
      p.BisectBatchOnFunctionError === undefined ? null : isTrue(p.BisectBatchOnFunctionError),
    functionResponseTypes: Array.isArray(p.FunctionResponseTypes)
      ? p.FunctionResponseTypes.filter((type): type is string => typeof type === "string")
      : [],
    onFailureDestination:
      destination === undefined
        ? null
        : (referencedResource(destination) ?? textOf(destination) ?? null),
    startingPosition: textOf(p.StartingPosition) ?? null,
    filterCriteria: p.FilterCriteria !== undefined,
    fifo: settings.fifo,
  };
}

function onFailureOf(properties: Record<string, unknown>): Record<string, unknown> | undefined {
  const destination = isPlainObject(properties.DestinationConfig)
    ? properties.DestinationConfig
    : undefined;
  return isPlainObject(destination?.OnFailure) ? destination.OnFailure : undefined;
}
