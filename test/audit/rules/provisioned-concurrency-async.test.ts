import { describe, expect, it } from "vitest";
import { provisionedConcurrencyAsync } from "../../../src/audit/rules/provisioned-concurrency-async.js";
import { runRule, summarize } from "./run-rule.js";

const withEvents = (events: string) => `
  Resources:
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        AutoPublishAlias: live
        ProvisionedConcurrencyConfig:
          ProvisionedConcurrentExecutions: 5
        Events:
${events}
  `;

describe("provisioned-concurrency-async", () => {
  it("reports provisioned concurrency on a queue consumer, at ProvisionedConcurrencyConfig", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      withEvents(
        "          Jobs:\n            Type: SQS\n          Nightly:\n            Type: Schedule",
      ),
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "provisioned-concurrency-async", severity: "warning", line: 6, resource: "Worker" },
    ]);
    expect(findings[0]!.message).toContain("SQS event Jobs");
  });

  it("does not report when an API also invokes the function", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      withEvents(
        "          Jobs:\n            Type: SQS\n          Get:\n            Type: HttpApi",
      ),
    );
    expect(findings).toEqual([]);
  });

  it("reports a CloudFormation alias with provisioned concurrency on an S3-invoked function", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      `
      Resources:
        Thumbnails:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
        Live:
          Type: AWS::Lambda::Alias
          Properties:
            FunctionName: !Ref Thumbnails
            FunctionVersion: "3"
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 2
        S3Invoke:
          Type: AWS::Lambda::Permission
          Properties:
            Action: lambda:InvokeFunction
            FunctionName: !GetAtt Thumbnails.Arn
            Principal: s3.amazonaws.com
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "provisioned-concurrency-async", severity: "warning", line: 11, resource: "Live" },
    ]);
  });

  it("does not report a function with no trigger in the template (it may be invoked directly)", () => {
    const findings = runRule(
      provisionedConcurrencyAsync,
      `
      Resources:
        Worker:
          Type: AWS::Serverless::Function
          Properties:
            AutoPublishAlias: live
            ProvisionedConcurrencyConfig:
              ProvisionedConcurrentExecutions: 5
      `,
    );
    expect(findings).toEqual([]);
  });
});
