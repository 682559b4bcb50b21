import { describe, expect, it } from "vitest";
import { esmConfig } from "../../../src/audit/rules/esm-config.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

const samSqs = (
  eventProperties: string,
  queueProperties = "      VisibilityTimeout: 180\n",
  timeout = 30,
) => `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
${queueProperties}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Timeout: ${timeout}
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
${eventProperties}`;

const GOOD_SQS =
  "            BatchSize: 10\n            FunctionResponseTypes: [ReportBatchItemFailures]\n";

describe("esm-config", () => {
  it("reports nothing for a well-configured SQS event", () => {
    expect(auditYaml(samSqs(GOOD_SQS), esmConfig)).toEqual([]);
  });

  it("errors on SQS BatchSize above 10 without a batching window, not with one", () => {
    const yaml = samSqs(
      "            BatchSize: 100\n            FunctionResponseTypes: [ReportBatchItemFailures]\n",
    );
    expect(auditYaml(yaml, esmConfig)).toMatchObject([
      {
        ruleId: "esm-config",
        severity: "error",
        resource: "Fn",
        line: lineOf(yaml, "BatchSize: 100"),
      },
    ]);
    const windowed = yaml.replace(
      "BatchSize: 100\n",
      "BatchSize: 100\n            MaximumBatchingWindowInSeconds: 5\n",
    );
    expect(auditYaml(windowed, esmConfig)).toEqual([]);
  });

  it("errors on BatchSize above 10 for a FIFO queue", () => {
    const yaml = samSqs(
      "            BatchSize: 20\n            MaximumBatchingWindowInSeconds: 1\n            FunctionResponseTypes: [ReportBatchItemFailures]\n",
      "      FifoQueue: true\n      VisibilityTimeout: 180\n",
    );
    const findings = auditYaml(yaml, esmConfig);
    expect(findings).toMatchObject([{ severity: "error", line: lineOf(yaml, "BatchSize: 20") }]);
    expect(findings[0]!.message).toContain("FIFO");
  });

  it("errors on stream-only settings on SQS, a window above 300 and MaximumConcurrency out of range", () => {
    const yaml = samSqs(
      `${GOOD_SQS}            ParallelizationFactor: 2\n            MaximumBatchingWindowInSeconds: 301\n            ScalingConfig:\n              MaximumConcurrency: 1\n`,
    );
    expect(auditYaml(yaml, esmConfig).map((f) => [f.severity, f.line])).toEqual([
      ["error", lineOf(yaml, "ParallelizationFactor")],
      ["error", lineOf(yaml, "MaximumBatchingWindowInSeconds")],
      ["error", lineOf(yaml, "MaximumConcurrency")],
    ]);
  });

  it("warns when ReportBatchItemFailures is missing", () => {
    const yaml = samSqs("            BatchSize: 10\n");
    expect(auditYaml(yaml, esmConfig)).toMatchObject([
      { severity: "warning", resource: "Fn", line: lineOf(yaml, "          Properties:") },
    ]);
  });

  it("warns on a queue whose VisibilityTimeout (default 30) is under 6x the Timeout, at the queue", () => {
    const yaml = samSqs(GOOD_SQS, "      DelaySeconds: 0\n", 10);
    expect(auditYaml(yaml, esmConfig)).toMatchObject([
      { severity: "warning", resource: "Queue", line: lineOf(yaml, "Queue:") },
    ]);
    expect(auditYaml(samSqs(GOOD_SQS, "      VisibilityTimeout: 60\n", 10), esmConfig)).toEqual([]);
  });

  it("reads AWS::Lambda::EventSourceMapping: BatchSize out of range and a stream without an on-failure destination", () => {
    const yaml = `Resources:
  Stream:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => {}" }
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Stream.Arn
      FunctionName: !Ref Fn
      StartingPosition: LATEST
      BatchSize: 20000
      FunctionResponseTypes: [ReportBatchItemFailures]
`;
    expect(auditYaml(yaml, esmConfig).map((f) => [f.severity, f.resource, f.line])).toEqual([
      ["warning", "Mapping", lineOf(yaml, "  Mapping:") + 2],
      ["error", "Mapping", lineOf(yaml, "BatchSize: 20000")],
    ]);
    const fixed = yaml
      .replace("BatchSize: 20000", "BatchSize: 500")
      .replace(
        "      FunctionResponseTypes",
        "      DestinationConfig:\n        OnFailure:\n          Destination: !GetAtt Dlq.Arn\n      FunctionResponseTypes",
      );
    expect(auditYaml(fixed, esmConfig)).toEqual([]);
  });
});

describe.each([
  { partition: "aws", region: "us-east-1" },
  { partition: "aws-cn", region: "cn-north-1" },
  { partition: "aws-us-gov", region: "us-gov-west-1" },
])("esm-config on a written-out $partition ARN", ({ partition, region }) => {
  const mapping = (sourceArn: string, batchSize: number) => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Role: arn:${partition}:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => {}" }
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: ${sourceArn}
      FunctionName: !Ref Fn
      BatchSize: ${batchSize}
      FunctionResponseTypes: [ReportBatchItemFailures]
`;

  it("reads a Kinesis stream from the ARN: BatchSize above 10000 is an error", () => {
    const yaml = mapping(`arn:${partition}:kinesis:${region}:123456789012:stream/clicks`, 20000);
    const findings = auditYaml(yaml, esmConfig);
    expect(findings.map((f) => [f.severity, f.line])).toEqual([
      ["warning", lineOf(yaml, "  Mapping:") + 2],
      ["error", lineOf(yaml, "BatchSize: 20000")],
    ]);
    expect(findings[1]!.message).toContain("20000");
  });

  it("reads an SQS queue from the ARN: BatchSize above 10 without a batching window is an error", () => {
    const yaml = mapping(`arn:${partition}:sqs:${region}:123456789012:jobs`, 100);
    expect(auditYaml(yaml, esmConfig).map((f) => [f.severity, f.line])).toEqual([
      ["error", lineOf(yaml, "BatchSize: 100")],
    ]);
  });

  it("reads a DynamoDB stream from the ARN", () => {
    const yaml = mapping(
      `arn:${partition}:dynamodb:${region}:123456789012:table/orders/stream/2024-01-01T00:00:00.000`,
      20000,
    );
    expect(auditYaml(yaml, esmConfig).map((f) => f.severity)).toEqual(["warning", "error"]);
  });
});

describe("esm-config finds the function a mapping names by a qualified ARN", () => {
  it("checks the queue's VisibilityTimeout against that function's Timeout", () => {
    const yaml = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders
      Handler: index.handler
      Runtime: nodejs22.x
      Timeout: 30
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => {}" }
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:orders:live
      BatchSize: 10
      FunctionResponseTypes: [ReportBatchItemFailures]
`;
    // Read as its qualifier ("live"), the ARN named no function and the check never ran.
    expect(auditYaml(yaml, esmConfig).map((f) => [f.resource, f.message])).toEqual([
      [
        "Queue",
        "Queue Queue's VisibilityTimeout is 30 s (the default), under 6× the 30 s Timeout of Fn: messages still being processed become visible again and are processed, and billed, twice.",
      ],
    ]);
  });
});
