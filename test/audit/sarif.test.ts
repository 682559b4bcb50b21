/**
 * SARIF output checked against the SARIF 2.1.0 JSON schema (the copy GitHub's
 * documentation points to, vendored in test/fixtures), and for what GitHub
 * code scanning reads: rules with help, results with a relative location.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import type { AuditReport } from "../../src/audit/findings.js";
import { artifactUri, renderSarif } from "../../src/audit/reporters/sarif.js";
import { TEMPLATE_RULES } from "../../src/audit/rules/index.js";

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const schema = JSON.parse(readFileSync(join(FIXTURES, "sarif-schema-2.1.0.json"), "utf8"));

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validate = validator();

function expectValid(sarif: unknown): void {
  const valid = validate(sarif);
  expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  expect(valid).toBe(true);
}

const project = join(FIXTURES, "audit-project");
const report = auditTemplates(
  [
    join(project, "app", "template.yaml"),
    join(project, "cdk.out", "OrdersStack.template.json"),
    join(project, "broken", "template.yaml"),
  ],
  { rules: TEMPLATE_RULES, cwd: project },
);

describe("renderSarif", () => {
  it("produces SARIF 2.1.0 that the official schema accepts", () => {
    expect(report.findings.length).toBeGreaterThan(0);
    expectValid(JSON.parse(renderSarif(report, TEMPLATE_RULES, "0.1.0")));
    expectValid(
      JSON.parse(
        renderSarif(report, TEMPLATE_RULES, "0.1.0", {
          informationUri: "https://example.com/lambda-optimizer",
          docsBaseUri: "https://example.com/lambda-optimizer/blob/main/",
        }),
      ),
    );
  });

  it("the schema is strict enough to reject a broken log", () => {
    const sarif = JSON.parse(renderSarif(report, TEMPLATE_RULES, "0.1.0"));
    sarif.runs[0].results[0].level = "warn";
    expect(validate(sarif)).toBe(false);
    delete sarif.runs[0].tool.driver.name;
    expect(validate(sarif)).toBe(false);
  });

  it("describes every rule that ran, with its level, rationale and fix", () => {
    const sarif = JSON.parse(renderSarif(report, TEMPLATE_RULES, "1.2.3"));
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe("lambda-optimizer");
    expect(driver.version).toBe("1.2.3");
    expect(driver.rules.map((rule: { id: string }) => rule.id)).toEqual(
      TEMPLATE_RULES.map((rule) => rule.meta.id),
    );
    for (const [index, rule] of TEMPLATE_RULES.entries()) {
      const descriptor = driver.rules[index];
      expect(descriptor.shortDescription.text).toBe(rule.meta.title);
      expect(descriptor.fullDescription.text).toBe(rule.meta.rationale);
      expect(descriptor.help.text).toContain(rule.meta.fix);
      expect(descriptor.help.markdown).toContain(rule.meta.docs);
      expect(descriptor.defaultConfiguration.level).toBe(
        { error: "error", warning: "warning", info: "note" }[rule.meta.severity],
      );
    }
  });

  it("places each finding at a relative path, line and column, pointing at its rule", () => {
    const sarif = JSON.parse(renderSarif(report, TEMPLATE_RULES, "0.1.0"));
    const [run] = sarif.runs;
    expect(run.results).toHaveLength(report.findings.length);
    for (const [index, finding] of report.findings.entries()) {
      const result = run.results[index];
      expect(result.ruleId).toBe(finding.ruleId);
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(finding.ruleId);
      expect(result.message.text).toContain(finding.message);
      expect(result.message.text).toContain(finding.fix);
      const location = result.locations[0].physicalLocation;
      expect(location.artifactLocation.uri).not.toMatch(/^\/|\\/);
      expect(location.region).toEqual({ startLine: finding.line, startColumn: finding.column });
    }
    const arm64 = run.results.find(
      (result: { ruleId: string; level: string }) => result.ruleId === "arm64-candidate",
    );
    expect(arm64.level).toBe("warning");
    expect(arm64.locations[0].physicalLocation.artifactLocation.uri).toBe("app/template.yaml");
  });

  it("reports an unreadable template as a template-unreadable result at level error", () => {
    const sarif = JSON.parse(renderSarif(report, TEMPLATE_RULES, "0.1.0"));
    const unreadable = sarif.runs[0].results.filter(
      (result: { ruleId: string }) => result.ruleId === "template-unreadable",
    );
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0].level).toBe("error");
    expect(unreadable[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "broken/template.yaml",
    );
  });

  it("with template-unreadable disabled, reports it as a tool notification, not a result", () => {
    const rules = TEMPLATE_RULES.filter((rule) => rule.meta.id !== "template-unreadable");
    const withoutRule = auditTemplates([join(project, "broken", "template.yaml")], {
      rules,
      cwd: project,
    });
    const sarif = JSON.parse(renderSarif(withoutRule, rules, "0.1.0"));
    const [invocation] = sarif.runs[0].invocations;
    expect(withoutRule.errors.length).toBe(1);
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "broken/template.yaml" },
    });
  });

  it("keeps fingerprints stable when lines move", () => {
    const moved: AuditReport = {
      ...report,
      findings: report.findings.map((finding) => ({ ...finding, line: finding.line + 3 })),
    };
    const before = JSON.parse(renderSarif(report, TEMPLATE_RULES, "0.1.0")).runs[0].results;
    const after = JSON.parse(renderSarif(moved, TEMPLATE_RULES, "0.1.0")).runs[0].results;
    expect(after.map((r: { partialFingerprints: unknown }) => r.partialFingerprints)).toEqual(
      before.map((r: { partialFingerprints: unknown }) => r.partialFingerprints),
    );
  });

  it("maps info to note and names a rule a finding cites even if it was not passed in", () => {
    const single: AuditReport = {
      findings: [
        {
          ruleId: "made-up-rule",
          severity: "info",
          file: "infra\\stack one\\template.yaml",
          line: 7,
          column: 3,
          resource: "Fn",
          message: "Something.",
          fix: "Do this.",
        },
      ],
      errors: [],
      notes: [],
      summary: {
        files: 1,
        templates: 1,
        functions: 0,
        error: 0,
        warning: 0,
        info: 1,
        suppressed: 0,
      },
    };
    const sarif = JSON.parse(renderSarif(single, [], "0.1.0"));
    expectValid(sarif);
    const [result] = sarif.runs[0].results;
    expect(result.level).toBe("note");
    expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe("made-up-rule");
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(
      "infra/stack%20one/template.yaml",
    );
  });
});

describe("artifactUri", () => {
  it("uses forward slashes and encodes what a URI cannot hold", () => {
    expect(artifactUri("a\\b\\c.yaml")).toBe("a/b/c.yaml");
    expect(artifactUri("./a/b#1.yaml")).toBe("a/b%231.yaml");
  });
});
