import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditStage } from "../../../src/audit/audit-options.js";
import { auditTemplates } from "../../../src/audit/engine.js";
import { logRetention } from "../../../src/audit/rules/log-retention.js";
import { runRule, yaml } from "./run-rule.js";

const FUNCTION = `
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-api
      Runtime: nodejs22.x`;

describe("log-retention", () => {
  it("reports a function with no log group, at the function", () => {
    const findings = runRule(logRetention, `Resources:${FUNCTION}\n`);
    expect(findings).toMatchObject([
      {
        ruleId: "log-retention",
        severity: "warning",
        line: 2,
        resource: "Orders",
        message:
          "Orders has no log group with RetentionInDays in this template: Lambda creates /aws/lambda/<name> with logs kept, and billed, forever.",
      },
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
      expect(findings).toMatchObject([
        {
          resource: "Orders",
          message:
            "Orders has no log group with RetentionInDays in this template: Lambda creates /aws/lambda/<name> with logs kept, and billed, forever.",
        },
      ]);
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
    expect(findings).toMatchObject([
      {
        ruleId: "log-retention",
        severity: "warning",
        line: 9,
        resource: "OrdersLogs",
        message:
          "Log group OrdersLogs of Orders has no RetentionInDays: its logs are kept, and billed, forever.",
      },
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
    expect(findings).toMatchObject([
      {
        ruleId: "log-retention",
        severity: "warning",
        line: 2,
        resource: "Orders",
        message:
          "Orders has no log group with RetentionInDays in this template: Lambda creates /aws/lambda/<name> with logs kept, and billed, forever.",
      },
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
    expect(runRule(logRetention, template(""))).toMatchObject([
      {
        ruleId: "log-retention",
        severity: "warning",
        line: 9,
        resource: "Shared",
        message:
          "Log group Shared of Orders has no RetentionInDays: its logs are kept, and billed, forever.",
      },
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

describe("log-retention: a set retention, judged only when the stage is said", () => {
  /** The rule over a template, the audit told (or not) what the stack is for. */
  function auditAtStage(template: string, stage?: AuditStage) {
    const file = join(mkdtempSync(join(tmpdir(), "lo-log-retention-")), "template.yaml");
    writeFileSync(file, yaml(template));
    const report = auditTemplates([file], { rules: [logRetention], ...(stage ? { stage } : {}) });
    expect(report.errors).toEqual([]);
    return report.findings;
  }

  const withRetention = (days: number) => `Resources:${FUNCTION}
  OrdersLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/\${Orders}
      RetentionInDays: ${days}
`;

  it("in development, reports a retention above 30 days at its RetentionInDays, as info", () => {
    expect(auditAtStage(withRetention(90), "development")).toMatchObject([
      {
        ruleId: "log-retention",
        severity: "info",
        line: 11,
        resource: "OrdersLogs",
        message:
          "Log group OrdersLogs of Orders keeps logs 90 days, and this audit was told the stacks are for development: the guide keeps development logs about 7–30 days, and storage beyond that is billed for logs nobody reads.",
        fix: "Set RetentionInDays to 7, 14 or 30; if this stack is production after all, audit it with the stage production, which leaves a set retention alone.",
      },
    ]);
    expect(auditAtStage(withRetention(30), "development")).toEqual([]);
    expect(auditAtStage(withRetention(7), "development")).toEqual([]);
  });

  it("in production, or with no stage said, says nothing about a set retention", () => {
    expect(auditAtStage(withRetention(3653), "production")).toEqual([]);
    expect(auditAtStage(withRetention(3653))).toEqual([]);
  });

  it("in development, judges a log group shared by two functions once", () => {
    const findings = auditAtStage(
      `Resources:
  A:
    Type: AWS::Lambda::Function
    Properties:
      LoggingConfig:
        LogGroup: !Ref Shared
  B:
    Type: AWS::Lambda::Function
    Properties:
      LoggingConfig:
        LogGroup: !Ref Shared
  Shared:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 60
`,
      "development",
    );
    expect(findings.map((finding) => `${finding.line} ${finding.resource}`)).toEqual(["15 Shared"]);
  });
});
