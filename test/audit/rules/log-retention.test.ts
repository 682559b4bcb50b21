import { describe, expect, it } from "vitest";
import { logRetention } from "../../../src/audit/rules/log-retention.js";
import { runRule, summarize } from "./run-rule.js";

const FUNCTION = `
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-api
      Runtime: nodejs22.x`;

describe("log-retention", () => {
  it("reports a function with no log group, at the function", () => {
    const findings = runRule(logRetention, `Resources:${FUNCTION}\n`);
    expect(summarize(findings)).toEqual([
      { ruleId: "log-retention", severity: "warning", line: 2, resource: "Orders" },
    ]);
  });

  it.each([
    ["!Sub /aws/lambda/${Orders}"],
    ['!Sub ["/aws/lambda/${Name}", {Name: !Ref Orders}]'],
    ['!Join ["", ["/aws/lambda/", !Ref Orders]]'],
    ["/aws/lambda/orders-api"],
    ["!Sub /aws/lambda/${AWS::NoSuchThing}orders-api"],
  ])("accepts a log group with retention named %s", (name) => {
    const template = `Resources:${FUNCTION}
  OrdersLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: ${name}
      RetentionInDays: 30
`;
    const findings = runRule(logRetention, template);
    if (name.includes("NoSuchThing")) {
      // Near miss: a name that is not the function's.
      expect(summarize(findings)).toHaveLength(1);
    } else {
      expect(findings).toEqual([]);
    }
  });

  it("reports the log group itself when it names the function but has no RetentionInDays", () => {
    const findings = runRule(
      logRetention,
      `Resources:${FUNCTION}
  OrdersLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/\${Orders}
`,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "log-retention", severity: "warning", line: 9, resource: "OrdersLogs" },
    ]);
  });

  it("does not take a log group for another function", () => {
    const findings = runRule(
      logRetention,
      `Resources:${FUNCTION}
  Other:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
  OtherLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/\${Other}
      RetentionInDays: 7
`,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "log-retention", severity: "warning", line: 2, resource: "Orders" },
    ]);
  });

  it("follows LoggingConfig.LogGroup to a declared log group, and checks its retention", () => {
    const template = (retention: string) => `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            LoggingConfig:
              LogGroup: !Ref Shared
        Shared:
          Type: AWS::Logs::LogGroup
          Properties:
            LogGroupName: shared-logs
            ${retention}
      `;
    expect(runRule(logRetention, template("RetentionInDays: 14"))).toEqual([]);
    expect(summarize(runRule(logRetention, template("")))).toEqual([
      { ruleId: "log-retention", severity: "warning", line: 9, resource: "Shared" },
    ]);
  });

  it("leaves alone a LoggingConfig.LogGroup managed outside the template", () => {
    const findings = runRule(
      logRetention,
      `
      Resources:
        Orders:
          Type: AWS::Lambda::Function
          Properties:
            LoggingConfig:
              LogGroup: /org/shared/lambda
      `,
    );
    expect(findings).toEqual([]);
  });
});
