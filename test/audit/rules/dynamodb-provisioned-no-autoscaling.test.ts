import { describe, expect, it } from "vitest";
import { dynamodbProvisionedNoAutoscaling } from "../../../src/audit/rules/dynamodb-provisioned-no-autoscaling.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

const TABLE = `Resources:
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PROVISIONED
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }
`;

describe("dynamodb-provisioned-no-autoscaling", () => {
  it("reports a PROVISIONED table with no scalable target, at BillingMode", () => {
    expect(auditYaml(TABLE, dynamodbProvisionedNoAutoscaling)).toMatchObject([
      {
        ruleId: "dynamodb-provisioned-no-autoscaling",
        severity: "warning",
        resource: "Items",
        message:
          "DynamoDB table Items uses provisioned capacity with no Application Auto Scaling target: it pays for its fixed capacity every hour and throttles above it.",
        line: lineOf(TABLE, "BillingMode:"),
      },
    ]);
  });

  it("reports a table with ProvisionedThroughput and no BillingMode, at ProvisionedThroughput", () => {
    const yaml = TABLE.replace("      BillingMode: PROVISIONED\n", "");
    expect(auditYaml(yaml, dynamodbProvisionedNoAutoscaling)).toMatchObject([
      {
        resource: "Items",
        message:
          "DynamoDB table Items uses provisioned capacity with no Application Auto Scaling target: it pays for its fixed capacity every hour and throttles above it.",
        line: lineOf(yaml, "ProvisionedThroughput:"),
      },
    ]);
  });

  it("does not report a table with a scalable target, nor an on-demand table", () => {
    const scaled = `${TABLE}  ReadTarget:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: dynamodb
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      ResourceId: !Sub table/\${Items}
      MinCapacity: 5
      MaxCapacity: 100
`;
    expect(auditYaml(scaled, dynamodbProvisionedNoAutoscaling)).toEqual([]);
    const onDemand = TABLE.replace("PROVISIONED", "PAY_PER_REQUEST").replace(
      "      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }\n",
      "",
    );
    expect(auditYaml(onDemand, dynamodbProvisionedNoAutoscaling)).toEqual([]);
  });
});
