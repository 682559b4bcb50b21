/**
 * Run rules over templates: parse, build the context, check every rule,
 * place findings on lines, drop what the user suppressed. A template that
 * cannot be read is a template-unreadable finding (error severity, so the
 * audit fails; an error entry instead when that rule is disabled); a rule
 * that throws on a template becomes an error entry for that file. The run
 * goes on.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseTemplate } from "../template/parse-template.js";
import { TemplateError } from "../template/template-error.js";
import { AuditContext } from "./audit-context.js";
import type { AuditStage } from "./audit-options.js";
import type { TemplateCode } from "./code/template-code.js";
import { type AuditReport, type Finding, orderAndCount } from "./findings.js";
import type { MeasuredInitIndex } from "./measured-init.js";
import type { AuditRule, RuleFinding } from "./rule.js";
import { templateUnreadable } from "./rules/template-unreadable.js";
import { isSuppressed, TEMPLATE_COMMENTS } from "./suppression.js";
import type { TunedMemoryIndex } from "./tuned-memory.js";

export interface AuditOptions {
  readonly rules: readonly AuditRule[];
  /** Paths in findings are shown relative to this folder. */
  readonly cwd?: string;
  /** Called with each template that parsed, so callers (the code audit) need not parse it again. */
  readonly onTemplate?: (context: AuditContext) => void;
  /** Saved tune runs, from which memory-default takes the size to set. */
  readonly tunedMemory?: TunedMemoryIndex;
  /** The functions' code, read once for the template rules that ask (memory-default) and the code rules. */
  readonly code?: TemplateCode;
  /** Saved tune runs' cold starts, which slow-start-sync quotes. */
  readonly measuredInit?: MeasuredInitIndex;
  /** What the stacks are for, which log-retention weighs a set retention by. */
  readonly stage?: AuditStage;
}

export function auditTemplates(files: readonly string[], options: AuditOptions): AuditReport {
  const findings: Finding[] = [];
  const errors: AuditReport["errors"] = [];
  let suppressed = 0;
  let templates = 0;
  const unreadable = options.rules.find((rule) => rule.meta.id === templateUnreadable.meta.id);
  for (const file of files) {
    const shown = options.cwd ? relative(options.cwd, file) || file : file;
    let context: AuditContext;
    let lines: string[];
    try {
      const parsed = parseTemplate(file);
      context = new AuditContext(parsed, {
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        ...(options.tunedMemory ? { tunedMemory: options.tunedMemory } : {}),
        ...(options.code ? { code: options.code } : {}),
        ...(options.measuredInit ? { measuredInit: options.measuredInit } : {}),
        ...(options.stage ? { stage: options.stage } : {}),
      });
      lines = readFileSync(file, "utf8").split("\n");
      templates++;
      options.onTemplate?.(context);
    } catch (error) {
      if (unreadable && error instanceof TemplateError) {
        // Counted as a template: it was found and audited, and failed.
        templates++;
        findings.push({
          ruleId: unreadable.meta.id,
          severity: unreadable.meta.severity,
          file: shown,
          line: error.line ?? 1,
          column: error.column ?? 1,
          resource: "(template)",
          message: `cannot be read, so nothing in it was audited: ${error.problem}`,
          fix: unreadable.meta.fix,
        });
      } else {
        errors.push({
          file: shown,
          message: error instanceof Error ? error.message : String(error),
        });
      }
      continue;
    }
    for (const rule of options.rules) {
      let reported: RuleFinding[];
      try {
        reported = rule.check(context);
      } catch (error) {
        errors.push({
          file: shown,
          message: `rule ${rule.meta.id} failed on this template: ${(error as Error).message}`,
        });
        continue;
      }
      for (const finding of reported) {
        const position = context.parsed.nearestPositionOf(finding.path);
        if (isSuppressed(lines, position.line, rule.meta.id, TEMPLATE_COMMENTS)) {
          suppressed++;
          continue;
        }
        findings.push({
          ruleId: rule.meta.id,
          severity: finding.severity ?? rule.meta.severity,
          file: shown,
          line: position.line,
          column: position.column,
          resource: finding.resource,
          message: finding.message,
          fix: finding.fix ?? rule.meta.fix,
          ...(finding.fixValue !== undefined ? { fixValue: finding.fixValue } : {}),
        });
      }
    }
  }
  const counts = orderAndCount(findings);
  return {
    findings,
    errors,
    notes: [],
    summary: {
      files: files.length,
      templates,
      functions: 0,
      ...counts,
      suppressed,
    },
  };
}
