/** Templates that are wrong or huge: a finding (template-unreadable for what cannot be read), never a crash, and the run goes on. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import { TEMPLATE_RULES } from "../../src/audit/rules/index.js";

function folderWith(files: Record<string, string>): string[] {
  const folder = mkdtempSync(join(tmpdir(), "lo-robust-"));
  return Object.entries(files).map(([name, text]) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  });
}

const fn = (name: string, extra = "") =>
  `  ${name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: nodejs22.x\n${extra}`;

describe("audit robustness", () => {
  it("names each broken template and still audits the good one", () => {
    const files = folderWith({
      "duplicate.yaml": `Resources:\n${fn("Fn")}${fn("Fn")}`,
      "tabs.yaml": "Resources:\n\tFn: x\n",
      "unknown-tag.yaml": `Resources:\n${fn("Fn", "      Description: !Frobnicate thing\n")}`,
      "no-code-uri.yaml": `Transform: AWS::Serverless-2016-10-31\nResources:\n${fn("Fn")}`,
      "empty.yaml": "",
      "list.yaml": "- a\n- b\n",
      "alias-bomb.yaml": `${Array.from(
        { length: 10 },
        (_, level) =>
          `a${level}: &a${level} [${Array(10)
            .fill(level === 0 ? "x" : `*a${level - 1}`)
            .join(", ")}]`,
      ).join("\n")}\nResources:\n  Fn: *a9\n`,
    });
    const report = auditTemplates(files, { rules: TEMPLATE_RULES });
    expect(report.errors).toEqual([]);
    const unreadable = report.findings.filter(
      (finding) => finding.ruleId === "template-unreadable",
    );
    expect(unreadable.map((finding) => finding.file.split("/").pop()).sort()).toEqual([
      "alias-bomb.yaml",
      "empty.yaml",
      "list.yaml",
      "tabs.yaml",
    ]);
    for (const finding of unreadable) expect(finding.severity).toBe("error");
    expect(unreadable.find((finding) => finding.file.endsWith("alias-bomb.yaml"))?.message).toMatch(
      /its aliases \(\*name\) expand to too many nodes/,
    );
    // A repeated resource is read, the last one winning, as SAM CLI reads it.
    expect(
      report.findings
        .filter((finding) => finding.file.endsWith("duplicate.yaml"))
        .map((finding) => finding.ruleId),
    ).toContain("duplicate-key");
    const audited = new Set(
      report.findings
        .filter((finding) => finding.ruleId !== "template-unreadable")
        .map((finding) => finding.file.split("/").pop()),
    );
    expect(audited).toEqual(new Set(["duplicate.yaml", "unknown-tag.yaml", "no-code-uri.yaml"]));
  });

  it("audits a 5 MB template (CloudFormation's 500-resource limit, with inline code)", () => {
    const code = Array.from(
      { length: 250 },
      (_, line) => `        const value${line} = "${"x".repeat(20)}";`,
    );
    const functions = Array.from({ length: 500 }, (_, index) =>
      fn(
        `Function${index}`,
        `      MemorySize: ${128 + (index % 8) * 128}\n      InlineCode: |\n${code.join("\n")}\n`,
      ),
    ).join("");
    expect(Buffer.byteLength(functions)).toBeGreaterThan(5 * 1024 * 1024);
    const [file] = folderWith({
      "huge.yaml": `Transform: AWS::Serverless-2016-10-31\nResources:\n${functions}`,
    });
    const report = auditTemplates([file!], { rules: TEMPLATE_RULES });
    expect(report.errors).toEqual([]);
    expect(report.findings.filter((finding) => finding.ruleId === "arm64-candidate")).toHaveLength(
      500,
    );
  });
});
