/**
 * The interpreter a function really runs on, and what the emulator says about it: a nodejs22.x
 * function runs on Node.js 22 (fetched once from the npm registry by the test setup), the version
 * reported is the one that answered, and a mismatch is said in a warning, in the record and in
 * INIT_START. Python runs on the declared minor's python when it is on PATH and never writes
 * __pycache__ into the code folder; a TypeScript import that names nothing is an import error.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Emulator, type InvokeResult } from "../../src/emulator/emulator.js";
import type { FunctionDefinition } from "../../src/emulator/functions/function-definition.js";
import { resolveInterpreter } from "../../src/emulator/runtimes/interpreter.js";
import {
  cachedNodeBinaries,
  nodeBinariesDir,
  officialNodeBinary,
} from "../../src/emulator/runtimes/node-binaries.js";
import { userCacheDir } from "../../src/emulator/runtimes/user-cache.js";
import { HOST_NODE_MAJOR, OTHER_NODE_MAJOR } from "../setup/node-majors.js";
import { TEST_CACHE_DIR } from "../support/user-cache.js";
import { FIXTURES, fixture, stateDir } from "./emulator-fixtures.js";

const HOST_MAJOR = HOST_NODE_MAJOR;
/** A Lambda major this process is not: the emulator must fetch it, or warn. */
const OTHER_MAJOR = OTHER_NODE_MAJOR;

const hostPython = execFileSync("python3", [
  "-c",
  "import sys; print('%d.%d.%d' % sys.version_info[:3])",
])
  .toString()
  .trim();
/** A Python minor that is neither python3's nor on PATH under its own name: it must be warned about. */
const absentPython = ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14"].find(
  (minor) =>
    !hostPython.startsWith(`${minor}.`) && spawnSync(`python${minor}`, ["-c", "pass"]).status !== 0,
);

/** A copy of a fixture folder in a fresh temporary folder, so a test can look for what was written there. */
function copiedFixture(folder: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), "lo-runtime-")), folder);
  cpSync(join(FIXTURES, folder), copy, { recursive: true });
  return copy;
}
const pythonCopy = copiedFixture("python-sibling");

const functions: FunctionDefinition[] = [
  fixture("runtime-version/index.mjs:handler", { name: "declared-22", runtime: "nodejs22.x" }),
  fixture("runtime-version/index.mjs:handler", {
    name: "declared-host",
    runtime: `nodejs${HOST_MAJOR}.x`,
  }),
  fixture("runtime-version/index.mjs:handler", { name: "declared-16", runtime: "nodejs16.x" }),
  fixture("node-ts-missing-module/handler.ts:handler", { name: "ts-missing" }),
  fixture("provided-shell/bootstrap", { name: "provided" }),
  fixture("node-ts-syntax-error/handler.ts:handler", { name: "ts-syntax" }),
  {
    ...fixture("python-sibling/app.py:lambda_handler", { name: "python-sibling" }),
    codeDir: pythonCopy,
    runtime: `python${hostPython.split(".").slice(0, 2).join(".")}`,
  },
  ...(absentPython
    ? [
        fixture("python-sibling/app.py:lambda_handler", {
          name: "python-absent",
          runtime: `python${absentPython}`,
        }),
      ]
    : []),
];

const emulator = new Emulator({ stateDir: stateDir(), functions });
const onHostNode = new Emulator({
  stateDir: stateDir(),
  nodeVersions: "host",
  functions: [
    fixture("runtime-version/index.mjs:handler", {
      name: "other-on-host",
      runtime: `nodejs${OTHER_MAJOR}.x`,
    }),
  ],
});
afterAll(async () => {
  await emulator.stop();
  await onHostNode.stop();
});

const invoke = (on: Emulator, name: string, event: unknown = {}) =>
  on.invoke(name, { payload: Buffer.from(JSON.stringify(event)), logType: "Tail" });
const body = (result: InvokeResult) => JSON.parse(result.payload.toString("utf8"));

describe("Node.js: the declared major", () => {
  it("runs a nodejs22.x function on Node.js 22, and reports the version that answered", async () => {
    const result = await invoke(emulator, "declared-22");
    expect(result.functionError).toBeUndefined();
    const response = body(result);
    expect(response.version).toMatch(/^v22\./);
    expect(response.executionEnv).toBe("AWS_Lambda_nodejs22.x");
    const interpreter = result.record!.interpreter;
    expect(interpreter.version).toBe(`Node.js ${response.version}`);
    expect(interpreter.warning).toBeUndefined();
    expect(result.record!.logs[0]).toBe(
      `INIT_START Runtime Version: nodejs22.x on Node.js ${response.version} (local)`,
    );
    if (HOST_MAJOR !== 22) {
      // The test setup fetched it into the suite's cache: this run found it there.
      expect(interpreter.source).toBe("cache");
      expect(response.execPath).toBe(interpreter.command);
      expect(response.execPath.startsWith(nodeBinariesDir(TEST_CACHE_DIR))).toBe(true);
    }
  });

  it("runs the declared major on this process's Node.js when they are the same, without fetching", async () => {
    const result = await invoke(emulator, "declared-host");
    const response = body(result);
    expect(response.version).toBe(process.version);
    expect(response.execPath).toBe(process.execPath);
    expect(result.record!.interpreter).toMatchObject({
      source: "host",
      version: `Node.js ${process.version}`,
    });
    expect(result.record!.interpreter.warning).toBeUndefined();
  });

  it('with nodeVersions "host", runs on this Node.js and warns that it is not the declared major', async () => {
    const result = await invoke(onHostNode, "other-on-host");
    expect(body(result).version).toBe(process.version);
    const { interpreter } = result.record!;
    expect(interpreter.warning).toBe(
      `nodejs${OTHER_MAJOR}.x runs on this machine's Node.js ${process.version}, not Node.js ${OTHER_MAJOR} ` +
        "(LAMBDA_OPTIMIZER_NODE=host): durations and behaviour may differ from Lambda's",
    );
    expect(result.record!.logs[0]).toBe(
      `INIT_START Runtime Version: nodejs${OTHER_MAJOR}.x on Node.js ${process.version} (local, not the declared version)`,
    );
    // What the CLI asks before invoking says the same.
    expect((await onHostNode.interpreter("other-on-host")).warning).toBe(interpreter.warning);
  });

  it("runs a major older than the bootstrap supports on this Node.js, and says so", async () => {
    const result = await invoke(emulator, "declared-16");
    expect(body(result).version).toBe(process.version);
    expect(result.record!.interpreter.warning).toBe(
      `nodejs16.x runs on this machine's Node.js ${process.version}, not Node.js 16: the emulator runs ` +
        "Node.js 18 or later, and Lambda no longer runs nodejs16.x either; durations and behaviour may differ from Lambda's",
    );
  });
});

describe("provided.*", () => {
  it("names no interpreter of ours: the function's own bootstrap ran", async () => {
    const result = await invoke(emulator, "provided");
    expect(result.functionError).toBeUndefined();
    expect(result.record!.interpreter).toEqual({
      runtime: "provided.al2023",
      command: undefined,
      version: undefined,
      source: "bootstrap",
    });
    expect(result.record!.logs[0]).toBe(
      "INIT_START Runtime Version: provided.al2023 (the function's own bootstrap)",
    );
  });
});

describe("Node.js binaries from the npm registry", () => {
  it("keeps each fetched major in the cache, checked, and lists it", async () => {
    const binary = await officialNodeBinary(OTHER_MAJOR, { cacheDir: TEST_CACHE_DIR });
    if ("unavailable" in binary) throw new Error(binary.unavailable);
    expect(binary.version).toMatch(new RegExp(`^v${OTHER_MAJOR}\\.\\d+\\.\\d+$`));
    expect(execFileSync(binary.command, ["--version"]).toString().trim()).toBe(binary.version);
    expect(cachedNodeBinaries(TEST_CACHE_DIR)).toContainEqual({ ...binary, source: "cache" });
  });

  it("says plainly why a major cannot be had on a platform without published binaries", async () => {
    const outcome = await officialNodeBinary(22, {
      cacheDir: TEST_CACHE_DIR,
      platform: "darwin",
      arch: "arm64",
    });
    expect(outcome).toEqual({
      unavailable:
        "the Node.js project publishes its binaries on npm for linux x64 and arm64 only, and this is darwin arm64",
    });
  });

  it("falls back to this Node.js with a warning when the registry cannot be reached", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "lo-node-cache-"));
    // Nothing listens on port 9: npm fails at once (no retries), as it does offline.
    process.env.npm_config_registry = "http://127.0.0.1:9/";
    process.env.npm_config_fetch_retries = "0";
    try {
      const interpreter = await resolveInterpreter(`nodejs${OTHER_MAJOR}.x`, {
        nodeVersions: "declared",
        cacheDir,
      });
      expect(interpreter.command).toBe(process.execPath);
      expect(interpreter.source).toBe("host");
      expect(interpreter.warning).toMatch(
        new RegExp(
          `^nodejs${OTHER_MAJOR}\\.x runs on this machine's Node\\.js ${process.version.replaceAll(".", "\\.")}, ` +
            `not Node\\.js ${OTHER_MAJOR}: Node\\.js ${OTHER_MAJOR} could not be had \\(npm install said: ECONNREFUSED: FetchError: request to http://127\\.0\\.0\\.1:9/node-linux-(x64|arm64) failed, reason: connect ECONNREFUSED 127\\.0\\.0\\.1:9\\); ` +
            "durations and behaviour may differ from Lambda's\\. LAMBDA_OPTIMIZER_NODE=host skips the fetch$",
        ),
      );
      // Nothing half-fetched is left in the cache.
      expect(readdirSync(nodeBinariesDir(cacheDir))).toEqual([]);
    } finally {
      delete process.env.npm_config_registry;
      delete process.env.npm_config_fetch_retries;
    }
  });

  it("keeps downloads in LAMBDA_OPTIMIZER_CACHE_DIR, else XDG_CACHE_HOME, else ~/.cache", () => {
    expect(userCacheDir({ LAMBDA_OPTIMIZER_CACHE_DIR: "/srv/cache", XDG_CACHE_HOME: "/x" })).toBe(
      "/srv/cache",
    );
    expect(userCacheDir({ XDG_CACHE_HOME: "/x" })).toBe("/x/lambda-optimizer");
    expect(userCacheDir({ XDG_CACHE_HOME: "relative", HOME: "/home/u" })).toMatch(
      /\/\.cache\/lambda-optimizer$/,
    );
  });
});

// pyenv shims and a cold Python interpreter take seconds each on a busy machine.
describe("Python", { timeout: 120_000 }, () => {
  it("reports the Python that ran, and writes no __pycache__ beside the code", async () => {
    const result = await invoke(emulator, "python-sibling", { name: "lambda" });
    expect(result.functionError).toBeUndefined();
    const response = body(result);
    expect(response).toMatchObject({ greeting: "hello, lambda", dontWriteBytecode: true });
    expect(result.record!.interpreter.version).toBe(`Python ${response.version}`);
    expect(result.record!.interpreter.warning).toBeUndefined();
    expect(readdirSync(pythonCopy).sort()).toEqual(["app.py", "greeting.py"]);
    expect(existsSync(join(pythonCopy, "__pycache__"))).toBe(false);
  });

  it("warns when the declared Python is not on this machine", async () => {
    expect(
      absentPython,
      "every Python from 3.9 to 3.14 is here: none to declare as missing",
    ).toBeDefined();
    const result = await invoke(emulator, "python-absent", { name: "x" });
    const response = body(result);
    expect(response.version).toBe(hostPython);
    expect(result.record!.interpreter.warning).toBe(
      `python${absentPython} runs on this machine's Python ${hostPython} (python3), not Python ${absentPython}: ` +
        `put python${absentPython} on PATH to run the declared version; durations and behaviour may differ from Lambda's`,
    );
    expect(result.record!.logs[0]).toBe(
      `INIT_START Runtime Version: python${absentPython} on Python ${hostPython} (local, not the declared version)`,
    );
  });
});

describe("TypeScript bundling errors", () => {
  it("a missing module is Runtime.ImportModuleError, in Node's words", async () => {
    const result = await invoke(emulator, "ts-missing");
    expect(result.functionError).toBe("Unhandled");
    expect(body(result)).toMatchObject({
      errorType: "Runtime.ImportModuleError",
      errorMessage: `Error: Cannot find module 'not-installed-package'\nRequire stack:\n- ${join(FIXTURES, "node-ts-missing-module", "handler.ts")}`,
    });
  });

  it("a syntax error is still Runtime.UserCodeSyntaxError", async () => {
    const result = await invoke(emulator, "ts-syntax");
    const error = body(result);
    expect(error.errorType).toBe("Runtime.UserCodeSyntaxError");
    expect(error.errorMessage).toContain('Expected "}" but found ";"');
  });
});
