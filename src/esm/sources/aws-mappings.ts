/**
 * `esm optimize --aws FUNCTION`: the deployed function's event source
 * mappings through the Lambda API (ListEventSourceMappings), its
 * configuration (GetFunctionConfiguration, GetFunctionConcurrency), and for an
 * SQS source the queue's attributes (VisibilityTimeout, RedrivePolicy,
 * MessageRetentionPeriod, FifoQueue). The guide's fixed advice is esm-config's
 * checks on each mapping's settings, which the Lambda API names as
 * CloudFormation does. A Kinesis stream's shards are not read (no Kinesis
 * client is a dependency): the `shards` option, else one, modelled.
 */
import {
  type EventSourceMappingConfiguration,
  type LambdaClient,
  ListEventSourceMappingsCommand,
} from "@aws-sdk/client-lambda";
import { checkEventSourceMappings } from "../../audit/esm-check.js";
import { parseArn } from "../../aws/arn.js";
import { UsageError } from "../../errors.js";
import {
  eventSourceService,
  functionConfigurationFacts,
  UnknownFunctionError,
} from "../../metrics/sources/aws-functions.js";
import type { OptionName } from "../../options.js";
import type { MappingModel } from "../simulation/scenario.js";
import type { ModelledFigure } from "../simulation/simulation-result.js";
import type { GivenFacts } from "./given-facts.js";
import {
  type FunctionFacts,
  type MappingFacts,
  MODELLED_SHARDS,
  mappingModelOf,
  QUEUE_DEFAULTS,
  type SourceFacts,
} from "./mapping-facts.js";
import type { QueueAttributes } from "./sqs-queue.js";

export interface AwsMappingsRequest {
  readonly functionName: string;
  readonly mapping?: string | undefined;
  readonly region: string;
  readonly given: GivenFacts;
}

export interface AwsClients {
  readonly lambda: Pick<LambdaClient, "send">;
  /** The queue's attributes, by its ARN; undefined when the queue cannot be read. */
  readonly queueAttributes: (arn: string) => Promise<QueueAttributes | undefined>;
}

export async function awsMappings(
  clients: AwsClients,
  request: AwsMappingsRequest,
  nameOf: OptionName,
): Promise<{ mappings: MappingFacts[]; skipped: string[]; functionName: string }> {
  let configuration: Awaited<ReturnType<typeof functionConfigurationFacts>>;
  try {
    configuration = await functionConfigurationFacts(clients.lambda, request.functionName, {
      region: request.region,
    });
  } catch (error) {
    if (error instanceof UnknownFunctionError) throw new UsageError(error.message);
    throw error;
  }
  const functionName = configuration.functionName;
  const fn: FunctionFacts = {
    name: functionName,
    memoryMb: request.given.memoryMb ?? configuration.memoryMb,
    architecture: request.given.architecture ?? configuration.architecture,
    timeoutSeconds: request.given.timeoutSeconds ?? configuration.timeoutSeconds,
    reservedConcurrency:
      request.given.reservedConcurrency ?? configuration.reservedConcurrency ?? undefined,
    ephemeralStorageMb: request.given.ephemeralStorageMb ?? configuration.ephemeralStorageMb,
  };
  let listed = await listMappings(clients.lambda, functionName);
  if (request.mapping !== undefined) {
    const wanted = request.mapping;
    const found = listed.filter((mapping) => mapping.UUID === wanted);
    if (found.length === 0)
      throw new UsageError(
        `${nameOf(["mapping"])} ${wanted} is not an event source mapping of ${functionName}: ${listed.length > 0 ? `expected one of ${listed.map((m) => m.UUID).join(", ")}` : "it has none"}`,
      );
    listed = found;
  }
  if (listed.length === 0)
    throw new UsageError(
      `${nameOf(["function"])} ${functionName} has no event source mapping: nothing to optimize`,
    );
  const mappings: MappingFacts[] = [];
  const skipped: string[] = [];
  for (const configured of listed) {
    const service = eventSourceService(
      configured.EventSourceArn,
      configured.SelfManagedEventSource,
    );
    const uuid = configured.UUID ?? "unknown";
    if (
      service !== "sqs" &&
      service !== "kinesis" &&
      service !== "dynamodb" &&
      service !== "kafka"
    ) {
      skipped.push(
        `mapping ${uuid} (${service}): its source is not SQS, Kinesis, DynamoDB Streams or Kafka, so it is not simulated`,
      );
      continue;
    }
    mappings.push(await mappingFacts(clients, configured, service, fn, request.given));
  }
  return { mappings, skipped, functionName };
}

async function listMappings(
  lambda: Pick<LambdaClient, "send">,
  functionName: string,
): Promise<EventSourceMappingConfiguration[]> {
  const mappings: EventSourceMappingConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker: marker }),
    );
    mappings.push(...(page.EventSourceMappings ?? []));
    marker = page.NextMarker || undefined;
  } while (marker);
  return mappings;
}

async function mappingFacts(
  clients: AwsClients,
  configured: EventSourceMappingConfiguration,
  kind: MappingModel["source"],
  fn: FunctionFacts,
  given: GivenFacts,
): Promise<MappingFacts> {
  const uuid = configured.UUID ?? "unknown";
  const arn = configured.EventSourceArn ?? "";
  const resourceName = parseArn(arn)?.resource ?? arn;
  const modelled: ModelledFigure[] = [];
  const notes: string[] = [];
  const properties = settingsOf(configured);
  const fifo = kind === "sqs" && arn.endsWith(".fifo");
  const check = checkEventSourceMappings({ settings: properties, eventSource: kind, fifo });
  const checked = check.mappings[0]!;
  const advice = checked.findings;
  const names: Record<string, string> = { functionName: fn.name ?? "" };
  if (configured.MetricsConfig?.Metrics?.includes("EventCount")) names.mappingUuid = uuid;
  let settings = checked.settings;
  let sourceFacts: SourceFacts = { shards: MODELLED_SHARDS, partitions: MODELLED_SHARDS };
  if (kind === "sqs") {
    const queue = await clients.queueAttributes(arn);
    if (queue === undefined)
      notes.push(
        `mapping ${uuid}: the queue ${resourceName} could not be read; its VisibilityTimeout (${QUEUE_DEFAULTS.visibilityTimeoutSeconds} s), retention and redrive policy are SQS's defaults`,
      );
    settings = { ...settings, fifo: fifo || (queue?.fifo ?? false) };
    sourceFacts = {
      ...sourceFacts,
      visibilityTimeoutSeconds: queue?.visibilityTimeoutSeconds,
      maxReceiveCount: queue?.maxReceiveCount,
      queueRetentionSeconds: queue?.retentionSeconds,
    };
    names.queueName = resourceName;
  } else if (kind === "kinesis" || kind === "dynamodb") {
    let shards = given.shards;
    if (shards === undefined) {
      shards = MODELLED_SHARDS;
      modelled.push({
        name: `${uuid}: shards`,
        value: shards,
        why:
          kind === "kinesis"
            ? "the stream's shards are not read (no Kinesis client): give shards"
            : "a DynamoDB stream's shards follow the table's partitions, which the Lambda API does not say: give shards",
      });
    }
    sourceFacts = { ...sourceFacts, shards };
    if (kind === "kinesis") names.streamName = resourceName.replace(/^stream\//, "");
    else {
      // table/NAME/stream/LABEL
      const parts = resourceName.split("/");
      if (parts[0] === "table" && parts[2] === "stream" && parts[1] && parts[3]) {
        names.tableName = parts[1];
        names.streamLabel = parts[3];
      }
    }
  } else {
    let partitions = given.partitions;
    if (partitions === undefined) {
      partitions = MODELLED_SHARDS;
      modelled.push({
        name: `${uuid}: partitions`,
        value: partitions,
        why: "the topic's partitions are not read from Kafka: give partitions",
      });
    }
    sourceFacts = {
      ...sourceFacts,
      partitions,
      pollers: configured.ProvisionedPollerConfig?.MinimumPollers,
    };
  }
  const mapping = mappingModelOf(kind, settings, sourceFacts);
  return {
    id: uuid,
    label: `event source mapping ${uuid} (${kind === "dynamodb" ? "DynamoDB stream" : kind === "sqs" ? "SQS queue" : kind === "kinesis" ? "Kinesis stream" : "Kafka topic"} ${resourceName})`,
    eventSource: kind,
    function: fn.name,
    line: null,
    mapping,
    fn,
    advice,
    names,
    modelled,
    notes,
  };
}

/** The mapping's settings as plain JSON, in the names esm-config's checks read (the Lambda API's, CloudFormation's). */
function settingsOf(configured: EventSourceMappingConfiguration): Record<string, never> {
  const settings: Record<string, unknown> = {
    BatchSize: configured.BatchSize,
    MaximumBatchingWindowInSeconds: configured.MaximumBatchingWindowInSeconds,
    ParallelizationFactor: configured.ParallelizationFactor,
    TumblingWindowInSeconds: configured.TumblingWindowInSeconds,
    MaximumRetryAttempts: configured.MaximumRetryAttempts,
    MaximumRecordAgeInSeconds: configured.MaximumRecordAgeInSeconds,
    BisectBatchOnFunctionError: configured.BisectBatchOnFunctionError,
    FunctionResponseTypes: configured.FunctionResponseTypes,
    EventSourceArn: configured.EventSourceArn,
    StartingPosition: configured.StartingPosition,
    ScalingConfig: configured.ScalingConfig,
    DestinationConfig: configured.DestinationConfig,
  };
  // Lambda answers ParallelizationFactor and the like for SQS too; esm-config refuses them there.
  if (eventSourceService(configured.EventSourceArn) === "sqs") {
    delete settings.ParallelizationFactor;
    delete settings.TumblingWindowInSeconds;
    delete settings.MaximumRetryAttempts;
    delete settings.MaximumRecordAgeInSeconds;
    delete settings.BisectBatchOnFunctionError;
  }
  return JSON.parse(JSON.stringify(settings));
}
