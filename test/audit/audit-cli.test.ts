/** `lambda-optimizer audit` end to end over a fixture project with several templates. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AuditReportSchema } from "../../src/audit/findings.js";
import { runCli } from "../cli/run-cli.js";
import { writeTuneRun } from "./tune-run-file.js";

const PROJECT = fileURLToPath(new URL("../fixtures/audit-project/", import.meta.url));

function project(): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-audit-"));
  cpSync(PROJECT, folder, { recursive: true });
  return folder;
}

function audit(args: string[], cwd: string) {
  return runCli(["audit", ...args], { cwd });
}

describe("audit over a project", () => {
  it("finds every template, reports findings on their lines, and names the broken file", () => {
    const cwd = project();
    const result = audit(
      ["--format", "json", "--rules", "arm64-candidate,memory-default,timeout-max"],
      cwd,
    );
    const report = AuditReportSchema.parse(JSON.parse(result.stdout));
    expect(report.summary.templates).toBe(2); // app/template.yaml and cdk.out/…; notes.yaml is no template
    expect(report.errors).toEqual([expect.objectContaining({ file: "broken/template.yaml" })]);
    const seen = report.findings.map(
      (finding) => `${finding.file}:${finding.line} ${finding.ruleId} ${finding.resource}`,
    );
    expect(seen).toEqual(
      expect.arrayContaining([
        // Globals' Timeout: 900 is reported where it is written, for the functions that inherit it.
        "app/template.yaml:13 timeout-max OrdersApi",
        "app/template.yaml:16 arm64-candidate OrdersApi",
        "app/template.yaml:16 memory-default OrdersApi",
        "cdk.out/OrdersStack.template.json:3 arm64-candidate Handler886CB40B",
      ]),
    );
    // ReportJob's arm64 finding is suppressed by its comment; OrdersWorker is on arm64 with a size.
    expect(seen.some((entry) => entry.includes("arm64-candidate ReportJob"))).toBe(false);
    expect(seen.some((entry) => entry.includes("OrdersWorker"))).toBe(false);
    expect(report.summary.suppressed).toBe(1);
    // Warnings only: below the default threshold (error).
    expect(result.status).toBe(0);
  });

  it("exits 1 when a finding reaches --severity-threshold, and honours --disable and the config file", () => {
    const cwd = project();
    expect(audit(["app", "--severity-threshold", "warning"], cwd).status).toBe(1);
    expect(
      audit(
        [
          "app",
          "--severity-threshold",
          "warning",
          "--rules",
          "memory-default",
          "--disable",
          "memory-default",
        ],
        cwd,
      ).status,
    ).toBe(0);
    writeFileSync(
      join(cwd, ".lambda-optimizer.json"),
      JSON.stringify({
        audit: { rules: ["memory-default"], severity: { "memory-default": "error" } },
      }),
    );
    const configured = audit(["app", "--json"], cwd);
    expect(configured.status).toBe(1);
    const report = JSON.parse(configured.stdout);
    expect(new Set(report.findings.map((finding: { ruleId: string }) => finding.ruleId))).toEqual(
      new Set(["memory-default"]),
    );
    expect(report.findings[0].severity).toBe("error");
  });

  it("prints findings grouped by file with lines and fixes", () => {
    const result = audit(["app", "--rules", "memory-default"], project());
    expect(result.stdout).toMatch(
      /^app\/template\.yaml\n\s+16:\d+\s+warn\s+OrdersApi: OrdersApi has no MemorySize.*\[memory-default\]\n\s+fix: /m,
    );
    expect(result.stdout).toMatch(/1 template, code of 0 functions: 0 errors, 1 warning, 0 info/);
  });

  it("--min-severity hides lower findings from the text output only, and says how many", () => {
    const cwd = project();
    const args = ["app", "--rules", "tracing-disabled,memory-default"];
    const text = audit([...args, "--min-severity", "warning"], cwd);
    expect(text.stdout).toContain("[memory-default]");
    expect(text.stdout).not.toContain("[tracing-disabled]");
    expect(text.stdout).toMatch(
      /0 errors, 1 warning, 3 info; 3 below warning not shown \(--min-severity\)/,
    );
    // JSON keeps every finding: its consumers filter for themselves.
    const json = JSON.parse(audit([...args, "--min-severity", "warning", "--json"], cwd).stdout);
    expect(
      json.findings.filter((f: { ruleId: string }) => f.ruleId === "tracing-disabled"),
    ).toHaveLength(3);
    // Hiding is not gating: the hidden info findings still fail an info threshold.
    expect(
      audit([...args, "--min-severity", "error", "--severity-threshold", "info"], cwd).status,
    ).toBe(1);
    // The project's config sets it too; the flag wins.
    writeFileSync(
      join(cwd, ".lambda-optimizer.json"),
      JSON.stringify({ audit: { minSeverity: "error" } }),
    );
    expect(audit(args, cwd).stdout).toMatch(/4 below error not shown/);
    expect(audit([...args, "--min-severity", "info"], cwd).stdout).not.toMatch(/not shown/);
  });

  it.each([
    [
      ["--min-severity", "debug"],
      /--min-severity "debug" is not valid: expected error, warning, info/,
    ],
    [["--format", "xml"], /--format "xml" is not valid: expected text, json, sarif/],
    [
      ["--rules", "no-such-rule"],
      /--rules "no-such-rule" is not valid: expected a rule id, such as arm64-candidate, memory-default, timeout-max \(all are in docs\/rules\/\)/,
    ],
    [
      ["--rules", "memory-default,arm64-candidat"],
      /--rules "arm64-candidat" is not valid: expected a rule id: the closest is arm64-candidate \(all are in docs\/rules\/\)/,
    ],
    [
      ["--disable", "init-in-handlr"],
      /--disable "init-in-handlr" is not valid: expected a rule id: the closest is init-in-handler/,
    ],
    [["--severity-threshold", "fatal"], /--severity-threshold "fatal" is not valid/],
    [
      ["--stage", "staging"],
      /^lambda-optimizer: --stage "staging" is not valid: expected development, production$/m,
    ],
    [["missing-folder"], /missing-folder: no such file or folder/],
    [["docs"], /no CloudFormation or SAM template, and no handler, found under docs/],
  ])("%j exits 2 with one line", (args, message) => {
    const result = audit(args, project());
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [{ rules: ["memory-default", "arm64-candidat"] }, "rules", "arm64-candidat", "arm64-candidate"],
    [{ disable: ["tracing-disable"] }, "disable", "tracing-disable", "tracing-disabled"],
    [{ severity: { "init-in-handlr": "error" } }, "severity", "init-in-handlr", "init-in-handler"],
  ])("exits 2 on a misspelt rule id in the config file's %j", (settings, key, id, closest) => {
    const cwd = project();
    const config = join(cwd, ".lambda-optimizer.json");
    writeFileSync(config, JSON.stringify({ audit: settings }));
    const result = audit(["app"], cwd);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toEqual([
      `lambda-optimizer: ${config}: audit.${key}: "${id}" is not valid: expected a rule id: the closest is ${closest} (all are in docs/rules/)`,
    ]);
  });

  it("--stage development reports a log retention above 30 days; production, or no stage, does not", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-audit-stage-"));
    writeFileSync(
      join(cwd, "template.yaml"),
      `Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
  OrdersLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /aws/lambda/\${Orders}
      RetentionInDays: 90
`,
    );
    const retention = (args: string[]) => {
      const result = audit(["--json", "--no-code", "--rules", "log-retention", ...args], cwd);
      expect(result.status).toBe(0);
      return AuditReportSchema.parse(JSON.parse(result.stdout)).findings.map(
        (finding) => `${finding.file}:${finding.line} ${finding.severity} ${finding.resource}`,
      );
    };
    expect(retention(["--stage", "development"])).toEqual(["template.yaml:10 info OrdersLogs"]);
    expect(retention(["--stage", "production"])).toEqual([]);
    expect(retention([])).toEqual([]);
    // The project's config says it too; the flag wins.
    writeFileSync(
      join(cwd, ".lambda-optimizer.json"),
      JSON.stringify({ audit: { stage: "development" } }),
    );
    expect(retention([])).toEqual(["template.yaml:10 info OrdersLogs"]);
    expect(retention(["--stage", "production"])).toEqual([]);
  });

  it("reports a malformed config file as bad input", () => {
    const cwd = project();
    writeFileSync(join(cwd, ".lambda-optimizer.json"), '{"audit": {"rules": "all"}}');
    const result = audit(["app"], cwd);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(".lambda-optimizer.json: audit.rules");
    expect(readFileSync(join(cwd, "app", "template.yaml"), "utf8")).toContain("OrdersApi");
  });
});

describe("audit --fix", () => {
  it("prints the safe fixes as a diff with --dry-run, and changes nothing", () => {
    const cwd = project();
    // OrdersApi's FunctionName resolves to orders-api-prod: its run is named so.
    writeTuneRun(cwd, { functionName: "orders-api-prod", memoryMb: 256 });
    const before = readFileSync(join(cwd, "app", "template.yaml"), "utf8");
    const result = audit(
      ["app", "--fix", "--dry-run", "--rules", "arm64-candidate,memory-default"],
      cwd,
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("--- a/app/template.yaml");
    expect(result.stdout).toMatch(/^\+\s+MemorySize: 256 # lambda-optimizer --fix: the size/m);
    // The fixture has no code to check for x86-only binaries: arm64 is only suggested.
    expect(result.stdout).not.toMatch(/Architectures/);
    expect(result.stderr).toMatch(
      /^suggested, not applied: app\/template.yaml:16 arm64-candidate/m,
    );
    expect(result.stderr).toMatch(/^\+\s+Architectures: \[arm64\]/m);
    expect(readFileSync(join(cwd, "app", "template.yaml"), "utf8")).toBe(before);
  });

  it("rewrites the template keeping comments and short forms, and the fixed findings are gone", () => {
    const cwd = project();
    writeTuneRun(cwd, { functionName: "orders-api-prod", memoryMb: 256 });
    const result = audit(
      ["app", "--fix", "--json", "--rules", "arm64-candidate,memory-default"],
      cwd,
    );
    expect(result.stderr).toContain("fixed 1 finding in app/template.yaml");
    const report = JSON.parse(result.stdout);
    // arm64 is suggested, not applied (no code to check): its finding stays.
    expect(report.findings.map((finding: { ruleId: string }) => finding.ruleId)).toEqual([
      "arm64-candidate",
    ]);
    expect(report.fixes).toEqual([
      expect.objectContaining({
        file: "app/template.yaml",
        status: "fixed",
        applied: [{ ruleId: "memory-default", resource: "OrdersApi", line: 16 }],
        suggested: [expect.objectContaining({ ruleId: "arm64-candidate", resource: "OrdersApi" })],
      }),
    ]);
    const after = readFileSync(join(cwd, "app", "template.yaml"), "utf8");
    expect(after).toContain("FunctionName: !Sub orders-api-${Stage}");
    expect(after).toContain("# lambda-optimizer-disable-next-line arm64-candidate");
    expect(after).toContain("# The reporting job talks to an x86-only native library.");
  });
});
