import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyPatch } from "diff";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../../src/audit/engine.js";
import { fixTemplate } from "../../../src/audit/fix.js";
import { s3NoLifecycle } from "../../../src/audit/rules/s3-no-lifecycle.js";
import { audit } from "../../../src/index.js";
import { auditYaml, lineOf } from "./audit-yaml.js";
import { auditText } from "./run-rule.js";

const WHAT_LIFECYCLE_DOES =
  "a lifecycle rule can move objects as they age to S3 Standard-IA, Glacier Instant Retrieval or Intelligent-Tiering, expire old objects and noncurrent versions, and abort incomplete multipart uploads, whose parts are billed until then.";

/** A SAM app: a thumbnail function writing to one bucket, a report bucket with a lifecycle, a log bucket nobody writes. */
const SAM_APP = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: thumbnails

Globals:
  Function:
    Runtime: nodejs22.x
    MemorySize: 512

Resources:
  Thumbnails:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 }

  Reports:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Id: tiering
            Status: Enabled
            Transitions:
              - StorageClass: INTELLIGENT_TIERING
                TransitionInDays: 30
            AbortIncompleteMultipartUpload:
              DaysAfterInitiation: 7

  AccessLogs:
    Type: AWS::S3::Bucket

  ThumbnailFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Policies:
        - S3ReadPolicy:
            BucketName: !Ref AccessLogs
        - S3CrudPolicy:
            BucketName: !Ref Thumbnails
        - S3WritePolicy:
            BucketName: !Ref Reports
      Events:
        Api:
          Type: HttpApi
`;

describe("s3-no-lifecycle", () => {
  it("warns on a bucket a SAM function may write to, notes one nobody writes, and passes one with a rule", () => {
    expect(auditYaml(SAM_APP, s3NoLifecycle)).toEqual([
      expect.objectContaining({
        ruleId: "s3-no-lifecycle",
        severity: "warning",
        resource: "Thumbnails",
        line: lineOf(SAM_APP, "  Thumbnails:"),
        message: `Thumbnails has no lifecycle rule, and a function may write to it: ThumbnailFunction (S3CrudPolicy). What it writes stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      }),
      expect.objectContaining({
        ruleId: "s3-no-lifecycle",
        severity: "info",
        resource: "AccessLogs",
        line: lineOf(SAM_APP, "  AccessLogs:"),
        // S3ReadPolicy grants no write.
        message: `AccessLogs has no lifecycle rule: every object stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      }),
    ]);
  });

  it("is suppressed by a comment above the bucket", () => {
    const yaml = SAM_APP.replace(
      "  AccessLogs:",
      "  # lambda-optimizer-disable-next-line s3-no-lifecycle\n  AccessLogs:",
    );
    expect(auditYaml(yaml, s3NoLifecycle).map((finding) => finding.resource)).toEqual([
      "Thumbnails",
    ]);
  });

  it("reports a LifecycleConfiguration whose rules are all disabled, at that property", () => {
    const yaml = `Resources:
  Exports:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration: { Status: Enabled }
      LifecycleConfiguration:
        Rules:
          - Id: old-exports
            Status: Disabled
            ExpirationInDays: 90
`;
    expect(auditYaml(yaml, s3NoLifecycle)).toEqual([
      expect.objectContaining({
        severity: "info",
        resource: "Exports",
        line: lineOf(yaml, "LifecycleConfiguration:"),
        message: `Exports's LifecycleConfiguration has no enabled rule: every object stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      }),
    ]);
  });

  it("does not report a rule whose Status an unresolved condition chooses", () => {
    const yaml = `Parameters:
  Stage: { Type: String }
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Exports:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Status: !If [IsProd, Enabled, Disabled]
            ExpirationInDays: 30
`;
    expect(auditYaml(yaml, s3NoLifecycle)).toEqual([]);
  });

  it("reads a CloudFormation JSON template: the execution role's inline policy and an attached AWS::IAM::Policy", () => {
    const json = `${JSON.stringify(
      {
        AWSTemplateFormatVersion: "2010-09-09",
        Resources: {
          Uploads: { Type: "AWS::S3::Bucket" },
          Archive: { Type: "AWS::S3::Bucket", Properties: { BucketName: "acme-archive" } },
          Reference: { Type: "AWS::S3::Bucket" },
          IngestRole: {
            Type: "AWS::IAM::Role",
            Properties: {
              AssumeRolePolicyDocument: {
                Statement: [
                  {
                    Effect: "Allow",
                    Principal: { Service: "lambda.amazonaws.com" },
                    Action: "sts:AssumeRole",
                  },
                ],
              },
              Policies: [
                {
                  PolicyName: "read-reference",
                  PolicyDocument: {
                    Statement: [
                      {
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:ListBucket"],
                        Resource: [
                          { "Fn::GetAtt": ["Reference", "Arn"] },
                          { "Fn::Sub": "${Reference.Arn}/*" },
                        ],
                      },
                      // A write allowed on every bucket is tied to none of them.
                      { Effect: "Allow", Action: "s3:PutObject", Resource: "*" },
                    ],
                  },
                },
                {
                  PolicyName: "write-uploads",
                  PolicyDocument: {
                    Statement: {
                      Effect: "Allow",
                      Action: ["s3:Put*"],
                      Resource: {
                        "Fn::Join": ["", [{ "Fn::GetAtt": ["Uploads", "Arn"] }, "/*"]],
                      },
                    },
                  },
                },
              ],
            },
          },
          ArchivePolicy: {
            Type: "AWS::IAM::Policy",
            Properties: {
              PolicyName: "archive",
              Roles: [{ Ref: "IngestRole" }],
              PolicyDocument: {
                Statement: [
                  { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::acme-archive/*" },
                ],
              },
            },
          },
          Ingest: {
            Type: "AWS::Lambda::Function",
            Properties: {
              Runtime: "python3.13",
              Handler: "app.handler",
              Role: { "Fn::GetAtt": ["IngestRole", "Arn"] },
              Code: { S3Bucket: "acme-artifacts", S3Key: "ingest.zip" },
            },
          },
        },
      },
      null,
      2,
    )}\n`;
    const findings = auditText(json, s3NoLifecycle);
    expect(
      findings.map(({ resource, severity, message }) => ({ resource, severity, message })),
    ).toEqual([
      {
        resource: "Uploads",
        severity: "warning",
        message: `Uploads has no lifecycle rule, and a function may write to it: Ingest (s3:Put* in role IngestRole). What it writes stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      },
      {
        resource: "Archive",
        severity: "warning",
        message: `Archive has no lifecycle rule, and a function may write to it: Ingest (s3:* in policy ArchivePolicy). What it writes stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      },
      {
        resource: "Reference",
        severity: "info",
        message: `Reference has no lifecycle rule: every object stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      },
    ]);
    expect(findings[0]!.line).toBe(lineOf(json, '"Uploads": {'));
  });

  it("names every writer: SAM inline statements, connectors, and a literal bucket name", () => {
    const yaml = `Transform: AWS::Serverless-2016-10-31
Resources:
  Media:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-media
  Transcode:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:PutObject
              Resource: !Sub "\${Media.Arn}/*"
  Publish:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
    Connectors:
      ToMedia:
        Properties:
          Destination: { Id: Media }
          Permissions: [Read, Write]
  Cleanup:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
      Policies:
        - S3FullAccessPolicy:
            BucketName: acme-media
  Reader:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
  ReaderToMedia:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Reader }
      Destination: { Id: Media }
      Permissions: [Read]
`;
    expect(auditYaml(yaml, s3NoLifecycle)).toEqual([
      expect.objectContaining({
        severity: "warning",
        resource: "Media",
        message: `Media has no lifecycle rule, and 3 functions may write to it: Transcode (s3:PutObject in its Policies), Publish (connector ToMedia with Write), Cleanup (S3FullAccessPolicy). What they write stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      }),
    ]);
  });

  it("matches a bucket named by a parameter with no default, by Ref and in a Sub ARN", () => {
    const yaml = `Parameters:
  MediaBucketName: { Type: String }
Resources:
  Media:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref MediaBucketName
  Other:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${MediaBucketName}-other"
  Writer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
      Policies:
        - Statement:
            - Effect: Allow
              Action: [s3:PutObject]
              Resource: !Sub "arn:\${AWS::Partition}:s3:::\${MediaBucketName}/*"
  Crud:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      InlineCode: "def handler(event, context): pass"
      Policies:
        - S3CrudPolicy: { BucketName: !Ref MediaBucketName }
`;
    expect(
      auditYaml(yaml, s3NoLifecycle).map(({ resource, severity, message }) => ({
        resource,
        severity,
        writers: /may write to it: (.*)\. What/.exec(message)?.[1],
      })),
    ).toEqual([
      {
        resource: "Media",
        severity: "warning",
        writers: "Writer (s3:PutObject in its Policies), Crud (S3CrudPolicy)",
      },
      // Its name only starts with the parameter: neither writes to it.
      { resource: "Other", severity: "info", writers: undefined },
    ]);
  });
});

describe("s3-no-lifecycle with the functions' code", () => {
  function project(files: Record<string, string>): string {
    const folder = mkdtempSync(join(tmpdir(), "lo-s3-lifecycle-"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(folder, path, ".."), { recursive: true });
      writeFileSync(join(folder, path), text);
    }
    return folder;
  }

  const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Exports:
    Type: AWS::S3::Bucket
  ExportFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: export/
      Handler: app.handler
      Runtime: nodejs22.x
      Policies:
        - S3CrudPolicy: { BucketName: !Ref Exports }
  ArchiveFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: archive/
      Handler: app.handler
      Runtime: python3.13
      Policies:
        - S3CrudPolicy: { BucketName: !Ref Exports }
  ListFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: list/
      Handler: app.handler
      Runtime: nodejs22.x
      Policies:
        - S3CrudPolicy: { BucketName: !Ref Exports }
`;
  const FILES = {
    "template.yaml": TEMPLATE,
    "export/app.mjs": `import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
export const handler = async (event) => {
  const body = JSON.stringify(event);
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: "export.json", Body: body }));
};
`,
    "archive/app.py": `import boto3

s3 = boto3.client("s3")


def handler(event, context):
    s3.upload_file("/tmp/archive.tar.gz", event["bucket"], "archive.tar.gz")
`,
    "list/app.mjs": `import { S3Client, ListObjectsV2Command } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
export const handler = async () => s3.send(new ListObjectsV2Command({ Bucket: process.env.BUCKET }));
`,
  };

  it("adds the upload call each writer's code makes (SDK v3 command, boto3 upload_file)", async () => {
    const cwd = project(FILES);
    const report = await audit({ paths: ["."], cwd, rules: ["s3-no-lifecycle"] });
    expect(report.findings).toEqual([
      expect.objectContaining({
        severity: "warning",
        resource: "Exports",
        file: "template.yaml",
        line: 3,
        message: `Exports has no lifecycle rule, and 3 functions may write to it: ExportFunction (S3CrudPolicy; its code uploads objects: new PutObjectCommand(…) at export/app.mjs:5), ArchiveFunction (S3CrudPolicy; its code uploads objects: s3.upload_file(…) at archive/app.py:7), ListFunction (S3CrudPolicy). What they write stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
      }),
    ]);
  });

  it("reads each function's code once, for this rule and the code rules alike", async () => {
    const cwd = project(FILES);
    const report = await audit({ paths: ["."], cwd });
    expect(report.summary.functions).toBe(3);
    expect(report.errors).toEqual([]);
    const lifecycle = report.findings.filter((finding) => finding.ruleId === "s3-no-lifecycle");
    expect(lifecycle.map((finding) => finding.message)).toEqual([
      expect.stringContaining(
        "ExportFunction (S3CrudPolicy; its code uploads objects: new PutObjectCommand(…) at export/app.mjs:5)",
      ),
    ]);
    // Code rules ran on the same code: a finding in a handler file.
    expect(report.findings.some((finding) => finding.file === "export/app.mjs")).toBe(true);
  });

  it("knows lib-storage's Upload, SDK v2's putObject and boto3's Bucket.upload_fileobj", async () => {
    const fn = (name: string, runtime: string) => `  ${name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${name}/
      Handler: app.handler
      Runtime: ${runtime}
      Policies:
        - S3WritePolicy: { BucketName: !Ref Media }
`;
    const cwd = project({
      "template.yaml": `Transform: AWS::Serverless-2016-10-31
Resources:
  Media:
    Type: AWS::S3::Bucket
${fn("Stream", "nodejs22.x")}${fn("Legacy", "nodejs16.x")}${fn("Python", "python3.12")}`,
      "Stream/app.js": `const { S3Client } = require("@aws-sdk/client-s3");
const { Upload } = require("@aws-sdk/lib-storage");
const client = new S3Client({});
exports.handler = async (event) => {
  await new Upload({ client, params: { Bucket: process.env.BUCKET, Key: event.key, Body: event.body } }).done();
};
`,
      "Legacy/app.js": `const AWS = require("aws-sdk");
const s3 = new AWS.S3();
exports.handler = async (event) => {
  await s3.putObject({ Bucket: process.env.BUCKET, Key: event.key, Body: event.body }).promise();
};
`,
      "Python/app.py": `import io

import boto3

bucket = boto3.resource("s3").Bucket("acme-media")


def handler(event, context):
    bucket.upload_fileobj(io.BytesIO(b"data"), event["key"])
`,
    });
    const report = await audit({ paths: ["."], cwd, rules: ["s3-no-lifecycle"] });
    expect(report.findings.map((finding) => finding.message)).toEqual([
      `Media has no lifecycle rule, and 3 functions may write to it: Stream (S3WritePolicy; its code uploads objects: new Upload(…) at Stream/app.js:5), Legacy (S3WritePolicy; its code uploads objects: s3.putObject(…) at Legacy/app.js:4), Python (S3WritePolicy; its code uploads objects: bucket.upload_fileobj(…) at Python/app.py:9). What they write stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
    ]);
  });

  it("goes by the template alone when the code is not read", async () => {
    const cwd = project(FILES);
    const report = await audit({ paths: ["."], cwd, rules: ["s3-no-lifecycle"], code: false });
    expect(report.findings.map((finding) => finding.message)).toEqual([
      `Exports has no lifecycle rule, and 3 functions may write to it: ExportFunction (S3CrudPolicy), ArchiveFunction (S3CrudPolicy), ListFunction (S3CrudPolicy). What they write stays in S3 Standard until it is deleted; ${WHAT_LIFECYCLE_DOES}`,
    ]);
  });
});

describe("s3-no-lifecycle --fix", () => {
  /** The template's s3-no-lifecycle findings, the fix's outcome, and the template with its suggested edits applied. */
  function fix(text: string, name: string) {
    const file = join(mkdtempSync(join(tmpdir(), "lo-s3-lifecycle-fix-")), name);
    writeFileSync(file, text);
    const findings = auditTemplates([file], { rules: [s3NoLifecycle] }).findings;
    const result = fixTemplate(file, findings, text);
    const edited = result.suggested.reduce<string>((current, suggestion) => {
      const patched = applyPatch(current, suggestion.edit);
      if (patched === false) throw new Error(`the edit for ${suggestion.resource} does not apply`);
      return patched;
    }, text);
    writeFileSync(file, edited);
    return { findings, result, after: auditTemplates([file], { rules: [s3NoLifecycle] }) };
  }

  it("suggests, never applies, a tiering rule that answers the finding (YAML)", () => {
    const { findings, result, after } = fix(SAM_APP, "template.yaml");
    expect(findings.map((finding) => finding.resource)).toEqual(["Thumbnails", "AccessLogs"]);
    expect(result.applied).toEqual([]);
    expect(result.fixed).toBe(SAM_APP);
    expect(result.suggested.map(({ resource, line }) => `${resource}:${line}`)).toEqual([
      `Thumbnails:${lineOf(SAM_APP, "  Thumbnails:")}`,
      `AccessLogs:${lineOf(SAM_APP, "  AccessLogs:")}`,
    ]);
    expect(result.suggested[0]!.reason).toContain(
      "Intelligent-Tiering's monitoring fee per object",
    );
    expect(changedLines(result.suggested[0]!.edit)).toEqual([
      "+      LifecycleConfiguration:",
      "+        Rules: [{Id: lambda-optimizer-tiering, Status: Enabled, Transitions: [{StorageClass: INTELLIGENT_TIERING, TransitionInDays: 30}], AbortIncompleteMultipartUpload: {DaysAfterInitiation: 7}}]",
    ]);
    // A bucket with no Properties gets them.
    expect(changedLines(result.suggested[1]!.edit)).toEqual([
      "+    Properties:",
      "+      LifecycleConfiguration:",
      "+        Rules: [{Id: lambda-optimizer-tiering, Status: Enabled, Transitions: [{StorageClass: INTELLIGENT_TIERING, TransitionInDays: 30}], AbortIncompleteMultipartUpload: {DaysAfterInitiation: 7}}]",
    ]);
    expect(after.errors).toEqual([]);
    expect(after.findings).toEqual([]);
  });

  it("writes JSON in a JSON template, and leaves a configuration with disabled rules to a person", () => {
    const json = `{
  "Resources": {
    "Uploads": {
      "Type": "AWS::S3::Bucket"
    },
    "Exports": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "LifecycleConfiguration": {
          "Rules": [{ "Status": "Disabled", "ExpirationInDays": 30 }]
        }
      }
    }
  }
}
`;
    const { result, after } = fix(json, "template.json");
    expect(result.suggested.map((suggestion) => suggestion.resource)).toEqual(["Uploads"]);
    expect(changedLines(result.suggested[0]!.edit).join("\n")).toContain(
      '"LifecycleConfiguration": {',
    );
    expect(result.skipped).toEqual([
      expect.objectContaining({
        resource: "Exports",
        reason:
          "its LifecycleConfiguration has rules, all disabled: enable one, or add one, by hand",
      }),
    ]);
    expect(after.findings.map((finding) => finding.resource)).toEqual(["Exports"]);
  });
});

function changedLines(diff: string): string[] {
  return diff.split("\n").filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
}
