import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../../src/audit/engine.js";
import { MeasuredInitIndex } from "../../../src/audit/measured-init.js";
import { snapstartCandidate } from "../../../src/audit/rules/snapstart-candidate.js";
import { writeTuneRun } from "../tune-run-file.js";
import { runRule, summarize, yaml } from "./run-rule.js";

const apiFunction = (runtime: string, extra = "") => `
  Resources:
    Orders:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: ${runtime}
        Events:
          Get:
            Type: Api
${extra}
  `;

describe("snapstart-candidate", () => {
  it("reports a Python 3.12+ function behind an API without SnapStart, with SnapStart's charges", () => {
    const findings = runRule(snapstartCandidate, apiFunction("python3.13"));
    expect(summarize(findings)).toEqual([
      { ruleId: "snapstart-candidate", severity: "info", line: 2, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toBe(
      "Orders is invoked synchronously (Api event Get) on python3.13 without SnapStart or provisioned concurrency: callers wait through its initialisation; if that is heavy (large libraries, models, framework setup), SnapStart restores a snapshot instead. On Python, SnapStart bills snapshot caching and each restore: see docs/pricing.md for both prices.",
    );
  });

  it("reports a CloudFormation function behind a function URL", () => {
    const findings = runRule(
      snapstartCandidate,
      `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: python3.12
        OrdersUrl:
          Type: AWS::Lambda::Url
          Properties:
            AuthType: AWS_IAM
            TargetFunctionArn: !GetAtt Orders.Arn
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "snapstart-candidate", severity: "info", line: 2, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toContain("(function URL OrdersUrl) on python3.12");
  });

  it("reports a Cognito trigger: the user signing up waits too", () => {
    const findings = runRule(
      snapstartCandidate,
      `
      Resources:
        SignUp:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: python3.13
        Users:
          Type: AWS::Cognito::UserPool
          Properties:
            LambdaConfig:
              PreSignUp: !GetAtt SignUp.Arn
      `,
    );
    expect(findings[0]!.message).toContain(
      "SignUp is invoked synchronously (Cognito user pool Users trigger PreSignUp) on python3.13",
    );
  });

  it("leaves Java and .NET to slow-start-sync, which names SnapStart among its options", () => {
    expect(runRule(snapstartCandidate, apiFunction("java21"))).toEqual([]);
    expect(runRule(snapstartCandidate, apiFunction("dotnet8"))).toEqual([]);
  });

  it("does not report a runtime without SnapStart, or one with provisioned concurrency", () => {
    expect(runRule(snapstartCandidate, apiFunction("nodejs22.x"))).toEqual([]);
    expect(runRule(snapstartCandidate, apiFunction("python3.11"))).toEqual([]);
    expect(
      runRule(
        snapstartCandidate,
        apiFunction(
          "python3.13",
          "        AutoPublishAlias: live\n        ProvisionedConcurrencyConfig:\n          ProvisionedConcurrentExecutions: 1",
        ),
      ),
    ).toEqual([]);
  });

  it("does not report a Python function that only a queue invokes", () => {
    const findings = runRule(
      snapstartCandidate,
      `
      Resources:
        Worker:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.13
            Events:
              Jobs:
                Type: SQS
      `,
    );
    expect(findings).toEqual([]);
  });
});

describe("snapstart-candidate with a saved tune run's cold starts", () => {
  it("quotes the measured init duration, so whether SnapStart pays is a figure", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-snapstart-candidate-"));
    const run = writeTuneRun(cwd, {
      functionName: "Orders",
      memoryMb: 512,
      kind: "aws",
      coldStarts: { 128: [1210, 1190] },
    });
    const file = join(cwd, "template.yaml");
    writeFileSync(file, yaml(apiFunction("python3.13")));
    const report = auditTemplates([file], {
      rules: [snapstartCandidate],
      cwd,
      measuredInit: new MeasuredInitIndex(cwd),
    });
    expect(report.findings[0]!.message).toContain(
      `callers wait through its initialisation (measured init duration 1,200 ms at p50 over 2 cold starts at its 128 MB (x86_64); tune run ${run} on AWS, 2026-11-30). On Python,`,
    );
  });
});
