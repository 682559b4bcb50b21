/**
 * s3-no-lifecycle (the guide's Key Cost Levers: "use S3 lifecycle policies to
 * transition objects to cheaper tiers"): an S3 bucket with no enabled
 * lifecycle rule keeps every object in S3 Standard until something deletes
 * it. Info for any such bucket; a warning when a function of the template may
 * write to it (bucket-writers.ts), since a function's output grows with its
 * traffic. The template grants permissions, so the writers are the functions
 * allowed to put objects in the bucket; where the code audit reads a writer's
 * code, the message adds the upload call it makes (which bucket a call writes
 * is an argument, rarely a literal, so the call is not tied to the bucket).
 */
import { dirname, relative } from "node:path";
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import type { AuditContext, TemplateResource } from "../audit-context.js";
import { type BucketWriter, bucketWriters } from "../bucket-writers.js";
import { callText, s3Uploads } from "../code-rules/code-patterns.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

export const S3_BUCKET = "AWS::S3::Bucket";

/** What a lifecycle rule does for the bill, said once for every message. */
const WHAT_LIFECYCLE_DOES =
  "a lifecycle rule can move objects as they age to S3 Standard-IA, Glacier Instant Retrieval or Intelligent-Tiering, expire old objects and noncurrent versions, and abort incomplete multipart uploads, whose parts are billed until then";

export const s3NoLifecycle: AuditRule = {
  meta: {
    id: "s3-no-lifecycle",
    severity: "info",
    title: "S3 bucket with no lifecycle rule",
    rationale:
      "Without a lifecycle rule every object stays in S3 Standard, priced for frequent access, until something deletes it; old versions and the parts of abandoned multipart uploads are billed too. What functions write grows with their traffic.",
    fix: "Add a LifecycleConfiguration with an enabled rule: Transitions to INTELLIGENT_TIERING (access unknown), STANDARD_IA or GLACIER_IR (read rarely, after 30 days or more), ExpirationInDays for data with a known lifetime, NoncurrentVersionExpiration on a versioned bucket, and AbortIncompleteMultipartUpload.",
    docs: docsFor("s3-no-lifecycle"),
  },
  readsCode: true,
  check(context) {
    return context.resourcesOfType(S3_BUCKET).flatMap((bucket): RuleFinding[] => {
      const missing = lifecycleGap(bucket);
      if (missing === undefined) return [];
      const writers = bucketWriters(context, bucket);
      const opening =
        missing === "none"
          ? `${bucket.logicalId} has no lifecycle rule`
          : `${bucket.logicalId}'s LifecycleConfiguration has no enabled rule`;
      const path: TemplatePath =
        missing === "none"
          ? ["Resources", bucket.logicalId]
          : ["Resources", bucket.logicalId, "Properties", "LifecycleConfiguration"];
      if (writers.length === 0) {
        return [
          {
            resource: bucket.logicalId,
            path,
            message: `${opening}: every object stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}.`,
          },
        ];
      }
      const named = writers.map((writer) => describeWriter(context, writer)).join(", ");
      const [who, what] =
        writers.length === 1
          ? ["a function", "What it writes"]
          : [`${writers.length} functions`, "What they write"];
      return [
        {
          resource: bucket.logicalId,
          path,
          severity: "warning",
          message: `${opening}, and ${who} may write to it: ${named}. ${what} stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}.`,
        },
      ];
    });
  },
};

/**
 * Why the bucket has no lifecycle rule in effect: "none" (no
 * LifecycleConfiguration) or "disabled" (no rule with Status Enabled);
 * undefined when one is enabled or the template cannot say (a Status or a
 * Rules list chosen by an intrinsic the audit cannot resolve).
 */
function lifecycleGap(bucket: TemplateResource): "none" | "disabled" | undefined {
  const configuration = bucket.properties.LifecycleConfiguration;
  if (configuration === undefined) return "none";
  if (!isPlainObject(configuration) || !Array.isArray(configuration.Rules)) return undefined;
  const mayBeEnabled = configuration.Rules.some(
    (rule) => !isPlainObject(rule) || typeof rule.Status !== "string" || rule.Status === "Enabled",
  );
  return mayBeEnabled ? undefined : "disabled";
}

/** "Resize (S3CrudPolicy; its code uploads objects: new PutObjectCommand(…) at src/app.js:14)". */
function describeWriter(context: AuditContext, writer: BucketWriter): string {
  const fn = context.functions.find((candidate) => candidate.logicalId === writer.function);
  const code = fn ? context.environment.code?.forFunction(context, fn) : undefined;
  const upload = code ? s3Uploads(code)[0] : undefined;
  if (upload === undefined) return `${writer.function} (${writer.grant})`;
  const base = context.environment.cwd ?? dirname(context.file);
  const file = relative(base, upload.module.file) || upload.module.file;
  return `${writer.function} (${writer.grant}; its code uploads objects: ${callText(upload.call)} at ${file}:${upload.call.position.line})`;
}
