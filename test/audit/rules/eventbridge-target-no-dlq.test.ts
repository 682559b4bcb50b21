import { describe, expect, it } from "vitest";
import { eventbridgeTargetNoDlq } from "../../../src/audit/rules/eventbridge-target-no-dlq.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

describe("eventbridge-target-no-dlq", () => {
  it("reports each target without DeadLetterConfig.Arn (serverless-rules ES4000)", () => {
    const yaml = `Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [my.app]
      Targets:
        - Id: good
          Arn: !GetAtt Fn.Arn
          DeadLetterConfig:
            Arn: !GetAtt Dlq.Arn
        - Id: bad
          Arn: !GetAtt Other.Arn
`;
    expect(auditYaml(yaml, eventbridgeTargetNoDlq)).toMatchObject([
      {
        ruleId: "eventbridge-target-no-dlq",
        severity: "error",
        resource: "Rule",
        message:
          "EventBridge rule Rule: target bad has no DeadLetterConfig.Arn, so events it fails to deliver are dropped.",
        line: lineOf(yaml, "- Id: bad"),
      },
    ]);
  });

  it("does not report a rule whose targets all have a dead-letter queue", () => {
    const yaml = `Resources:
  Rule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 hour)
      Targets:
        - Id: t
          Arn: !GetAtt Fn.Arn
          DeadLetterConfig:
            Arn: !GetAtt Dlq.Arn
`;
    expect(auditYaml(yaml, eventbridgeTargetNoDlq)).toEqual([]);
  });

  it("reports a SAM Schedule event without DeadLetterConfig, not one with Type: SQS", () => {
    const yaml = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Hourly:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
        Daily:
          Type: Schedule
          Properties:
            Schedule: rate(1 day)
            DeadLetterConfig:
              Type: SQS
`;
    expect(auditYaml(yaml, eventbridgeTargetNoDlq)).toMatchObject([
      {
        resource: "Fn",
        message:
          "Fn's Schedule event Hourly has no DeadLetterConfig: events EventBridge fails to deliver to the function are dropped.",
        line: lineOf(yaml, "Hourly:") + 2,
      },
    ]);
  });
});
