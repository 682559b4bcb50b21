/**
 * iam-star-action (serverless-rules WS1003, widened): an IAM statement that
 * allows "*" or "service:*" grants far more than a function needs.
 */
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

const STAR_ACTION = /^(\*|[A-Za-z0-9-]+:\*)$/;

/** Where policy documents sit in each resource type: [path to a document, ...]. */
function policyDocuments(type: string, properties: Record<string, unknown>): TemplatePath[] {
  switch (type) {
    case "AWS::IAM::Role":
    case "AWS::IAM::User":
    case "AWS::IAM::Group": {
      const policies = Array.isArray(properties.Policies) ? properties.Policies : [];
      return policies.map((_, index) => ["Policies", index, "PolicyDocument"]);
    }
    case "AWS::IAM::Policy":
    case "AWS::IAM::ManagedPolicy":
    case "AWS::IAM::RolePolicy":
      return [["PolicyDocument"]];
    case "AWS::Serverless::Function":
    case "AWS::Serverless::StateMachine": {
      // SAM Policies: a name, a policy template, an inline document, or a list of them.
      const policies = properties.Policies;
      if (isPlainObject(policies)) return [["Policies"]];
      return Array.isArray(policies) ? policies.map((_, index) => ["Policies", index]) : [];
    }
    default:
      return [];
  }
}

function at(value: unknown, path: TemplatePath): unknown {
  let current = value;
  for (const step of path) {
    if (!isPlainObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export const iamStarAction: AuditRule = {
  meta: {
    id: "iam-star-action",
    severity: "warning",
    title: "IAM policy allowing every action of a service",
    rationale:
      'An Allow on "*" or "service:*" lets the function do far more than it needs: a bug or a compromised dependency can delete data, create resources that bill, or read secrets. serverless-rules WS1003.',
    fix: "List the actions the function uses (e.g. dynamodb:GetItem, dynamodb:Query), or use a SAM policy template such as DynamoDBReadPolicy.",
    docs: docsFor("iam-star-action"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    for (const resource of context.resources) {
      for (const documentPath of policyDocuments(resource.type, resource.properties)) {
        const document = at(resource.properties, documentPath);
        if (!isPlainObject(document)) continue;
        const statements = Array.isArray(document.Statement)
          ? document.Statement
          : isPlainObject(document.Statement)
            ? [document.Statement]
            : [];
        statements.forEach((statement, index) => {
          if (!isPlainObject(statement) || statement.Effect === "Deny") return;
          const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
          const star = actions.findIndex(
            (action) => typeof action === "string" && STAR_ACTION.test(action),
          );
          if (star < 0) return;
          const statementPath = Array.isArray(document.Statement)
            ? [...documentPath, "Statement", index]
            : [...documentPath, "Statement"];
          const actionPath = Array.isArray(statement.Action)
            ? [...statementPath, "Action", star]
            : [...statementPath, "Action"];
          findings.push({
            resource: resource.logicalId,
            path: ["Resources", resource.logicalId, "Properties", ...actionPath],
            message: `${resource.logicalId} allows the action "${String(actions[star])}": grant only the actions it uses.`,
          });
        });
      }
    }
    return findings;
  },
};
