/**
 * `esm optimize --template T`: the template's event source mappings with
 * what the simulator needs beside their own settings. The mappings, their
 * settings and the guide's fixed advice are esm-config's
 * (checkEventSourceMappings, one reading for audit and the optimizer); the
 * rest is read from the resources they point at: the queue's
 * VisibilityTimeout, RedrivePolicy maxReceiveCount, MessageRetentionPeriod
 * and FifoQueue, a Kinesis stream's ShardCount and RetentionPeriodHours, and
 * the function's MemorySize, Architectures, Timeout,
 * ReservedConcurrentExecutions and EphemeralStorage. What the template does
 * not say (a value behind an intrinsic, a queue declared elsewhere) takes
 * Lambda's or the service's default, or is modelled, and says so.
 */
import { resolve } from "node:path";
import { AuditContext, type TemplateResource } from "../../audit/audit-context.js";
import { checkEventSourceMappings } from "../../audit/esm-check.js";
import type { EsmMappingCheck } from "../../audit/esm-check-report.js";
import { numberOf, propertyAt } from "../../audit/function-facts.js";
import { type EventSourceMapping, eventSourceMappings } from "../../audit/rules/esm-config.js";
import { textOf } from "../../audit/rules/service-helpers.js";
import { DEFAULTS } from "../../lambda/limits.js";
import type { OptionName } from "../../options.js";
import { isPlainObject } from "../../plain-object.js";
import { isArchitecture } from "../../pricing/price-table.js";
import { parseTemplate } from "../../template/parse-template.js";
import { referencedResource } from "../../template/references.js";
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

export interface TemplateMappingsRequest {
  /** The template, resolved against the caller's folder. */
  readonly template: string;
  readonly function?: string | undefined;
  readonly mapping?: string | undefined;
  readonly given: GivenFacts;
}

export interface TemplateMappings {
  readonly mappings: MappingFacts[];
  /** Mappings that cannot be optimized (an Amazon MQ or DocumentDB source), said in a sentence each. */
  readonly skipped: string[];
}

/** Throws a UsageError (a TemplateError for the file) naming the option as `nameOf` does. */
export function templateMappings(
  request: TemplateMappingsRequest,
  nameOf: OptionName,
): TemplateMappings {
  const report = checkEventSourceMappings(
    {
      template: request.template,
      ...(request.function !== undefined ? { function: request.function } : {}),
      ...(request.mapping !== undefined ? { mapping: request.mapping } : {}),
    },
    nameOf,
  );
  const context = new AuditContext(parseTemplate(resolve(request.template)));
  const raw = new Map(eventSourceMappings(context).map((mapping) => [idOf(mapping), mapping]));
  const mappings: MappingFacts[] = [];
  const skipped: string[] = [];
  for (const checked of report.mappings) {
    const source = raw.get(checked.id);
    if (checked.eventSource === "other" || source === undefined) {
      skipped.push(
        `${checked.label}: its source is not SQS, Kinesis, DynamoDB Streams or Kafka, so it is not simulated`,
      );
      continue;
    }
    mappings.push(mappingFacts(context, checked, source, request.given));
  }
  return { mappings, skipped };
}

function mappingFacts(
  context: AuditContext,
  checked: EsmMappingCheck,
  source: EventSourceMapping,
  given: GivenFacts,
): MappingFacts {
  const modelled: ModelledFigure[] = [];
  const notes: string[] = [];
  const kind = checked.eventSource as MappingModel["source"];
  const settings = checked.settings;
  const names: { queueName?: string; streamName?: string; tableName?: string } = {};
  let sourceFacts: SourceFacts = { shards: MODELLED_SHARDS, partitions: MODELLED_SHARDS };
  if (kind === "sqs") {
    const queue = source.queue?.properties;
    if (source.queue === undefined)
      notes.push(
        `${checked.label}: its queue is not declared in the template; its VisibilityTimeout (${QUEUE_DEFAULTS.visibilityTimeoutSeconds} s), retention and redrive policy are SQS's defaults`,
      );
    sourceFacts = {
      ...sourceFacts,
      visibilityTimeoutSeconds: numberOf(queue?.VisibilityTimeout),
      maxReceiveCount: numberOf(propertyAt(queue?.RedrivePolicy, ["maxReceiveCount"])),
      queueRetentionSeconds: numberOf(queue?.MessageRetentionPeriod),
    };
    if (settings.fifo)
      modelled.push({
        name: `${checked.id}: messageGroups`,
        value: 1,
        why: "a FIFO queue's message groups are not in the template: one group, so its batches run one at a time",
      });
    const queueName = textOf(queue?.QueueName);
    if (queueName !== undefined) names.queueName = queueName;
  } else if (kind === "kinesis" || kind === "dynamodb") {
    const stream = kind === "kinesis" ? kinesisStream(context, source) : undefined;
    let shards = given.shards ?? numberOf(stream?.properties.ShardCount);
    if (shards === undefined) {
      shards = MODELLED_SHARDS;
      modelled.push({
        name: `${checked.id}: shards`,
        value: shards,
        why:
          kind === "dynamodb"
            ? "a DynamoDB stream's shards follow the table's partitions, which no template says: give shards"
            : "the stream's ShardCount is not in the template (an on-demand stream, or one declared elsewhere): give shards",
      });
    }
    const retentionHours = numberOf(stream?.properties.RetentionPeriodHours);
    sourceFacts = {
      ...sourceFacts,
      shards,
      streamRetentionSeconds: retentionHours !== undefined ? retentionHours * 3600 : undefined,
    };
    const streamName = textOf(stream?.properties.Name);
    if (streamName !== undefined) names.streamName = streamName;
    const table = kind === "dynamodb" ? sourceResource(context, source) : undefined;
    const tableName = textOf(table?.properties.TableName);
    if (tableName !== undefined) names.tableName = tableName;
  } else {
    let partitions = given.partitions;
    if (partitions === undefined) {
      partitions = MODELLED_SHARDS;
      modelled.push({
        name: `${checked.id}: partitions`,
        value: partitions,
        why: "the topic's partitions are not in the template: give partitions",
      });
    }
    sourceFacts = {
      ...sourceFacts,
      partitions,
      pollers: numberOf(
        propertyAt(source.properties, ["ProvisionedPollerConfig", "MinimumPollers"]),
      ),
    };
  }
  const mapping = mappingModelOf(kind, settings, sourceFacts);
  const fn = functionFacts(source, given, checked.id, modelled);
  return {
    id: checked.id,
    label: checked.label,
    eventSource: kind,
    function: checked.function,
    line: checked.line,
    mapping,
    fn,
    advice: checked.findings,
    names: { ...names, ...(fn.name !== null ? { functionName: fn.name } : {}) },
    modelled,
    notes,
  };
}

/** The function's facts: the options first, then the template's literals, then Lambda's defaults. */
function functionFacts(
  source: EventSourceMapping,
  given: GivenFacts,
  id: string,
  modelled: ModelledFigure[],
): FunctionFacts {
  const properties = source.fn?.properties ?? {};
  const fallback = <T extends number | string>(name: string, value: T, why: string): T => {
    modelled.push({ name: `${id}: ${name}`, value, why });
    return value;
  };
  const architectures = properties.Architectures;
  const written = Array.isArray(architectures) ? architectures.at(-1) : undefined;
  const architecture =
    given.architecture ??
    (typeof written === "string" && isArchitecture(written)
      ? written
      : fallback("Architectures", DEFAULTS.architecture, "not in the template: Lambda's default"));
  const storage = isPlainObject(properties.EphemeralStorage)
    ? numberOf(properties.EphemeralStorage.Size)
    : undefined;
  return {
    name: textOf(properties.FunctionName) ?? source.fn?.logicalId ?? null,
    memoryMb:
      given.memoryMb ??
      numberOf(properties.MemorySize) ??
      fallback("MemorySize", DEFAULTS.memoryMb, "not in the template: Lambda's default"),
    architecture,
    timeoutSeconds:
      given.timeoutSeconds ??
      numberOf(properties.Timeout) ??
      fallback("Timeout", DEFAULTS.timeoutSeconds, "not in the template: Lambda's default"),
    reservedConcurrency:
      given.reservedConcurrency ?? numberOf(properties.ReservedConcurrentExecutions),
    ephemeralStorageMb: given.ephemeralStorageMb ?? storage ?? DEFAULTS.ephemeralStorageMb,
  };
}

/** The resource the mapping's source names (EventSourceArn, or the SAM event's Queue/Stream). */
function sourceResource(
  context: AuditContext,
  source: EventSourceMapping,
): TemplateResource | undefined {
  const value =
    source.event === undefined
      ? source.properties.EventSourceArn
      : (source.properties.Stream ?? source.properties.Queue);
  const target = referencedResource(value);
  return target === undefined ? undefined : context.resource(target);
}

/** The Kinesis stream, through a stream consumer (enhanced fan-out) when the mapping reads one. */
function kinesisStream(
  context: AuditContext,
  source: EventSourceMapping,
): TemplateResource | undefined {
  let resource = sourceResource(context, source);
  if (resource?.type === "AWS::Kinesis::StreamConsumer") {
    const target = referencedResource(resource.properties.StreamARN);
    resource = target === undefined ? undefined : context.resource(target);
  }
  return resource?.type === "AWS::Kinesis::Stream" ? resource : undefined;
}

/** checkEventSourceMappings' id: the mapping's logical id, or "Function/Event" for a SAM event. */
function idOf(mapping: EventSourceMapping): string {
  return mapping.event === undefined ? mapping.resource : `${mapping.resource}/${mapping.event}`;
}
