import { describe, expect, it } from "vitest";
import { reservedConcurrency } from "../../../src/audit/rules/reserved-concurrency.js";
import { runRule, summarize } from "./run-rule.js";

const fn = (events: string, extra = "") => `
  Resources:
    Worker:
      Type: AWS::Serverless::Function
      Properties:
        Runtime: nodejs22.x${extra}
        Events:
${events}
  `;

describe("reserved-concurrency", () => {
  it("reports an SQS consumer without reserved concurrency, at the function", () => {
    const findings = runRule(reservedConcurrency, fn("          Jobs:\n            Type: SQS"));
    expect(summarize(findings)).toEqual([
      { ruleId: "reserved-concurrency", severity: "info", line: 2, resource: "Worker" },
    ]);
    expect(findings[0]!.message).toContain("SQS event Jobs");
  });

  it("reports S3 and EventBridge sources", () => {
    const findings = runRule(
      reservedConcurrency,
      fn(
        "          Upload:\n            Type: S3\n          Bus:\n            Type: EventBridgeRule",
      ),
    );
    expect(findings[0]!.message).toMatch(/S3 event Upload.*EventBridgeRule event Bus/);
  });

  it("accepts ReservedConcurrentExecutions, and an SQS source capped by MaximumConcurrency", () => {
    expect(
      runRule(
        reservedConcurrency,
        fn("          Jobs:\n            Type: SQS", "\n        ReservedConcurrentExecutions: 10"),
      ),
    ).toEqual([]);
    expect(
      runRule(
        reservedConcurrency,
        fn(
          "          Jobs:\n            Type: SQS\n            Properties:\n              ScalingConfig:\n                MaximumConcurrency: 5",
        ),
      ),
    ).toEqual([]);
  });

  it("does not report a stream consumer: shards bound its concurrency", () => {
    expect(
      runRule(reservedConcurrency, fn("          Stream:\n            Type: Kinesis")),
    ).toEqual([]);
  });

  it("finds a CloudFormation SQS event source mapping", () => {
    const findings = runRule(
      reservedConcurrency,
      `
      Resources:
        Worker:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
        Queue:
          Type: AWS::SQS::Queue
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            FunctionName: !Ref Worker
            EventSourceArn: !GetAtt Queue.Arn
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "reserved-concurrency", severity: "info", line: 2, resource: "Worker" },
    ]);
  });
});

describe.each([
  { partition: "aws", region: "us-east-1" },
  { partition: "aws-cn", region: "cn-north-1" },
  { partition: "aws-us-gov", region: "us-gov-west-1" },
])("reserved-concurrency on a written-out $partition ARN", ({ partition, region }) => {
  const withSource = (sourceArn: string) => `
      Resources:
        Worker:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
        Mapping:
          Type: AWS::Lambda::EventSourceMapping
          Properties:
            FunctionName: !Ref Worker
            EventSourceArn: ${sourceArn}
      `;

  it("reports an SQS queue named by its ARN", () => {
    const findings = runRule(
      reservedConcurrency,
      withSource(`arn:${partition}:sqs:${region}:123456789012:jobs`),
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "reserved-concurrency", severity: "info", line: 2, resource: "Worker" },
    ]);
    expect(findings[0]!.message).toContain("SQS event source mapping Mapping");
  });

  it("does not report a Kinesis stream named by its ARN", () => {
    expect(
      runRule(
        reservedConcurrency,
        withSource(`arn:${partition}:kinesis:${region}:123456789012:stream/clicks`),
      ),
    ).toEqual([]);
  });
});
