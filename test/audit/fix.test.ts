/** --fix: the safe fixes keep comments, layout and short forms, and silence the rules they answer. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import type { Finding } from "../../src/audit/findings.js";
import { FIX_LOG_RETENTION_DAYS, fixTemplate, unifiedDiff } from "../../src/audit/fix.js";
import type { AuditRule } from "../../src/audit/rule.js";
import { arm64Candidate } from "../../src/audit/rules/arm64-candidate.js";
import { logRetention } from "../../src/audit/rules/log-retention.js";
import { memoryDefault } from "../../src/audit/rules/memory-default.js";
import { TunedMemoryIndex } from "../../src/audit/tuned-memory.js";
import { parseTemplateText } from "../../src/template/parse-template.js";
import { tuneEveryFunction } from "./tune-run-file.js";

const FIXABLE_RULES: readonly AuditRule[] = [arm64Candidate, memoryDefault, logRetention];
/** What the saved tune runs beside each template recommend: memory-default's fix writes it. */
const TUNED_MEMORY_MB = 256;

function writeTemplate(text: string, name = "template.yaml"): string {
  const file = join(mkdtempSync(join(tmpdir(), "lambda-optimizer-fix-")), name);
  writeFileSync(file, text);
  return file;
}

function audit(file: string, rules = FIXABLE_RULES): Finding[] {
  const cwd = dirname(file);
  const report = auditTemplates([file], { rules, cwd, tunedMemory: new TunedMemoryIndex(cwd) });
  expect(report.errors).toEqual([]);
  return report.findings;
}

/** Fix a template (its functions' code taken as checked), write the result back, and audit it again. */
function fixAndReaudit(text: string, name?: string) {
  const file = writeTemplate(text, name);
  tuneEveryFunction(file, TUNED_MEMORY_MB);
  const before = audit(file);
  const codeChecked = new Set(before.map((finding) => finding.resource));
  const result = fixTemplate(file, before, readFileSync(file, "utf8"), { codeChecked });
  writeFileSync(file, result.fixed);
  return { before, result, after: audit(file) };
}

const SAM = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
# The orders service.
Description: Orders

Parameters:
  Stage:
    Type: String
    AllowedValues: [dev, prod]

Globals:
  Function:
    Runtime: nodejs22.x # keep in step with .nvmrc

Resources:
  # Takes orders from the API.
  OrdersApi:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub "orders-api-\${Stage}"
      CodeUri: src/
      Handler: app.handler # the entry point
      Role: !GetAtt OrdersRole.Arn
      Environment:
        Variables:
          TABLE: !Ref OrdersTable
          QUEUE_URL: !If [IsProd, !Ref OrdersQueue, !Ref "AWS::NoValue"]
      Policies:
        - DynamoDBCrudPolicy:
            TableName: !Ref OrdersTable
      Events:
        Post:
          Type: Api
          Properties:
            Path: /orders
            Method: post

  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S

  OrdersQueue:
    Type: AWS::SQS::Queue

  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Fn::Join:
          - ""
          - - '{"Version":"2012-10-17"}'

Conditions:
  IsProd: !Equals [!Ref Stage, prod]
`;

describe("fixTemplate on YAML", () => {
  it("fixes arm64, memory and log retention so the rules no longer fire", () => {
    const { before, result, after } = fixAndReaudit(SAM);
    expect(before.map((finding) => finding.ruleId).sort()).toEqual([
      "arm64-candidate",
      "log-retention",
      "memory-default",
    ]);
    expect(result.applied.map((fix) => fix.ruleId).sort()).toEqual([
      "arm64-candidate",
      "log-retention",
      "memory-default",
    ]);
    expect(result.applied.every((fix) => fix.resource === "OrdersApi")).toBe(true);
    expect(after).toEqual([]);
  });

  it("keeps comments, short forms, quoting and the lines it did not touch", () => {
    const { result } = fixAndReaudit(SAM);
    const { fixed } = result;
    for (const line of SAM.split("\n")) expect(fixed.split("\n")).toContain(line);
    expect(fixed).toContain("# Takes orders from the API.");
    expect(fixed).toContain("Handler: app.handler # the entry point");
    expect(fixed).toContain('FunctionName: !Sub "orders-api-${Stage}"');
    expect(fixed).toContain('QUEUE_URL: !If [IsProd, !Ref OrdersQueue, !Ref "AWS::NoValue"]');
    expect(fixed).toContain("IsProd: !Equals [!Ref Stage, prod]");
    // What was added, and nothing else.
    const added = fixed.split("\n").filter((line) => !SAM.split("\n").includes(line));
    expect(added).toEqual([
      "      Architectures: [arm64]",
      `      MemorySize: ${TUNED_MEMORY_MB} # lambda-optimizer --fix: the size lambda-optimizer tune recommended`,
      "  OrdersApiLogGroup:",
      "    Type: AWS::Logs::LogGroup",
      "      LogGroupName: !Sub /aws/lambda/${OrdersApi}",
      `      RetentionInDays: ${FIX_LOG_RETENTION_DAYS}`,
    ]);
    // The new log group sits right after its function, with the template's blank line.
    expect(fixed).toContain(
      "      MemorySize: 256 # lambda-optimizer --fix: the size lambda-optimizer tune recommended\n\n  OrdersApiLogGroup:\n    Type: AWS::Logs::LogGroup\n    Properties:\n",
    );
  });

  it("writes a template that still parses to the same values plus the fixes", () => {
    const { result } = fixAndReaudit(SAM);
    const before = parseTemplateText(SAM, "before.yaml").template as {
      Resources: Record<string, { Properties?: Record<string, unknown> }>;
    };
    const after = parseTemplateText(result.fixed, "after.yaml").template as typeof before;
    const { Architectures, MemorySize, ...rest } = after.Resources.OrdersApi!.Properties!;
    expect(rest).toEqual(before.Resources.OrdersApi!.Properties);
    expect(Architectures).toEqual(["arm64"]);
    expect(MemorySize).toBe(TUNED_MEMORY_MB);
    expect(after.Resources.OrdersApiLogGroup).toEqual({
      Type: "AWS::Logs::LogGroup",
      Properties: {
        LogGroupName: { "Fn::Sub": "/aws/lambda/${OrdersApi}" },
        RetentionInDays: FIX_LOG_RETENTION_DAYS,
      },
    });
  });

  it("replaces an explicit x86_64 and keeps a 4-space, unindented-list layout", () => {
    const text = [
      "Resources:",
      "    Worker:",
      "        Type: AWS::Lambda::Function",
      "        Properties:",
      "            Runtime: python3.12",
      "            MemorySize: 256",
      "            Architectures:",
      "            - x86_64",
      "            Layers:",
      "            - !Ref Deps",
      "    Deps:",
      "        Type: AWS::Lambda::LayerVersion",
      "        Properties:",
      "            CompatibleArchitectures: [x86_64, arm64]",
      "    WorkerLogs:",
      "        Type: AWS::Logs::LogGroup",
      "        Properties:",
      "            LogGroupName: !Sub /aws/lambda/${Worker}",
      "",
    ].join("\n");
    const { before, result, after } = fixAndReaudit(text);
    expect(before.map((finding) => `${finding.ruleId} ${finding.resource}`).sort()).toEqual([
      "arm64-candidate Worker",
      "log-retention WorkerLogs",
    ]);
    expect(after).toEqual([]);
    // The list item is replaced where it is written; the rest of the list's layout stays.
    expect(result.fixed).toContain(
      "            Architectures:\n            - arm64\n            Layers:\n            - !Ref Deps\n",
    );
    // The log-retention finding points at the declared group: the fix sets its RetentionInDays.
    expect(result.fixed).toContain(
      "            LogGroupName: !Sub /aws/lambda/${Worker}\n            RetentionInDays: 30\n",
    );
  });

  it("leaves Architectures inherited from Globals alone, and says why", () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Architectures: [x86_64]
    MemorySize: 256
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
`;
    const file = writeTemplate(text);
    const findings = audit(file, [arm64Candidate]);
    expect(findings).toHaveLength(1);
    const result = fixTemplate(file, findings, text, { codeChecked: new Set(["Fn"]) });
    expect(result.fixed).toBe(text);
    expect(result.applied).toEqual([]);
    expect(result.skipped).toEqual([
      expect.objectContaining({
        ruleId: "arm64-candidate",
        resource: "Fn",
        reason: expect.stringContaining("Globals.Function"),
      }),
    ]);
  });

  it("names the next free logical id when <Function>LogGroup is taken", () => {
    const text = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      MemorySize: 1024
      Architectures: [arm64]
  FnLogGroup:
    Type: AWS::SNS::Topic
`;
    const { result, after } = fixAndReaudit(text);
    expect(after).toEqual([]);
    expect(result.fixed).toContain("  FnLogGroup2:\n    Type: AWS::Logs::LogGroup\n");
  });

  it("suggests ReportBatchItemFailures on the event the esm-config finding points at, and changes nothing", () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Consumer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Events:
        Orders:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
            BatchSize: 10
        Refunds:
          Type: SQS
          Properties:
            Queue: !GetAtt RefundsQueue.Arn
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Consumer
      EventSourceArn: !GetAtt Stream.Arn
      StartingPosition: LATEST
`;
    const finding = (resource: string, line: number, message: string): Finding => ({
      ruleId: "esm-config",
      severity: "warning",
      file: "template.yaml",
      line,
      column: 9,
      resource,
      message,
      fix: "Set FunctionResponseTypes: [ReportBatchItemFailures].",
    });
    const result = fixTemplate(
      "template.yaml",
      [
        finding(
          "Consumer",
          14,
          "Refunds: no ReportBatchItemFailures, so one bad message retries the whole batch.",
        ),
        finding("Consumer", 12, "Orders: BatchSize 10 without MaximumBatchingWindowInSeconds."),
        finding("Mapping", 18, "Mapping: no ReportBatchItemFailures on a Kinesis source."),
      ],
      text,
    );
    expect(result.applied).toEqual([]);
    expect(result.fixed).toBe(text);
    expect(result.suggested.map(({ resource, line }) => `${resource}:${line}`)).toEqual([
      "Consumer:14",
      "Mapping:18",
    ]);
    expect(result.suggested[0]!.reason).toContain("batchItemFailures");
    // The exact edit: one added line, in the Refunds event, nothing else.
    expect(result.suggested[0]!.edit).toContain(
      "             Queue: !GetAtt RefundsQueue.Arn\n+            FunctionResponseTypes: [ReportBatchItemFailures]\n",
    );
    expect(changedLines(result.suggested[0]!.edit)).toEqual([
      "+            FunctionResponseTypes: [ReportBatchItemFailures]",
    ]);
    expect(changedLines(result.suggested[1]!.edit)).toEqual([
      "+      FunctionResponseTypes: [ReportBatchItemFailures]",
    ]);
  });

  it("changes nothing when no finding is fixable, and skips a malformed template", () => {
    expect(fixTemplate("t.yaml", [], SAM)).toEqual({
      fixed: SAM,
      applied: [],
      skipped: [],
      suggested: [],
    });
    const broken = "Resources:\n  Fn: [unclosed\n";
    const finding: Finding = {
      ruleId: "memory-default",
      severity: "warning",
      file: "t.yaml",
      line: 2,
      column: 3,
      resource: "Fn",
      message: "m",
      fix: "f",
      fixValue: TUNED_MEMORY_MB,
    };
    const result = fixTemplate("t.yaml", [finding], broken);
    expect(result.fixed).toBe(broken);
    expect(result.skipped).toHaveLength(1);
  });
});

describe("fixTemplate on JSON", () => {
  it("adds JSON at the right places with the file's indentation, and leaves every other line", () => {
    const template = {
      AWSTemplateFormatVersion: "2010-09-09",
      Resources: {
        Fn: {
          Type: "AWS::Lambda::Function",
          Properties: { Runtime: "nodejs22.x", Role: { "Fn::GetAtt": ["Role", "Arn"] } },
        },
        Role: { Type: "AWS::IAM::Role", Properties: {} },
      },
    };
    const text = `${JSON.stringify(template, null, 1)}\n`;
    const { before, result, after } = fixAndReaudit(text, "Stack.template.json");
    expect(before).toHaveLength(3);
    expect(after).toEqual([]);
    const fixed = JSON.parse(result.fixed);
    expect(Object.keys(fixed.Resources)).toEqual(["Fn", "FnLogGroup", "Role"]);
    expect(fixed.Resources.Fn.Properties).toMatchObject({
      Architectures: ["arm64"],
      MemorySize: TUNED_MEMORY_MB,
    });
    expect(fixed.Resources.FnLogGroup.Properties.LogGroupName).toEqual({
      "Fn::Sub": "/aws/lambda/${Fn}",
    });
    expect(changedLines(unifiedDiff(text, result.fixed, "t.json"))).toEqual([
      "-    }",
      "+    },",
      '+    "Architectures": ["arm64"],',
      '+    "MemorySize": 256',
      '+  "FnLogGroup": {',
      '+   "Type": "AWS::Logs::LogGroup",',
      '+   "Properties": {',
      '+    "LogGroupName": {',
      '+     "Fn::Sub": "/aws/lambda/${Fn}"',
      "+    },",
      '+    "RetentionInDays": 30',
      "+   }",
      "+  },",
    ]);
    expect(result.fixed.endsWith("}\n")).toBe(true);
  });
});

describe("unifiedDiff", () => {
  it("prints a unified diff with a/ and b/ paths, and nothing for no change", () => {
    const { result } = fixAndReaudit(SAM);
    const diff = unifiedDiff(SAM, result.fixed, "app/template.yaml");
    expect(diff.startsWith("--- a/app/template.yaml\n+++ b/app/template.yaml\n@@ ")).toBe(true);
    expect(diff).toContain("+      Architectures: [arm64]\n");
    expect(diff).toContain("+  OrdersApiLogGroup:\n");
    expect(
      diff.split("\n").filter((line) => line.startsWith("-") && !line.startsWith("---")),
    ).toEqual([]);
    expect(unifiedDiff(SAM, SAM, "app/template.yaml")).toBe("");
  });
});

/** The - and + lines of a unified diff, headers left out. */
function changedLines(diff: string): string[] {
  return diff.split("\n").filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
}
