import { describe, expect, it } from "vitest";
import { snapstartCandidate } from "../../../src/audit/rules/snapstart-candidate.js";
import { runRule, summarize } from "./run-rule.js";

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
  it("reports a Java function behind an API without SnapStart", () => {
    const findings = runRule(snapstartCandidate, apiFunction("java21"));
    expect(summarize(findings)).toEqual([
      { ruleId: "snapstart-candidate", severity: "info", line: 2, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toContain("Api event Get");
  });

  it("mentions the restore charges on Python", () => {
    const findings = runRule(snapstartCandidate, apiFunction("python3.13"));
    expect(findings[0]!.message).toContain("bills snapshot caching");
  });

  it("reports a CloudFormation function behind a function URL", () => {
    const findings = runRule(
      snapstartCandidate,
      `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: dotnet8
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
  });

  it("does not report a runtime without SnapStart, or one with provisioned concurrency", () => {
    expect(runRule(snapstartCandidate, apiFunction("nodejs22.x"))).toEqual([]);
    expect(
      runRule(
        snapstartCandidate,
        apiFunction(
          "java21",
          "        AutoPublishAlias: live\n        ProvisionedConcurrencyConfig:\n          ProvisionedConcurrentExecutions: 1",
        ),
      ),
    ).toEqual([]);
  });

  it("does not report a Java function that only a queue invokes", () => {
    const findings = runRule(
      snapstartCandidate,
      `
      Resources:
        Worker:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: java21
            Events:
              Jobs:
                Type: SQS
      `,
    );
    expect(findings).toEqual([]);
  });
});
