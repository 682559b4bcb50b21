/**
 * The `audit` tool: the library's audit over a project folder or a template,
 * its findings filtered by rule and by minimum severity. Read-only: `fix`
 * and `dryRun` are left out of its arguments, since a fix rewrites the
 * user's templates; the summary says how to apply the fixes from a shell.
 */
import { z } from "zod";
import { planAudit, runAuditPlan } from "../../audit/audit.js";
import { AuditOptionsFields, checkAuditOptions, SEVERITIES } from "../../audit/audit-options.js";
import { AuditReportSchema, type Finding, findingsAtOrAbove } from "../../audit/findings.js";
import { SEVERITY_RANK } from "../../audit/rule.js";
import { defineTool } from "../tool.js";

/** The audit's options without the ones that write files. */
const AuditToolInput = AuditOptionsFields.omit({ fix: true, dryRun: true }).superRefine(
  checkAuditOptions,
);

const AuditToolOutput = AuditReportSchema.omit({ fixes: true }).extend({
  /** `findings` holds those at or above this (the argument's, else the project config's, else info). */
  minSeverity: z.enum(SEVERITIES),
  /** Findings below minSeverity, left out of `findings` (the summary's counts include them). */
  hidden: z.number(),
});

/** How many findings the text summary lists, most severe first. */
const TOP_FINDINGS = 10;

export const auditTool = defineTool({
  name: "audit",
  title: "Audit templates and handler code",
  description:
    "Check a project's SAM/CloudFormation templates and its Node.js, TypeScript and Python " +
    "handlers against the Lambda optimization guide (arm64, memory, timeouts, log retention, " +
    "SnapStart, provisioned concurrency, API Gateway, DynamoDB, event source mappings, clients " +
    "created per request, and more). Call it after measuring a function and before tuning it. " +
    "`paths`: files or folders (default: the server's working folder); a folder is searched " +
    "for templates, and read as a folder of handlers when it holds none. Filter with `rules` " +
    "(rule ids as in docs/rules/), `disable`, and `minSeverity` (error, warning or info); " +
    "`stage` (development or production) says what the stacks are for, since a template does " +
    "not: in development a log retention above 30 days is reported. " +
    "Returns every finding with its file, line, rule id, severity, message and fix, and the " +
    "counts by severity. Read-only: it never changes a file (to apply the safe fixes, the user " +
    "runs `lambda-optimizer audit --fix` in a shell).",
  input: AuditToolInput,
  output: AuditToolOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(input) {
    const plan = planAudit(input);
    const report = await runAuditPlan(plan);
    const shown = findingsAtOrAbove(report.findings, plan.minSeverity);
    const { fixes: _none, ...rest } = report;
    const structured = {
      ...rest,
      findings: shown,
      minSeverity: plan.minSeverity,
      hidden: report.findings.length - shown.length,
    };
    return { structured, summary: auditSummary(structured) };
  },
});

function auditSummary(result: z.output<typeof AuditToolOutput>): string {
  const { summary } = result;
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  const lines = [
    `${plural(summary.templates, "template")}, code of ${plural(summary.functions, "function")}: ` +
      `${plural(summary.error, "error")}, ${plural(summary.warning, "warning")}, ${summary.info} info` +
      (summary.suppressed > 0 ? `, ${summary.suppressed} suppressed` : "") +
      (result.hidden > 0 ? `; ${result.hidden} below ${result.minSeverity} not listed` : "") +
      (result.errors.length > 0 ? `; ${plural(result.errors.length, "file")} not readable` : ""),
  ];
  const top = mostSevereFirst(result.findings).slice(0, TOP_FINDINGS);
  for (const finding of top) lines.push(findingLine(finding));
  if (result.findings.length > top.length)
    lines.push(`… and ${result.findings.length - top.length} more in the structured result`);
  for (const error of result.errors) lines.push(`could not audit ${error.file}: ${error.message}`);
  return lines.join("\n");
}

/** Errors, then warnings, then info; in report order (file, line) within each. */
function mostSevereFirst(findings: readonly Finding[]): Finding[] {
  return findings
    .map((finding, order) => ({ finding, order }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || a.order - b.order,
    )
    .map(({ finding }) => finding);
}

function findingLine(finding: Finding): string {
  const message = finding.message.replace(/\s*\n\s*/g, " ");
  return `${finding.severity} ${finding.file}:${finding.line} [${finding.ruleId}] ${finding.resource}: ${message}`;
}
