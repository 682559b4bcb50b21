/** What `audit` reports: the findings and a summary. The zod schema is `audit --format json`'s shape. */
import { z } from "zod";
import { FileFixReportSchema } from "./fix/fix-files.js";
import { SEVERITY_RANK, type Severity } from "./rule.js";

export const FindingSchema = z.object({
  ruleId: z.string(),
  severity: z.enum(["error", "warning", "info"]),
  file: z.string(),
  /** 1-based line of the property to change, or of the resource that lacks it. */
  line: z.number(),
  column: z.number(),
  /** The resource's logical id. */
  resource: z.string(),
  message: z.string(),
  fix: z.string(),
  /**
   * The value `--fix` writes, when the rule took it from evidence rather than
   * a default: memory-default's MemorySize from a saved tune run. Absent
   * otherwise; a memory-default finding without it is not fixed.
   */
  fixValue: z.number().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const AuditReportSchema = z.object({
  findings: z.array(FindingSchema),
  /** Templates that could not be read: named, never a crash. */
  errors: z.array(z.object({ file: z.string(), message: z.string() })),
  /** What was not checked and why: code in S3, a missing folder, a source file too large or binary. */
  notes: z.array(z.object({ file: z.string(), message: z.string() })),
  summary: z.object({
    files: z.number(),
    templates: z.number(),
    /** Functions whose code was checked. */
    functions: z.number(),
    error: z.number(),
    warning: z.number(),
    info: z.number(),
    suppressed: z.number(),
  }),
  /** With --fix: what was done to each template with fixable findings (docs/commands/audit.md). */
  fixes: z.array(FileFixReportSchema).optional(),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;

/** Findings in report order (file, line, rule) and the count at each severity. */
export function orderAndCount(
  findings: Finding[],
): Pick<AuditReport["summary"], "error" | "warning" | "info"> {
  findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId),
  );
  const count = (severity: Finding["severity"]) =>
    findings.filter((finding) => finding.severity === severity).length;
  return { error: count("error"), warning: count("warning"), info: count("info") };
}

/**
 * The findings at or above a severity, in report order: what a reader asked to
 * see (minSeverity). The text report and the MCP audit tool show these; the
 * JSON and SARIF reports keep every finding for their consumers to filter.
 */
export function findingsAtOrAbove(findings: readonly Finding[], minSeverity: Severity): Finding[] {
  const floor = SEVERITY_RANK[minSeverity];
  return findings.filter((finding) => SEVERITY_RANK[finding.severity] >= floor);
}
