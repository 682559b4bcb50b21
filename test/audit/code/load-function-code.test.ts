/**
 * From templates and folders to the code of each function: where the code
 * is, which file the Handler names, which local modules it imports, what is
 * skipped with a note, and that odd trees (symlink loops, binaries, bundles)
 * neither hang nor crash the run.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AuditContext } from "../../../src/audit/audit-context.js";
import { inScopes } from "../../../src/audit/code/function-code.js";
import { CodeLoader } from "../../../src/audit/code/load-function-code.js";
import { loadParsers, type ParseSource } from "../../../src/audit/code/parsers.js";
import { SourceCache } from "../../../src/audit/code/source-cache.js";
import { parseTemplate } from "../../../src/template/parse-template.js";

let parse: ParseSource;
beforeAll(async () => {
  parse = await loadParsers();
});

function project(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "lo-code-load-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function load(root: string, template = "template.yaml") {
  const loader = new CodeLoader(new SourceCache(parse));
  const functions = loader.fromTemplate(new AuditContext(parseTemplate(join(root, template))));
  return { functions, notes: loader.notes.map((note) => note.message) };
}

function samFunction(name: string, properties: string): string {
  return `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n${properties
    .trim()
    .split("\n")
    .map((line) => `      ${line.trim()}`)
    .join("\n")}\n`;
}

const SAM_HEADER = "Transform: AWS::Serverless-2016-10-31\nResources:\n";

describe("where the code is", () => {
  it("follows SAM CodeUri, and CDK's asset path in cdk.out", () => {
    const root = project({
      "template.yaml":
        SAM_HEADER + samFunction("Api", "CodeUri: src/\nHandler: app.handler\nRuntime: nodejs22.x"),
      "src/app.mjs": "export const handler = async () => 1;\n",
      "cdk.out/Stack.template.json": JSON.stringify({
        Resources: {
          Fn: {
            Type: "AWS::Lambda::Function",
            Properties: {
              Code: { S3Bucket: "cdk-assets", S3Key: "abc.zip" },
              Handler: "index.handler",
              Runtime: "python3.12",
            },
            Metadata: { "aws:asset:path": "asset.abc" },
          },
        },
      }),
      "cdk.out/asset.abc/index.py": "def handler(event, context):\n    return 1\n",
    });
    expect(load(root).functions.map((fn) => relative(root, fn.modules[0]!.file))).toEqual([
      "src/app.mjs",
    ]);
    const cdk = load(root, "cdk.out/Stack.template.json").functions;
    expect(
      cdk.map((fn) => [fn.resource, fn.language, relative(root, fn.modules[0]!.file)]),
    ).toEqual([["Fn", "python", "cdk.out/asset.abc/index.py"]]);
  });

  it("notes what it cannot follow, and goes on", () => {
    const root = project({
      "template.yaml":
        SAM_HEADER +
        samFunction(
          "InS3",
          "CodeUri: s3://bucket/code.zip\nHandler: app.handler\nRuntime: nodejs22.x",
        ) +
        samFunction(
          "Inline",
          "InlineCode: 'exports.handler = async () => 1'\nHandler: index.handler\nRuntime: nodejs22.x",
        ) +
        samFunction(
          "Java",
          "CodeUri: java/\nHandler: com.example.Handler::handleRequest\nRuntime: java21",
        ) +
        samFunction("Missing", "CodeUri: not-built/\nHandler: app.handler\nRuntime: python3.12") +
        samFunction("NoFile", "CodeUri: src/\nHandler: nothere.handler\nRuntime: nodejs22.x") +
        samFunction("Image", "PackageType: Image\nImageUri: repo:latest"),
      "src/app.js": "exports.handler = async () => 1;\n",
      "java/Handler.java": "class Handler {}\n",
    });
    const { functions, notes } = load(root);
    // NoFile is still a function (its package can be checked); its code was not found.
    expect(functions.map((fn) => [fn.resource, fn.modules.length])).toEqual([["NoFile", 0]]);
    expect(notes).toEqual([
      expect.stringMatching(/^InS3: its code is not in a local folder/),
      expect.stringMatching(/^Inline: its code is not in a local folder/),
      expect.stringMatching(/^Java: code rules cover Node.js and Python, not java21/),
      expect.stringMatching(/^Missing: its code folder .*not-built does not exist/),
      expect.stringMatching(/^NoFile: no file for handler nothere.handler/),
    ]);
  });
});

describe("the handler's modules", () => {
  it("follows TypeScript's .js specifiers to .ts files, and what the handler calls there is handler path", () => {
    const root = project({
      "template.yaml":
        SAM_HEADER +
        samFunction("Fn", "CodeUri: fn/\nHandler: handler.handler\nRuntime: nodejs22.x"),
      "fn/handler.ts":
        'import { save } from "./lib/db.js";\nexport const handler = async () => save();\n',
      "fn/lib/db.ts":
        'import { Pool } from "pg";\nconst setup = () => 1;\nsetup();\nexport async function save() { return new Pool(); }\nexport function unused() {}\n',
    });
    const [fn] = load(root).functions;
    const db = fn!.modules.find((module) => module.file.endsWith("db.ts"))!;
    expect(fn!.modules.map((module) => relative(root, module.file))).toEqual([
      "fn/handler.ts",
      "fn/lib/db.ts",
    ]);
    const index = (name: string) => db.functions.findIndex((candidate) => candidate.name === name);
    expect(inScopes(fn!.handlerPath, db, index("save"))).toBe(true);
    expect(inScopes(fn!.handlerPath, db, index("unused"))).toBe(false);
    expect(inScopes(fn!.initPath, db, index("setup"))).toBe(true);
    expect(inScopes(fn!.initPath, db, undefined)).toBe(true);
  });

  it("follows Python relative imports and submodules under the code root, not vendored packages", () => {
    const root = project({
      "template.yaml":
        SAM_HEADER +
        samFunction("Fn", "CodeUri: fn/\nHandler: pkg.app.handler\nRuntime: python3.12"),
      "fn/pkg/__init__.py": "",
      "fn/pkg/app.py":
        "import requests\nfrom .db import connect\nfrom lib import store\n\ndef handler(event, context):\n    connect()\n    store.save()\n",
      "fn/pkg/db.py": "def connect():\n    return 1\n",
      "fn/lib/__init__.py": "",
      "fn/lib/store.py": "def save():\n    return 2\n",
      "fn/requests/__init__.py": "def get():\n    pass\n",
      "fn/requests-2.32.3.dist-info/METADATA": "Name: requests\n",
    });
    const [fn] = load(root).functions;
    expect(fn!.modules.map((module) => relative(join(root, "fn"), module.file)).sort()).toEqual(
      ["pkg/app.py", "pkg/db.py", "lib/store.py"].sort(),
    );
    const store = fn!.modules.find((module) => module.file.endsWith("store.py"))!;
    expect(inScopes(fn!.handlerPath, store, 0)).toBe(true);
  });
});

describe("odd trees", () => {
  it("walks a plain folder with a symlink loop once, and skips binaries and huge bundles with a note", () => {
    const root = project({
      "handlers/orders.js": "exports.handler = async () => 1;\n",
      "handlers/lib/binary.js": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]),
      "handlers/bundle.js": `exports.bundleHandler = async () => 1;\n${"var a=1;".repeat(300_000)}`,
      "handlers/tests/orders.test.js": "exports.handler = 1;\n",
    });
    symlinkSync(join(root, "handlers"), join(root, "handlers", "lib", "loop"));
    const loader = new CodeLoader(new SourceCache(parse));
    const functions = loader.fromFolder(join(root, "handlers"));
    expect(functions.map((fn) => fn.handler)).toEqual(["orders.handler"]);
    expect(
      loader.notes.map((note) => [relative(root, note.file), note.message.split(":")[0]]),
    ).toEqual([
      ["handlers/bundle.js", "skipped"],
      ["handlers/lib/binary.js", "skipped"],
    ]);
    expect(loader.notes[0]!.message).toMatch(/above the 2 MB limit/);
    expect(loader.notes[1]!.message).toMatch(/binary/);
  });
});

describe("the function's environment", () => {
  it("lists Environment.Variables names with Globals merged; [] without any; undefined when an intrinsic builds them", () => {
    const fn = (name: string, environment: string) =>
      `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: app.handler\n      Runtime: nodejs22.x\n${environment}`;
    const root = project({
      "template.yaml": `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        POWERTOOLS_PARAMETERS_MAX_AGE: "300"
Resources:
${fn("WithGlobals", "      Environment:\n        Variables:\n          STAGE: prod\n")}`,
      "other.yaml": `Transform: AWS::Serverless-2016-10-31
Parameters:
  Variables:
    Type: String
Resources:
${fn("Bare", "")}
${fn("Built", "      Environment:\n        Variables: !Ref Variables\n")}`,
      "src/app.mjs": "export const handler = async () => 1;\n",
    });
    expect(load(root).functions.map((fn) => fn.config.environmentVariables)).toEqual([
      ["POWERTOOLS_PARAMETERS_MAX_AGE", "STAGE"],
    ]);
    // No MemorySize: Lambda's default.
    expect(load(root).functions.map((fn) => fn.config.memoryMb)).toEqual([128]);
    expect(
      load(root, "other.yaml").functions.map((fn) => [fn.resource, fn.config.environmentVariables]),
    ).toEqual([
      ["Bare", []],
      ["Built", undefined],
    ]);
  });
});
