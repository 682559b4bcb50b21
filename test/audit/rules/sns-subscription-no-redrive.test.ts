import { describe, expect, it } from "vitest";
import { snsSubscriptionNoRedrive } from "../../../src/audit/rules/sns-subscription-no-redrive.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

describe("sns-subscription-no-redrive", () => {
  it("reports a subscription without RedrivePolicy (serverless-rules ES7000)", () => {
    const yaml = `Resources:
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: lambda
      Endpoint: !GetAtt Fn.Arn
`;
    expect(auditYaml(yaml, snsSubscriptionNoRedrive)).toMatchObject([
      {
        ruleId: "sns-subscription-no-redrive",
        severity: "error",
        resource: "Sub",
        message:
          "SNS subscription Sub has no RedrivePolicy: messages SNS cannot deliver are dropped.",
        line: lineOf(yaml, "Sub:"),
      },
    ]);
  });

  it("does not report a subscription with a RedrivePolicy", () => {
    const yaml = `Resources:
  Sub:
    Type: AWS::SNS::Subscription
    Properties:
      TopicArn: !Ref Topic
      Protocol: lambda
      Endpoint: !GetAtt Fn.Arn
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt Dlq.Arn
`;
    expect(auditYaml(yaml, snsSubscriptionNoRedrive)).toEqual([]);
  });

  it("reports a SAM SNS event without RedrivePolicy, at the event", () => {
    const yaml = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Notified:
          Type: SNS
          Properties:
            Topic: !Ref Topic
`;
    expect(auditYaml(yaml, snsSubscriptionNoRedrive)).toMatchObject([
      {
        resource: "Fn",
        message:
          "Fn's SNS event Notified has no RedrivePolicy: messages SNS cannot deliver to the function are dropped.",
        line: lineOf(yaml, "          Properties:"),
      },
    ]);
  });
});
