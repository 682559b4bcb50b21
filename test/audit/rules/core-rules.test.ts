/** arm64-candidate, memory-default and timeout-max: a true positive and a near miss each. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../../src/audit/engine.js";
import { MeasuredInitIndex } from "../../../src/audit/measured-init.js";
import type { AuditRule } from "../../../src/audit/rule.js";
import { arm64Candidate } from "../../../src/audit/rules/arm64-candidate.js";
import { memoryDefault } from "../../../src/audit/rules/memory-default.js";
import { timeoutMax } from "../../../src/audit/rules/timeout-max.js";
import { writeTuneRun } from "../tune-run-file.js";

function run(rule: AuditRule, yaml: string) {
  const file = join(mkdtempSync(join(tmpdir(), "lo-rule-")), "template.yaml");
  writeFileSync(file, yaml);
  return auditTemplates([file], { rules: [rule] }).findings.map((finding) => ({
    line: finding.line,
    resource: finding.resource,
    severity: finding.severity,
  }));
}

const header = "Transform: AWS::Serverless-2016-10-31\nResources:\n";

describe("arm64-candidate", () => {
  it("flags a function on the default x86_64, at the resource", () => {
    expect(
      run(
        arm64Candidate,
        `${header}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n`,
      ),
    ).toEqual([{ line: 3, resource: "Fn", severity: "warning" }]);
  });
  it("flags an explicit x86_64 at its line, and leaves arm64 and images alone", () => {
    const yaml = `${header}  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Architectures: [x86_64]\n  Arm:\n    Type: AWS::Lambda::Function\n    Properties:\n      Architectures: [arm64]\n  Image:\n    Type: AWS::Lambda::Function\n    Properties:\n      PackageType: Image\n`;
    expect(run(arm64Candidate, yaml)).toEqual([{ line: 6, resource: "Fn", severity: "warning" }]);
  });
});

describe("arm64-candidate with cold starts measured on both architectures", () => {
  function messages(cwd: string) {
    const file = join(cwd, "template.yaml");
    writeFileSync(
      file,
      `${header}  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      MemorySize: 1024\n`,
    );
    const report = auditTemplates([file], {
      rules: [arm64Candidate],
      cwd,
      measuredInit: new MeasuredInitIndex(cwd),
    });
    return report.findings.map((finding) => finding.message);
  }

  it("quotes both architectures' cold starts from a run on AWS, at the function's own size", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-arm64-"));
    const run = writeTuneRun(cwd, {
      functionName: "Orders",
      memoryMb: 1024,
      kind: "aws",
      coldStarts: { 512: [900, 950], 1024: [760, 745, 730] },
      arm64ColdStarts: { 512: [800, 820], 1024: [620, 610, 600] },
    });
    expect(messages(cwd)).toEqual([
      `Orders runs on x86_64 (the default): arm64 would cost about 20% less per GB-second. Native dependencies must be built for arm64. A tune run measured its cold starts on both at 1024 MB: init 610 ms at p50 on arm64 against 745 ms on x86_64, 18% faster (3 and 3 cold starts; tune run ${run} on AWS, 2026-11-30).`,
    ]);
  });

  it("says nothing of cold starts when no run measured both architectures", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-arm64-"));
    writeTuneRun(cwd, { functionName: "Orders", memoryMb: 1024, coldStarts: { 1024: [700] } });
    expect(messages(cwd)).toEqual([
      "Orders runs on x86_64 (the default): arm64 would cost about 20% less per GB-second. Native dependencies must be built for arm64.",
    ]);
  });
});

describe("arm64-candidate with layers", () => {
  function findings(yaml: string) {
    const file = join(mkdtempSync(join(tmpdir(), "lo-rule-")), "template.yaml");
    writeFileSync(file, yaml);
    return auditTemplates([file], { rules: [arm64Candidate] }).findings;
  }
  const GM = "arn:aws:lambda:us-east-1:175033217214:layer:graphicsmagick:2";

  it("with a layer given by ARN: info, and asks to check that layer's arm64 build", () => {
    const [finding, ...rest] = findings(
      `${header}  Thumbnail:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      Layers:\n        - ${GM}\n`,
    );
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ resource: "Thumbnail", severity: "info", line: 3 });
    expect(finding!.message).toContain(`a layer from outside this template (${GM})`);
    expect(finding!.fix).toContain(`Check that layer ${GM} has an arm64 build`);
  });

  it("with a layer from a parameter, too; a layer declared in the template keeps the warning", () => {
    const yaml = `${header.replace("Resources:", "Parameters:\n  LayerArn:\n    Type: String\nResources:")}  FromParam:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      Layers: [!Ref LayerArn]\n  Local:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      Layers: [!Ref Deps]\n  Deps:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: deps/\n`;
    expect(
      findings(yaml).map(({ resource, severity, message }) => ({
        resource,
        severity,
        outside: message.includes("LayerArn"),
      })),
    ).toEqual([
      { resource: "FromParam", severity: "info", outside: true },
      { resource: "Local", severity: "warning", outside: false },
    ]);
  });
});

describe("memory-default", () => {
  it("flags a function without MemorySize", () => {
    expect(
      run(
        memoryDefault,
        `${header}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n`,
      ),
    ).toEqual([{ line: 3, resource: "Fn", severity: "warning" }]);
  });
  it("is satisfied by MemorySize in Globals", () => {
    const yaml = `Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    MemorySize: 512\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n`;
    expect(run(memoryDefault, yaml)).toEqual([]);
  });
});

describe("timeout-max", () => {
  it("flags Timeout: 900 and an asynchronous function left at 3 s", () => {
    const yaml = `${header}  Slow:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 900\n  OnUpload:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Bucket\n            Events: s3:ObjectCreated:*\n`;
    expect(run(timeoutMax, yaml)).toEqual([
      { line: 6, resource: "Slow", severity: "warning" },
      { line: 7, resource: "OnUpload", severity: "warning" },
    ]);
  });
  it("leaves an 899 s timeout and a synchronous function at the default alone", () => {
    const yaml = `${header}  Long:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 899\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /\n            Method: get\n`;
    expect(run(timeoutMax, yaml)).toEqual([]);
  });
});
