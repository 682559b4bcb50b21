/**
 * What each fixable rule's fix writes into the template, through the
 * EditableMap of template-editor.ts (so the same code edits YAML and JSON).
 *
 * - arm64-candidate → `Architectures: [arm64]` on the function. Skipped when
 *   the function inherits Architectures from Globals.Function: SAM
 *   concatenates lists, so a second value on the function would be invalid.
 * - memory-default → `MemorySize: <size>` on the function, the size the
 *   function's latest saved `tune` run recommends (the finding's fixValue),
 *   with a comment saying so. No size is guessed: a finding without a run
 *   behind it says "measure first" and has no fix (I/O-bound code is often
 *   cheapest at the default 128 MB, CPU-bound code at a full vCPU).
 * - log-retention → a new `AWS::Logs::LogGroup` `<Function>LogGroup` named
 *   `!Sub /aws/lambda/${Function}` with RetentionInDays 30, placed after the
 *   function; or RetentionInDays 30 on a declared log group that lacks it.
 * - s3-no-lifecycle → a `LifecycleConfiguration` on the bucket with one
 *   enabled rule: objects move to INTELLIGENT_TIERING after 30 days (it needs
 *   no guess at how they are read, and moves them back when they are) and
 *   incomplete multipart uploads are aborted after 7 days. Nothing is expired:
 *   how long data must be kept is the owner's call. A bucket whose
 *   LifecycleConfiguration has only disabled rules is left to a person.
 * - esm-config, when the finding is about ReportBatchItemFailures →
 *   `FunctionResponseTypes: [ReportBatchItemFailures]` on the SAM event (the
 *   one the finding's line falls in) or the AWS::Lambda::EventSourceMapping.
 *
 * Whether a fix is safe to apply unasked is deploy-hazards.ts's question;
 * this file only says what the edit is.
 */
import { isScalar, isSeq } from "yaml";
import type { Finding } from "../findings.js";
import { CannotEdit, type EditableMap, SubValue, type TemplateEditor } from "./template-editor.js";

/** RetentionInDays the log-retention fix sets. */
export const FIX_LOG_RETENTION_DAYS = 30;

/** Rules whose findings --fix can act on (applied, or suggested as an edit). */
export const FIXABLE_RULES: readonly string[] = [
  "arm64-candidate",
  "memory-default",
  "log-retention",
  "esm-config",
  "s3-no-lifecycle",
];

/** The lifecycle rule the s3-no-lifecycle fix writes. */
export const FIX_LIFECYCLE_RULE = {
  Id: "lambda-optimizer-tiering",
  Status: "Enabled",
  Transitions: [{ StorageClass: "INTELLIGENT_TIERING", TransitionInDays: 30 }],
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
};

const SERVERLESS_FUNCTION = "AWS::Serverless::Function";
const LAMBDA_FUNCTION = "AWS::Lambda::Function";
const EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping";
const LOG_GROUP = "AWS::Logs::LogGroup";
const S3_BUCKET = "AWS::S3::Bucket";
const BATCH_EVENT_TYPES = new Set(["SQS", "Kinesis", "DynamoDB"]);
const MEMORY_COMMENT = " lambda-optimizer --fix: the size lambda-optimizer tune recommended";

/** true: the edit is made (or was already); false: not a case this fix covers; a string: why not. */
export type EditOutcome = boolean | string;

/** Make the edit that answers one finding. `done` remembers edits made for earlier findings. */
export function editFor(editor: TemplateEditor, finding: Finding, done: Set<string>): EditOutcome {
  const resources = editor.root.getMap("Resources");
  if (!resources) return "the template has no Resources section";
  try {
    return fixOne(editor, resources, finding, done);
  } catch (error) {
    if (error instanceof CannotEdit) return error.message;
    throw error;
  }
}

/**
 * Whether a finding is one a fix exists for: esm-config has one for one
 * message only, memory-default only with a tuned size.
 */
export function hasFix(finding: Finding): boolean {
  if (finding.ruleId === "esm-config") return /ReportBatchItemFailures/.test(finding.message);
  if (finding.ruleId === "memory-default") return finding.fixValue !== undefined;
  return FIXABLE_RULES.includes(finding.ruleId);
}

function fixOne(
  editor: TemplateEditor,
  resources: EditableMap,
  finding: Finding,
  done: Set<string>,
): EditOutcome {
  const resource = resources.getMap(finding.resource);
  if (!resource) return `no resource ${finding.resource} in the template`;
  const type = resource.get("Type");
  const key = `${finding.ruleId}\0${finding.resource}`;
  switch (finding.ruleId) {
    case "arm64-candidate": {
      if (!isFunctionType(type)) return `${finding.resource} is not a function`;
      if (done.has(key)) return true;
      if (
        type === SERVERLESS_FUNCTION &&
        editor.root.getMap("Globals")?.getMap("Function")?.has("Architectures")
      ) {
        // SAM appends the function's list to Globals' one: only Globals can change it.
        return "Architectures comes from Globals.Function: change it there, for every function that inherits it";
      }
      resource.ensureMap("Properties").set("Architectures", ["arm64"]);
      done.add(key);
      return true;
    }
    case "memory-default": {
      if (!isFunctionType(type)) return `${finding.resource} is not a function`;
      if (finding.fixValue === undefined) return false;
      const properties = resource.ensureMap("Properties");
      if (properties.has("MemorySize")) return true;
      properties.set("MemorySize", finding.fixValue, { comment: MEMORY_COMMENT });
      return true;
    }
    case "log-retention":
      return fixLogRetention(resources, resource, type, finding, done);
    case "esm-config":
      return hasFix(finding) ? fixBatchItemFailures(resource, type, finding) : false;
    case "s3-no-lifecycle":
      return fixLifecycle(resource, type, finding);
    default:
      return false;
  }
}

function fixLogRetention(
  resources: EditableMap,
  resource: EditableMap,
  type: unknown,
  finding: Finding,
  done: Set<string>,
): EditOutcome {
  if (type === LOG_GROUP) {
    const properties = resource.ensureMap("Properties");
    if (!properties.has("RetentionInDays"))
      properties.set("RetentionInDays", FIX_LOG_RETENTION_DAYS);
    return true;
  }
  if (!isFunctionType(type)) return `${finding.resource} is neither a function nor a log group`;
  const key = `log-retention\0${finding.resource}`;
  if (done.has(key)) return true;
  if (resource.getMap("Properties")?.getMap("LoggingConfig")?.has("LogGroup")) {
    return "LoggingConfig.LogGroup names a log group outside this template";
  }
  let logicalId = `${finding.resource}LogGroup`;
  for (let suffix = 2; resources.has(logicalId); suffix++) {
    logicalId = `${finding.resource}LogGroup${suffix}`;
  }
  resources.insertAfter(finding.resource, logicalId, {
    Type: LOG_GROUP,
    Properties: {
      LogGroupName: new SubValue(`/aws/lambda/\${${finding.resource}}`),
      RetentionInDays: FIX_LOG_RETENTION_DAYS,
    },
  });
  done.add(key);
  return true;
}

function fixLifecycle(resource: EditableMap, type: unknown, finding: Finding): EditOutcome {
  if (type !== S3_BUCKET) return `${finding.resource} is not an S3 bucket`;
  const properties = resource.ensureMap("Properties");
  if (properties.has("LifecycleConfiguration")) {
    // Its rules are all disabled: which to enable, or what to add beside them, is a person's call.
    return "its LifecycleConfiguration has rules, all disabled: enable one, or add one, by hand";
  }
  properties.set("LifecycleConfiguration", { Rules: [FIX_LIFECYCLE_RULE] });
  return true;
}

function fixBatchItemFailures(resource: EditableMap, type: unknown, finding: Finding): EditOutcome {
  const responseTypes = ["ReportBatchItemFailures"];
  if (type === EVENT_SOURCE_MAPPING) {
    const properties = resource.ensureMap("Properties");
    if (!hasReportBatchItemFailures(properties.get("FunctionResponseTypes"))) {
      properties.set("FunctionResponseTypes", responseTypes);
    }
    return true;
  }
  if (type !== SERVERLESS_FUNCTION) {
    return `${finding.resource} is neither a SAM function nor an event source mapping`;
  }
  const events = resource.getMap("Properties")?.getMap("Events");
  if (!events) return "the function has no Events";
  const candidates = events.keys().filter((name) => {
    const event = events.getMap(name);
    return (
      event !== undefined &&
      BATCH_EVENT_TYPES.has(String(event.get("Type"))) &&
      !hasReportBatchItemFailures(event.getMap("Properties")?.get("FunctionResponseTypes"))
    );
  });
  const atLine = candidates.filter((name) => {
    const span = events.lineSpan(name);
    return span !== undefined && finding.line >= span[0] && finding.line <= span[1];
  });
  const chosen = atLine.length === 1 ? atLine : candidates.length === 1 ? candidates : [];
  if (chosen.length === 0) {
    return candidates.length === 0
      ? "every SQS, Kinesis and DynamoDB event already reports batch item failures"
      : `the finding's line does not single out one of the events ${candidates.join(", ")}`;
  }
  events.getMap(chosen[0]!)!.ensureMap("Properties").set("FunctionResponseTypes", responseTypes);
  return true;
}

function isFunctionType(type: unknown): boolean {
  return type === SERVERLESS_FUNCTION || type === LAMBDA_FUNCTION;
}

function hasReportBatchItemFailures(value: unknown): boolean {
  if (isSeq(value)) {
    return value.items.some((item) => isScalar(item) && item.value === "ReportBatchItemFailures");
  }
  return Array.isArray(value) && value.includes("ReportBatchItemFailures");
}
