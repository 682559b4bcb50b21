/**
 * Run code rules over functions: check each rule, place findings on lines,
 * drop what a comment suppresses, and report a line shared by several
 * functions (a library module, one CodeUri behind many functions) once,
 * naming them all. A rule that throws becomes an error entry; the run goes on.
 */
import { relative } from "node:path";
import type { AuditReport, Finding } from "../findings.js";
import { CODE_COMMENTS, isSuppressed } from "../suppression.js";
import type { CodeRule } from "./code-rule.js";
import type { FunctionCode } from "./function-code.js";
import type { SourceCache } from "./source-cache.js";

export interface CodeAuditResult {
  readonly findings: Finding[];
  readonly errors: AuditReport["errors"];
  readonly suppressed: number;
}

export function checkFunctionCode(
  functions: readonly FunctionCode[],
  rules: readonly CodeRule[],
  sources: SourceCache,
  cwd: string,
): CodeAuditResult {
  const byPlace = new Map<string, Finding>();
  const errors: AuditReport["errors"] = [];
  const lines = new Map<string, string[]>();
  let suppressed = 0;
  const linesOf = (file: string): string[] => {
    const known = lines.get(file) ?? sources.lines(file);
    lines.set(file, known);
    return known;
  };
  const shown = (file: string) => relative(cwd, file) || file;
  for (const fn of functions) {
    for (const rule of rules) {
      let reported: ReturnType<CodeRule["check"]>;
      try {
        reported = rule.check(fn);
      } catch (error) {
        errors.push({
          file: shown(fn.template ?? fn.codeRoot),
          message: `rule ${rule.meta.id} failed on ${fn.resource}: ${(error as Error).message}`,
        });
        continue;
      }
      for (const finding of reported) {
        const { line, column } = finding.position;
        if (isSuppressed(linesOf(finding.file), line, rule.meta.id, CODE_COMMENTS)) {
          suppressed++;
          continue;
        }
        const key = [rule.meta.id, finding.file, line, column, finding.message].join("\0");
        const existing = byPlace.get(key);
        if (existing) {
          if (!existing.resource.split(", ").includes(fn.resource)) {
            byPlace.set(key, { ...existing, resource: `${existing.resource}, ${fn.resource}` });
          }
          continue;
        }
        byPlace.set(key, {
          ruleId: rule.meta.id,
          severity: finding.severity ?? rule.meta.severity,
          file: shown(finding.file),
          line,
          column,
          resource: fn.resource,
          message: finding.message,
          fix: finding.fix ?? rule.meta.fix,
        });
      }
    }
  }
  return { findings: [...byPlace.values()], errors, suppressed };
}
