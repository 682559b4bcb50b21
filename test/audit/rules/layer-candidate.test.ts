import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRequirements } from "../../../src/audit/code/requirements-txt.js";
import { audit } from "../../../src/index.js";
import { lineOf } from "./audit-yaml.js";

function project(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-layer-candidate-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(folder, path, ".."), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  return folder;
}

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Handler: app.handler
Resources:
  OrdersApi:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Runtime: nodejs22.x
  OrdersReport:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Handler: report.handler
      Runtime: nodejs22.x
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: worker/
      Runtime: nodejs22.x
  Bundled:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: bundled/
      Runtime: nodejs22.x
    Metadata:
      BuildMethod: esbuild
  Thumbs:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: thumbs/
      Runtime: python3.12
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: resize/
      Runtime: python3.12
`;

const HANDLER = "export const handler = async () => ({ statusCode: 200 });\n";
const PY_HANDLER = "def handler(event, context):\n    return {}\n";
const packageJson = (dependencies: Record<string, string>) =>
  `${JSON.stringify({ name: "fn", dependencies }, null, 2)}\n`;
const SHARED = { zod: "^3.23.8", "orders-model": "file:../lib/orders-model" };

const FILES = {
  "template.yaml": TEMPLATE,
  "orders/app.mjs": HANDLER,
  "orders/report.mjs": HANDLER,
  "orders/package.json": packageJson({ ...SHARED, ulid: "^2.3.0" }),
  // zod installed in the first folder (300 KB and its package.json): the message gives the shared packages' size there.
  "orders/node_modules/zod/package.json": '{ "name": "zod", "version": "3.23.8" }\n',
  "orders/node_modules/zod/index.js": "x".repeat(300 * 1024),
  "worker/app.mjs": HANDLER,
  // ulid at another range: one layer could not serve both, so it is not named.
  "worker/package.json": packageJson({ ...SHARED, ulid: "^2.2.0", pino: "^9.5.0" }),
  "bundled/app.mjs": HANDLER,
  "bundled/package.json": packageJson({ ...SHARED, ulid: "^2.3.0" }),
  "lib/orders-model/package.json": '{ "name": "orders-model" }\n',
  "thumbs/app.py": PY_HANDLER,
  "thumbs/requirements.txt":
    "# images\nPillow==10.4.0\naws-lambda-powertools[tracer]>=3.0 ; python_version >= '3.9'\n",
  "resize/app.py": PY_HANDLER,
  "resize/requirements.txt": "-r ../common.txt\npillow == 10.4.0\nrequests\n",
};

describe("layer-candidate", () => {
  it("names the functions with separate folders that each declare the same dependencies, once per group", async () => {
    const cwd = project(FILES);
    const report = await audit({ paths: ["."], cwd, rules: ["layer-candidate"] });
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: "layer-candidate",
        severity: "info",
        resource: "OrdersApi",
        file: "template.yaml",
        line: lineOf(TEMPLATE, "      CodeUri: orders/"),
        message:
          "3 functions (OrdersApi, OrdersReport, Worker) each ship the same 2 dependencies in their own deployment package (zod ^3.23.8, orders-model file:../lib/orders-model, 301 KB installed in OrdersApi's folder): a layer would hold one copy for all of them.",
        fix: "Put the shared dependencies in their own folder's package.json, declare it as an AWS::Serverless::LayerVersion with ContentUri set to that folder and Metadata BuildMethod nodejs22.x, add it to each function's Layers, and remove them from each function's package.json.",
      }),
      expect.objectContaining({
        resource: "Thumbs",
        line: lineOf(TEMPLATE, "      CodeUri: thumbs/"),
        message:
          "Thumbs and Resize each ship the same dependency in their own deployment package (Pillow==10.4.0): a layer would hold one copy for all of them.",
        fix: "Put the shared dependencies in their own folder's requirements.txt, declare it as an AWS::Serverless::LayerVersion with ContentUri set to that folder and Metadata BuildMethod python3.12, add it to each function's Layers, and remove them from each function's requirements.txt.",
      }),
    ]);
  });

  it("reports nothing when the code is not read, or when only one folder declares a dependency", async () => {
    const cwd = project(FILES);
    const withoutCode = await audit({ paths: ["."], cwd, rules: ["layer-candidate"], code: false });
    expect(withoutCode.findings).toEqual([]);

    const alone = project({
      ...FILES,
      "worker/package.json": packageJson({ pino: "^9.5.0" }),
      "resize/requirements.txt": "requests\n",
    });
    const report = await audit({ paths: ["."], cwd: alone, rules: ["layer-candidate"] });
    expect(report.findings.map((finding) => finding.message)).toEqual([]);
  });
});

describe("requirements.txt", () => {
  it("reads names and specifiers, skipping options, comments, URLs and direct references", () => {
    const text =
      "# pinned\n-r base.txt\n--index-url https://example.com\nPillow==10.4.0\nAws_Lambda.Powertools[tracer] >= 3.0, <4 ; python_version >= '3.9'\nhttps://example.com/x.whl\nlocal @ file:///tmp/local\nrequests  # http\n";
    expect(parseRequirements("/r.txt", text).requirements).toEqual([
      { name: "Pillow", normalized: "pillow", specifier: "==10.4.0", line: 4 },
      {
        name: "Aws_Lambda.Powertools",
        normalized: "aws-lambda-powertools",
        specifier: ">=3.0,<4",
        line: 5,
      },
      { name: "requests", normalized: "requests", specifier: "", line: 8 },
    ]);
  });
});
