/**
 * Which of a template's functions may write objects to one of its S3 buckets,
 * as the template says it: a SAM policy template that grants writes
 * (S3CrudPolicy, S3WritePolicy, S3FullAccessPolicy) naming the bucket, an IAM
 * statement allowing s3:PutObject (or a wildcard covering it) on the bucket's
 * ARN — in the function's SAM Policies, in its execution role's inline
 * policies, or in an AWS::IAM::Policy / ManagedPolicy attached to that role —
 * or a SAM connector from the function to the bucket with Write. The template
 * grants permissions, not calls: a function allowed to write may not, so a
 * caller that has the code (code-rules/code-patterns.ts, s3Uploads) can say
 * whether it does. A statement on Resource "*" is not tied to any one bucket
 * and is left out.
 */
import { isDeepStrictEqual } from "node:util";
import { isPlainObject } from "../plain-object.js";
import { referencedResource, referencesResource } from "../template/references.js";
import type { AuditContext, FunctionResource, TemplateResource } from "./audit-context.js";

export interface BucketWriter {
  /** The function's logical id. */
  readonly function: string;
  /** What grants the write, for messages: "S3CrudPolicy", "s3:PutObject in role AppRole". */
  readonly grant: string;
}

/** SAM policy templates whose BucketName bucket the function may put objects in. */
const S3_WRITE_POLICY_TEMPLATES = ["S3CrudPolicy", "S3WritePolicy", "S3FullAccessPolicy"];

/** The action that writes an object; a statement's Action (wildcards and all) is matched against it. */
const PUT_OBJECT = "s3:PutObject";

const SERVERLESS_CONNECTOR = "AWS::Serverless::Connector";
const IAM_ROLE = "AWS::IAM::Role";
const ATTACHED_POLICY_TYPES = [
  "AWS::IAM::Policy",
  "AWS::IAM::ManagedPolicy",
  "AWS::IAM::RolePolicy",
];

/** The functions the template allows to write objects to the bucket, each once, with its first grant. */
export function bucketWriters(context: AuditContext, bucket: TemplateResource): BucketWriter[] {
  const writers: BucketWriter[] = [];
  for (const fn of context.functions) {
    const grant = writeGrant(context, fn, bucket);
    if (grant !== undefined) writers.push({ function: fn.logicalId, grant });
  }
  return writers;
}

function writeGrant(
  context: AuditContext,
  fn: FunctionResource,
  bucket: TemplateResource,
): string | undefined {
  const designates = (value: unknown) => designatesBucket(value, bucket);
  for (const policy of listOf(fn.properties.Policies)) {
    if (!isPlainObject(policy)) continue;
    for (const name of S3_WRITE_POLICY_TEMPLATES) {
      const parameters = policy[name];
      if (isPlainObject(parameters) && designates(parameters.BucketName)) return name;
    }
    const action = allowedPutAction(policy, designates);
    if (action !== undefined) return `${action} in its Policies`;
  }
  const role = roleOf(context, fn);
  if (role !== undefined) {
    for (const policy of listOf(role.properties.Policies)) {
      const action = isPlainObject(policy)
        ? allowedPutAction(policy.PolicyDocument, designates)
        : undefined;
      if (action !== undefined) return `${action} in role ${role.logicalId}`;
    }
    for (const policy of policiesAttachedTo(context, role)) {
      const action = allowedPutAction(policy.properties.PolicyDocument, designates);
      if (action !== undefined) return `${action} in policy ${policy.logicalId}`;
    }
  }
  const connector = writeConnector(context, fn, bucket);
  return connector === undefined ? undefined : `connector ${connector} with Write`;
}

/**
 * Whether a bucket name or ARN designates the bucket: a Ref, GetAtt or Sub of
 * it (`!Ref Uploads`, `!GetAtt Uploads.Arn`, `!Sub "${Uploads.Arn}/*"`), or
 * its BucketName, alone or in an ARN: a literal (`arn:aws:s3:::acme-media/*`,
 * the name a parameter's default resolved to), or a parameter with no default
 * written the same way in both places (`!Ref MediaBucketName`,
 * `!Sub "arn:aws:s3:::${MediaBucketName}/*"`).
 */
function designatesBucket(value: unknown, bucket: TemplateResource): boolean {
  if (referencesResource(value, bucket.logicalId)) return true;
  const name = bucket.properties.BucketName;
  if (name === undefined) return false;
  if (isDeepStrictEqual(value, name)) return true;
  if (typeof name === "string") {
    return typeof value === "string" && bucketArn(escapeRegExp(name)).test(value);
  }
  // A name left unresolved (a parameter with no default): the ARN names it by ${Parameter}.
  const parameter = isPlainObject(name) && typeof name.Ref === "string" ? name.Ref : undefined;
  const sub = isPlainObject(value) ? value["Fn::Sub"] : undefined;
  const text = Array.isArray(sub) ? sub[0] : sub;
  return (
    parameter !== undefined &&
    typeof text === "string" &&
    bucketArn(escapeRegExp(`\${${parameter}}`)).test(text)
  );
}

/** The bucket's ARN, or an object ARN in it, in any partition: the name as a regular expression. */
function bucketArn(namePattern: string): RegExp {
  return new RegExp(`^arn:(aws[a-z-]*|\\$\\{AWS::Partition\\}):s3:::${namePattern}(/|$)`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The action (as written) of an Allow statement in the document that covers s3:PutObject on the bucket. */
function allowedPutAction(
  document: unknown,
  designates: (value: unknown) => boolean,
): string | undefined {
  if (!isPlainObject(document)) return undefined;
  for (const statement of listOf(document.Statement)) {
    if (!isPlainObject(statement) || statement.Effect !== "Allow") continue;
    if (!listOf(statement.Resource).some(designates)) continue;
    const action = listOf(statement.Action).find(
      (candidate) => typeof candidate === "string" && actionCovers(candidate, PUT_OBJECT),
    );
    if (action !== undefined) return String(action);
  }
  return undefined;
}

/** Whether an IAM action pattern ("s3:*", "s3:Put*", "*") matches the action; IAM compares case-insensitively. */
function actionCovers(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}

/** The AWS::IAM::Role in this template that the function's Role property names. */
function roleOf(context: AuditContext, fn: FunctionResource): TemplateResource | undefined {
  const id = referencedResource(fn.properties.Role);
  const role = id === undefined ? undefined : context.resource(id);
  return role?.type === IAM_ROLE ? role : undefined;
}

/** Policies of this template attached to the role: by their Roles list, or by the role's ManagedPolicyArns. */
function policiesAttachedTo(context: AuditContext, role: TemplateResource): TemplateResource[] {
  const managed = listOf(role.properties.ManagedPolicyArns).map(referencedResource);
  return context.resources.filter(
    (resource) =>
      ATTACHED_POLICY_TYPES.includes(resource.type) &&
      (managed.includes(resource.logicalId) ||
        referencesResource(resource.properties.Roles, role.logicalId) ||
        referencesResource(resource.properties.RoleName, role.logicalId)),
  );
}

/**
 * A SAM connector from the function to the bucket with Write permission: an
 * AWS::Serverless::Connector resource, or one embedded in the function's
 * Connectors attribute (its Source is the function).
 */
function writeConnector(
  context: AuditContext,
  fn: FunctionResource,
  bucket: TemplateResource,
): string | undefined {
  const writes = (properties: unknown) =>
    isPlainObject(properties) &&
    isPlainObject(properties.Destination) &&
    properties.Destination.Id === bucket.logicalId &&
    listOf(properties.Permissions).includes("Write");
  for (const connector of context.resourcesOfType(SERVERLESS_CONNECTOR)) {
    const source = connector.properties.Source;
    if (isPlainObject(source) && source.Id === fn.logicalId && writes(connector.properties)) {
      return connector.logicalId;
    }
  }
  const embedded = fn.resource.Connectors;
  if (!isPlainObject(embedded)) return undefined;
  for (const [name, connector] of Object.entries(embedded)) {
    if (isPlainObject(connector) && writes(connector.Properties)) return name;
  }
  return undefined;
}

/** A value that may be one item or a list of them, as a list. */
function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
