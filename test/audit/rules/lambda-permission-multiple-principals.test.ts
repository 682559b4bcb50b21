import { describe, expect, it } from "vitest";
import { lambdaPermissionMultiplePrincipals } from "../../../src/audit/rules/lambda-permission-multiple-principals.js";
import { runRule, summarize } from "./run-rule.js";

describe("lambda-permission-multiple-principals", () => {
  it("reports a function with permissions for two services (serverless-rules ws1002-sam)", () => {
    const findings = runRule(
      lambdaPermissionMultiplePrincipals,
      `
      Resources:
        Function:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.12
        Permission1:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !GetAtt Function.Arn
            Principal: sns.amazonaws.com
            Action: lambda:InvokeFunction
        Permission2:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref Function
            Principal: events.amazonaws.com
            Action: lambda:InvokeFunction
      `,
    );
    expect(summarize(findings)).toEqual([
      {
        ruleId: "lambda-permission-multiple-principals",
        severity: "warning",
        line: 2,
        resource: "Function",
      },
    ]);
    expect(findings[0]!.message).toContain("sns (Permission1); events (Permission2)");
  });

  it("counts the permissions SAM events create (an SNS and an EventBridge event)", () => {
    const findings = runRule(
      lambdaPermissionMultiplePrincipals,
      `
      Resources:
        Function:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Topic: {Type: SNS}
              Rule: {Type: EventBridgeRule}
      `,
    );
    expect(summarize(findings)).toHaveLength(1);
  });

  it("accepts several permissions for one principal, and events that share one (REST and HTTP APIs)", () => {
    const findings = runRule(
      lambdaPermissionMultiplePrincipals,
      `
      Resources:
        Function:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Rest: {Type: Api}
              Http: {Type: HttpApi}
              Jobs: {Type: SQS}
        Extra:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref Function
            Principal: apigateway.amazonaws.com
        Other:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref SomeoneElse
            Principal: s3.amazonaws.com
      `,
    );
    expect(findings).toEqual([]);
  });
});
