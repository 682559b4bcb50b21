/**
 * async-no-failure-destination: Lambda retries a failed asynchronous event
 * twice and then drops it; without an on-failure destination or a dead-letter
 * queue, the event is lost with no trace.
 */
import type { AuditContext, FunctionResource } from "../audit-context.js";
import { asynchronousTriggers, propertyAt, resourcesForFunction } from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

export const asyncNoFailureDestination: AuditRule = {
  meta: {
    id: "async-no-failure-destination",
    severity: "warning",
    title: "Asynchronously invoked function with no failure destination",
    rationale:
      "Lambda retries a failed asynchronous event twice, then discards it: without an on-failure destination or a dead-letter queue, the event is lost and the three billed attempts leave no trace to replay.",
    fix: "Add EventInvokeConfig.DestinationConfig.OnFailure (SAM) or an AWS::Lambda::EventInvokeConfig with DestinationConfig.OnFailure (an SQS queue, SNS topic, EventBridge bus or S3 bucket), or a DeadLetterQueue / DeadLetterConfig.",
    docs: docsFor("async-no-failure-destination"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      const triggers = asynchronousTriggers(context, fn);
      if (triggers.length === 0 || hasFailureHandling(context, fn)) return [];
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, ["EventInvokeConfig"]),
          message: `${fn.logicalId} is invoked asynchronously (${triggers.join(", ")}) with no on-failure destination or dead-letter queue: events that fail three times are dropped.`,
          fix:
            fn.flavour === "sam"
              ? "Add EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: SQS, Destination: <queue ARN>}}}, or DeadLetterQueue."
              : "Add an AWS::Lambda::EventInvokeConfig for the function with DestinationConfig.OnFailure.Destination, or DeadLetterConfig.TargetArn.",
        },
      ];
    });
  },
};

function hasFailureHandling(context: AuditContext, fn: FunctionResource): boolean {
  if (fn.properties.DeadLetterQueue !== undefined) return true;
  if (propertyAt(fn.properties, ["DeadLetterConfig", "TargetArn"]) !== undefined) return true;
  if (propertyAt(fn.properties, ["EventInvokeConfig", "DestinationConfig", "OnFailure"])) {
    return true;
  }
  return resourcesForFunction(context, fn, "AWS::Lambda::EventInvokeConfig").some(
    (config) =>
      propertyAt(config.properties, ["DestinationConfig", "OnFailure", "Destination"]) !==
      undefined,
  );
}
