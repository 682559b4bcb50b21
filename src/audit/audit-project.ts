/**
 * The whole audit of what `audit` is pointed at: every template found (its
 * template rules, then the code rules over each of its functions' code), and
 * each path with no template in it audited as a plain folder of handlers.
 */
import { statSync } from "node:fs";
import { relative } from "node:path";
import type { AuditContext } from "./audit-context.js";
import type { AuditStage } from "./audit-options.js";
import { checkFunctionCode } from "./code/code-engine.js";
import type { CodeRule } from "./code/code-rule.js";
import type { FunctionCode } from "./code/function-code.js";
import { CodeLoader, type CodeOptions } from "./code/load-function-code.js";
import { loadParsers } from "./code/parsers.js";
import { isSourceFile, SourceCache } from "./code/source-cache.js";
import { TemplateCode } from "./code/template-code.js";
import { findTemplates } from "./discover.js";
import { auditTemplates } from "./engine.js";
import { type AuditReport, type Finding, orderAndCount } from "./findings.js";
import type { MeasuredInitIndex } from "./measured-init.js";
import type { AuditRule } from "./rule.js";
import type { TunedMemoryIndex } from "./tuned-memory.js";

export interface ProjectAuditOptions extends CodeOptions {
  readonly templateRules: readonly AuditRule[];
  readonly codeRules: readonly CodeRule[];
  /** Paths in findings are shown relative to this folder. */
  readonly cwd: string;
  /** Called with the functions whose code was read (for --fix: which functions' packages were checked). */
  readonly onFunctionCode?: (functions: readonly FunctionCode[]) => void;
  /** Saved tune runs, from which memory-default takes the size to set. */
  readonly tunedMemory?: TunedMemoryIndex;
  /**
   * Read the functions' code for the template rules that weigh it
   * (AuditRule.readsCode: memory-default infers the workload from imports,
   * s3-no-lifecycle names a writer's uploads), even when no code rule runs.
   * Code rules read it regardless.
   */
  readonly readCode?: boolean;
  /** Saved tune runs' cold starts, which slow-start-sync quotes. */
  readonly measuredInit?: MeasuredInitIndex;
  /** What the stacks are for, which log-retention weighs a set retention by. */
  readonly stage?: AuditStage;
}

/** What an audit covers: the templates, and the paths that hold code but no template. */
export interface AuditTargets {
  readonly templates: readonly string[];
  readonly codeFolders: readonly string[];
}

/** Templates under the paths; a path with none, or a source file, is code: a folder (or file) of handlers. */
export function findAuditTargets(paths: readonly string[]): AuditTargets {
  const templates = new Set<string>();
  const codeFolders: string[] = [];
  for (const path of paths) {
    // A source file given by name is code, never a template to parse.
    if (isSourceFile(path) && statSync(path).isFile()) {
      codeFolders.push(path);
      continue;
    }
    const found = findTemplates([path]);
    if (found.length > 0) for (const file of found) templates.add(file);
    else if (statSync(path).isDirectory()) codeFolders.push(path);
  }
  return { templates: [...templates].sort(), codeFolders };
}

export async function auditProject(
  targets: AuditTargets,
  options: ProjectAuditOptions,
): Promise<AuditReport> {
  const contexts: AuditContext[] = [];
  // Code is read for the code rules, or when asked for the template rules; either way once.
  const readsCode = options.codeRules.length > 0 || options.readCode === true;
  const sources = readsCode ? new SourceCache(await loadParsers()) : undefined;
  const loader = sources ? new CodeLoader(sources, options) : undefined;
  const code = loader ? new TemplateCode(loader) : undefined;
  const report = auditTemplates(targets.templates, {
    rules: options.templateRules,
    cwd: options.cwd,
    onTemplate: (context) => contexts.push(context),
    ...(options.tunedMemory ? { tunedMemory: options.tunedMemory } : {}),
    ...(code ? { code } : {}),
    ...(options.measuredInit ? { measuredInit: options.measuredInit } : {}),
    ...(options.stage ? { stage: options.stage } : {}),
  });
  if (!sources || !loader || !code || options.codeRules.length === 0) return report;

  const functions: FunctionCode[] = [
    ...contexts.flatMap((context) => code.ofTemplate(context)),
    ...targets.codeFolders.flatMap((folder) => loader.fromFolder(folder)),
  ];
  options.onFunctionCode?.(functions);
  const checked = checkFunctionCode(functions, options.codeRules, sources, options.cwd);
  const findings = withoutBlockedArm64(report.findings, checked.findings, functions, options.cwd);
  const counts = orderAndCount(findings);
  const shown = (file: string) => relative(options.cwd, file) || file;
  return {
    findings,
    errors: [...report.errors, ...checked.errors],
    notes: sources.notes.map((note) => ({ file: shown(note.file), message: note.message })),
    summary: {
      ...report.summary,
      functions: functions.filter((fn) => fn.modules.length > 0).length,
      ...counts,
      suppressed: report.summary.suppressed + checked.suppressed,
    },
  };
}

/**
 * arm64-blocked turns arm64-candidate off for its function: recommending
 * arm64 to a function that ships x86-only binaries would break it.
 */
function withoutBlockedArm64(
  templateFindings: readonly Finding[],
  codeFindings: readonly Finding[],
  functions: readonly FunctionCode[],
  cwd: string,
): Finding[] {
  const blocked = new Set<string>();
  for (const finding of codeFindings) {
    if (finding.ruleId !== "arm64-blocked") continue;
    for (const resource of finding.resource.split(", ")) {
      const fn = functions.find(
        (candidate) => candidate.resource === resource && candidate.template,
      );
      if (fn) blocked.add(`${relative(cwd, fn.template!) || fn.template}\0${resource}`);
    }
  }
  return [
    ...templateFindings.filter(
      (finding) =>
        finding.ruleId !== "arm64-candidate" ||
        !blocked.has(`${finding.file}\0${finding.resource}`),
    ),
    ...codeFindings,
  ];
}
