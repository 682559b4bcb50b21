/**
 * audit(): `audit` as a library call. Given only the paths it makes the
 * report the CLI prints with --json and no other flag; the project's config
 * file fills what the options leave out; --fix runs through it too; its
 * mistakes name the options as a library caller names them.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { audit, failsGate, planAudit } from "../../src/index.js";
import { runCli } from "../cli/run-cli.js";
import { asPrintedWithoutTime } from "../support/as-printed.js";

const PROJECT = fileURLToPath(new URL("../fixtures/audit-project/", import.meta.url));

function project(): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-audit-lib-"));
  cpSync(PROJECT, folder, { recursive: true });
  return folder;
}

describe("audit()", () => {
  it("given only the paths, makes the report `audit PATH --json` prints", async () => {
    const folder = project();
    // Both from this process's folder: findings' paths are shown relative to it.
    const cli = runCli(["audit", folder, "--json"], { cwd: process.cwd() });
    const library = await audit({ paths: [folder] });
    expect(library.findings.length).toBeGreaterThan(3);
    // An error finding: the CLI exits 1 as the library's gate says, at the default threshold.
    expect(cli.status).toBe(1);
    expect(failsGate(library, "error")).toBe(true);
    expect(asPrintedWithoutTime(library)).toEqual(asPrintedWithoutTime(JSON.parse(cli.stdout)));
  });

  it("takes the rules, severities and threshold from the project's config file, under the options", async () => {
    const cwd = project();
    writeFileSync(
      join(cwd, ".lambda-optimizer.json"),
      JSON.stringify({
        audit: {
          rules: ["memory-default"],
          severity: { "memory-default": "error" },
          severityThreshold: "warning",
          minSeverity: "error",
        },
      }),
    );
    const plan = planAudit({ paths: ["app"], cwd, severityThreshold: "none" });
    expect(plan.severityThreshold).toBe("none"); // the option wins over the file
    expect(plan.minSeverity).toBe("error"); // the file fills what the options leave out
    expect(plan.templateRules.map((rule) => [rule.meta.id, rule.meta.severity])).toEqual([
      ["memory-default", "error"],
    ]);
    const report = await audit({ paths: ["app"], cwd });
    expect(
      report.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}`),
    ).toEqual(["app/template.yaml:16 memory-default"]);
    expect(report.findings[0]!.severity).toBe("error");
    expect(failsGate(report, "error")).toBe(true);
    expect(failsGate(report, "none")).toBe(false);
  });

  it("works out the fixes with dryRun, hands over their diffs, and writes nothing", async () => {
    const cwd = project();
    const template = join(cwd, "app", "template.yaml");
    const before = readFileSync(template, "utf8");
    let diffs = "";
    const report = await audit(
      { paths: ["app"], cwd, rules: ["arm64-candidate"], fix: true, dryRun: true },
      { onFixes: (results) => (diffs = results.map((result) => result.diff).join("")) },
    );
    // No code was checked for x86-only binaries: arm64 is suggested, never applied.
    expect(report.fixes).toEqual([
      expect.objectContaining({
        file: "app/template.yaml",
        status: "unchanged",
        applied: [],
        suggested: [expect.objectContaining({ ruleId: "arm64-candidate", resource: "OrdersApi" })],
      }),
    ]);
    expect(diffs).toBe("");
    expect(readFileSync(template, "utf8")).toBe(before);
  });

  it("names its mistakes as a library caller names the options", async () => {
    const cwd = project();
    await expect(audit({ cwd, dryRun: true })).rejects.toThrow(/^dryRun goes with fix$/);
    await expect(audit({ paths: ["docs"], cwd })).rejects.toThrow(
      /^no CloudFormation or SAM template, and no handler, found under docs$/,
    );
    await expect(audit({ cwd, payloadFile: "missing.json" })).rejects.toThrow(
      /^payloadFile missing.json: cannot read it \(ENOENT\)$/,
    );
    await expect(audit({ cwd, payload: "{not json" })).rejects.toThrow(/^payload: not valid JSON/);
  });

  it("labels a payload file with its name as given, read from cwd", () => {
    const cwd = project();
    writeFileSync(join(cwd, "event.json"), '{\n  "id": 1\n}\n');
    const plan = planAudit({
      cwd,
      paths: ["app"],
      payloadFile: "event.json",
      invocations: 3_000_000,
    });
    expect(plan.workload).toEqual({
      eventBytes: 8, // {"id":1}: what JSON.stringify(event) logs
      eventSource: "payloadFile event.json",
      invocationsPerMonth: 3_000_000,
    });
  });
});
