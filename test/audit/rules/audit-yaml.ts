/** Helpers for rule tests that write their templates flush left. */
import type { Finding } from "../../../src/audit/findings.js";
import type { AuditRule } from "../../../src/audit/rule.js";
import { auditText } from "./run-rule.js";

export function auditYaml(yaml: string, rule: AuditRule): Finding[] {
  return auditText(yaml, rule);
}

/** The line (1-based) of the first line of the template containing the text. */
export function lineOf(yaml: string, text: string): number {
  const index = yaml.split("\n").findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`"${text}" is not in the template`);
  return index + 1;
}
