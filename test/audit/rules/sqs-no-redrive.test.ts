import { describe, expect, it } from "vitest";
import { sqsNoRedrive } from "../../../src/audit/rules/sqs-no-redrive.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

describe("sqs-no-redrive", () => {
  it("reports a queue without RedrivePolicy (serverless-rules ES6000)", () => {
    const yaml = `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
`;
    expect(auditYaml(yaml, sqsNoRedrive)).toMatchObject([
      {
        ruleId: "sqs-no-redrive",
        severity: "error",
        resource: "Jobs",
        message:
          "SQS queue Jobs has no RedrivePolicy: a message that always fails is retried, and billed, until it expires.",
        line: lineOf(yaml, "Jobs:"),
      },
    ]);
  });

  it("does not report a queue with a redrive policy, nor the dead-letter queue it names", () => {
    const yaml = `Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt JobsDlq.Arn
        maxReceiveCount: 5
  JobsDlq:
    Type: AWS::SQS::Queue
`;
    expect(auditYaml(yaml, sqsNoRedrive)).toEqual([]);
  });

  it("does not report a queue used as a function's dead-letter queue", () => {
    const yaml = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt FnDlq.Arn
  FnDlq:
    Type: AWS::SQS::Queue
`;
    expect(auditYaml(yaml, sqsNoRedrive)).toEqual([]);
  });
});
