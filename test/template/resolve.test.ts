// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${...} here is CloudFormation's Fn::Sub syntax.
import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../src/template/parse-template.js";
import { createResolver, isResolved, resolveTemplate } from "../../src/template/resolve.js";

const FIXTURES = "test/fixtures/templates";

function properties(template: Record<string, unknown>, logicalId: string): Record<string, unknown> {
  const resources = template.Resources as Record<string, { Properties: Record<string, unknown> }>;
  return resources[logicalId]!.Properties;
}

describe("resolveTemplate: short forms", () => {
  const resolved = resolveTemplate(parseTemplate(`${FIXTURES}/short-forms.yaml`).template);
  const fn = properties(resolved, "Fn");

  it("resolves what is known before deployment", () => {
    expect(fn).toMatchObject({
      Name: "dev-fn",
      NameWithMap: "dev-us-east-1",
      Joined: "a,b",
      Selected: "y",
      Split: ["a", "b"],
      Chosen: "small",
      Mapped: 256,
      Encoded: "aGVsbG8=",
    });
  });

  it("leaves what only exists once deployed, and says so", () => {
    expect(fn.Role).toEqual({ "Fn::GetAtt": ["Role", "Arn"] });
    expect(fn.Imported).toEqual({ "Fn::ImportValue": "shared-vpc-id" });
    expect(fn.Zones).toEqual({ "Fn::GetAZs": "" });
    expect(isResolved(fn.Role)).toBe(false);
    expect(isResolved({ Outer: [fn.Imported] })).toBe(false);
    expect(isResolved(fn.Name)).toBe(true);
  });
});

describe("resolveTemplate: parameters, conditions and mappings", () => {
  const { template } = parseTemplate(`${FIXTURES}/parameters-conditions.yaml`);

  it("uses Defaults and drops resources whose condition is false", () => {
    const resolved = resolveTemplate(template);
    const api = properties(resolved, "ApiFunction");
    expect(api).toMatchObject({
      FunctionName: "api-dev",
      MemorySize: 256,
      Timeout: 5,
      Description: "API in us-east-1 for dev (123456789012) ${Literal}",
    });
    expect(api.Environment).toEqual({
      Variables: {
        LOG_LEVEL: "debug",
        FIRST_SUBNET: "subnet-a",
        DEBUG: "true",
        // An SSM parameter's Default names the parameter; its value is unknown here.
        API_KEY: { Ref: "ApiKey" },
        QUEUE_URL: { "Fn::Sub": "${Queue}" },
        PARTITION: "aws",
      },
    });
    // Ref AWS::NoValue removes the property.
    expect("Tracing" in api).toBe(false);
    expect(Object.keys(resolved.Resources as object)).toEqual(["ApiFunction", "Queue"]);
  });

  it("uses overrides, for parameters and pseudo parameters", () => {
    const resolved = resolveTemplate(template, {
      parameterOverrides: { Env: "prod", ApiKey: "secret", "AWS::Region": "cn-north-1" },
    });
    const api = properties(resolved, "ApiFunction");
    expect(api).toMatchObject({
      FunctionName: "api-prod",
      MemorySize: 1024,
      Timeout: 20,
      Tracing: "Active",
    });
    const variables = (api.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({ LOG_LEVEL: "warn", API_KEY: "secret", PARTITION: "aws-cn" });
    expect("DEBUG" in variables).toBe(false);
    expect(Object.keys(resolved.Resources as object)).toContain("ProdOnlyFunction");
  });

  it("evaluates conditions, unknown when they depend on a resource", () => {
    const resolver = createResolver(template);
    expect(resolver.condition("IsProd")).toBe(false);
    expect(resolver.condition("IsDev")).toBe(true);
    expect(resolver.condition("UsesRegion")).toBe(true);
    expect(resolver.condition("DependsOnResource")).toBeUndefined();
    expect(resolver.condition("NoSuchCondition")).toBeUndefined();
    expect(resolver.parameters).toEqual({
      Env: "dev",
      Memory: 256,
      Subnets: ["subnet-a", "subnet-b"],
    });
  });
});

describe("createResolver: the intrinsic functions", () => {
  const template = {
    Parameters: { Name: { Type: "String", Default: "orders" }, NoDefault: { Type: "String" } },
    Conditions: {
      Unknown: { "Fn::Equals": [{ Ref: "NoDefault" }, "x"] },
      True: { "Fn::Equals": ["a", "a"] },
      False: { "Fn::Equals": ["a", "b"] },
      AndUnknown: { "Fn::And": [{ Condition: "True" }, { Condition: "Unknown" }] },
      AndFalse: { "Fn::And": [{ Condition: "False" }, { Condition: "Unknown" }] },
      OrTrue: { "Fn::Or": [{ Condition: "Unknown" }, { Condition: "True" }] },
      OrUnknown: { "Fn::Or": [{ Condition: "Unknown" }, { Condition: "False" }] },
      Loop: { "Fn::Not": [{ Condition: "Loop" }] },
    },
    Mappings: { Sizes: { small: { Memory: 128 } } },
  };
  const { resolve, condition } = createResolver(template);

  it("evaluates And and Or with unknowns as CloudFormation would decide them", () => {
    expect(condition("AndUnknown")).toBeUndefined();
    expect(condition("AndFalse")).toBe(false);
    expect(condition("OrTrue")).toBe(true);
    expect(condition("OrUnknown")).toBeUndefined();
    expect(condition("Loop")).toBeUndefined();
  });

  it("substitutes what it can in Fn::Sub and keeps the rest", () => {
    expect(resolve({ "Fn::Sub": "${Name}-${AWS::StackName}" })).toBe("orders-local");
    expect(resolve({ "Fn::Sub": "${Name}-${Bucket.Arn}-${!Keep}" })).toEqual({
      "Fn::Sub": "orders-${Bucket.Arn}-${!Keep}",
    });
    expect(resolve({ "Fn::Sub": ["${A}/${B}", { A: "x", B: { Ref: "Bucket" } }] })).toEqual({
      "Fn::Sub": ["x/${B}", { B: { Ref: "Bucket" } }],
    });
  });

  it("keeps an Fn::If with an unknown condition, its branches resolved", () => {
    expect(resolve({ "Fn::If": ["Unknown", { Ref: "Name" }, { Ref: "AWS::NoValue" }] })).toEqual({
      "Fn::If": ["Unknown", "orders", { Ref: "AWS::NoValue" }],
    });
    expect(resolve({ Ref: "AWS::NoValue" })).toBeUndefined();
    expect(resolve([1, { Ref: "AWS::NoValue" }, 2])).toEqual([1, 2]);
  });

  it("joins, selects and splits resolved lists, and keeps unresolved ones", () => {
    expect(resolve({ "Fn::Join": ["-", [{ Ref: "Name" }, 1, true]] })).toBe("orders-1-true");
    expect(resolve({ "Fn::Join": ["-", [{ Ref: "Bucket" }, "x"]] })).toEqual({
      "Fn::Join": ["-", [{ Ref: "Bucket" }, "x"]],
    });
    expect(resolve({ "Fn::Select": ["1", { "Fn::Split": [",", "a,b,c"] }] })).toBe("b");
    expect(resolve({ "Fn::Select": [5, ["a"]] })).toEqual({ "Fn::Select": [5, ["a"]] });
  });

  it("finds values in Mappings, with the language extensions' DefaultValue", () => {
    expect(resolve({ "Fn::FindInMap": ["Sizes", "small", "Memory"] })).toBe(128);
    expect(resolve({ "Fn::FindInMap": ["Sizes", "large", "Memory"] })).toEqual({
      "Fn::FindInMap": ["Sizes", "large", "Memory"],
    });
    expect(resolve({ "Fn::FindInMap": ["Sizes", "large", "Memory", { DefaultValue: 256 }] })).toBe(
      256,
    );
  });

  it("resolves inside what it keeps", () => {
    expect(resolve({ "Fn::ImportValue": { "Fn::Sub": "${Name}-vpc" } })).toEqual({
      "Fn::ImportValue": "orders-vpc",
    });
    expect(resolve({ Ref: "NoDefault" })).toEqual({ Ref: "NoDefault" });
  });
});
