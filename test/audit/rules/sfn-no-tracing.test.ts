import { describe, expect, it } from "vitest";
import { sfnNoTracing } from "../../../src/audit/rules/sfn-no-tracing.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

describe("sfn-no-tracing", () => {
  it("reports a state machine without tracing, and one with Enabled: false at that line (serverless-rules WS5000)", () => {
    const yaml = `Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/sfn
  SamFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Tracing:
        Enabled: false
`;
    expect(auditYaml(yaml, sfnNoTracing)).toMatchObject([
      {
        ruleId: "sfn-no-tracing",
        severity: "warning",
        resource: "Flow",
        message:
          "State machine Flow does not have TracingConfiguration.Enabled set to true: its states and the functions they call are not traced.",
        line: lineOf(yaml, "Flow:"),
      },
      {
        resource: "SamFlow",
        message:
          "State machine SamFlow does not have Tracing.Enabled set to true: its states and the functions they call are not traced.",
        line: lineOf(yaml, "Enabled: false"),
      },
    ]);
  });

  it("does not report state machines with tracing enabled", () => {
    const yaml = `Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      TracingConfiguration:
        Enabled: true
  SamFlow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Tracing:
        Enabled: true
`;
    expect(auditYaml(yaml, sfnNoTracing)).toEqual([]);
  });
});
