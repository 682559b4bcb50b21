import { describe, expect, it } from "vitest";
import type { FunctionDefinition } from "../../../src/emulator/functions/function-definition.js";
import {
  FunctionRegistry,
  parseFunctionName,
} from "../../../src/emulator/functions/function-registry.js";

function definition(name: string): FunctionDefinition {
  return {
    name,
    runtime: "nodejs22.x",
    handler: "app.handler",
    codeDir: "/code",
    memoryMb: 128,
    timeoutSeconds: 3,
    environment: {},
    architecture: "x86_64",
    ephemeralStorageMb: 512,
    logFormat: "Text",
    description: "",
  };
}

describe("parseFunctionName: the forms Lambda's API takes a function in", () => {
  it("takes a name, a qualified name and a partial ARN", () => {
    expect(parseFunctionName("orders")).toEqual({ name: "orders" });
    expect(parseFunctionName("orders:live")).toEqual({ name: "orders", qualifier: "live" });
    expect(parseFunctionName("123456789012:function:orders:2")).toEqual({
      name: "orders",
      qualifier: "2",
    });
  });

  it.each([
    "arn:aws:lambda:us-east-1",
    "arn:aws-cn:lambda:cn-north-1",
    "arn:aws-us-gov:lambda:us-gov-west-1",
  ])("takes a function ARN of %s, with and without a qualifier", (prefix) => {
    expect(parseFunctionName(`${prefix}:123456789012:function:orders`)).toEqual({
      name: "orders",
    });
    expect(parseFunctionName(`${prefix}:123456789012:function:orders:$LATEST`)).toEqual({
      name: "orders",
      qualifier: "$LATEST",
    });
  });

  it("refuses an ARN that is not a function's with Lambda's validation message", () => {
    expect(() => parseFunctionName("arn:aws-cn:sqs:cn-north-1:123456789012:jobs")).toThrow(
      "1 validation error detected: Value 'arn:aws-cn:sqs:cn-north-1:123456789012:jobs' at 'functionName' failed to satisfy constraint",
    );
  });
});

describe("FunctionRegistry ARNs", () => {
  it.each([
    ["us-east-1", "arn:aws:lambda:us-east-1:123456789012:function:orders:live"],
    ["cn-northwest-1", "arn:aws-cn:lambda:cn-northwest-1:123456789012:function:orders:live"],
    ["us-gov-east-1", "arn:aws-us-gov:lambda:us-gov-east-1:123456789012:function:orders:live"],
  ])("writes them in the partition of its region, %s", (region, expected) => {
    const registry = new FunctionRegistry(region, "123456789012");
    registry.add(definition("orders"));
    expect(registry.functionArn("orders", "live")).toBe(expected);
    expect(registry.resolve(expected.replace(":live", "")).name).toBe("orders");
  });
});
