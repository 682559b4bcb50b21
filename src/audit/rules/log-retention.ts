/**
 * log-retention: Lambda creates /aws/lambda/<name> on first log with
 * retention "Never expire", so a function's logs are stored, and billed,
 * forever unless the template declares the group with RetentionInDays.
 *
 * A retention that is set is judged only when the user says the stacks are
 * for development (the stage option): the guide keeps development logs about
 * 7–30 days, and a template does not say which stage it deploys to.
 */
import { isPlainObject } from "../../plain-object.js";
import { referencedResource } from "../../template/references.js";
import type { AuditContext, FunctionResource, TemplateResource } from "../audit-context.js";
import { numberOf, propertyAt } from "../function-facts.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

const LOG_GROUP = "AWS::Logs::LogGroup";
/** The top of the guide's "about 7–30 days in development". */
export const DEVELOPMENT_RETENTION_DAYS = 30;

export const logRetention: AuditRule = {
  meta: {
    id: "log-retention",
    severity: "warning",
    title: "Function logs kept forever",
    rationale:
      "Without a log group declared with RetentionInDays, Lambda creates /aws/lambda/<name> set to never expire: every log line is stored, and billed per GB-month, forever.",
    fix: "Declare an AWS::Logs::LogGroup named /aws/lambda/<function name> (e.g. !Sub /aws/lambda/${MyFunction}) with RetentionInDays, or point LoggingConfig.LogGroup at a log group that has one.",
    docs: docsFor("log-retention"),
  },
  check(context) {
    const logGroups = context.resourcesOfType(LOG_GROUP);
    // A group several functions log to is judged once, for the first of them.
    const judged = new Set<string>();
    return context.functions.flatMap((fn): RuleFinding[] => {
      const configured = propertyAt(fn.properties, ["LoggingConfig", "LogGroup"]);
      const group =
        configured === undefined
          ? logGroups.find((candidate) => namesFunctionLogGroup(candidate, fn))
          : configuredGroup(context, configured, logGroups);
      if (configured !== undefined && group === undefined) {
        // A custom log group managed outside this template: its retention is not ours to see.
        return [];
      }
      if (group === undefined) {
        return [
          {
            resource: fn.logicalId,
            path: context.propertyPath(fn.logicalId, ["LoggingConfig"]),
            message: `${fn.logicalId} has no log group with RetentionInDays in this template: Lambda creates /aws/lambda/<name> with logs kept, and billed, forever.`,
            fix: `Add an AWS::Logs::LogGroup with LogGroupName: !Sub /aws/lambda/\${${fn.logicalId}} and RetentionInDays (for example 30).`,
          },
        ];
      }
      if (group.properties.RetentionInDays !== undefined) {
        if (context.environment.stage !== "development" || judged.has(group.logicalId)) return [];
        judged.add(group.logicalId);
        return developmentRetention(group, fn);
      }
      return [
        {
          resource: group.logicalId,
          path: ["Resources", group.logicalId, "Properties"],
          message: `Log group ${group.logicalId} of ${fn.logicalId} has no RetentionInDays: its logs are kept, and billed, forever.`,
          fix: "Set RetentionInDays on the log group (for example 30).",
        },
      ];
    });
  },
};

/**
 * In development (the user said so): a retention above 30 days keeps logs
 * nobody reads after a few weeks, and bills their storage. Info, not a
 * warning: the logs do expire, and a team may keep them longer on purpose.
 */
function developmentRetention(group: TemplateResource, fn: FunctionResource): RuleFinding[] {
  const days = numberOf(group.properties.RetentionInDays);
  if (days === undefined || days <= DEVELOPMENT_RETENTION_DAYS) return [];
  return [
    {
      resource: group.logicalId,
      path: ["Resources", group.logicalId, "Properties", "RetentionInDays"],
      severity: "info",
      message: `Log group ${group.logicalId} of ${fn.logicalId} keeps logs ${days} days, and this audit was told the stacks are for development: the guide keeps development logs about 7–30 days, and storage beyond that is billed for logs nobody reads.`,
      fix: `Set RetentionInDays to 7, 14 or ${DEVELOPMENT_RETENTION_DAYS}; if this stack is production after all, audit it with the stage production, which leaves a set retention alone.`,
    },
  ];
}

/** The log group LoggingConfig.LogGroup points at, when the template declares it. */
function configuredGroup(
  context: AuditContext,
  configured: unknown,
  logGroups: readonly TemplateResource[],
): TemplateResource | undefined {
  const target = referencedResource(configured);
  if (target !== undefined) {
    const resource = context.resource(target);
    return resource?.type === LOG_GROUP ? resource : undefined;
  }
  return typeof configured === "string"
    ? logGroups.find((group) => group.properties.LogGroupName === configured)
    : undefined;
}

/** Whether a log group's LogGroupName is /aws/lambda/ followed by the function's name. */
function namesFunctionLogGroup(group: TemplateResource, fn: FunctionResource): boolean {
  const name = nameTemplate(group.properties.LogGroupName);
  if (name === undefined) return false;
  if (name === `/aws/lambda/\${${fn.logicalId}}`) return true;
  const functionName = fn.properties.FunctionName;
  return typeof functionName === "string" && name === `/aws/lambda/${functionName}`;
}

/**
 * A name as text, with a Ref to a resource written `${Id}`: "/aws/lambda/x",
 * !Sub "/aws/lambda/${Fn}", !Sub ["/aws/lambda/${Name}", {Name: !Ref Fn}] and
 * !Join ["", ["/aws/lambda/", !Ref Fn]] all read alike. Undefined when the
 * name holds something else (a GetAtt, an import).
 */
function nameTemplate(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!isPlainObject(value)) return undefined;
  if (typeof value.Ref === "string") return `\${${value.Ref}}`;
  const sub = value["Fn::Sub"];
  if (typeof sub === "string") return sub;
  if (Array.isArray(sub) && typeof sub[0] === "string") {
    const variables = isPlainObject(sub[1]) ? sub[1] : {};
    let complete = true;
    const text = sub[0].replace(/\$\{([^}!]+)\}/g, (whole, variable: string) => {
      if (!(variable in variables)) return whole;
      const replacement = nameTemplate(variables[variable]);
      if (replacement === undefined) complete = false;
      return replacement ?? whole;
    });
    return complete ? text : undefined;
  }
  const join = value["Fn::Join"];
  if (Array.isArray(join) && typeof join[0] === "string" && Array.isArray(join[1])) {
    const parts = join[1].map(nameTemplate);
    return parts.every((part) => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}
