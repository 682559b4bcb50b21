import { describe, expect, it } from "vitest";
import { asyncNoFailureDestination } from "../../../src/audit/rules/async-no-failure-destination.js";
import { runRule } from "./run-rule.js";

describe("async-no-failure-destination", () => {
  it("reports an SNS-invoked SAM function with no destination or DLQ", () => {
    const findings = runRule(
      asyncNoFailureDestination,
      `
      Resources:
        Notify:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
            Events:
              Topic:
                Type: SNS
      `,
    );
    expect(findings).toMatchObject([
      {
        ruleId: "async-no-failure-destination",
        severity: "warning",
        line: 2,
        resource: "Notify",
        message:
          "Notify is invoked asynchronously (SNS event Topic) with no on-failure destination or dead-letter queue: events that fail three times are dropped.",
      },
    ]);
  });

  it("accepts an OnFailure destination, or a DeadLetterQueue", () => {
    const template = (extra: string) => `
      Resources:
        Notify:
          Type: AWS::Serverless::Function
          Properties:
            ${extra}
            Events:
              Nightly:
                Type: Schedule
      `;
    expect(
      runRule(
        asyncNoFailureDestination,
        template(
          "EventInvokeConfig: {DestinationConfig: {OnFailure: {Type: SQS, Destination: arn:aws:sqs:us-east-1:123456789012:failed}}}",
        ),
      ),
    ).toEqual([]);
    expect(
      runRule(
        asyncNoFailureDestination,
        template("DeadLetterQueue: {Type: SQS, TargetArn: arn:aws:sqs:us-east-1:123456789012:dlq}"),
      ),
    ).toEqual([]);
  });

  it("does not take an EventInvokeConfig with only an OnSuccess destination", () => {
    const findings = runRule(
      asyncNoFailureDestination,
      `
      Resources:
        Thumbs:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
        S3Invoke:
          Type: AWS::Lambda::Permission
          Properties:
            FunctionName: !Ref Thumbs
            Principal: s3.amazonaws.com
        InvokeConfig:
          Type: AWS::Lambda::EventInvokeConfig
          Properties:
            FunctionName: !Ref Thumbs
            Qualifier: $LATEST
            DestinationConfig:
              OnSuccess:
                Destination: arn:aws:sqs:us-east-1:123456789012:done
      `,
    );
    expect(findings).toMatchObject([
      {
        ruleId: "async-no-failure-destination",
        severity: "warning",
        line: 2,
        resource: "Thumbs",
        message:
          "Thumbs is invoked asynchronously (s3 permission S3Invoke) with no on-failure destination or dead-letter queue: events that fail three times are dropped.",
      },
    ]);
  });

  it("does not report a function only an API or a queue invokes", () => {
    const findings = runRule(
      asyncNoFailureDestination,
      `
      Resources:
        Api:
          Type: AWS::Serverless::Function
          Properties:
            Events:
              Get: {Type: Api}
              Jobs: {Type: SQS}
      `,
    );
    expect(findings).toEqual([]);
  });
});
