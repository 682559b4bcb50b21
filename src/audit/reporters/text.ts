/** Findings for people: grouped by file, each with its line, resource, rule, message and fix. */
import { type AuditReport, findingsAtOrAbove } from "../findings.js";
import type { Severity } from "../rule.js";

const MARK = { error: "error", warning: "warn ", info: "info " } as const;

export interface TextOptions {
  /** Leave out findings below this severity; the summary still counts them, and says how many were hidden. */
  readonly minSeverity?: Severity;
}

export function renderAuditText(report: AuditReport, options: TextOptions = {}): string {
  const lines: string[] = [];
  let currentFile: string | undefined;
  const shown = findingsAtOrAbove(report.findings, options.minSeverity ?? "info");
  const hidden = report.findings.length - shown.length;
  for (const finding of shown) {
    if (finding.file !== currentFile) {
      if (currentFile !== undefined) lines.push("");
      lines.push(finding.file);
      currentFile = finding.file;
    }
    lines.push(
      `  ${String(finding.line).padStart(4)}:${String(finding.column).padEnd(3)} ${MARK[finding.severity]}  ${finding.resource}: ${finding.message}  [${finding.ruleId}]`,
    );
    lines.push(`            fix: ${finding.fix}`);
  }
  for (const error of report.errors) {
    lines.push("", `${error.file}`, `  could not audit: ${error.message}`);
  }
  const { summary } = report;
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  if (lines.length > 0) lines.push("");
  lines.push(
    `${plural(summary.templates, "template")}, code of ${plural(summary.functions, "function")}: ${summary.error} error${summary.error === 1 ? "" : "s"}, ` +
      `${summary.warning} warning${summary.warning === 1 ? "" : "s"}, ${summary.info} info` +
      (summary.suppressed > 0 ? `, ${summary.suppressed} suppressed` : "") +
      (hidden > 0 ? `; ${hidden} below ${options.minSeverity} not shown (--min-severity)` : "") +
      (report.errors.length > 0
        ? `; ${report.errors.length} file${report.errors.length === 1 ? "" : "s"} could not be read`
        : "") +
      (report.notes.length > 0 ? `; ${plural(report.notes.length, "note")} on stderr` : ""),
  );
  return lines.join("\n");
}
