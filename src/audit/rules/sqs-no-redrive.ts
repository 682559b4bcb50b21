/**
 * sqs-no-redrive (serverless-rules ES6000): a queue without a redrive policy
 * retries a poison message until it expires, invoking its consumer each time.
 */
import { isPlainObject } from "../../plain-object.js";
import { referencesResource } from "../../template/references.js";
import { type AuditRule, docsFor } from "../rule.js";

/** Properties through which a queue serves as a dead-letter queue or failure destination. */
const DLQ_KEYS = new Set(["RedrivePolicy", "DeadLetterConfig", "DeadLetterQueue", "OnFailure"]);

function deadLetterValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(deadLetterValues);
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    DLQ_KEYS.has(key) ? [item] : deadLetterValues(item),
  );
}

export const sqsNoRedrive: AuditRule = {
  meta: {
    id: "sqs-no-redrive",
    severity: "error",
    title: "SQS queue without a redrive policy",
    rationale:
      "Without a RedrivePolicy a message that always fails is received again and again until its retention period ends (4 days by default): every attempt is a billed Lambda invocation, and the batch it sits in is retried with it. serverless-rules ES6000.",
    fix: "Add RedrivePolicy with deadLetterTargetArn (a dead-letter queue) and a maxReceiveCount.",
    docs: docsFor("sqs-no-redrive"),
  },
  check(context) {
    const deadLetterTargets = context.resources.flatMap((resource) =>
      deadLetterValues(resource.properties),
    );
    return (
      context
        .resourcesOfType("AWS::SQS::Queue")
        .filter((queue) => queue.properties.RedrivePolicy === undefined)
        // A queue that is itself a dead-letter queue or failure destination needs none.
        .filter(
          (queue) =>
            !deadLetterTargets.some((target) => referencesResource(target, queue.logicalId)),
        )
        .map((queue) => ({
          resource: queue.logicalId,
          path: context.propertyPath(queue.logicalId, ["RedrivePolicy"]),
          message: `SQS queue ${queue.logicalId} has no RedrivePolicy: a message that always fails is retried, and billed, until it expires.`,
        }))
    );
  },
};
