/**
 * The whole audit of what `audit` is pointed at: every template found (its
 * template rules, then the code rules over each of its functions' code), and
 * each path with no template in it audited as a plain folder of handlers.
 */
import { statSync } from "node:fs";
import { relative } from "node:path";
import type { AuditContext } from "./audit-context.js";
import { checkFunctionCode } from "./code/code-engine.js";
import type { CodeRule } from "./code/code-rule.js";
import type { FunctionCode } from "./code/function-code.js";
import { CodeLoader, type CodeOptions } from "./code/load-function-code.js";
import { loadParsers } from "./code/parsers.js";
import { isSourceFile, SourceCache } from "./code/source-cache.js";
import { findTemplates } from "./discover.js";
import { auditTemplates } from "./engine.js";
import { type AuditReport, type Finding, orderAndCount } from "./findings.js";
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
   * (AuditRule.readsCode) even when no code rule runs (`--rules
   * s3-no-lifecycle`). Code rules always read it.
   */
  readonly readCode?: boolean;
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
  // Code is read when code rules run (or readCode asks), once per template:
  // the template rules that weigh it (s3-no-lifecycle) read it first, when they
  // ask, and the code rules check what they read.
  const readsCode = options.codeRules.length > 0 || options.readCode === true;
  const sources = readsCode ? new SourceCache(await loadParsers()) : undefined;
  const loader = sources ? new CodeLoader(sources, options) : undefined;
  const codeByTemplate = new Map<AuditContext, readonly FunctionCode[]>();
  const codeOf = (context: AuditContext): readonly FunctionCode[] => {
    const known = codeByTemplate.get(context);
    if (known) return known;
    const loaded = loader ? loader.fromTemplate(context) : [];
    codeByTemplate.set(context, loaded);
    return loaded;
  };
  const report = auditTemplates(targets.templates, {
    rules: options.templateRules,
    cwd: options.cwd,
    onTemplate: (context) => contexts.push(context),
    ...(options.tunedMemory ? { tunedMemory: options.tunedMemory } : {}),
    ...(loader ? { loadCode: codeOf } : {}),
  });
  if (!sources || !loader || options.codeRules.length === 0) return report;

  const functions: FunctionCode[] = [
    ...contexts.flatMap(codeOf),
    ...targets.codeFolders.flatMap((folder) => loader.fromFolder(folder)),
  ];
  options.onFunctionCode?.(functions);
  const code = checkFunctionCode(functions, options.codeRules, sources, options.cwd);
  const findings = withoutBlockedArm64(report.findings, code.findings, functions, options.cwd);
  const counts = orderAndCount(findings);
  const shown = (file: string) => relative(options.cwd, file) || file;
  return {
    findings,
    errors: [...report.errors, ...code.errors],
    notes: sources.notes.map((note) => ({ file: shown(note.file), message: note.message })),
    summary: {
      ...report.summary,
      functions: functions.filter((fn) => fn.modules.length > 0).length,
      ...counts,
      suppressed: report.summary.suppressed + code.suppressed,
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
