/**
 * dynamodb-provisioned-no-autoscaling: provisioned capacity without Application
 * Auto Scaling is paid for at its peak around the clock, and throttles above it.
 */
import { isPlainObject } from "../../plain-object.js";
import { referencesResource } from "../../template/references.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { textOf } from "./service-helpers.js";

export const dynamodbProvisionedNoAutoscaling: AuditRule = {
  meta: {
    id: "dynamodb-provisioned-no-autoscaling",
    severity: "warning",
    title: "Provisioned DynamoDB table without auto scaling",
    rationale:
      "Fixed provisioned capacity bills every hour at the level set for the peak, and throttles requests (which Lambda then retries, billing again) when traffic goes above it. Auto scaling follows the load; on-demand billing removes the question.",
    fix: "Add an AWS::ApplicationAutoScaling::ScalableTarget and a TargetTrackingScaling policy for read and write capacity, or set BillingMode: PAY_PER_REQUEST.",
    docs: docsFor("dynamodb-provisioned-no-autoscaling"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    const targets = context
      .resourcesOfType("AWS::ApplicationAutoScaling::ScalableTarget")
      .filter((target) => target.properties.ServiceNamespace === "dynamodb");
    for (const table of context.resourcesOfType("AWS::DynamoDB::Table")) {
      const billing = table.properties.BillingMode;
      const provisioned =
        billing === "PROVISIONED" ||
        (billing === undefined && table.properties.ProvisionedThroughput !== undefined);
      if (!provisioned) continue;
      const name = table.properties.TableName;
      const scaled = targets.some(
        (target) =>
          referencesResource(target.properties.ResourceId, table.logicalId) ||
          (typeof name === "string" &&
            textOf(target.properties.ResourceId)?.startsWith(`table/${name}`)),
      );
      if (scaled) continue;
      findings.push({
        resource: table.logicalId,
        path: context.propertyPath(
          table.logicalId,
          billing === undefined ? ["ProvisionedThroughput"] : ["BillingMode"],
        ),
        message: `DynamoDB table ${table.logicalId} uses provisioned capacity with no Application Auto Scaling target: it pays for its fixed capacity every hour and throttles above it.`,
      });
    }
    // Global tables scale through their own settings, not a ScalableTarget.
    for (const table of context.resourcesOfType("AWS::DynamoDB::GlobalTable")) {
      if (table.properties.BillingMode !== "PROVISIONED") continue;
      const write = table.properties.WriteProvisionedThroughputSettings;
      if (isPlainObject(write) && write.WriteCapacityAutoScalingSettings !== undefined) continue;
      findings.push({
        resource: table.logicalId,
        path: context.propertyPath(table.logicalId, ["WriteProvisionedThroughputSettings"]),
        message: `DynamoDB global table ${table.logicalId} uses provisioned capacity without WriteCapacityAutoScalingSettings: it pays for its fixed capacity in every replica Region.`,
        fix: "Set WriteProvisionedThroughputSettings.WriteCapacityAutoScalingSettings (and the replicas' ReadCapacityAutoScalingSettings), or BillingMode: PAY_PER_REQUEST.",
      });
    }
    for (const table of context.resourcesOfType("AWS::Serverless::SimpleTable")) {
      if (table.properties.ProvisionedThroughput === undefined) continue;
      findings.push({
        resource: table.logicalId,
        path: context.propertyPath(table.logicalId, ["ProvisionedThroughput"]),
        message: `SimpleTable ${table.logicalId} has fixed ProvisionedThroughput, which SimpleTable cannot auto scale.`,
        fix: "Remove ProvisionedThroughput (on-demand), or use AWS::DynamoDB::Table with an auto scaling target.",
      });
    }
    return findings;
  },
};
