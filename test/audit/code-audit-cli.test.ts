/**
 * `lambda-optimizer audit` over a project mixing Node.js, TypeScript and
 * Python functions (test/fixtures/code-project): the code rules find what the
 * guide warns about at the offending expression, stay quiet on the two
 * functions written the right way, and work on plain folders too.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type AuditReport, AuditReportSchema } from "../../src/audit/findings.js";
import { runCli } from "../cli/run-cli.js";

const PROJECT = fileURLToPath(new URL("../fixtures/code-project/", import.meta.url));

function project(): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-code-audit-"));
  cpSync(PROJECT, folder, { recursive: true });
  return folder;
}

function auditJson(
  args: string[],
  cwd: string,
): { report: AuditReport; status: number | null; stderr: string } {
  const result = runCli(["audit", "--json", ...args], { cwd });
  return {
    report: AuditReportSchema.parse(JSON.parse(result.stdout)),
    status: result.status,
    stderr: result.stderr,
  };
}

/** Where a snippet starts in a fixture file: the line and column a finding must name. */
function at(file: string, snippet: string): string {
  const lines = readFileSync(join(PROJECT, file), "utf8").split("\n");
  const index = lines.findIndex((line) => line.includes(snippet));
  if (index < 0) throw new Error(`${snippet} is not in ${file}`);
  return `${file}:${index + 1}:${lines[index]!.indexOf(snippet) + 1}`;
}

const TEMPLATE_IDS = new Set(["arm64-candidate"]);

function codeFindings(report: AuditReport): string[] {
  return report.findings
    .filter((finding) => !finding.file.endsWith("template.yaml"))
    .map(
      (finding) =>
        `${finding.file}:${finding.line}:${finding.column} ${finding.ruleId} ${finding.severity} ${finding.resource}`,
    )
    .sort();
}

describe("audit reads the functions' code", () => {
  const cwd = project();
  const { report, status } = auditJson([], cwd);

  it("finds each problem at the expression that causes it", () => {
    const expected = [
      `${at("orders/handler.mjs", "new S3Client")} init-in-handler warning OrdersFunction`,
      `${at("orders/handler.mjs", "new GetParameterCommand")} config-in-handler warning OrdersFunction`,
      `${at("orders/handler.mjs", "process.env.TABLE_NAME")} env-read-in-handler info OrdersFunction`,
      `${at("orders/handler.mjs", "new ScanCommand")} dynamodb-scan warning OrdersFunction`,
      `${at("orders/handler.mjs", "new PutMetricDataCommand")} metrics-api-in-handler warning OrdersFunction`,
      `${at("orders/handler.mjs", "async (event)")} powertools-suggest info OrdersFunction`,
      // The pool is created in a local module's function that the handler calls.
      `${at("orders/lib/db.mjs", "new pg.Pool")} init-in-handler warning OrdersFunction`,
      `${at("orders/lib/db.mjs", "process.env.DATABASE_URL")} env-read-in-handler info OrdersFunction`,
      `${at("orders/package.json", '"aws-sdk"').replace(/:\d+$/, ":1")} sdk-v2-bundled warning OrdersFunction`,
      // Managed Instances, Node.js: module state written per request (the lazy client is fine).
      `${at("counter/handler.ts", "requests++")} managed-instances-thread-safety error CounterFunction`,
      `${at("counter/handler.ts", "seen.set")} managed-instances-thread-safety error CounterFunction`,
      `${at("counter/handler.ts", "async (event")} powertools-suggest info CounterFunction`,
      // A model's token stream relayed through a buffered response; a streaming handler behind a BUFFERED URL.
      `${at("chat/chat.ts", "new ConverseStreamCommand")} streaming-candidate info ChatFunction`,
      `${at("chat/chat.ts", "async (event")} powertools-suggest info ChatFunction`,
      `${at("chat/streamer.ts", "async (_event")} streaming-candidate warning StreamerFunction`,
      `${at("chat/streamer.ts", "async (_event")} powertools-suggest info StreamerFunction`,
      // SnapStart, Python: a uuid frozen into the snapshot, a connection never re-opened.
      `${at("py-snap/app.py", "uuid.uuid4()")} snapstart-uniqueness error SnapFunction`,
      `${at("py-snap/app.py", "psycopg.connect")} snapstart-restore-hook warning SnapFunction`,
      `${at("py-snap/app.py", "table.scan()")} dynamodb-scan warning SnapFunction`,
      `${at("py-snap/app.py", "table.get_item")} dynamodb-no-projection info SnapFunction`,
      `${at("py-snap/app.py", "def lambda_handler")} powertools-suggest info SnapFunction`,
      // Managed Instances, Python: globals are per process, /tmp is shared.
      `${at("py-mi/worker.py", 'open("/tmp/last-event.json"')} managed-instances-thread-safety error ManagedPythonFunction`,
      `${at("py-mi/worker.py", "def handler")} powertools-suggest info ManagedPythonFunction`,
      // x86-only native code in an x86_64 function: blocks arm64 (and silences arm64-candidate below).
      "native/PIL/_imaging.cpython-312-x86_64-linux-gnu.so:1:1 arm64-blocked info NativeFunction",
      "native/pillow-11.0.0.dist-info/WHEEL:1:1 arm64-blocked info NativeFunction",
      `${at("native/resize.py", "def handler")} powertools-suggest info NativeFunction`,
      // A file that does not parse is a finding, and the run goes on.
      "broken/index.js:4:1 parse-error info BrokenFunction",
      "broken/index.js:1:1 powertools-suggest info BrokenFunction",
    ].sort();
    expect(codeFindings(report)).toEqual(expected);
    expect(report.summary.functions).toBe(10);
    expect(report.errors).toEqual([]);
    expect(status).toBe(1); // errors reach the default threshold
  });

  it("stays quiet on the functions that do it right", () => {
    const quiet = report.findings.filter(
      (finding) =>
        !finding.file.endsWith("template.yaml") &&
        (finding.resource === "GoodFunction" || finding.resource === "SnapGoodFunction"),
    );
    expect(quiet).toEqual([]);
  });

  it("does not recommend arm64 to the function whose binaries are x86-only", () => {
    const arm64 = report.findings
      .filter((finding) => TEMPLATE_IDS.has(finding.ruleId))
      .map((finding) => finding.resource);
    expect(arm64).not.toContain("NativeFunction");
    expect(arm64).toContain("ChatFunction"); // x86_64 by default, no native code
  });

  it("--no-code checks the template only; --rules selects code rules too", () => {
    const templatesOnly = auditJson(["--no-code"], cwd).report;
    expect(codeFindings(templatesOnly)).toEqual([]);
    expect(templatesOnly.summary.functions).toBe(0);
    const scans = auditJson(["--rules", "dynamodb-scan"], cwd).report;
    expect(scans.findings.map((finding) => `${finding.file}:${finding.line}`)).toEqual([
      at("orders/handler.mjs", "new ScanCommand").replace(/:\d+$/, ""),
      at("py-snap/app.py", "table.scan()").replace(/:\d+$/, ""),
    ]);
  });

  it("reads a folder with no template as a folder of handlers, with --managed-instances", () => {
    const folder = join(cwd, "counter");
    const plain = auditJson([folder, "--rules", "managed-instances-thread-safety"], cwd).report;
    expect(plain.summary.templates).toBe(0);
    expect(plain.summary.functions).toBe(1);
    expect(plain.findings).toEqual([]); // not on Managed Instances unless told
    const managed = auditJson(
      [folder, "--rules", "managed-instances-thread-safety", "--managed-instances"],
      cwd,
    ).report;
    expect(
      managed.findings.map((finding) => `${finding.file}:${finding.line} ${finding.resource}`),
    ).toEqual([
      "counter/handler.ts:9 counter/handler.ts:handler",
      "counter/handler.ts:10 counter/handler.ts:handler",
    ]);
  });

  it("audits a single source file, and applies the config's severity to every finding of a rule", () => {
    const single = auditJson(["py-snap/app.py", "--rules", "snapstart-uniqueness"], cwd).report;
    expect(single.summary.functions).toBe(1);
    // A plain file: SnapStart is not known to be on, so the frozen uuid is information.
    expect(single.findings.map((finding) => [finding.line, finding.severity])).toEqual([
      [6, "info"],
    ]);
    const folder = project();
    writeFileSync(
      join(folder, ".lambda-optimizer.json"),
      JSON.stringify({ audit: { severity: { "snapstart-uniqueness": "warning" } } }),
    );
    const graded = auditJson(["--rules", "snapstart-uniqueness"], folder).report;
    expect(graded.findings.map((finding) => finding.severity)).toEqual(["warning"]);
  });

  it("writes code findings into SARIF with their source files", () => {
    const result = runCli(["audit", "--format", "sarif", "--rules", "snapstart-uniqueness"], {
      cwd,
    });
    const sarif = JSON.parse(result.stdout);
    const [finding] = sarif.runs[0].results;
    expect(finding.ruleId).toBe("snapstart-uniqueness");
    expect(finding.locations[0].physicalLocation.artifactLocation.uri).toBe("py-snap/app.py");
    expect(finding.locations[0].physicalLocation.region.startLine).toBe(6);
    expect(sarif.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id)).toContain(
      "snapstart-uniqueness",
    );
  });
});
