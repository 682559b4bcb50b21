import { describe, expect, it } from "vitest";
import {
  formatFunctionArn,
  functionNameOf,
  parseArn,
  parseFunctionArn,
  partitionOfRegion,
} from "../../src/aws/arn.js";

/** One region of each partition, as AWS names them. */
const PARTITIONS = [
  { partition: "aws", region: "eu-west-1" },
  { partition: "aws-cn", region: "cn-north-1" },
  { partition: "aws-us-gov", region: "us-gov-west-1" },
] as const;

describe.each(PARTITIONS)("ARNs in the $partition partition", ({ partition, region }) => {
  it("reads a function ARN without a qualifier", () => {
    const text = `arn:${partition}:lambda:${region}:123456789012:function:orders-api`;
    const arn = parseFunctionArn(text);
    expect(arn).toEqual({
      partition,
      region,
      accountId: "123456789012",
      functionName: "orders-api",
    });
    expect(formatFunctionArn(arn!)).toBe(text);
  });

  it("splits the version or alias off a qualified function ARN", () => {
    const alias = parseFunctionArn(
      `arn:${partition}:lambda:${region}:123456789012:function:f:live`,
    );
    expect(alias).toEqual({
      partition,
      region,
      accountId: "123456789012",
      functionName: "f",
      qualifier: "live",
    });
    expect(
      parseFunctionArn(`arn:${partition}:lambda:${region}:123456789012:function:f:$LATEST`)
        ?.qualifier,
    ).toBe("$LATEST");
    expect(formatFunctionArn(alias!)).toBe(
      `arn:${partition}:lambda:${region}:123456789012:function:f:live`,
    );
    expect(formatFunctionArn({ ...alias!, qualifier: undefined })).toBe(
      `arn:${partition}:lambda:${region}:123456789012:function:f`,
    );
  });

  it("reads the service and resource of the queues and streams a mapping reads", () => {
    expect(parseArn(`arn:${partition}:sqs:${region}:123456789012:jobs.fifo`)).toEqual({
      partition,
      service: "sqs",
      region,
      accountId: "123456789012",
      resource: "jobs.fifo",
    });
    expect(parseArn(`arn:${partition}:kinesis:${region}:123456789012:stream/clicks`)?.service).toBe(
      "kinesis",
    );
    const stream = parseArn(
      `arn:${partition}:dynamodb:${region}:123456789012:table/orders/stream/2024-01-01T00:00:00.000`,
    );
    expect(stream?.service).toBe("dynamodb");
    expect(stream?.resource).toBe("table/orders/stream/2024-01-01T00:00:00.000");
  });

  it("names the partition from the region", () => {
    expect(partitionOfRegion(region)).toBe(partition);
  });
});

describe("what is not a function ARN", () => {
  it("refuses other services, layers, missing accounts and names Lambda would refuse", () => {
    expect(parseFunctionArn("arn:aws:sqs:us-east-1:123456789012:q")).toBeUndefined();
    expect(parseFunctionArn("arn:aws:lambda:us-east-1:123456789012:layer:sharp:3")).toBeUndefined();
    expect(parseFunctionArn("arn:aws:lambda:us-east-1::function:f")).toBeUndefined();
    expect(parseFunctionArn("arn:aws:lambda:us-east-1:123456789012:function:a.b")).toBeUndefined();
    expect(
      parseFunctionArn(`arn:aws:lambda:us-east-1:123456789012:function:${"n".repeat(65)}`),
    ).toBeUndefined();
    expect(parseFunctionArn("orders-api")).toBeUndefined();
  });

  it("refuses text that is not an ARN at all, and a partition that is not AWS's", () => {
    expect(parseArn("jobs-queue")).toBeUndefined();
    expect(parseArn("arn:azure:sqs:us-east-1:123456789012:q")).toBeUndefined();
    expect(parseArn("arn:aws:sqs:us-east-1:123456789012:")).toBeUndefined();
  });

  it("reads global resources, whose region or account is empty", () => {
    expect(parseArn("arn:aws:s3:::my-bucket")).toEqual({
      partition: "aws",
      service: "s3",
      region: "",
      accountId: "",
      resource: "my-bucket",
    });
    expect(parseArn("arn:aws-cn:iam::123456789012:role/fn")?.region).toBe("");
  });
});

describe("functionNameOf: every form Lambda's FunctionName takes", () => {
  it.each([
    ["orders", "orders"],
    ["orders:live", "orders"],
    ["orders:7", "orders"],
    ["123456789012:function:orders", "orders"],
    ["123456789012:function:orders:live", "orders"],
    ["arn:aws:lambda:us-east-1:123456789012:function:orders", "orders"],
    ["arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:live", "orders"],
    ["arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders:$LATEST", "orders"],
  ])("%s names %s", (reference, name) => {
    expect(functionNameOf(reference)).toBe(name);
  });
});
