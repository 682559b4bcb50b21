import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/index.js";
import { lineOf } from "./audit-yaml.js";

function project(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-env-var-unset-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(folder, path, ".."), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  return folder;
}

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [!Ref AWS::AccountId, "123456789012"]
Globals:
  Function:
    Handler: app.handler
    Environment:
      Variables:
        LOG_LEVEL: info
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Runtime: nodejs22.x
      Environment:
        Variables:
          # set in some deployments only: set, as far as the audit can tell
          BUCKET: !If [IsProd, orders-prod, !Ref AWS::NoValue]
  ReportsFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: reports/
      Runtime: python3.13
  ChosenFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Runtime: nodejs22.x
      Environment:
        Variables: !If [IsProd, { TABLE_NAME: prod }, { TABLE_NAME: dev }]
  ConfiguredFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: configured/
      Runtime: nodejs22.x
      Environment:
        Variables:
          API_URL: https://example.com
`;

const ORDERS = `import { helper } from "./lib.mjs";
const { STAGE = "dev", LOG_LEVEL } = process.env;
const table = process.env.TABLE_NAME;
const region = process.env.AWS_REGION;
const debug = process.env.DEBUG === "true";
const retries = Number(process.env.RETRIES ?? "3");
if (!process.env.FEATURE_X) console.log("feature X off");
export const handler = async (event) => {
  await helper(process.env.QUEUE_URL, table, region, STAGE, LOG_LEVEL, debug, retries);
  return process.env.BUCKET;
};
function unused() {
  return process.env.NEVER_CALLED;
}
`;

const LIB = `export async function helper(queue) {
  return \`\${queue}:\${process.env.TOPIC_ARN}\`;
}
`;

const REPORTS = `import os

TABLE = os.environ["REPORTS_TABLE"]
REGION = os.environ["AWS_DEFAULT_REGION"]
TIMEOUT = int(os.getenv("TIMEOUT_SECONDS", "30"))
DEBUG = os.environ.get("DEBUG") == "1"
LOG_LEVEL = os.environ["LOG_LEVEL"]


def handler(event, context):
    bucket = os.environ.get("EXPORT_BUCKET")
    if "TRACE" in os.environ:
        print(os.environ["TRACE"])
    return {"bucket": bucket, "table": TABLE}
`;

const CONFIGURED = `const url = process.env.API_URL;
export const handler = async () => fetch(url);
`;

const FILES = {
  "template.yaml": TEMPLATE,
  "orders/app.mjs": ORDERS,
  "orders/lib.mjs": LIB,
  "reports/app.py": REPORTS,
  "configured/app.mjs": CONFIGURED,
};

describe("env-var-unset", () => {
  it("reports the variables a Node.js and a Python function need that the template never sets, at their first reads", async () => {
    const cwd = project(FILES);
    const report = await audit({ paths: ["."], cwd, rules: ["env-var-unset"] });
    // Not reported: defaults and tests (STAGE, RETRIES, DEBUG, FEATURE_X, TIMEOUT_SECONDS, TRACE),
    // what Lambda sets (AWS_REGION, AWS_DEFAULT_REGION), LOG_LEVEL (Globals), API_URL (the
    // function's own Variables), BUCKET (set in some deployments), NEVER_CALLED (code that never
    // runs), and ChosenFunction, whose Variables an !If chooses.
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: "env-var-unset",
        severity: "warning",
        resource: "OrdersFunction",
        file: "template.yaml",
        line: lineOf(TEMPLATE, "          # set in some deployments only") - 1,
        message:
          "OrdersFunction's code reads QUEUE_URL (orders/app.mjs:9), TABLE_NAME (orders/app.mjs:3) and TOPIC_ARN (orders/lib.mjs:2) with no default, and the template never sets them: every request that reaches them fails (or gets undefined). Set them under Environment.Variables, or give a default.",
      }),
      expect.objectContaining({
        resource: "ReportsFunction",
        // It has no Variables of its own: the function, not Globals, which other functions share.
        line: lineOf(TEMPLATE, "  ReportsFunction:"),
        message:
          "ReportsFunction's code reads EXPORT_BUCKET (reports/app.py:11) and REPORTS_TABLE (reports/app.py:3) with no default, and the template never sets them: every request that reaches them fails (or gets None). Set them under Environment.Variables, or give a default.",
      }),
    ]);
  });

  it("names five variables, then says how many there are", async () => {
    const names = ["F", "A", "C", "E", "B", "D", "G"];
    const cwd = project({
      "template.yaml": `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: nodejs22.x
`,
      "src/app.mjs": `${names.map((name) => `const ${name.toLowerCase()} = process.env.${name};`).join("\n")}\nexport const handler = async () => 1;\n`,
    });
    const report = await audit({ paths: ["."], cwd, rules: ["env-var-unset"] });
    expect(report.findings.map((finding) => [finding.line, finding.message])).toEqual([
      [
        3,
        "Fn's code reads A (src/app.mjs:2), B (src/app.mjs:5), C (src/app.mjs:3), D (src/app.mjs:6), E (src/app.mjs:4), … (7 in all) with no default, and the template never sets them: every request that reaches them fails (or gets undefined). Set them under Environment.Variables, or give a default.",
      ],
    ]);
  });

  it("says nothing when the template sets them, Variables is an intrinsic or a transform, or the code is not read", async () => {
    const set = project({
      ...FILES,
      "template.yaml": TEMPLATE.replace(
        "        LOG_LEVEL: info",
        "        LOG_LEVEL: info\n        QUEUE_URL: q\n        TOPIC_ARN: t\n        EXPORT_BUCKET: b",
      )
        .replace("          # set in some", "          TABLE_NAME: orders\n          # set in some")
        .replace(
          "      Runtime: python3.13",
          "      Runtime: python3.13\n      Environment:\n        Variables:\n          REPORTS_TABLE: reports",
        ),
    });
    const setReport = await audit({ paths: ["."], cwd: set, rules: ["env-var-unset"] });
    expect(setReport.findings).toEqual([]);

    const intrinsicGlobals = project({
      ...FILES,
      "template.yaml": TEMPLATE.replace(
        "      Variables:\n        LOG_LEVEL: info",
        "      Variables:\n        Fn::Transform: { Name: AWS::Include, Parameters: { Location: env.yaml } }",
      ),
    });
    const globalsReport = await audit({
      paths: ["."],
      cwd: intrinsicGlobals,
      rules: ["env-var-unset"],
    });
    expect(globalsReport.errors).toEqual([]);
    expect(globalsReport.findings).toEqual([]);

    const withoutCode = await audit({
      paths: ["."],
      cwd: project(FILES),
      rules: ["env-var-unset"],
      code: false,
    });
    expect(withoutCode.findings).toEqual([]);
  });

  it("is suppressed by a comment on the line it reports", async () => {
    const cwd = project({
      ...FILES,
      "template.yaml": TEMPLATE.replace(
        "        Variables:\n          # set in some",
        "        # lambda-optimizer-disable-next-line env-var-unset\n        Variables:\n          # set in some",
      ),
    });
    const report = await audit({ paths: ["."], cwd, rules: ["env-var-unset"] });
    expect(report.findings.map((finding) => finding.resource)).toEqual(["ReportsFunction"]);
  });
});
