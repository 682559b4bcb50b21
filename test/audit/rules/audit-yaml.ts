/** Run one rule over an inline template written to a temporary file. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditTemplates } from "../../../src/audit/engine.js";
import type { Finding } from "../../../src/audit/findings.js";
import type { AuditRule } from "../../../src/audit/rule.js";

export function auditYaml(yaml: string, rule: AuditRule): Finding[] {
  const directory = mkdtempSync(join(tmpdir(), "lambda-optimizer-rule-"));
  const file = join(directory, "template.yaml");
  writeFileSync(file, yaml);
  const report = auditTemplates([file], { rules: [rule] });
  if (report.errors.length > 0) throw new Error(report.errors.map((e) => e.message).join("\n"));
  return report.findings;
}

/** The line (1-based) of the first line of the template containing the text. */
export function lineOf(yaml: string, text: string): number {
  const index = yaml.split("\n").findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`"${text}" is not in the template`);
  return index + 1;
}
