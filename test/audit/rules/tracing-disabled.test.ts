import { describe, expect, it } from "vitest";
import { tracingDisabled } from "../../../src/audit/rules/tracing-disabled.js";
import { runRule } from "./run-rule.js";

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
    expect(findings).toMatchObject([
      {
        ruleId: "tracing-disabled",
        severity: "info",
        line: 5,
        resource: "Orders",
        message: 'Orders does not have active tracing (Tracing is "PassThrough").',
      },
      {
        ruleId: "tracing-disabled",
        severity: "info",
        line: 6,
        resource: "Billing",
        message: "Billing does not have active tracing (TracingConfig.Mode is unset).",
      },
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
    // SAM's Tracing on a CloudFormation function is ignored: the finding says TracingConfig is unset.
    expect(findings).toMatchObject([
      {
        resource: "Billing",
        message: "Billing does not have active tracing (TracingConfig.Mode is unset).",
      },
    ]);
  });
});
