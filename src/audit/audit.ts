/**
 * `audit` as a library call: check and default the options, merge the
 * project's .lambda-optimizer.json under them, select the rules, find the
 * templates and handlers, audit them (with the sizes of saved tune runs), and
 * with `fix` rewrite the templates and audit again. Rendering the report
 * (text, JSON, SARIF) and the exit code are the caller's.
 *
 * planAudit and runAuditPlan are the two halves, for a caller that needs the
 * settings the audit ran with (the threshold, the rules for SARIF);
 * audit() is both in one call.
 */
import { resolve } from "node:path";
import { UsageError } from "../errors.js";
import { readEventPayload } from "../event-payload.js";
import { fieldName, type OptionName, parseOptions } from "../options.js";
import {
  AUDIT_DEFAULTS,
  type AuditOptions,
  type AuditOptionsInput,
  AuditOptionsSchema,
  type AuditStage,
  type SeverityThreshold,
} from "./audit-options.js";
import { type AuditTargets, auditProject, findAuditTargets } from "./audit-project.js";
import type { CodeRule } from "./code/code-rule.js";
import type { Workload } from "./code/function-code.js";
import { CODE_RULES } from "./code-rules/index.js";
import { type AuditConfig, ConfigError, loadAuditConfig } from "./config.js";
import { DiscoveryError } from "./discover.js";
import type { AuditReport } from "./findings.js";
import { type FileFixResult, fixTemplateFiles } from "./fix/fix-files.js";
import { MeasuredInitIndex } from "./measured-init.js";
import { type AuditRule, type RuleMeta, SEVERITY_RANK, type Severity } from "./rule.js";
import { TEMPLATE_RULES } from "./rules/index.js";
import { SavedFunctionRuns } from "./saved-function-runs.js";
import { TunedMemoryIndex } from "./tuned-memory.js";

/** Everything an audit runs with, once the options and the config file are merged. */
export interface AuditPlan {
  readonly options: AuditOptions;
  /** The folder findings are shown relative to. */
  readonly cwd: string;
  /** Findings at or above this fail the gate. */
  readonly severityThreshold: SeverityThreshold;
  /** Text output shows findings at or above this. */
  readonly minSeverity: Severity;
  /** What the stacks are for (the option's, else the config file's); unsaid when neither says. */
  readonly stage?: AuditStage;
  /** The rules that run, with the severities the config file gives them. */
  readonly templateRules: readonly AuditRule[];
  readonly codeRules: readonly CodeRule[];
  readonly targets: AuditTargets;
  /** The traffic findings are priced with, from payload / payloadFile and invocations. */
  readonly workload?: Workload;
  /** The paths as given, for messages. */
  readonly searched: readonly string[];
}

export interface AuditHooks {
  /**
   * With fix: each template's fix (what was applied, skipped or suggested,
   * and the change as a diff), before the audit runs again over the fixed
   * files; with dryRun, the diffs of what would be written.
   */
  readonly onFixes?: (results: readonly FileFixResult[]) => void;
}

/**
 * Check the options (`nameOf` is how the caller names them in messages: the
 * CLI passes flagName), read the config file, select the rules and find what
 * to audit. Throws a UsageError for any mistake, before anything is read.
 */
export function planAudit(input: AuditOptionsInput, nameOf: OptionName = fieldName): AuditPlan {
  const options = parseOptions(AuditOptionsSchema, input, nameOf);
  const cwd = resolve(options.cwd ?? ".");
  let config: AuditConfig;
  try {
    config = loadAuditConfig(cwd);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const only = options.rules ?? config.rules;
  const disabled = options.disable ?? config.disable ?? [];
  const select = <Rule extends SelectableRule>(rules: readonly Rule[]): Rule[] =>
    rules
      .filter((rule) => (!only || only.includes(rule.meta.id)) && !disabled.includes(rule.meta.id))
      .map((rule) => {
        const severity = config.severity?.[rule.meta.id];
        return severity ? withSeverity(rule, severity) : rule;
      });
  const workload = workloadOf(options, nameOf, cwd);
  const stage = options.stage ?? config.stage;
  const searched = options.paths;
  let targets: AuditTargets;
  try {
    targets = findAuditTargets(
      options.cwd === undefined ? searched : searched.map((path) => resolve(cwd, path)),
    );
  } catch (error) {
    if (error instanceof DiscoveryError) throw new UsageError(error.message);
    throw error;
  }
  return {
    options,
    cwd,
    severityThreshold:
      options.severityThreshold ?? config.severityThreshold ?? AUDIT_DEFAULTS.severityThreshold,
    minSeverity: options.minSeverity ?? config.minSeverity ?? AUDIT_DEFAULTS.minSeverity,
    ...(stage ? { stage } : {}),
    templateRules: select(TEMPLATE_RULES),
    codeRules: options.code ? select(CODE_RULES) : [],
    targets,
    ...(workload ? { workload } : {}),
    searched,
  };
}

/** Audit what the plan found; with fix, fix the templates and report what is left. */
export async function runAuditPlan(plan: AuditPlan, hooks: AuditHooks = {}): Promise<AuditReport> {
  const { options, cwd } = plan;
  // For fix: the functions whose packages arm64-blocked scanned, per template.
  const scanned = new Map<string, Set<string>>();
  const scansBinaries = plan.codeRules.some((rule) => rule.meta.id === "arm64-blocked");
  // Saved tune runs: memory-default's size comes from them, never from a guess, and
  // slow-start-sync quotes the cold starts they measured. Read once, for both.
  const savedRuns = new SavedFunctionRuns(cwd);
  const tunedMemory = new TunedMemoryIndex(cwd, savedRuns);
  const measuredInit = new MeasuredInitIndex(cwd, savedRuns);
  const auditOnce = () =>
    auditProject(plan.targets, {
      tunedMemory,
      measuredInit,
      templateRules: plan.templateRules,
      codeRules: plan.codeRules,
      // template rules that weigh the code (memory-default, s3-no-lifecycle) have it read even
      // when no code rule runs
      readCode: options.code && plan.templateRules.some((rule) => rule.readsCode === true),
      cwd,
      managedInstances: options.managedInstances,
      snapStart: options.snapStart,
      ...(plan.stage ? { stage: plan.stage } : {}),
      ...(plan.workload ? { workload: plan.workload } : {}),
      onFunctionCode(functions) {
        if (!scansBinaries) return;
        for (const fn of functions) {
          if (fn.template === undefined) continue;
          const ids = scanned.get(fn.template) ?? new Set<string>();
          scanned.set(fn.template, ids.add(fn.resource));
        }
      },
    });
  const report = await auditOnce();
  if (
    report.summary.templates === 0 &&
    report.summary.functions === 0 &&
    report.errors.length === 0
  ) {
    throw new UsageError(
      `no CloudFormation or SAM template, and no handler, found under ${plan.searched.join(", ")}`,
    );
  }
  if (!options.fix) return report;
  const results = fixTemplateFiles(plan.targets.templates, report.findings, {
    cwd,
    dryRun: options.dryRun,
    facts: (template) => ({ codeChecked: scanned.get(resolve(template)) ?? new Set() }),
  });
  hooks.onFixes?.(results);
  const fixes = results.map(({ diff: _diff, ...fileReport }) => fileReport);
  // A dry run changed nothing: the findings stand, beside the fixes that would be made.
  if (options.dryRun) return { ...report, fixes };
  // What is left after the fixes, and what each file's fix did.
  return { ...(await auditOnce()), fixes };
}

/** Audit the projects the options point at: the report, fixed first when `fix` is set. */
export async function audit(
  input: AuditOptionsInput = {},
  hooks: AuditHooks = {},
  nameOf: OptionName = fieldName,
): Promise<AuditReport> {
  return runAuditPlan(planAudit(input, nameOf), hooks);
}

/** Whether a finding reaches the threshold: the CLI's exit 1, a CI gate. */
export function failsGate(report: AuditReport, threshold: SeverityThreshold): boolean {
  if (threshold === "none") return false;
  return report.findings.some(
    (finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[threshold],
  );
}

/** Whether some template's fix could not be made (refused, changed on disk, not written). */
export function fixFailed(report: AuditReport): boolean {
  return (report.fixes ?? []).some((fix) => fix.status !== "fixed" && fix.status !== "unchanged");
}

/** payload / payloadFile and invocations: the traffic to price findings with. */
function workloadOf(options: AuditOptions, nameOf: OptionName, cwd: string): Workload | undefined {
  if (options.payload === undefined && options.payloadFile === undefined) return undefined;
  const event = readEventPayload(options, nameOf, cwd);
  // What JSON.stringify(event) writes: the compact form, whatever the file's layout.
  const eventBytes = Buffer.byteLength(JSON.stringify(JSON.parse(event.text)), "utf8");
  return {
    eventBytes,
    eventSource: event.source,
    ...(options.invocations !== undefined ? { invocationsPerMonth: options.invocations } : {}),
  };
}

/** A template or code rule: what `rules`, `disable` and the config's severities apply to. */
type SelectableRule = { readonly meta: RuleMeta } & {
  check(input: never): readonly { readonly severity?: Severity }[];
};

/**
 * A rule whose findings all take the severity the project chose, including
 * those the rule grades itself (snapstart-uniqueness, arm64-blocked).
 */
function withSeverity<Rule extends SelectableRule>(rule: Rule, severity: Severity): Rule {
  return {
    ...rule,
    meta: { ...rule.meta, severity },
    check: (input: never) => rule.check(input).map((finding) => ({ ...finding, severity })),
  } as Rule; // the same rule, its findings' severity replaced
}
