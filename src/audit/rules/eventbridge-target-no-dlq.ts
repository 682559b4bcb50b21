/**
 * eventbridge-target-no-dlq (serverless-rules ES4000): an EventBridge target
 * without a dead-letter queue loses the events it fails to deliver.
 */
import { isPlainObject } from "../../plain-object.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { eventPath } from "./service-helpers.js";

/** SAM events that become an AWS::Events::Rule with the function as its target. */
const SAM_RULE_EVENTS = new Set(["EventBridgeRule", "CloudWatchEvent", "Schedule"]);

export const eventbridgeTargetNoDlq: AuditRule = {
  meta: {
    id: "eventbridge-target-no-dlq",
    severity: "error",
    title: "EventBridge rule target without a dead-letter queue",
    rationale:
      "When EventBridge cannot deliver an event to a target (throttling, a missing permission, a deleted function) it retries for up to 24 hours and then drops it; a DeadLetterConfig keeps it to replay. serverless-rules ES4000.",
    fix: "Give every target DeadLetterConfig.Arn (an SQS queue); on a SAM event, DeadLetterConfig with Arn or Type: SQS.",
    docs: docsFor("eventbridge-target-no-dlq"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    for (const rule of context.resourcesOfType("AWS::Events::Rule")) {
      const targets = Array.isArray(rule.properties.Targets) ? rule.properties.Targets : [];
      targets.forEach((target, index) => {
        if (!isPlainObject(target)) return;
        const deadLetter = target.DeadLetterConfig;
        if (isPlainObject(deadLetter) && deadLetter.Arn !== undefined) return;
        const id = typeof target.Id === "string" ? target.Id : `#${index + 1}`;
        findings.push({
          resource: rule.logicalId,
          path: ["Resources", rule.logicalId, "Properties", "Targets", index],
          message: `EventBridge rule ${rule.logicalId}: target ${id} has no DeadLetterConfig.Arn, so events it fails to deliver are dropped.`,
        });
      });
    }
    for (const fn of context.functions) {
      for (const event of fn.events) {
        if (!SAM_RULE_EVENTS.has(event.type)) continue;
        const deadLetter = event.properties.DeadLetterConfig;
        if (
          isPlainObject(deadLetter) &&
          (deadLetter.Arn !== undefined || deadLetter.Type !== undefined)
        ) {
          continue;
        }
        findings.push({
          resource: fn.logicalId,
          path: [...eventPath(fn.logicalId, event.name), "Properties", "DeadLetterConfig"],
          message: `${fn.logicalId}'s ${event.type} event ${event.name} has no DeadLetterConfig: events EventBridge fails to deliver to the function are dropped.`,
          fix: "Add DeadLetterConfig: { Type: SQS } (SAM creates the queue) or DeadLetterConfig.Arn.",
        });
      }
    }
    return findings;
  },
};
