import { describe, expect, it } from "vitest";
import { eventLoggedWhole } from "../../../src/audit/code-rules/event-logged-whole.js";
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
