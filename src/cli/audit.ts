import { Command } from "commander";
import { type AuditPlan, failsGate, fixFailed, planAudit, runAuditPlan } from "../audit/audit.js";
import type { AuditOptionsInput } from "../audit/audit-options.js";
import type { AuditReport } from "../audit/findings.js";
import type { FileFixResult } from "../audit/fix/fix-files.js";
import { renderSarif } from "../audit/reporters/sarif.js";
import { renderAuditText, type TextOptions } from "../audit/reporters/text.js";
import type { RuleMeta } from "../audit/rule.js";
import { EXIT } from "../errors.js";
import { flagName, type OptionName } from "../options.js";
import { VERSION } from "../version.js";
import { printJson } from "./format.js";
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
  stage?: string;
}

type AnyRule = { readonly meta: RuleMeta };

const FORMATS = ["text", "json", "sarif"] as const;

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
      "--stage <stage>",
      "what the stacks are for: development | production (in development, log retention above 30 days is reported)",
    )
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
        'Project settings (rules, disable, severity, severityThreshold, minSeverity, stage) go in .lambda-optimizer.json under "audit".\n' +
        "\nExamples:\n" +
        "  $ lambda-optimizer audit\n" +
        "  $ lambda-optimizer audit infra/ --format sarif --output results.sarif\n" +
        "  $ lambda-optimizer audit src/handlers --managed-instances\n" +
        "  $ lambda-optimizer audit template.yaml --severity-threshold warning --disable tracing-disabled\n" +
        "  $ lambda-optimizer audit --min-severity warning\n" +
        "  $ lambda-optimizer audit infra/dev --stage development\n" +
        "  $ lambda-optimizer audit src/worker --payload-file events/sqs-batch.json --invocations 5M\n",
    )
    .action((paths: string[], flags: AuditFlags) => runAudit(paths, flags));
}

/** "a,b, c" as ids; the library checks each is a rule's. */
function idList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
}

/** The library's option names as this command's flags: snapStart is --snapstart. */
const auditFlagName: OptionName = (path) =>
  path.at(-1) === "snapStart" ? "--snapstart" : flagName(path);

/** The flags as the library's options (syntax only: lists split, counts read; a flag left out is the library's default). */
function auditOptionsOf(paths: string[], flags: AuditFlags): AuditOptionsInput {
  return {
    paths: paths.length > 0 ? paths : undefined,
    rules: idList(flags.rules),
    disable: idList(flags.disable),
    severityThreshold: flags.severityThreshold,
    minSeverity: flags.minSeverity,
    code: flags.code,
    managedInstances: flags.managedInstances,
    snapStart: flags.snapstart,
    stage: flags.stage,
    payload: flags.payload,
    payloadFile: flags.payloadFile,
    invocations:
      flags.invocations === undefined ? undefined : parseCount("--invocations", flags.invocations),
    fix: flags.fix,
    dryRun: flags.dryRun,
    // Values go to the schema as typed: it refuses what is not allowed, naming the flag.
  } as AuditOptionsInput;
}

async function runAudit(paths: string[], flags: AuditFlags): Promise<void> {
  const format = flags.json ? "json" : flags.format;
  if (!(FORMATS as readonly string[]).includes(format))
    throw invalid("--format", format, FORMATS.join(", "));
  const plan: AuditPlan = planAudit(auditOptionsOf(paths, flags), auditFlagName);
  let diffs = "";
  const report = await runAuditPlan(plan, {
    onFixes(results) {
      reportFixes(results);
      diffs = results.map((result) => result.diff).join("");
    },
  });
  if (flags.dryRun) {
    process.stdout.write(diffs);
    return; // the diff is the output
  }
  for (const note of report.notes) process.stderr.write(`note: ${note.file}: ${note.message}\n`);

  const output = await render(report, format, [...plan.templateRules, ...plan.codeRules], {
    minSeverity: plan.minSeverity,
  });
  if (flags.output) writeOutputFile(flags.output, output);
  else if (format === "json") printJson(report);
  else process.stdout.write(output);
  if (fixFailed(report)) process.exitCode = EXIT.runtime;
  else if (failsGate(report, plan.severityThreshold)) process.exitCode = EXIT.gateFailed;
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
