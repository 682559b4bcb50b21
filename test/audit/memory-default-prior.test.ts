/**
 * memory-default without a saved tune run quotes the guide's starting point
 * for the workload the template's triggers and the code's imports suggest,
 * labelled as guidance; a saved run (a measurement) always wins, and --fix
 * never writes the guide's size.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../src/index.js";
import { writeTuneRun } from "./tune-run-file.js";

const HEADER = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
`;

/** A project: a template with one function `Fn` (extra properties in `properties`) and its code under src/. */
function project(properties: string, files: Record<string, string>): string {
  const cwd = mkdtempSync(join(tmpdir(), "lo-memory-prior-"));
  mkdirSync(join(cwd, "src"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, "src", name), text);
  writeFileSync(
    join(cwd, "template.yaml"),
    `${HEADER}  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n${properties}`,
  );
  return cwd;
}

const NODE = "      Handler: app.handler\n      Runtime: nodejs22.x\n";
const PYTHON = "      Handler: app.handler\n      Runtime: python3.12\n";
const HTTP_API = "      Events:\n        GetOrder:\n          Type: HttpApi\n";
const SQS =
  "      Events:\n        Orders:\n          Type: SQS\n          Properties:\n            Queue: arn:aws:sqs:us-east-1:123456789012:orders\n";

const BASE = "Fn has no MemorySize, so it runs at 128 MB with about 7% of a vCPU.";
const GUIDANCE =
  "That is guidance, not measurement: run `lambda-optimizer tune --template template.yaml Fn` to measure; `audit --fix` then sets the size it recommends.";

async function memoryFinding(cwd: string, options: { code?: boolean } = {}) {
  const report = await audit({
    paths: ["template.yaml"],
    cwd,
    rules: ["memory-default"],
    ...options,
  });
  expect(report.errors).toEqual([]);
  expect(report.findings).toHaveLength(1);
  return report.findings[0]!;
}

describe("memory-default: the guide's starting point when nothing was measured", () => {
  it("an HttpApi event: an API handler, 512 MB, at the function's line", async () => {
    const cwd = project(`${NODE}${HTTP_API}`, {
      "app.mjs": "export const handler = async () => ({ statusCode: 200 });\n",
    });
    const finding = await memoryFinding(cwd);
    expect(finding).toMatchObject({ file: "template.yaml", line: 4, resource: "Fn" });
    expect(finding.message).toBe(
      `${BASE} The guide's starting point for an API handler (HttpApi event GetOrder) is 512 MB (standard API handlers, moderate data processing). ${GUIDANCE}`,
    );
    expect(finding.fixValue).toBeUndefined();
  });

  it("Python importing an ML library: 3008+ MB, even behind an API", async () => {
    const cwd = project(`${PYTHON}${HTTP_API}`, {
      "app.py":
        "import json\nimport onnxruntime as ort\n\ndef handler(event, context):\n    return json.dumps({})\n",
    });
    expect((await memoryFinding(cwd)).message).toBe(
      `${BASE} The guide's starting point for ML inference (imports onnxruntime) is 3008+ MB (ML inference, large data processing). ${GUIDANCE}`,
    );
  });

  it("Node importing sharp, from a local module the handler imports: image processing, 1024 MB", async () => {
    const cwd = project(NODE, {
      "app.mjs":
        'import { resize } from "./resize.mjs";\nexport const handler = async (event) => resize(event);\n',
      "resize.mjs":
        'import sharp from "sharp";\nexport const resize = (event) => sharp(event.body).resize(64).toBuffer();\n',
    });
    expect((await memoryFinding(cwd)).message).toBe(
      `${BASE} The guide's starting point for image processing (imports sharp) is 1024 MB (compute-intensive tasks, image processing). ${GUIDANCE}`,
    );
  });

  it("an SQS event with a small handler: light processing, 128 MB", async () => {
    const cwd = project(`${NODE}${SQS}`, {
      "app.mjs":
        "const parse = (record) => JSON.parse(record.body);\nexport const handler = async (event) => event.Records.map(parse);\n",
    });
    expect((await memoryFinding(cwd)).message).toBe(
      `${BASE} The guide's starting point for light processing of queue or stream records (SQS event Orders, a small handler that runs 2 functions per invocation) is 128 MB (lightweight tasks: routing, simple transformations). ${GUIDANCE}`,
    );
  });

  it("an SQS event when the code is not read (code: false): 128 or 512 MB, and why not one", async () => {
    const cwd = project(`${NODE}${SQS}`, {
      "app.mjs": "export const handler = async () => {};\n",
    });
    expect((await memoryFinding(cwd, { code: false })).message).toBe(
      `${BASE} The guide's starting points for a queue or stream consumer (SQS event Orders) are 128 MB (lightweight tasks: routing, simple transformations) or 512 MB (standard API handlers, moderate data processing); its code was not read to tell light work from moderate. ${GUIDANCE}`,
    );
  });

  it("nothing that says the workload: the guide's table whole", async () => {
    const cwd = project(NODE, { "app.mjs": "export const handler = async () => 1;\n" });
    expect((await memoryFinding(cwd)).message).toBe(
      `${BASE} The guide's starting points by workload are 128 MB (lightweight tasks: routing, simple transformations), 512 MB (standard API handlers, moderate data processing), 1024 MB (compute-intensive tasks, image processing) and 3008+ MB (ML inference, large data processing); nothing known of it says which workload it is. ${GUIDANCE}`,
    );
  });

  it("a saved tune run wins over the guide: its size, its figures, and --fix writes it", async () => {
    const cwd = project(`${PYTHON}${HTTP_API}`, {
      "app.py": "import torch\n\ndef handler(event, context):\n    return 1\n",
    });
    const run = writeTuneRun(cwd, { functionName: "Fn", memoryMb: 256 });
    const finding = await memoryFinding(cwd);
    expect(finding.message).toBe(
      `${BASE} Its latest tune run, ${run} (2026-11-30), recommends 256 MB: cost strategy, $0.0000002 per invocation, p95 48 ms.`,
    );
    expect(finding.message).not.toContain("guide");
    expect(finding.fixValue).toBe(256);
  });

  it("a function with MemorySize is not flagged, whatever the guide would say", async () => {
    const cwd = project(`${PYTHON}      MemorySize: 256\n${HTTP_API}`, {
      "app.py": "import torch\n\ndef handler(event, context):\n    return 1\n",
    });
    const report = await audit({ paths: ["template.yaml"], cwd, rules: ["memory-default"] });
    expect(report.findings).toEqual([]);
  });
});
