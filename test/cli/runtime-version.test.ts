/**
 * What the CLI says about the interpreter a local function runs on: `invoke`, `tune` and `emulate`
 * put it in their JSON, and warn on stderr when it is not the declared version
 * (LAMBDA_OPTIMIZER_NODE=host keeps a nodejs22.x function on this Node.js). `doctor` lists the
 * Node.js majors in the cache (the test setup fetched Node.js 22 into it).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { HOST_NODE_MAJOR, OTHER_NODE_MAJOR } from "../setup/node-majors.js";
import { TEST_CACHE_DIR } from "../support/user-cache.js";
import { runCli, startCli } from "./run-cli.js";

const DECLARED = `nodejs${OTHER_NODE_MAJOR}.x`;
const ON_HOST = { LAMBDA_OPTIMIZER_NODE: "host" };
const WARNING =
  `warning: ${DECLARED} runs on this machine's Node.js ${process.version}, not Node.js ${OTHER_NODE_MAJOR} ` +
  "(LAMBDA_OPTIMIZER_NODE=host): durations and behaviour may differ from Lambda's";
const cwd = () => mkdtempSync(join(tmpdir(), "lo-runtime-cli-"));

/** A template whose one function declares a Node.js major this process is not. */
function template(): string {
  const file = join(cwd(), "template.yaml");
  writeFileSync(
    file,
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      "  Version:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      `      CodeUri: ${join(FIXTURES, "runtime-version")}`,
      "      Handler: index.handler",
      `      Runtime: ${DECLARED}`,
      "",
    ].join("\n"),
  );
  return file;
}
const TEMPLATE = template();

describe("the interpreter a local function ran on", () => {
  it("invoke: runs on the declared major and says so in its JSON, with no warning", () => {
    const result = runCli(["invoke", "--template", TEMPLATE, "Version", "--json"], { cwd: cwd() });
    expect(result.status).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.payload.version).toMatch(new RegExp(`^v${OTHER_NODE_MAJOR}\\.`));
    expect(document.runtime).toEqual({
      declared: DECLARED,
      ranOn: `Node.js ${document.payload.version}`,
      // The test setup fetched it: this run found it in the cache.
      source: "cache",
      warning: null,
    });
    expect(result.stderr).not.toContain("warning:");
  });

  it("invoke: on this Node.js, warns on stderr and in the JSON", () => {
    const result = runCli(["invoke", "--template", TEMPLATE, "Version", "--json"], {
      cwd: cwd(),
      env: ON_HOST,
    });
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe(WARNING);
    const document = JSON.parse(result.stdout);
    expect(document.payload.version).toBe(process.version);
    expect(document.runtime).toEqual({
      declared: DECLARED,
      ranOn: `Node.js ${process.version}`,
      source: "host",
      warning: WARNING.replace("warning: ", ""),
    });
    expect(document.logs[0]).toBe(
      `INIT_START Runtime Version: ${DECLARED} on Node.js ${process.version} (local, not the declared version)`,
    );
  });

  it("tune: warns on stderr, even with --quiet, and keeps the interpreter in the result", () => {
    const result = runCli(
      [
        "tune",
        "--template",
        TEMPLATE,
        "Version",
        "--memory",
        "128",
        "--num",
        "1",
        "--json",
        "--quiet",
      ],
      { cwd: cwd(), env: ON_HOST },
    );
    expect(result.status).toBe(0);
    expect(result.stderr.trim()).toBe(WARNING);
    const tuned = TuneResultSchema.parse(JSON.parse(result.stdout));
    expect(tuned.runtime).toEqual({
      declared: DECLARED,
      ranOn: `Node.js ${process.version}`,
      source: "host",
      warning: WARNING.replace("warning: ", ""),
    });
  });

  it("emulate: warns once it starts, and lists what each function runs on", async () => {
    const { child, finished } = startCli(
      ["emulate", "--template", TEMPLATE, "--port", "0", "--json"],
      { cwd: cwd(), env: ON_HOST },
    );
    const summary = await new Promise<{ functions: { interpreter: unknown }[] }>((resolve) => {
      let output = "";
      child.stdout?.on("data", (chunk) => {
        output += chunk;
        try {
          resolve(JSON.parse(output));
        } catch {
          // not complete yet
        }
      });
    });
    child.kill("SIGINT");
    const { stderr } = await finished;
    expect(summary.functions[0]!.interpreter).toEqual({
      declared: DECLARED,
      ranOn: `Node.js ${process.version}`,
      source: "host",
      warning: WARNING.replace("warning: ", ""),
    });
    expect(stderr.split("\n")).toContain(WARNING);
  });
});

describe("the Node.js versions setting", () => {
  it("a LAMBDA_OPTIMIZER_NODE that means nothing exits 2 with one line", () => {
    const result = runCli(["invoke", "--template", TEMPLATE, "Version"], {
      cwd: cwd(),
      env: { LAMBDA_OPTIMIZER_NODE: "22" },
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      "lambda-optimizer: LAMBDA_OPTIMIZER_NODE=22: expected host (run every function on this Node.js) or declared (the runtime's own major)",
    );
  });

  it("doctor lists the Node.js binaries in the cache", () => {
    const result = runCli(["doctor", "--json"]);
    const node = JSON.parse(result.stdout).runtimes.nodejs;
    expect(node.cacheDir).toBe(join(TEST_CACHE_DIR, "node"));
    expect(node.versions).toBe("declared");
    expect(node.cached).toContainEqual(
      expect.objectContaining({
        major: OTHER_NODE_MAJOR,
        version: expect.stringMatching(new RegExp(`^v${OTHER_NODE_MAJOR}\\.`)),
      }),
    );
    const text = runCli(["doctor"]).stdout;
    expect(text).toMatch(
      new RegExp(
        `nodejs${HOST_NODE_MAJOR}\\.x runs on this Node\\.js .*; cached: .*Node\\.js v${OTHER_NODE_MAJOR}\\.`,
      ),
    );
  });
});
