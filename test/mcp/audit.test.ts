/**
 * The `audit` tool through the SDK's Client over stdio, on the audited
 * fixture project: the findings' rule ids, files, lines and messages, the
 * filters by rule and by severity, and a missing path.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/audit/findings.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

const APP = "test/fixtures/audit-project/app";
const TEMPLATE = `${APP}/template.yaml`;
// eol-runtime's findings count the days to a runtime's deprecation: left out so the figures hold on any day.
const STABLE = { paths: [APP], disable: ["eol-runtime"] };

interface AuditResult {
  findings: Finding[];
  summary: { templates: number; error: number; warning: number; info: number; suppressed: number };
  minSeverity: string;
  hidden: number;
  notes: { file: string; message: string }[];
}

describe("the audit tool over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "audit", arguments: args })) as CallToolResult;

  it("returns each finding with its file, line, rule, severity, message and fix", async () => {
    const result = await call(STABLE);
    expect(result.isError).toBeFalsy();
    const audit = result.structuredContent as unknown as AuditResult;
    expect(audit.summary).toMatchObject({
      templates: 1,
      error: 0,
      warning: 6,
      info: 3,
      suppressed: 1,
    });
    expect(audit.findings).toHaveLength(9);
    expect(audit.hidden).toBe(0);
    expect(audit.findings).toContainEqual({
      ruleId: "timeout-max",
      severity: "warning",
      file: TEMPLATE,
      line: 13,
      column: 5,
      resource: "OrdersApi",
      message:
        "OrdersApi has the maximum Timeout of 900 s: a stuck invocation runs, and bills, for 15 minutes.",
      fix: "Set Timeout to a few times the function's p99.9 duration (`lambda-optimizer metrics` measures it).",
    });
    const memory = audit.findings.find((finding) => finding.ruleId === "memory-default");
    expect(memory).toMatchObject({ file: TEMPLATE, line: 16, resource: "OrdersApi" });
    expect(memory?.message).toContain("has no MemorySize, so it runs at 128 MB");
    expect(
      audit.findings
        .filter((finding) => finding.ruleId === "tracing-disabled")
        .map((finding) => [finding.resource, finding.line, finding.severity]),
    ).toEqual([
      ["OrdersApi", 16, "info"],
      ["OrdersWorker", 23, "info"],
      ["ReportJob", 35, "info"],
    ]);
    // ReportJob's arm64-candidate is suppressed by the comment above it.
    expect(
      audit.findings
        .filter((finding) => finding.ruleId === "arm64-candidate")
        .map((f) => f.resource),
    ).toEqual(["OrdersApi"]);
    // The code folder is not there: said, not a crash.
    expect(audit.notes[0]?.message).toMatch(/its code folder .* does not exist/);

    const summary = summaryOf(result);
    expect(summary.split("\n")[0]).toBe(
      "1 template, code of 0 functions: 0 errors, 6 warnings, 3 info, 1 suppressed",
    );
    expect(summary).toContain(
      `warning ${TEMPLATE}:13 [timeout-max] OrdersApi: OrdersApi has the maximum Timeout of 900 s`,
    );
    // Warnings before info, one line each.
    expect(summary.split("\n")).toHaveLength(10);
    expect(summary.split("\n")[7]).toMatch(/^info /);
  }, 60_000);

  it("runs only the rules asked for", async () => {
    const result = await call({ ...STABLE, rules: ["timeout-max", "tracing-disabled"] });
    const audit = result.structuredContent as unknown as AuditResult;
    expect(audit.summary).toMatchObject({ error: 0, warning: 1, info: 3 });
    expect([...new Set(audit.findings.map((finding) => finding.ruleId))].sort()).toEqual([
      "timeout-max",
      "tracing-disabled",
    ]);
  }, 60_000);

  it("lists only the findings at or above minSeverity, and says how many it left out", async () => {
    const result = await call({ ...STABLE, minSeverity: "warning" });
    const audit = result.structuredContent as unknown as AuditResult;
    expect(audit.minSeverity).toBe("warning");
    expect(audit.findings).toHaveLength(6);
    expect(audit.findings.every((finding) => finding.severity === "warning")).toBe(true);
    expect(audit.hidden).toBe(3);
    // The counts are the audit's: the info findings were found, and not listed.
    expect(audit.summary).toMatchObject({ warning: 6, info: 3 });
    expect(summaryOf(result)).toContain("; 3 below warning not listed");

    const errorsOnly = (await call({ ...STABLE, minSeverity: "error" }))
      .structuredContent as unknown as AuditResult;
    expect(errorsOnly.findings).toEqual([]);
    expect(errorsOnly.hidden).toBe(9);
  }, 60_000);

  it("answers a missing path, an unknown rule and fix with one sentence each", async () => {
    const missing = await call({ paths: ["no/such/project"] });
    expect(missing.isError).toBe(true);
    expect(summaryOf(missing)).toBe("no/such/project: no such file or folder");

    const unknownRule = await call({ paths: [APP], rules: ["timeout-maximum"] });
    expect(unknownRule.isError).toBe(true);
    expect(summaryOf(unknownRule)).toMatch(/^rules "timeout-maximum" is not valid: expected/);

    // Read-only: fixing rewrites templates, so the tool has no such argument.
    const fix = await call({ paths: [APP], fix: true });
    expect(fix.isError).toBe(true);
    expect(summaryOf(fix)).toMatch(/^unknown option fix/);
  }, 60_000);
});
