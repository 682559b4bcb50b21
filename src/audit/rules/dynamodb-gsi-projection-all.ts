/**
 * dynamodb-gsi-projection-all: a GSI projecting ALL copies every attribute of
 * every item: every write is paid for again in the index, and stored twice.
 */
import { isPlainObject } from "../../plain-object.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

export const dynamodbGsiProjectionAll: AuditRule = {
  meta: {
    id: "dynamodb-gsi-projection-all",
    severity: "info",
    title: "DynamoDB global secondary index projecting ALL attributes",
    rationale:
      "A GSI with ProjectionType ALL stores a full copy of each item and consumes write capacity for the whole item on every write that touches it: writes and storage for that index cost as much as the table's. Projecting only what its queries read costs less.",
    fix: "Use ProjectionType KEYS_ONLY or INCLUDE with the NonKeyAttributes the index's queries read.",
    docs: docsFor("dynamodb-gsi-projection-all"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    const tables = [
      ...context.resourcesOfType("AWS::DynamoDB::Table"),
      ...context.resourcesOfType("AWS::DynamoDB::GlobalTable"),
    ];
    for (const table of tables) {
      const indexes = table.properties.GlobalSecondaryIndexes;
      if (!Array.isArray(indexes)) continue;
      indexes.forEach((index, position) => {
        if (!isPlainObject(index) || !isPlainObject(index.Projection)) return;
        if (index.Projection.ProjectionType !== "ALL") return;
        findings.push({
          resource: table.logicalId,
          path: [
            "Resources",
            table.logicalId,
            "Properties",
            "GlobalSecondaryIndexes",
            position,
            "Projection",
            "ProjectionType",
          ],
          message: `Index ${String(index.IndexName ?? position)} of ${table.logicalId} projects ALL attributes: every write to the table is written, and stored, in full again in the index.`,
        });
      });
    }
    return findings;
  },
};
