import { describe, expect, it } from "vitest";
import { parseTemplate } from "../../src/template/parse-template.js";
import {
  applyGlobals,
  listSamFunctions,
  mergeGlobals,
  propertySourcePath,
} from "../../src/template/sam.js";

const FIXTURES = "test/fixtures/templates";

describe("mergeGlobals: SAM's rules", () => {
  it("lets the function's scalar win", () => {
    expect(mergeGlobals({ Timeout: 10, Runtime: "nodejs22.x" }, { Timeout: 30 })).toEqual({
      Timeout: 30,
      Runtime: "nodejs22.x",
    });
  });

  it("merges maps key by key, deeply", () => {
    expect(
      mergeGlobals(
        { Environment: { Variables: { A: "global", B: "global" } } },
        { Environment: { Variables: { B: "local", C: "local" } } },
      ),
    ).toEqual({ Environment: { Variables: { A: "global", B: "local", C: "local" } } });
  });

  it("concatenates lists, Globals first, without removing duplicates", () => {
    expect(mergeGlobals({ Layers: ["a", "b"] }, { Layers: ["a", "c"] })).toEqual({
      Layers: ["a", "b", "a", "c"],
    });
  });

  it("keeps the function's value when the shapes differ, and treats intrinsics as scalars", () => {
    expect(
      mergeGlobals({ CodeUri: "s3://bucket/key" }, { CodeUri: { Bucket: "b", Key: "k" } }),
    ).toEqual({
      CodeUri: { Bucket: "b", Key: "k" },
    });
    expect(
      mergeGlobals({ VpcConfig: { SubnetIds: ["a"] } }, { VpcConfig: { "Fn::If": ["C", {}, {}] } }),
    ).toEqual({ VpcConfig: { "Fn::If": ["C", {}, {}] } });
  });
});

describe("applyGlobals and listSamFunctions", () => {
  const { template } = parseTemplate(`${FIXTURES}/sam-globals.yaml`);

  it("merges Globals.Function into every function and drops the Globals section", () => {
    const expanded = applyGlobals(template);
    expect("Globals" in expanded).toBe(false);
    const hello = (expanded.Resources as Record<string, { Properties: Record<string, unknown> }>)
      .HelloFunction!.Properties;
    expect(hello).toMatchObject({
      Runtime: "nodejs22.x",
      Timeout: 10,
      MemorySize: 512,
      Architectures: ["arm64"],
      Layers: [
        "arn:aws:lambda:us-east-1:123456789012:layer:shared:1",
        "arn:aws:lambda:us-east-1:123456789012:layer:hello:3",
      ],
      Environment: {
        Variables: {
          STAGE: { Ref: "Stage" },
          LOG_LEVEL: "debug",
          TABLE: { Ref: "TableName" },
          BUCKET_ARN: { "Fn::GetAtt": ["Bucket", "Arn"] },
          RETRIES: 3,
        },
      },
    });
    // Non-serverless resources are left alone.
    expect((expanded.Resources as Record<string, unknown>).Bucket).toEqual({
      Type: "AWS::S3::Bucket",
    });
  });

  it("lists functions with their events, alias and function URL", () => {
    const functions = listSamFunctions(template);
    expect(functions.map((fn) => fn.logicalId)).toEqual([
      "HelloFunction",
      "OrdersFunction",
      "PythonFunction",
    ]);
    const [hello, orders, python] = functions;
    expect(hello!.autoPublishAlias).toBe("live");
    expect(hello!.functionUrlConfig).toEqual({ AuthType: "NONE" });
    expect(hello!.events).toEqual({
      Api: { type: "HttpApi", properties: { Path: "/hello", Method: "get" } },
    });
    expect(orders!.events.Queue).toEqual({
      type: "SQS",
      properties: { Queue: { "Fn::GetAtt": ["Queue", "Arn"] }, BatchSize: 10 },
    });
    // SAM concatenates lists, Architectures included.
    expect(orders!.properties.Architectures).toEqual(["arm64", "x86_64"]);
    expect(python!.events).toEqual({});
    expect(python!.autoPublishAlias).toBeUndefined();
  });

  it("says where a merged property is written, so findings point at the right line", () => {
    expect(propertySourcePath(template, "OrdersFunction", ["Timeout"])).toEqual([
      "Resources",
      "OrdersFunction",
      "Properties",
      "Timeout",
    ]);
    expect(propertySourcePath(template, "OrdersFunction", ["Runtime"])).toEqual([
      "Globals",
      "Function",
      "Runtime",
    ]);
    expect(propertySourcePath(template, "OrdersFunction", ["Tracing"])).toEqual([
      "Resources",
      "OrdersFunction",
      "Properties",
      "Tracing",
    ]);
  });
});
