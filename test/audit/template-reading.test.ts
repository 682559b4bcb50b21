/** duplicate-key warnings and template-unreadable errors: in the engine and through the CLI. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import { AuditReportSchema } from "../../src/audit/findings.js";
import { TEMPLATE_RULES } from "../../src/audit/rules/index.js";
import { runCli } from "../cli/run-cli.js";

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-reading-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}

const REPEATED = [
  "Resources:",
  "  Fn:",
  "    Type: AWS::Serverless::Function",
  "    Properties:",
  "      Handler: app.handler",
  "      Runtime: nodejs22.x",
  "      MemorySize: 128",
  "      Timeout: 900",
  "      MemorySize: 512",
  "",
].join("\n");

describe("duplicate-key", () => {
  it("warns at the later key, names every line, and the other rules see the last value", () => {
    const folder = folderWith({ "template.yaml": REPEATED });
    const report = auditTemplates([join(folder, "template.yaml")], {
      rules: TEMPLATE_RULES,
      cwd: folder,
    });
    const duplicates = report.findings.filter((finding) => finding.ruleId === "duplicate-key");
    expect(duplicates).toEqual([
      expect.objectContaining({
        severity: "warning",
        file: "template.yaml",
        line: 9,
        column: 7,
        resource: "Fn",
        message:
          "MemorySize is given 2 times in Resources.Fn.Properties (lines 7, 9): the one on line 9 is used, the others are ignored.",
      }),
    ]);
    // MemorySize is set (512): memory-default stays quiet; timeout-max still reads the template.
    expect(report.findings.map((finding) => finding.ruleId)).not.toContain("memory-default");
    expect(report.findings.map((finding) => finding.ruleId)).toContain("timeout-max");
  });

  it("is suppressed by a comment above the later key", () => {
    const text = REPEATED.replace(
      "      MemorySize: 512",
      "      # lambda-optimizer-disable-next-line duplicate-key\n      MemorySize: 512",
    );
    const folder = folderWith({ "template.yaml": text });
    const report = auditTemplates([join(folder, "template.yaml")], { rules: TEMPLATE_RULES });
    expect(report.findings.filter((finding) => finding.ruleId === "duplicate-key")).toEqual([]);
    expect(report.summary.suppressed).toBe(1);
  });
});

describe("template-unreadable", () => {
  it("an unreadable template is an error finding at the line the reader stopped", () => {
    const folder = folderWith({ "template.yaml": "Resources:\n  Fn:\n\tType: x\n" });
    const report = auditTemplates([join(folder, "template.yaml")], {
      rules: TEMPLATE_RULES,
      cwd: folder,
    });
    expect(report.errors).toEqual([]);
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: "template-unreadable",
        severity: "error",
        file: "template.yaml",
        line: 3,
        resource: "(template)",
        message: expect.stringMatching(
          /^cannot be read, so nothing in it was audited: not valid YAML or JSON: /,
        ),
      }),
    ]);
    expect(report.summary).toMatchObject({ templates: 1, error: 1 });
  });

  it("with the rule disabled it is a could-not-be-read entry, as before", () => {
    const folder = folderWith({ "template.yaml": "- a\n- b\n" });
    const report = auditTemplates([join(folder, "template.yaml")], {
      rules: TEMPLATE_RULES.filter((rule) => rule.meta.id !== "template-unreadable"),
    });
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([
      { file: join(folder, "template.yaml"), message: expect.stringMatching(/not a template/) },
    ]);
  });

  it("through the CLI: exit 1, the finding in JSON and in text, the good template still audited", () => {
    const folder = folderWith({
      "broken.template.json": '{"Resources": {"Fn": ',
      "template.yaml": REPEATED,
    });
    const json = runCli(["audit", "--no-code", "--format", "json"], { cwd: folder });
    expect(json.stderr).toBe("");
    expect(json.status).toBe(1);
    const report = AuditReportSchema.parse(JSON.parse(json.stdout));
    expect(
      report.findings.find((finding) => finding.ruleId === "template-unreadable"),
    ).toMatchObject({
      file: "broken.template.json",
      severity: "error",
    });
    expect(report.findings.find((finding) => finding.ruleId === "duplicate-key")?.line).toBe(9);
    expect(report.summary.templates).toBe(2);

    const text = runCli(["audit", "--no-code", "broken.template.json"], { cwd: folder });
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(
      /broken\.template\.json\n\s+\d+:\d+\s+error\s+\(template\): cannot be read, so nothing in it was audited: not valid YAML or JSON: .*\[template-unreadable\]/,
    );

    const ungated = runCli(
      ["audit", "--no-code", "--severity-threshold", "none", "broken.template.json"],
      { cwd: folder },
    );
    expect(ungated.status).toBe(0);
  });
});
