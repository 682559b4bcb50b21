/**
 * esm-config: event source mapping settings that CloudFormation or Lambda
 * reject (errors), and ones that make a batch source retry, block or lose
 * records (warnings). Read from AWS::Lambda::EventSourceMapping and from SAM's
 * SQS, Kinesis and DynamoDB events.
 */
import { functionNameOf, parseArn } from "../../aws/arn.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { referencedResource } from "../../template/references.js";
import type { AuditContext, FunctionResource, TemplateResource } from "../audit-context.js";
import { numberOf } from "../function-facts.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { checkMappingSettings, type MappingSettings, type SourceKind } from "./esm-settings.js";
import { eventPath, isTrue, textOf } from "./service-helpers.js";

/** An event source mapping of the template: an AWS::Lambda::EventSourceMapping, or a SAM function's SQS, Kinesis or DynamoDB event. */
export interface EventSourceMapping extends MappingSettings {
  /** The ESM's logical id, or the SAM function's. */
  readonly resource: string;
  /** How messages name it: "EventSourceMapping X" or "Fn's SQS event E". */
  readonly label: string;
  /** Path to the properties map in the template. */
  readonly base: TemplatePath;
  readonly fn: FunctionResource | undefined;
  /** The queue resource, for an SQS source declared in the template. */
  readonly queue: TemplateResource | undefined;
  /** The SAM event's name; undefined for an AWS::Lambda::EventSourceMapping. */
  readonly event?: string;
}

const KIND_OF_TYPE: Record<string, SourceKind> = {
  "AWS::SQS::Queue": "sqs",
  "AWS::Kinesis::Stream": "kinesis",
  "AWS::Kinesis::StreamConsumer": "kinesis",
  "AWS::DynamoDB::Table": "dynamodb",
  "AWS::DynamoDB::GlobalTable": "dynamodb",
};

const SAM_KIND: Record<string, SourceKind> = {
  SQS: "sqs",
  Kinesis: "kinesis",
  DynamoDB: "dynamodb",
};
const SAM_SOURCE_PROPERTY: Record<string, string> = {
  SQS: "Queue",
  Kinesis: "Stream",
  DynamoDB: "Stream",
};

function kindOfArn(context: AuditContext, arn: unknown): SourceKind {
  const target = referencedResource(arn);
  const resource = target ? context.resource(target) : undefined;
  if (resource) return KIND_OF_TYPE[resource.type] ?? "other";
  const text = textOf(arn) ?? "";
  const service = parseArn(text)?.service;
  return service === "sqs" || service === "kinesis" || service === "dynamodb" || service === "kafka"
    ? service
    : "other";
}

function queueFacts(context: AuditContext, arn: unknown) {
  const target = referencedResource(arn);
  const queue = target ? context.resource(target) : undefined;
  const sqsQueue = queue?.type === "AWS::SQS::Queue" ? queue : undefined;
  const name = sqsQueue ? textOf(sqsQueue.properties.QueueName) : textOf(arn);
  const fifo = isTrue(sqsQueue?.properties.FifoQueue) || (name?.endsWith(".fifo") ?? false);
  return { queue: sqsQueue, fifo };
}

function functionNamed(context: AuditContext, value: unknown): FunctionResource | undefined {
  const target = referencedResource(value);
  if (target) return context.functions.find((fn) => fn.logicalId === target);
  const text = textOf(value);
  if (text === undefined) return undefined;
  const name = functionNameOf(text);
  return context.functions.find((fn) => fn.properties.FunctionName === name);
}

/** Every event source mapping in the template, in the order written: mapping resources, then SAM events. */
export function eventSourceMappings(context: AuditContext): EventSourceMapping[] {
  const sources: EventSourceMapping[] = [];
  for (const mapping of context.resourcesOfType("AWS::Lambda::EventSourceMapping")) {
    const arn = mapping.properties.EventSourceArn;
    const kind = kindOfArn(context, arn);
    sources.push({
      resource: mapping.logicalId,
      label: `EventSourceMapping ${mapping.logicalId}`,
      kind,
      properties: mapping.properties,
      base: ["Resources", mapping.logicalId, "Properties"],
      fn: functionNamed(context, mapping.properties.FunctionName),
      ...(kind === "sqs" ? queueFacts(context, arn) : { queue: undefined, fifo: false }),
    });
  }
  for (const fn of context.functions) {
    for (const event of fn.events) {
      const kind = SAM_KIND[event.type];
      if (!kind) continue;
      const source = event.properties[SAM_SOURCE_PROPERTY[event.type]!];
      sources.push({
        resource: fn.logicalId,
        label: `${fn.logicalId}'s ${event.type} event ${event.name}`,
        event: event.name,
        kind,
        properties: event.properties,
        base: [...eventPath(fn.logicalId, event.name), "Properties"],
        fn,
        ...(kind === "sqs" ? queueFacts(context, source) : { queue: undefined, fifo: false }),
      });
    }
  }
  return sources;
}

/** What is wrong with one source's own settings, at their lines in the template, named by the source. */
function sourceFindings(source: EventSourceMapping): RuleFinding[] {
  return checkMappingSettings(source).map((finding) => ({
    resource: source.resource,
    path: [...source.base, ...finding.property],
    message: `${source.label}: ${finding.message}`,
    fix: finding.fix,
    severity: finding.severity,
  }));
}

/** A queue whose visibility timeout is under six times the function's timeout. */
export function visibilityFinding(
  context: AuditContext,
  source: EventSourceMapping,
): RuleFinding | undefined {
  if (source.kind !== "sqs" || !source.queue || !source.fn) return undefined;
  const written = source.queue.properties.VisibilityTimeout;
  const visibility = written === undefined ? 30 : numberOf(written);
  const timeoutValue = source.fn.properties.Timeout;
  const timeout = timeoutValue === undefined ? 3 : numberOf(timeoutValue);
  if (visibility === undefined || timeout === undefined || visibility >= 6 * timeout)
    return undefined;
  return {
    resource: source.queue.logicalId,
    path: context.propertyPath(source.queue.logicalId, ["VisibilityTimeout"]),
    severity: "warning",
    message: `Queue ${source.queue.logicalId}'s VisibilityTimeout is ${visibility} s${written === undefined ? " (the default)" : ""}, under 6× the ${timeout} s Timeout of ${source.fn.logicalId}: messages still being processed become visible again and are processed, and billed, twice.`,
    fix: `Set VisibilityTimeout to at least ${6 * timeout} s (6× the function's Timeout, plus MaximumBatchingWindowInSeconds).`,
  };
}

export const esmConfig: AuditRule = {
  meta: {
    id: "esm-config",
    severity: "error",
    title: "Event source mapping settings that fail to deploy, retry work or lose records",
    rationale:
      "Out-of-range batch settings fail the deployment; without partial batch responses one bad record retries the whole batch, paying again for the rest; a short queue visibility timeout processes messages twice; a stream without an on-failure destination blocks a shard and then loses the record.",
    fix: "Keep BatchSize, MaximumBatchingWindowInSeconds and MaximumConcurrency within their limits, report batch item failures, give stream sources an on-failure destination, and set the queue's VisibilityTimeout to at least 6× the function's Timeout.",
    docs: docsFor("esm-config"),
  },
  check(context) {
    const sources = eventSourceMappings(context);
    const findings = sources.flatMap(sourceFindings);
    const seen = new Set<string>();
    for (const source of sources) {
      const finding = visibilityFinding(context, source);
      if (!finding) continue;
      const key = `${source.queue!.logicalId}/${source.fn!.logicalId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding);
    }
    return findings;
  },
};
