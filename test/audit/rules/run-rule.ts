/** Run one rule over an inline template written to a temporary file. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditTemplates } from "../../../src/audit/engine.js";
import type { Finding } from "../../../src/audit/findings.js";
import type { AuditRule } from "../../../src/audit/rule.js";

const folder = mkdtempSync(join(tmpdir(), "lambda-optimizer-rules-"));
let written = 0;

/** Template text with its common indentation removed, so tests can indent it. */
export function yaml(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(
    ...lines.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)![0].length),
  );
  return lines.map((line) => line.slice(indent)).join("\n");
}

/** Run one rule over a template (indented inline text is fine). */
export function runRule(rule: AuditRule, template: string): Finding[] {
  return auditText(yaml(template), rule);
}

/** Run one rule over template text exactly as given. */
export function auditText(text: string, rule: AuditRule): Finding[] {
  const file = join(folder, `template-${++written}.yaml`);
  writeFileSync(file, text);
  const report = auditTemplates([file], { rules: [rule] });
  if (report.errors.length > 0) throw new Error(report.errors.map((e) => e.message).join("; "));
  return report.findings;
}

/** The fields a test asserts on. */
export function summarize(findings: readonly Finding[]) {
  return findings.map(({ ruleId, severity, line, resource }) => ({
    ruleId,
    severity,
    line,
    resource,
  }));
}
