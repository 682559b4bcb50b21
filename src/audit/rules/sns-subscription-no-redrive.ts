/**
 * sns-subscription-no-redrive (serverless-rules ES7000): an SNS subscription
 * without a dead-letter queue loses the messages it cannot deliver.
 */
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { eventPath } from "./service-helpers.js";

export const snsSubscriptionNoRedrive: AuditRule = {
  meta: {
    id: "sns-subscription-no-redrive",
    severity: "error",
    title: "SNS subscription without a redrive policy",
    rationale:
      "When SNS cannot deliver a message to a subscriber (the function throttled, deleted or denied) it retries and then drops the message; a redrive policy keeps it in a dead-letter queue to replay. serverless-rules ES7000.",
    fix: "Set RedrivePolicy with deadLetterTargetArn (an SQS queue that allows SNS to send to it).",
    docs: docsFor("sns-subscription-no-redrive"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    for (const subscription of context.resourcesOfType("AWS::SNS::Subscription")) {
      if (subscription.properties.RedrivePolicy !== undefined) continue;
      findings.push({
        resource: subscription.logicalId,
        path: context.propertyPath(subscription.logicalId, ["RedrivePolicy"]),
        message: `SNS subscription ${subscription.logicalId} has no RedrivePolicy: messages SNS cannot deliver are dropped.`,
      });
    }
    // A SAM SNS event becomes an AWS::SNS::Subscription with the event's RedrivePolicy.
    for (const fn of context.functions) {
      for (const event of fn.events) {
        if (event.type !== "SNS" || event.properties.RedrivePolicy !== undefined) continue;
        findings.push({
          resource: fn.logicalId,
          path: [...eventPath(fn.logicalId, event.name), "Properties", "RedrivePolicy"],
          message: `${fn.logicalId}'s SNS event ${event.name} has no RedrivePolicy: messages SNS cannot deliver to the function are dropped.`,
        });
      }
    }
    return findings;
  },
};
