import { resolve } from "node:path";
import { Command } from "commander";
import { type AuditTargets, auditProject, findAuditTargets } from "../audit/audit-project.js";
import type { CodeRule } from "../audit/code/code-rule.js";
import type { Workload } from "../audit/code/function-code.js";
import { CODE_RULES } from "../audit/code-rules/index.js";
import { ConfigError, loadAuditConfig } from "../audit/config.js";
import { DiscoveryError } from "../audit/discover.js";
import type { AuditReport } from "../audit/findings.js";
import { type FileFixResult, fixTemplateFiles } from "../audit/fix/fix-files.js";
import { renderSarif } from "../audit/reporters/sarif.js";
import { renderAuditText, type TextOptions } from "../audit/reporters/text.js";
import type { AuditRule, RuleMeta, Severity } from "../audit/rule.js";
import { SEVERITY_RANK } from "../audit/rule.js";
import { findUnknownRuleId } from "../audit/rule-ids.js";
import { TEMPLATE_RULES } from "../audit/rules/index.js";
import { TunedMemoryIndex } from "../audit/tuned-memory.js";
import { EXIT, UsageError } from "../errors.js";
import { VERSION } from "../version.js";
import { printJson } from "./format.js";
import { readPayload } from "./function-source.js";
import { invalid, parseCount } from "./option-parsers.js";
import { writeOutputFile } from "./output-paths.js";

interface AuditFlags {
  format: string;
  json?: boolean;
  severityThreshold?: string;
  minSeverity?: string;
  rules?: string;
  disable?: string;
  output?: string;
  fix?: boolean;
  dryRun?: boolean;
  code: boolean;
  managedInstances?: boolean;
  snapstart?: boolean;
  payload?: string;
  payloadFile?: string;
  invocations?: string;
}

type AnyRule = { readonly meta: RuleMeta };
/** A template or code rule: what `--rules`, `--disable` and the config's severities apply to. */
type SelectableRule = AnyRule & {
  check(input: never): readonly { readonly severity?: Severity }[];
};

const FORMATS = ["text", "json", "sarif"] as const;
const THRESHOLDS = ["error", "warning", "info", "none"] as const;
const SEVERITIES = ["error", "warning", "info"] as const;

export function auditCommand(): Command {
  return new Command("audit")
    .summary("check templates and handler code for cost and performance problems")
    .description(
      "Find the templates under the paths (template.yaml/.json, cdk.out/*.template.json, any\n" +
        "CloudFormation template) and check them against the Lambda optimization guide: arm64,\n" +
        "memory, timeouts, log retention, SnapStart, provisioned concurrency, API Gateway,\n" +
        "DynamoDB, event source mappings and more. Then read each Node.js, TypeScript and Python\n" +
        "function's code (CodeUri + Handler) for clients created per request, configuration\n" +
        "fetched per request, values frozen into SnapStart snapshots, state shared under Managed\n" +
        "Instances, DynamoDB scans, x86-only binaries and more. A path with no template in it is\n" +
        "read as a folder of handlers. Every finding names a line, a reason and a fix.",
    )
    .argument("[paths...]", "files or folders to search (default: .)")
    .option("--format <format>", "text | json | sarif", "text")
    .option("--json", "the same as --format json")
    .option("--output <file>", "write the report to a file instead of stdout (e.g. results.sarif)")
    .option(
      "--severity-threshold <level>",
      "exit 1 when a finding is at or above: error | warning | info | none (default: error)",
    )
    .option(
      "--min-severity <level>",
      "text output: show only findings at or above error | warning | info (default: info); JSON and SARIF keep them all",
    )
    .option("--rules <ids>", "run only these rules, comma-separated")
    .option("--disable <ids>", "skip these rules, comma-separated")
    .option(
      "--fix",
      "apply the safe fixes to the templates (every other line kept byte for byte); print riskier ones as suggested edits",
    )
    .option("--dry-run", "with --fix: print the diff and change nothing")
    .option("--no-code", "check templates only, not the functions' code")
    .option(
      "--managed-instances",
      "treat every function as running on Lambda Managed Instances (concurrent requests)",
    )
    .option("--snapstart", "treat every function as having SnapStart on")
    .option(
      "--payload <json>",
      "a typical event: prices the logging of whole events (event-logged-whole)",
    )
    .option("--payload-file <file>", "the same, read from a file (e.g. a saved SQS batch)")
    .option(
      "--invocations <count>",
      "with --payload: invocations a month (10M, 2.5k), for a monthly figure",
    )
    .addHelpText(
      "after",
      "\nSuppress a finding with a comment on the line above it:\n" +
        "  # lambda-optimizer-disable-next-line arm64-candidate     (templates, Python)\n" +
        "  // lambda-optimizer-disable-next-line init-in-handler    (JavaScript, TypeScript)\n" +
        'Project settings (rules, disable, severity, severityThreshold, minSeverity) go in .lambda-optimizer.json under "audit".\n' +
        "\nExamples:\n" +
        "  $ lambda-optimizer audit\n" +
        "  $ lambda-optimizer audit infra/ --format sarif --output results.sarif\n" +
        "  $ lambda-optimizer audit src/handlers --managed-instances\n" +
        "  $ lambda-optimizer audit template.yaml --severity-threshold warning --disable tracing-disabled\n" +
        "  $ lambda-optimizer audit --min-severity warning\n" +
        "  $ lambda-optimizer audit src/worker --payload-file events/sqs-batch.json --invocations 5M\n",
    )
    .action((paths: string[], flags: AuditFlags) => runAudit(paths, flags));
}

function idList(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = findUnknownRuleId(ids);
  if (unknown) throw invalid(flag, unknown.id, unknown.expected);
  return ids;
}

async function runAudit(paths: string[], flags: AuditFlags): Promise<void> {
  const format = flags.json ? "json" : flags.format;
  if (!(FORMATS as readonly string[]).includes(format))
    throw invalid("--format", format, FORMATS.join(", "));
  let config: ReturnType<typeof loadAuditConfig>;
  try {
    config = loadAuditConfig(process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const threshold = flags.severityThreshold ?? config.severityThreshold ?? "error";
  if (!(THRESHOLDS as readonly string[]).includes(threshold)) {
    throw invalid("--severity-threshold", threshold, THRESHOLDS.join(", "));
  }
  const minSeverity = flags.minSeverity ?? config.minSeverity ?? "info";
  if (!(SEVERITIES as readonly string[]).includes(minSeverity)) {
    throw invalid("--min-severity", minSeverity, SEVERITIES.join(", "));
  }
  const only = idList("--rules", flags.rules) ?? config.rules;
  const disabled = idList("--disable", flags.disable) ?? config.disable ?? [];
  const select = <Rule extends SelectableRule>(rules: readonly Rule[]): Rule[] =>
    rules
      .filter((rule) => (!only || only.includes(rule.meta.id)) && !disabled.includes(rule.meta.id))
      .map((rule) => {
        const severity = config.severity?.[rule.meta.id];
        return severity ? withSeverity(rule, severity) : rule;
      });
  const templateRules: AuditRule[] = select(TEMPLATE_RULES);
  const codeRules: CodeRule[] = flags.code ? select(CODE_RULES) : [];
  if (flags.dryRun && !flags.fix) throw new UsageError("--dry-run goes with --fix");
  const workload = workloadFrom(flags);

  const searched = paths.length > 0 ? paths : ["."];
  let targets: AuditTargets;
  try {
    targets = findAuditTargets(searched);
  } catch (error) {
    if (error instanceof DiscoveryError) throw new UsageError(error.message);
    throw error;
  }
  // For --fix: the functions whose packages arm64-blocked scanned, per template.
  const scanned = new Map<string, Set<string>>();
  const scansBinaries = codeRules.some((rule) => rule.meta.id === "arm64-blocked");
  // Saved tune runs: memory-default's size comes from them, never from a guess.
  const tunedMemory = new TunedMemoryIndex(process.cwd());
  const audit = () =>
    auditProject(targets, {
      tunedMemory,
      templateRules,
      codeRules,
      cwd: process.cwd(),
      managedInstances: flags.managedInstances === true,
      snapStart: flags.snapstart === true,
      ...(workload ? { workload } : {}),
      onFunctionCode(functions) {
        if (!scansBinaries) return;
        for (const fn of functions) {
          if (fn.template === undefined) continue;
          const ids = scanned.get(fn.template) ?? new Set<string>();
          scanned.set(fn.template, ids.add(fn.resource));
        }
      },
    });
  let report = await audit();
  if (
    report.summary.templates === 0 &&
    report.summary.functions === 0 &&
    report.errors.length === 0
  ) {
    throw new UsageError(
      `no CloudFormation or SAM template, and no handler, found under ${searched.join(", ")}`,
    );
  }
  let fixFailed = false;
  if (flags.fix) {
    const results = fixTemplateFiles(targets.templates, report.findings, {
      cwd: process.cwd(),
      dryRun: flags.dryRun === true,
      facts: (template) => ({ codeChecked: scanned.get(resolve(template)) ?? new Set() }),
    });
    reportFixes(results);
    if (flags.dryRun) {
      for (const result of results) process.stdout.write(result.diff);
      return; // the diff is the output
    }
    fixFailed = results.some((result) => !["fixed", "unchanged"].includes(result.status));
    // What is left after the fixes, and what each file's fix did.
    report = {
      ...(await audit()),
      fixes: results.map(({ diff: _diff, ...fileReport }) => fileReport),
    };
  }
  for (const note of report.notes) process.stderr.write(`note: ${note.file}: ${note.message}\n`);

  const output = await render(report, format, [...templateRules, ...codeRules], {
    minSeverity: minSeverity as Severity,
  });
  if (flags.output) writeOutputFile(flags.output, output);
  else if (format === "json") printJson(report);
  else process.stdout.write(output);
  if (fixFailed) process.exitCode = EXIT.runtime;
  else if (
    threshold !== "none" &&
    report.findings.some(
      (finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[threshold as Severity],
    )
  ) {
    process.exitCode = EXIT.gateFailed;
  }
}

/** `--payload` / `--payload-file` and `--invocations`: the traffic to price findings with. */
function workloadFrom(flags: AuditFlags): Workload | undefined {
  const given = flags.payload !== undefined || flags.payloadFile !== undefined;
  if (!given) {
    if (flags.invocations !== undefined) {
      throw new UsageError(
        "--invocations prices a logged event: give the event too, with --payload or --payload-file",
      );
    }
    return undefined;
  }
  const text = readPayload(flags).toString("utf8");
  // What JSON.stringify(event) writes: the compact form, whatever the file's layout.
  const eventBytes = Buffer.byteLength(JSON.stringify(JSON.parse(text)), "utf8");
  return {
    eventBytes,
    eventSource:
      flags.payloadFile !== undefined ? `--payload-file ${flags.payloadFile}` : "--payload",
    ...(flags.invocations !== undefined
      ? { invocationsPerMonth: parseCount("--invocations", flags.invocations) }
      : {}),
  };
}

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

async function render(
  report: AuditReport,
  format: string,
  rules: readonly AnyRule[],
  text: TextOptions,
): Promise<string> {
  // --min-severity is for a person reading: JSON and SARIF consumers get every finding and filter themselves.
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format === "sarif") return `${renderSarif(report, rules, VERSION)}\n`;
  return `${renderAuditText(report, text)}\n`;
}

/** One line per template on stderr (fixed, or why not), and each suggested edit with its diff. */
function reportFixes(results: readonly FileFixResult[]): void {
  for (const result of results) {
    const count = result.applied.length;
    if (result.status === "fixed") {
      process.stderr.write(`fixed ${count} finding${count === 1 ? "" : "s"} in ${result.file}\n`);
    } else if (result.status !== "unchanged") {
      process.stderr.write(`not fixed: ${result.file}: ${result.message}; the file is unchanged\n`);
    }
    for (const suggestion of result.suggested) {
      process.stderr.write(
        `suggested, not applied: ${result.file}:${suggestion.line} ${suggestion.ruleId} ${suggestion.resource}: ${suggestion.reason}\n${suggestion.edit}`,
      );
    }
  }
}
