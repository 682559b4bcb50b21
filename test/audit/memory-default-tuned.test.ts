/**
 * memory-default takes the size to set from the function's latest saved tune
 * run, never from a guess: end to end with a real `tune` of a local handler,
 * then how a run is matched to a template function.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { auditTemplates } from "../../src/audit/engine.js";
import { AuditReportSchema, type Finding } from "../../src/audit/findings.js";
import { memoryDefault } from "../../src/audit/rules/memory-default.js";
import { TunedMemoryIndex } from "../../src/audit/tuned-memory.js";
import { RUNS_FOLDER } from "../../src/tuning/saved-runs.js";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { runCli } from "../cli/run-cli.js";
import { writeTuneRun } from "./tune-run-file.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  # Waits on a downstream call: I/O-bound.
  Waiter:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: handler.handler
      Runtime: nodejs22.x
      Timeout: 10
`;

function project(template = TEMPLATE): string {
  const cwd = mkdtempSync(join(tmpdir(), "lo-memory-tuned-"));
  mkdirSync(join(cwd, "src"));
  cpSync(join(EXAMPLES, "io-bound", "handler.mjs"), join(cwd, "src", "handler.mjs"));
  writeFileSync(join(cwd, "template.yaml"), template);
  return cwd;
}

function auditJson(cwd: string, extra: string[] = []) {
  const result = runCli(
    ["audit", "template.yaml", "--rules", "memory-default", "--json", ...extra],
    { cwd },
  );
  return { result, report: AuditReportSchema.parse(JSON.parse(result.stdout)) };
}

describe("memory-default with and without a saved tune run (CLI, a real tune)", () => {
  it("quotes the guide as guidance with the exact command to measure, fixes nothing, then fixes from the run that command saved", () => {
    const cwd = project();

    // 1. Never tuned: the guide's table as guidance, the command to measure, and --fix leaves the template alone.
    const untuned = auditJson(cwd);
    expect(untuned.report.findings).toHaveLength(1);
    const [first] = untuned.report.findings;
    expect(first!.message).toBe(
      "Waiter has no MemorySize, so it runs at 128 MB with about 7% of a vCPU. The guide's starting points by workload are 128 MB (lightweight tasks: routing, simple transformations), 512 MB (standard API handlers, moderate data processing), 1024 MB (compute-intensive tasks, image processing) and 3008+ MB (ML inference, large data processing); nothing known of it says which workload it is. That is guidance, not measurement: run `lambda-optimizer tune --template template.yaml Waiter` to measure; `audit --fix` then sets the size it recommends.",
    );
    expect(first!.fixValue).toBeUndefined();
    const notFixed = auditJson(cwd, ["--fix"]);
    expect(notFixed.result.status).toBe(0);
    expect(notFixed.result.stderr).not.toContain("fixed");
    expect(notFixed.report.fixes).toEqual([]);
    expect(readFileSync(join(cwd, "template.yaml"), "utf8")).toBe(TEMPLATE);

    // 2. The command the finding gives, run as given (with a payload and a short plan).
    const tune = runCli(
      [
        ...["tune", "--template", "template.yaml", "Waiter"],
        ...["--memory", "128,1024", "--num", "3", "--payload", '{"latencyMs":40}', "--quiet"],
        "--json",
      ],
      { cwd },
    );
    expect(tune.status, tune.stderr).toBe(0);
    const tuned = TuneResultSchema.parse(JSON.parse(tune.stdout));
    expect(tuned.target.functionName).toBe("Waiter");
    // I/O-bound, so 128 MB as a rule (tune-local.test.ts holds that law); what matters
    // here is that the audit takes whatever the run recommends.
    const size = tuned.recommendation!.memoryMb;
    expect([128, 1024]).toContain(size);

    // 3. The finding now names the run file and its figure.
    const measured = auditJson(cwd);
    const [finding] = measured.report.findings;
    expect(finding!.fixValue).toBe(size);
    const run = String.raw`\.lambda-optimizer/runs/\d{8}T\d{6}-[0-9a-f]{6}-Waiter\.json`;
    expect(finding!.message).toMatch(
      new RegExp(
        String.raw`^Waiter has no MemorySize, so it runs at 128 MB with about 7% of a vCPU\. ` +
          String.raw`Its latest tune run, ${run} \(\d{4}-\d{2}-\d{2}\), recommends ${size} MB: ` +
          String.raw`cost strategy, \$0\.\d+ per invocation, p95 [\d.,]+ ms\.$`,
      ),
    );
    expect(finding!.fix).toMatch(
      new RegExp(String.raw`^Set MemorySize: ${size}, the size recommended by ${run}\.$`),
    );

    // 4. --fix writes it, and the rule is satisfied.
    const fixed = auditJson(cwd, ["--fix"]);
    expect(fixed.result.status).toBe(0);
    expect(fixed.report.fixes).toEqual([
      expect.objectContaining({
        file: "template.yaml",
        status: "fixed",
        applied: [{ ruleId: "memory-default", resource: "Waiter", line: 5 }],
      }),
    ]);
    expect(fixed.report.findings).toEqual([]);
    expect(readFileSync(join(cwd, "template.yaml"), "utf8")).toBe(
      TEMPLATE.replace(
        "      Timeout: 10\n",
        `      Timeout: 10\n      MemorySize: ${size} # lambda-optimizer --fix: the size lambda-optimizer tune recommended\n`,
      ),
    );
  }, 180_000);
});

/** memory-default's findings over a template in `cwd`, reading the runs saved there. */
function findings(cwd: string, template: string, file = "template.yaml"): Finding[] {
  const path = join(cwd, file);
  writeFileSync(path, template);
  const report = auditTemplates([path], {
    rules: [memoryDefault],
    cwd,
    tunedMemory: new TunedMemoryIndex(cwd),
  });
  expect(report.errors).toEqual([]);
  return report.findings;
}

const folder = () => mkdtempSync(join(tmpdir(), "lo-memory-runs-"));

describe("which saved run a function's memory comes from", () => {
  it("the latest complete run of that function: not a newer partial or dry run, not another function's", () => {
    const cwd = folder();
    writeTuneRun(cwd, {
      functionName: "Waiter",
      memoryMb: 512,
      createdAt: "2026-11-01T10:00:00.000Z",
    });
    const latest = writeTuneRun(cwd, {
      functionName: "Waiter",
      memoryMb: 256,
      createdAt: "2026-11-20T10:00:00.000Z",
    });
    writeTuneRun(cwd, {
      functionName: "Waiter",
      memoryMb: 1024,
      createdAt: "2026-11-25T10:00:00.000Z",
      partial: true,
    });
    writeTuneRun(cwd, {
      functionName: "Waiter",
      memoryMb: 2048,
      createdAt: "2026-11-26T10:00:00.000Z",
      dryRun: true,
    });
    writeTuneRun(cwd, {
      functionName: "Other",
      memoryMb: 3008,
      createdAt: "2026-11-27T10:00:00.000Z",
    });
    // A file in the runs folder that is not a run is passed over, not a crash.
    writeFileSync(join(cwd, RUNS_FOLDER, "notes.json"), "{ not json");
    const [finding] = findings(cwd, TEMPLATE);
    expect(finding!.fixValue).toBe(256);
    // The run's own figures: $2e-7 an invocation and a p95 of 48 ms at its winner.
    expect(finding!.message).toContain(
      "recommends 256 MB: cost strategy, $0.0000002 per invocation, p95 48 ms.",
    );
    expect(finding!.message).toContain(
      `Its latest tune run, ${latest} (2026-11-20), recommends 256 MB`,
    );
  });

  it("a function with a FunctionName matches runs of that name only", () => {
    const cwd = folder();
    writeTuneRun(cwd, { functionName: "Waiter", memoryMb: 512 });
    const named = TEMPLATE.replace(
      "      CodeUri: src/",
      "      FunctionName: waiter-prod\n      CodeUri: src/",
    );
    expect(findings(cwd, named)[0]!.fixValue).toBeUndefined();
    writeTuneRun(cwd, { functionName: "waiter-prod", memoryMb: 1536, kind: "aws" });
    expect(findings(cwd, named)[0]!.fixValue).toBe(1536);
  });

  it("a deployed function by CloudFormation's generated name <stack>-<LogicalId>-<suffix>, on AWS runs only", () => {
    const cwd = folder();
    writeTuneRun(cwd, { functionName: "orders-Waiter-AbC123dEf456", memoryMb: 384, kind: "local" });
    expect(findings(cwd, TEMPLATE)[0]!.fixValue).toBeUndefined();
    writeTuneRun(cwd, { functionName: "orders-Waiter-AbC123dEf456", memoryMb: 384, kind: "aws" });
    expect(findings(cwd, TEMPLATE)[0]!.fixValue).toBe(384);
    // Another function whose logical id merely contains it is not a match.
    writeTuneRun(cwd, {
      functionName: "orders-WaiterTwo-AbC123dEf456",
      memoryMb: 999,
      kind: "aws",
      createdAt: "2026-12-01T00:00:00.000Z",
    });
    expect(findings(cwd, TEMPLATE)[0]!.fixValue).toBe(384);
  });

  it("reads the runs saved beside the template too, and names them from the audit's folder", () => {
    const cwd = folder();
    mkdirSync(join(cwd, "service"));
    const run = writeTuneRun(join(cwd, "service"), { functionName: "Waiter", memoryMb: 640 });
    const [finding] = findings(cwd, TEMPLATE, join("service", "template.yaml"));
    expect(finding!.fixValue).toBe(640);
    expect(finding!.message).toContain(`Its latest tune run, ${join("service", run)} (`);
  });

  it("without any run: the command names the template from the audit's folder", () => {
    const cwd = folder();
    mkdirSync(join(cwd, "my service"));
    const [finding] = findings(cwd, TEMPLATE, join("my service", "template.yaml"));
    expect(finding!.fixValue).toBeUndefined();
    expect(finding!.fix).toBe(
      "Measure first: run lambda-optimizer tune --template 'my service/template.yaml' Waiter, then `audit --fix` sets MemorySize from the saved run.",
    );
  });
});
