/**
 * The official MCP conformance suite against the built CLI's `lambda-optimizer mcp --http`: the
 * scenarios that apply to this server — it initializes, answers ping, lists its tools, refuses
 * a foreign Host and Origin (DNS rebinding), and offers logging and completions, so their
 * scenarios apply too. The suite (npm, on Node.js 22) is installed once into the tests' cache
 * (test/setup/ensure-conformance.ts); everything runs on 127.0.0.1.
 *
 * Each scenario is one run of the suite's own CLI; its verdicts are read from the checks.json it
 * writes, and a failure shows the suite's own output.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../cli/run-cli.js";
import { type ConformanceSuite, ensureConformanceSuite } from "../setup/ensure-conformance.js";

const SCENARIOS = [
  "server-initialize",
  "ping",
  "tools-list",
  "dns-rebinding-protection",
  "logging-set-level",
  "completion-complete",
];

interface Check {
  readonly id: string;
  readonly status: string;
  readonly errorMessage?: string;
}

describe("the official MCP conformance suite against mcp --http", () => {
  let suite: ConformanceSuite;
  let server: RunningCli;
  let url: string;
  let output: string;

  beforeAll(async () => {
    suite = await ensureConformanceSuite();
    output = mkdtempSync(join(tmpdir(), "lo-mcp-conformance-"));
    server = startCli(["mcp", "--http", "--port", "0"]);
    url = await announcedUrl(server);
  }, 600_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGINT");
      await server.finished;
    }
    if (output) rmSync(output, { recursive: true, force: true });
  });

  it.each(SCENARIOS)("passes %s", async (scenario) => {
    const run = await runScenario(suite, url, scenario, output);
    const report = `conformance server --scenario ${scenario} exited ${run.code}:\n${run.output}`;
    expect(run.code, report).toBe(0);
    const checks = checksOf(output, scenario);
    expect(checks.length, report).toBeGreaterThan(0);
    for (const check of checks)
      expect(`${check.id}: ${check.status}`, check.errorMessage ?? report).toBe(
        `${check.id}: SUCCESS`,
      );
  });

  it("stops on Ctrl-C, with exit code 0", async () => {
    server.child.kill("SIGINT");
    const finished = await server.finished;
    expect(finished.code, finished.stderr).toBe(0);
  });
});

/** The URL `mcp --http` prints on stderr once it listens. */
function announcedUrl(server: RunningCli): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    server.child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /MCP server on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    void server.finished.then(({ code }) =>
      reject(new Error(`mcp --http exited with ${code} before listening: ${stderr}`)),
    );
  });
}

function runScenario(
  suite: ConformanceSuite,
  url: string,
  scenario: string,
  output: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      suite.node,
      [suite.entry, "server", "--url", url, "--scenario", scenario, "--output-dir", output],
      { env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** The checks the suite saved for a scenario: <output>/server-<scenario>-<time>/checks.json. */
function checksOf(output: string, scenario: string): Check[] {
  const folders = readdirSync(output).filter((name) => name.startsWith(`server-${scenario}-`));
  expect(folders, `the suite saved no result for ${scenario} in ${output}`).toHaveLength(1);
  return JSON.parse(readFileSync(join(output, folders[0]!, "checks.json"), "utf8")) as Check[];
}
