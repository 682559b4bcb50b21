/**
 * reserved-concurrency: a function fed by a source that can scale without
 * bound (a queue, S3, SNS, EventBridge) can take the whole account's
 * concurrency in a burst, throttling every other function, and flood what it
 * calls downstream.
 */
import { parseArn } from "../../aws/arn.js";
import { isPlainObject } from "../../plain-object.js";
import { referencedResource } from "../../template/references.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import {
  asynchronousTriggers,
  eventsOfType,
  propertyAt,
  resourcesForFunction,
} from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

export const reservedConcurrency: AuditRule = {
  meta: {
    id: "reserved-concurrency",
    severity: "info",
    title: "No reserved concurrency on a function fed by an unbounded source",
    rationale:
      "A burst on a queue, bucket, topic or event bus scales the function up to the account's concurrency limit: other functions are throttled and the databases and APIs it calls are flooded.",
    fix: "Set ReservedConcurrentExecutions to what the function and its downstream can take (for SQS, ScalingConfig.MaximumConcurrency on the event source is the gentler cap).",
    docs: docsFor("reserved-concurrency"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      if (fn.properties.ReservedConcurrentExecutions !== undefined) return [];
      const sources = unboundedSources(context, fn);
      if (sources.length === 0) return [];
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, ["ReservedConcurrentExecutions"]),
          message: `${fn.logicalId} is fed by ${sources.join(", ")} and has no ReservedConcurrentExecutions: a burst can use the account's whole concurrency and flood what it calls.`,
        },
      ];
    });
  },
};

/**
 * Sources whose concurrency nothing bounds. Streams (Kinesis, DynamoDB) and
 * Kafka are bounded by their shards or partitions; an SQS source with
 * ScalingConfig.MaximumConcurrency is bounded by it.
 */
function unboundedSources(context: AuditContext, fn: FunctionResource): string[] {
  const sources = asynchronousTriggers(context, fn);
  for (const event of eventsOfType(fn, new Set(["SQS"]))) {
    if (propertyAt(event.properties, ["ScalingConfig", "MaximumConcurrency"]) === undefined) {
      sources.push(`SQS event ${event.name}`);
    }
  }
  for (const mapping of resourcesForFunction(context, fn, "AWS::Lambda::EventSourceMapping")) {
    if (!isSqsSource(context, mapping.properties.EventSourceArn)) continue;
    if (propertyAt(mapping.properties, ["ScalingConfig", "MaximumConcurrency"]) === undefined) {
      sources.push(`SQS event source mapping ${mapping.logicalId}`);
    }
  }
  return sources;
}

function isSqsSource(context: AuditContext, arn: unknown): boolean {
  if (typeof arn === "string") return parseArn(arn)?.service === "sqs";
  const target = referencedResource(arn);
  if (target !== undefined) return context.resource(target)?.type === "AWS::SQS::Queue";
  return isPlainObject(arn) && JSON.stringify(arn).includes(":sqs:");
}
