import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { functionsFromTemplate } from "../../../src/emulator/functions/from-template.js";
import { selectFunction } from "../../../src/emulator/functions/select-function.js";
import { TemplateError } from "../../../src/template/template-error.js";

const FIXTURES = "test/fixtures/templates";
const fixture = (path: string) => resolve(FIXTURES, path);

describe("functionsFromTemplate: SAM", () => {
  const result = functionsFromTemplate(`${FIXTURES}/sam-globals.yaml`);

  it("reads every function with Globals merged and defaults filled in", () => {
    expect(result.templatePath).toBe(fixture("sam-globals.yaml"));
    expect(result.functions).toEqual([
      {
        name: "dev-hello",
        logicalId: "HelloFunction",
        runtime: "nodejs22.x",
        handler: "app.handler",
        codeDir: fixture("src/hello"),
        memoryMb: 512,
        timeoutSeconds: 10,
        environment: { STAGE: "dev", LOG_LEVEL: "debug", RETRIES: "3" },
        architecture: "arm64",
        ephemeralStorageMb: 1024,
        logFormat: "JSON",
        description: "Says hello",
        // Its FunctionUrlConfig: served by emulate at start (docs/function-urls.md).
        functionUrl: { authType: "NONE", invokeMode: "BUFFERED" },
      },
      {
        name: "OrdersFunction",
        logicalId: "OrdersFunction",
        runtime: "nodejs22.x",
        handler: "app.handler",
        codeDir: fixture("src/orders"),
        memoryMb: 512,
        timeoutSeconds: 30,
        environment: { STAGE: "dev", LOG_LEVEL: "info" },
        architecture: "x86_64",
        ephemeralStorageMb: 512,
        logFormat: "Text",
        description: "",
      },
      {
        name: "PythonFunction",
        logicalId: "PythonFunction",
        runtime: "python3.12",
        handler: "app.lambda_handler",
        codeDir: fixture("src/python"),
        memoryMb: 512,
        timeoutSeconds: 900,
        environment: { STAGE: "dev", LOG_LEVEL: "info" },
        architecture: "arm64",
        ephemeralStorageMb: 512,
        logFormat: "Text",
        description: "",
      },
    ]);
    expect(result.unavailable).toEqual([]);
  });

  it("warns, with file and line, about variables it cannot resolve and a doubled architecture", () => {
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^test\/fixtures\/templates\/sam-globals\.yaml:41:11: HelloFunction: environment variable TABLE is left out: its value \(Ref TableName\)/,
      ),
      expect.stringMatching(
        /sam-globals\.yaml:42:11: HelloFunction: environment variable BUCKET_ARN is left out: its value \(Fn::GetAtt Bucket\.Arn\)/,
      ),
      expect.stringMatching(
        /sam-globals\.yaml:61:7: OrdersFunction: Architectures \["arm64","x86_64"\] has more than one .*using the function's x86_64/,
      ),
    ]);
  });

  it("uses parameter overrides", () => {
    const overridden = functionsFromTemplate(`${FIXTURES}/sam-globals.yaml`, {
      parameterOverrides: { Stage: "prod", TableName: "orders" },
    });
    const hello = selectFunction(overridden, "HelloFunction");
    expect(hello.name).toBe("prod-hello");
    expect(hello.environment).toMatchObject({ STAGE: "prod", TABLE: "orders" });
  });

  it("follows parameters, mappings and conditions", () => {
    const { functions } = functionsFromTemplate(`${FIXTURES}/parameters-conditions.yaml`);
    expect(functions.map((fn) => fn.name)).toEqual(["api-dev"]);
    expect(functions[0]).toMatchObject({ memoryMb: 256, timeoutSeconds: 5 });

    const prod = functionsFromTemplate(`${FIXTURES}/parameters-conditions.yaml`, {
      parameterOverrides: { Env: "prod" },
    });
    expect(prod.functions.map((fn) => [fn.name, fn.memoryMb, fn.timeoutSeconds])).toEqual([
      ["api-prod", 1024, 20],
      ["ProdOnlyFunction", 128, 3],
    ]);
  });
});

describe("functionsFromTemplate: CloudFormation", () => {
  const result = functionsFromTemplate(`${FIXTURES}/cloudformation.json`);

  it("reads packaged code folders and numbers given as strings", () => {
    expect(selectFunction(result, "packaged")).toMatchObject({
      logicalId: "PackagedFunction",
      runtime: "python3.12",
      codeDir: fixture("src/python"),
      memoryMb: 1769,
      architecture: "arm64",
    });
  });

  it("writes inline code where Lambda would, as index.js", () => {
    const inline = selectFunction(result, "InlineFunction");
    expect(inline.handler).toBe("index.handler");
    expect(readFileSync(join(inline.codeDir, "index.js"), "utf8")).toBe(
      "exports.handler = async () => 'hi from us-east-1';\n",
    );
  });

  it("marks functions that cannot run locally, and throws their reason only when selected", () => {
    expect(result.functions.map((fn) => fn.name)).toEqual(["packaged", "InlineFunction"]);
    expect(result.unavailable.map((fn) => fn.logicalId)).toEqual([
      "S3Function",
      "ImageFunction",
      "TooBigFunction",
    ]);
    expect(() => selectFunction(result, "S3Function")).toThrow(
      /cloudformation\.json:35:9: function S3Function cannot run locally: its code is in S3/,
    );
    expect(() => selectFunction(result, "ImageFunction")).toThrow(
      /cloudformation\.json:44:9: function ImageFunction cannot run locally: it is a container image \(PackageType Image\)/,
    );
    expect(() => selectFunction(result, "TooBigFunction")).toThrow(TemplateError);
    expect(() => selectFunction(result, "TooBigFunction")).toThrow(
      /:55:9: .*MemorySize 20000 is not valid: expected a whole number from 128 to 10,240 MB/,
    );
  });

  it("finds a CDK function's code in cdk.out through its asset metadata", () => {
    const cdk = functionsFromTemplate(`${FIXTURES}/cdk.out/CdkStack.template.json`);
    expect(cdk.functions).toHaveLength(1);
    expect(cdk.functions[0]).toMatchObject({
      name: "Handler886CB40B",
      codeDir: fixture("cdk.out/asset.4f2c9a"),
      memoryMb: 1024,
      timeoutSeconds: 15,
      environment: { AWS_NODEJS_CONNECTION_REUSE_ENABLED: "1" },
    });
    expect(cdk.warnings).toEqual([]);
  });

  it("gives a Ref to one of the template's resources its logical id, as sam local does", () => {
    const cdk = functionsFromTemplate(`${FIXTURES}/cdk.out/CdkStack.template.json`);
    // {"Ref": "Table"} names the AWS::DynamoDB::Table of the same template
    expect(cdk.functions[0]!.environment.TABLE_NAME).toBe("Table");
    // a Ref to a parameter without a value is still unknown, and said so
    expect(result.functions[0]!.environment.TABLE).toBeUndefined();
  });

  it("refuses what it cannot read at all", () => {
    expect(() => functionsFromTemplate(`${FIXTURES}/missing.yaml`)).toThrow(TemplateError);
    expect(() => functionsFromTemplate(`${FIXTURES}/malformed.template`)).toThrow(
      /malformed\.template:7/,
    );
  });
});

describe("selectFunction over a template's functions", () => {
  it("names the template and the functions that cannot run when the name is unknown", () => {
    const result = functionsFromTemplate(`${FIXTURES}/cloudformation.json`);
    expect(() => selectFunction(result, "nope")).toThrow(
      `no function "nope" in ${fixture("cloudformation.json")}: expected one of packaged (PackagedFunction), InlineFunction (these cannot run locally: S3Function, ImageFunction, TooBigFunction)`,
    );
  });
});
