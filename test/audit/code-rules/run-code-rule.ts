/**
 * Runs one code rule end to end, the way `audit` does: a SAM template with one
 * function `Fn` (CodeUri: fn/) and its source files in a fresh temp folder,
 * through findAuditTargets and auditProject (parsers, module graph, handler
 * and init paths, suppression comments). Per-rule tests assert on the
 * findings it returns.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { stringify } from "yaml";
import { auditProject, findAuditTargets } from "../../../src/audit/audit-project.js";
import type { CodeRule } from "../../../src/audit/code/code-rule.js";
import type { Workload } from "../../../src/audit/code/function-code.js";
import type { Finding } from "../../../src/audit/findings.js";

export interface CodeRuleCase {
  /** Files under the function's folder fn/, by path relative to it. */
  readonly files: Record<string, string>;
  /** Default nodejs22.x. */
  readonly runtime?: string;
  /** Default index.handler. */
  readonly handler?: string;
  /** Extra SAM function Properties: SnapStart, CapacityProviderConfig, FunctionUrlConfig, Events. */
  readonly properties?: Record<string, unknown>;
  /** Extra template Resources (an HttpApi, an AWS::Lambda::Url, a queue). */
  readonly resources?: Record<string, unknown>;
  /** The traffic `--payload`/`--invocations` describe. */
  readonly workload?: Workload;
}

export interface FolderCase {
  /** Files of a plain folder of handlers (no template). */
  readonly files: Record<string, string>;
  /** `--managed-instances` */
  readonly managedInstances?: boolean;
  /** `--snapstart` */
  readonly snapStart?: boolean;
}

const made: string[] = [];
afterAll(() => {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-code-rule-"));
  made.push(folder);
  return folder;
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = join(root, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

async function audit(
  folder: string,
  rule: CodeRule | readonly CodeRule[],
  options: { managedInstances?: boolean; snapStart?: boolean; workload?: Workload } = {},
): Promise<Finding[]> {
  const report = await auditProject(findAuditTargets([folder]), {
    templateRules: [],
    codeRules: Array.isArray(rule) ? rule : [rule as CodeRule],
    cwd: folder,
    ...options,
  });
  if (report.errors.length > 0) {
    throw new Error(`audit errors: ${JSON.stringify(report.errors)}`);
  }
  return report.findings;
}

/** The findings of one rule (or several) for a SAM function `Fn` whose code is `files` (under fn/). */
export async function runCodeRule(
  rule: CodeRule | readonly CodeRule[],
  testCase: CodeRuleCase,
): Promise<Finding[]> {
  const folder = tempFolder();
  const template = {
    AWSTemplateFormatVersion: "2010-09-09",
    Transform: "AWS::Serverless-2016-10-31",
    Resources: {
      Fn: {
        Type: "AWS::Serverless::Function",
        Properties: {
          CodeUri: "fn/",
          Handler: testCase.handler ?? "index.handler",
          Runtime: testCase.runtime ?? "nodejs22.x",
          ...testCase.properties,
        },
      },
      ...testCase.resources,
    },
  };
  writeFileSync(join(folder, "template.yaml"), stringify(template));
  writeFiles(join(folder, "fn"), testCase.files);
  return audit(folder, rule, testCase.workload ? { workload: testCase.workload } : {});
}

/** The findings of one rule for a plain folder of handlers (no template): file paths are relative to it. */
export async function runCodeRuleOnFolder(
  rule: CodeRule | readonly CodeRule[],
  testCase: FolderCase,
): Promise<Finding[]> {
  const folder = tempFolder();
  writeFiles(folder, testCase.files);
  return audit(folder, rule, {
    ...(testCase.managedInstances ? { managedInstances: true } : {}),
    ...(testCase.snapStart ? { snapStart: true } : {}),
  });
}

/** 1-based line and column of the first occurrence of `snippet` in `source`. */
export function lineAndColumn(source: string, snippet: string): { line: number; column: number } {
  const index = source.indexOf(snippet);
  if (index < 0) throw new Error(`snippet not found: ${snippet}`);
  const before = source.slice(0, index);
  const line = before.split("\n").length;
  const column = index - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

/** Where a finding is: file, line and column, for toEqual against `at(...)`. */
export function place(finding: Finding): { file: string; line: number; column: number } {
  return { file: finding.file, line: finding.line, column: finding.column };
}

/** The expected place of `snippet` in `files[file]`, for a finding reported in fn/<file>. */
export function at(
  files: Record<string, string>,
  file: string,
  snippet: string,
  prefix = "fn/",
): { file: string; line: number; column: number } {
  const source = files[file];
  if (source === undefined) throw new Error(`no file ${file}`);
  return { file: `${prefix}${file}`, ...lineAndColumn(source, snippet) };
}
