import { describe, expect, it } from "vitest";
import { dynamodbGsiProjectionAll } from "../../../src/audit/rules/dynamodb-gsi-projection-all.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

const table = (projection: string) => `Resources:
  Items:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      AttributeDefinitions:
        - { AttributeName: id, AttributeType: S }
        - { AttributeName: owner, AttributeType: S }
      GlobalSecondaryIndexes:
        - IndexName: byOwner
          KeySchema: [{ AttributeName: owner, KeyType: HASH }]
          Projection:
            ProjectionType: ${projection}
`;

describe("dynamodb-gsi-projection-all", () => {
  it("reports a GSI projecting ALL, at ProjectionType", () => {
    const yaml = table("ALL");
    expect(auditYaml(yaml, dynamodbGsiProjectionAll)).toMatchObject([
      {
        ruleId: "dynamodb-gsi-projection-all",
        severity: "info",
        resource: "Items",
        message:
          "Index byOwner of Items projects ALL attributes: every write to the table is written, and stored, in full again in the index.",
        line: lineOf(yaml, "ProjectionType:"),
      },
    ]);
  });

  it("does not report KEYS_ONLY or INCLUDE", () => {
    expect(auditYaml(table("KEYS_ONLY"), dynamodbGsiProjectionAll)).toEqual([]);
    expect(auditYaml(table("INCLUDE"), dynamodbGsiProjectionAll)).toEqual([]);
  });
});
