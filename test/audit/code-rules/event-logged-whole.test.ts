import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eventLoggedWhole } from "../../../src/audit/code-rules/event-logged-whole.js";
import { runCli } from "../../cli/run-cli.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const rule = eventLoggedWhole;
const PY = { runtime: "python3.12", handler: "app.handler" };
const SQS = {
  Events: {
    Queue: { Type: "SQS", Properties: { Queue: "arn:aws:sqs:us-east-1:123456789012:q" } },
  },
};

describe("event-logged-whole", () => {
  it("reports console.log(JSON.stringify(event)) in an SQS-fed handler as a warning, at the log call", async () => {
    const files = {
      "index.mjs": `export const handler = async (event) => {
  console.log(JSON.stringify(event));
  return { batchItemFailures: [] };
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: SQS });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "console.log")]);
    expect(findings[0]).toMatchObject({ ruleId: "event-logged-whole", severity: "warning" });
    expect(findings[0]!.message).toContain("SQS event Queue");
    expect(findings[0]!.message).toContain("CloudWatch Logs ingestion");
  });

  it("reports Python print(event) and logger.info(json.dumps(event)); info without batches", async () => {
    const files = {
      "app.py": `import json
import logging

logger = logging.getLogger()

def handler(event, context):
    print(event)
    logger.info(json.dumps(event))
    return {"ok": True}
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", "print(event)"),
      at(files, "app.py", "logger.info"),
    ]);
    expect(findings.map((finding) => finding.severity)).toEqual(["info", "info"]);
  });

  it("does not report logging a field, a count or a record inside a loop's callback", async () => {
    const files = {
      "index.mjs": `export const handler = async (event) => {
  console.log("records", event.Records.length);
  console.log(JSON.stringify({ id: event.id }));
  event.Records.forEach((record) => console.log(record.messageId));
  return {};
};
`,
    };
    expect(await runCodeRuleOnFolder(rule, { files })).toEqual([]);
  });
});

/** A project whose SQS-fed worker logs its whole event, audited by the built CLI. */
function sqsWorkerProject(): string {
  const cwd = mkdtempSync(join(tmpdir(), "lo-event-logged-"));
  mkdirSync(join(cwd, "worker"));
  writeFileSync(
    join(cwd, "worker", "index.mjs"),
    "export const handler = async (event) => {\n  console.log(JSON.stringify(event));\n  return { batchItemFailures: [] };\n};\n",
  );
  writeFileSync(
    join(cwd, "template.yaml"),
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Worker:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      CodeUri: worker/",
      "      Handler: index.handler",
      "      Runtime: nodejs22.x",
      "      Events:",
      "        Jobs:",
      "          Type: SQS",
      "          Properties: {Queue: 'arn:aws:sqs:us-east-1:123456789012:jobs', BatchSize: 10}",
      "",
    ].join("\n"),
  );
  return cwd;
}

function auditMessage(cwd: string, extra: string[]): string {
  const result = runCli(
    ["audit", "template.yaml", "--rules", "event-logged-whole", "--json", ...extra],
    { cwd },
  );
  expect(result.stderr).toBe("");
  const findings = JSON.parse(result.stdout).findings;
  expect(findings).toHaveLength(1);
  return findings[0].message;
}

describe("event-logged-whole prices the bytes when the event's size is known (CLI)", () => {
  it("a 1 MiB event from --payload-file: $488.28 per million invocations, $1,464.84 a month at 3M", () => {
    const cwd = sqsWorkerProject();
    // Pretty-printed on disk; what JSON.stringify(event) logs is the compact form: exactly 2^20 bytes.
    const body = "a".repeat(2 ** 20 - '{"body":""}'.length);
    writeFileSync(join(cwd, "batch.json"), `{\n    "body": "${body}"\n}\n`);
    const perMillion = auditMessage(cwd, ["--payload-file", "batch.json"]);
    // 2^20 bytes = 1/1024 GB at $0.50 = $0.00048828125 an invocation.
    expect(perMillion).toBe(
      "console.log(…) logs the whole event on every invocation (fed batches by SQS event Jobs: every record's body): each byte is billed as CloudWatch Logs ingestion. The 1,048,576-byte event (--payload-file batch.json) costs $488.28 per million invocations in ingestion alone ($0.50 per GB in us-east-1, the first tier).",
    );
    const monthly = auditMessage(cwd, ["--payload-file", "batch.json", "--invocations", "3M"]);
    expect(monthly).toContain(
      "costs $488.28 per million invocations, $1,464.84 a month at 3M invocations in ingestion alone",
    );
  });

  it("a small inline --payload is priced to five significant digits; without one, the message says how to price it", () => {
    const cwd = sqsWorkerProject();
    // {"id":1} is 8 bytes: 8 × 10^6 / 2^30 × $0.50 = $0.0037252903.
    expect(auditMessage(cwd, ["--payload", '{ "id": 1 }'])).toContain(
      "The 8-byte event (--payload) costs $0.0037253 per million invocations",
    );
    expect(auditMessage(cwd, [])).toMatch(
      /ingestion\. Give a typical event with --payload or --payload-file to price it \(\$0\.50 per GB in us-east-1, the first tier\)\.$/,
    );
  });

  it.each([
    [["--invocations", "5M"], "--invocations prices a logged event: give the event too"],
    [["--payload-file", "missing.json"], "--payload-file missing.json: cannot read it (ENOENT)"],
    [["--payload", "{not json"], "--payload: not valid JSON"],
    [["--payload", "{}", "--invocations", "lots"], '--invocations "lots" is not valid'],
  ])("%j exits 2 with one line", (args, message) => {
    const cwd = sqsWorkerProject();
    const result = runCli(["audit", "template.yaml", ...args], { cwd });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });
});
