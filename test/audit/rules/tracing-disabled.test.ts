import { describe, expect, it } from "vitest";
import { tracingDisabled } from "../../../src/audit/rules/tracing-disabled.js";
import { runRule, summarize } from "./run-rule.js";

describe("tracing-disabled", () => {
  it("reports SAM Tracing PassThrough at its line and CloudFormation without TracingConfig at the resource", () => {
    const findings = runRule(
      tracingDisabled,
      `
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Tracing: PassThrough
        Billing:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "tracing-disabled", severity: "info", line: 5, resource: "Orders" },
      { ruleId: "tracing-disabled", severity: "info", line: 6, resource: "Billing" },
    ]);
  });

  it("accepts Tracing: Active from Globals and TracingConfig Mode Active", () => {
    const findings = runRule(
      tracingDisabled,
      `
      Globals:
        Function:
          Tracing: Active
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
        Billing:
          Type: AWS::Lambda::Function
          Properties:
            TracingConfig:
              Mode: Active
      `,
    );
    expect(findings).toEqual([]);
  });

  it("does not accept Active written in the wrong place for the flavour", () => {
    const findings = runRule(
      tracingDisabled,
      `
      Resources:
        Billing:
          Type: AWS::Lambda::Function
          Properties:
            Tracing: Active
      `,
    );
    expect(summarize(findings)).toHaveLength(1);
  });
});
