/**
 * `audit` over source built to crash parsers: 10,000 nested parentheses
 * (20 KB) overflowed oxc-parser's native stack and killed the run with
 * SIGSEGV (exit 139, no output). Now the file is a parse-error, and the run
 * goes on to audit the normal handler beside it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AuditReport, AuditReportSchema } from "../../../src/audit/findings.js";
import { runCli } from "../../cli/run-cli.js";

const DEEP = `export const handler = async () => ${"(".repeat(10_000)}1${")".repeat(10_000)};\n`;
const NORMAL = [
  'import { S3Client } from "@aws-sdk/client-s3";',
  "export const handler = async () => {",
  "  const s3 = new S3Client({});",
  "  return s3.config.region;",
  "};",
  "",
].join("\n");

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-hostile-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}

function audit(cwd: string): { report: AuditReport; status: number | null; stderr: string } {
  const result = runCli(["audit", "--json", "."], { cwd });
  return {
    report: AuditReportSchema.parse(JSON.parse(result.stdout)),
    status: result.status,
    stderr: result.stderr,
  };
}

describe("audit: a source file nested too deeply to parse", () => {
  it("notes it as a parse-error and audits the normal handler beside it", () => {
    const { report, status } = audit(folderWith({ "deep.mjs": DEEP, "normal.mjs": NORMAL }));
    expect(status).toBe(0); // the normal handler's findings are warnings and info, below the error threshold
    expect(report.notes).toContainEqual({
      file: "deep.mjs",
      message:
        "parse-error: nested more than 1000 brackets deep: not parsed (the parser would overflow its stack)",
    });
    expect(
      report.findings.map((finding) => [finding.file, finding.ruleId, finding.line]),
    ).toContainEqual(["normal.mjs", "init-in-handler", 3]);
  });

  it("reports a parse-error finding on the deep module a handler imports, with the exit code of the findings", () => {
    const importer = `import { helper } from "./deep.mjs";\n${NORMAL}`;
    const { report, status } = audit(folderWith({ "deep.mjs": DEEP, "normal.mjs": importer }));
    expect(status).toBe(0);
    const parseErrors = report.findings.filter((finding) => finding.ruleId === "parse-error");
    expect(parseErrors).toEqual([
      expect.objectContaining({
        file: "deep.mjs",
        line: 1,
        severity: "info",
        message: expect.stringContaining("nested more than 1000 brackets deep: not parsed"),
      }),
    ]);
    expect(report.findings.map((finding) => finding.ruleId)).toContain("init-in-handler");
  });
});
