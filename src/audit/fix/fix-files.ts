/**
 * `audit --fix` over every template of an audit: each file read, fixed,
 * checked and written on its own, so one file that cannot be fixed or
 * written is reported and the others are still fixed. The report's zod
 * schema is the `fixes` part of `audit --fix --json`.
 */
import { relative } from "node:path";
import { z } from "zod";
import type { Finding } from "../findings.js";
import { fixTemplate, unifiedDiff } from "../fix.js";
import type { FixFacts } from "./deploy-hazards.js";
import { readSnapshot, type WriterFs, writeFixedFile } from "./write-fixed-file.js";

const AppliedFixSchema = z.object({ ruleId: z.string(), resource: z.string(), line: z.number() });

export const FileFixReportSchema = z.object({
  file: z.string(),
  /**
   * fixed: written. unchanged: no fix applied (see skipped and suggested).
   * refused: the fixed text did not parse back to the same template plus the
   * fixes, so nothing was written. changed-on-disk: the file changed after
   * the audit read it. write-failed: it could not be written.
   */
  status: z.enum(["fixed", "unchanged", "refused", "changed-on-disk", "write-failed"]),
  /** Why, for refused, changed-on-disk and write-failed. */
  message: z.string().optional(),
  applied: z.array(AppliedFixSchema),
  skipped: z.array(AppliedFixSchema.extend({ reason: z.string() })),
  /** Fixes that could break a deploy: the reason and the edit, as a unified diff, for a person to apply. */
  suggested: z.array(AppliedFixSchema.extend({ reason: z.string(), edit: z.string() })),
});
export type FileFixReport = z.infer<typeof FileFixReportSchema>;

export interface FixFilesOptions {
  /** Paths in reports are shown relative to this folder (as findings' are). */
  readonly cwd: string;
  /** Compute, write nothing: each report's `diff` holds the change. */
  readonly dryRun?: boolean;
  /** What the code audit learned, per template (absolute path). */
  readonly facts?: (template: string) => FixFacts;
  readonly fs?: WriterFs;
}

export interface FileFixResult extends FileFixReport {
  /** The change as a unified diff (what --dry-run prints). */
  readonly diff: string;
}

/** Fix each template that has fixable findings. Never throws for one file's trouble. */
export function fixTemplateFiles(
  templates: readonly string[],
  findings: readonly Finding[],
  options: FixFilesOptions,
): FileFixResult[] {
  const results: FileFixResult[] = [];
  for (const template of templates) {
    const shown = relative(options.cwd, template) || template;
    const own = findings.filter((finding) => finding.file === shown);
    if (own.length === 0) continue;
    const base = { file: shown, applied: [], skipped: [], suggested: [], diff: "" };
    let snapshot: ReturnType<typeof readSnapshot>;
    try {
      snapshot = readSnapshot(template, options.fs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      results.push({ ...base, status: "write-failed", message: `cannot read it (${code})` });
      continue;
    }
    const fixed = fixTemplate(template, own, snapshot.text, options.facts?.(template) ?? {});
    const report = {
      file: shown,
      applied: fixed.applied,
      skipped: fixed.skipped,
      suggested: fixed.suggested,
      diff: unifiedDiff(snapshot.text, fixed.fixed, shown),
    };
    if (fixed.refused !== undefined) {
      results.push({ ...report, applied: [], status: "refused", message: fixed.refused });
    } else if (fixed.applied.length === 0 || fixed.fixed === snapshot.text) {
      if (report.skipped.length + report.suggested.length > 0) {
        results.push({ ...report, status: "unchanged" });
      }
    } else if (options.dryRun) {
      results.push({ ...report, status: "fixed" });
    } else {
      const written = writeFixedFile(template, fixed.fixed, snapshot, options.fs);
      results.push(
        written.written
          ? { ...report, status: "fixed" }
          : { ...report, applied: [], status: written.reason, message: written.message },
      );
    }
  }
  return results;
}
