/**
 * The AWS path end to end: `lambda-optimizer tune NAME --aws --endpoint-url`
 * as a subprocess against `lambda-optimizer emulate` serving the Lambda API over
 * HTTP, driven and checked with the real SDK. Whatever ends the run, the function is left
 * exactly as it was: no version, no alias, the same configuration.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  PublishVersionCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecoverReportSchema } from "../../src/tuning/recover.js";
import { type FinishedCli, runCli, startCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import {
  CREDENTIALS,
  type EmulatedAccount,
  startEmulatedAccount,
  until,
} from "./emulated-account.js";

/** The functions `lambda-optimizer emulate` serves, from a template as a user would write it. */
function template(): string {
  const code = join(FIXTURES, "node-faults");
  const fn = (name: string, handler: string, properties: string[]) =>
    [
      `  ${name}:`,
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      `      FunctionName: ${name}`,
      `      CodeUri: ${code}`,
      `      Handler: index.${handler}`,
      ...properties.map((line) => `      ${line}`),
    ].join("\n");
  const file = join(mkdtempSync(join(tmpdir(), "lo-emulate-")), "template.yaml");
  writeFileSync(
    file,
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Globals:",
      "  Function:",
      "    Runtime: nodejs22.x",
      "    MemorySize: 1024",
      "Resources:",
      fn("steady", "ok", [
        "Description: original description",
        "Environment:",
        "  Variables:",
        "    KEEP: me",
      ]),
      fn("hungry", "allocates", ["MemorySize: 512", "Timeout: 10"]),
      fn("broken", "throws", ["MemorySize: 256"]),
      fn("applied", "ok", []),
      fn("aliased", "ok", []),
      fn("interrupted", "ok", []),
      fn("killed", "ok", []),
    ].join("\n"),
  );
  return file;
}

let account: EmulatedAccount;
let endpoint: string;
let lambda: LambdaClient;
const credentials = CREDENTIALS;

beforeAll(async () => {
  account = await startEmulatedAccount(template());
  ({ endpoint, lambda } = account);
});
afterAll(() => account.stop());

function tune(
  args: string[],
  cwd: string,
  whileRunning?: (child: ChildProcess) => Promise<void>,
): Promise<FinishedCli> {
  const { child, finished } = startCli(
    ["tune", ...args, "--aws", "--endpoint-url", endpoint, "--quiet"],
    { cwd, env: credentials },
  );
  void whileRunning?.(child);
  return finished;
}

const snapshot = (name: string) => account.snapshot(name);

const workdir = () => mkdtempSync(join(tmpdir(), "lo-tune-"));

describe("tune --aws against a Lambda API over HTTP", () => {
  it("tunes both architectures, recommends, and leaves the function exactly as it was", async () => {
    // A version and alias of the user's own: the run must never touch them.
    await lambda.send(
      new PublishVersionCommand({ FunctionName: "steady", Description: "user's release" }),
    );
    await lambda.send(
      new CreateAliasCommand({ FunctionName: "steady", Name: "live", FunctionVersion: "1" }),
    );
    const before = await snapshot("steady");
    const result = await tune(
      ["steady", "--memory", "128,512", "--arch", "x86_64,arm64", "--num", "3", "--json"],
      workdir(),
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    expect(document.target).toMatchObject({ kind: "aws", functionName: "steady", endpoint });
    expect(document.original).toMatchObject({ memoryMb: 1024, architecture: "x86_64" });
    expect(
      document.results.map(
        (entry: {
          memoryMb: number;
          architecture: string;
          invocations: number;
          status: string;
        }) => [entry.memoryMb, entry.architecture, entry.invocations, entry.status],
      ),
    ).toEqual([
      [128, "x86_64", 3, "ok"],
      [128, "arm64", 3, "ok"],
      [512, "x86_64", 3, "ok"],
      [512, "arm64", 3, "ok"],
    ]);
    expect(document.recommendation.memoryMb).toBeTypeOf("number");
    expect(document.tuningCostUsd).toBeGreaterThan(0);
    // The code as tuned: the CodeSha256 the Lambda API gives for the function.
    const { CodeSha256 } = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "steady" }),
    );
    expect(CodeSha256).toBeTruthy();
    expect(document.code).toEqual({ kind: "code-sha256", sha256: CodeSha256, folder: null });
    expect(await snapshot("steady")).toEqual(before);

    // compare's re-tuning gate asks the same Lambda API for the code now: unchanged, it passes.
    const folder = workdir();
    writeFileSync(join(folder, "steady.json"), result.stdout);
    const gate = runCli(["compare", "steady.json", "steady.json", "--max-age-days", "90"], {
      cwd: folder,
      env: credentials,
    });
    expect(gate.stderr).toBe("");
    expect(gate.status).toBe(0);
    expect(gate.stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^Fresh: steady\.json was tuned on \d{4}-\d{2}-\d{2} \(0 days ago, within 90\), on the same code\.$/,
    );
  });

  it("reports configurations that run out of memory as failed, and still restores", async () => {
    const before = await snapshot("hungry");
    const result = await tune(
      ["hungry", "--memory", "128,1024", "--num", "2", "--payload", '{"megabytes":300}', "--json"],
      workdir(),
    );
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout);
    const [small, large] = document.results;
    expect(small).toMatchObject({
      memoryMb: 128,
      status: "failed",
      error: { type: "Runtime.ExitError" },
    });
    expect(large).toMatchObject({ memoryMb: 1024, status: "ok" });
    expect(document.recommendation.memoryMb).toBe(1024);
    expect(await snapshot("hungry")).toEqual(before);
  });

  it("exits 3 when every configuration fails, after restoring", async () => {
    const before = await snapshot("broken");
    const result = await tune(["broken", "--memory", "128,256", "--num", "2", "--json"], workdir());
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).recommendation).toBeNull();
    expect(await snapshot("broken")).toEqual(before);
    const allowed = await tune(
      ["broken", "--memory", "128", "--num", "2", "--allowed-exceptions", "RangeError", "--json"],
      workdir(),
    );
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).results[0]).toMatchObject({ status: "ok", invocations: 2 });
  });

  it("--apply sets the winner on $LATEST; --apply --alias publishes it behind the alias", async () => {
    const result = await tune(
      ["applied", "--memory", "128,256", "--num", "2", "--apply", "--json"],
      workdir(),
    );
    const document = JSON.parse(result.stdout);
    expect(document.applied).toMatchObject({
      memoryMb: document.recommendation.memoryMb,
      alias: null,
    });
    const after = await snapshot("applied");
    expect(after.memoryMb).toBe(document.recommendation.memoryMb);
    expect(after.versions).toEqual(["$LATEST"]);
    expect(after.aliases).toEqual([]);

    const aliased = JSON.parse(
      (
        await tune(
          ["aliased", "--memory", "128,256", "--num", "2", "--apply", "--alias", "live", "--json"],
          workdir(),
        )
      ).stdout,
    );
    const state = await snapshot("aliased");
    expect(state.memoryMb).toBe(1024);
    expect(state.aliases).toEqual([`live->${aliased.applied.version}`]);
    expect(state.versions).toEqual(["$LATEST", aliased.applied.version]);
    const live = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "aliased", Qualifier: "live" }),
    );
    expect(live.MemorySize).toBe(aliased.recommendation.memoryMb);
  });

  it("restores the function after SIGINT mid-run and exits 130", async () => {
    const before = await snapshot("interrupted");
    const result = await tune(
      [
        "interrupted",
        "--memory",
        "128,256,512,1024,2048",
        "--num",
        "200",
        "--sleep-between-ms",
        "5",
      ],
      workdir(),
      async (child) => {
        await until(async () => ((await snapshot("interrupted")).aliases?.length ?? 0) > 0);
        child.kill("SIGINT");
      },
    );
    expect(result.signal).toBeNull();
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("the function is as it was");
    expect(await snapshot("interrupted")).toEqual(before);
  });

  it("leaves a journal after SIGKILL, and --recover restores the function from it", async () => {
    const cwd = workdir();
    const before = await snapshot("killed");
    const killed = await tune(
      ["killed", "--memory", "128,256,512,1024", "--num", "500"],
      cwd,
      async (child) => {
        await until(async () => ((await snapshot("killed")).aliases?.length ?? 0) > 0);
        child.kill("SIGKILL");
      },
    );
    expect(killed.signal).toBe("SIGKILL");
    expect(await snapshot("killed")).not.toEqual(before);
    const recover = await startCli(["tune", "--recover", "--json"], { cwd, env: credentials })
      .finished;
    expect(recover.code).toBe(0);
    expect(RecoverReportSchema.parse(JSON.parse(recover.stdout)).recovered).toEqual([
      {
        journal: expect.stringMatching(
          /\/\.lambda-optimizer\/journal\/\d{8}T\d{6}-[0-9a-f]{6}\.json$/,
        ),
        functionName: "killed",
        status: "restored",
        outcome: "restored",
      },
    ]);
    expect(await snapshot("killed")).toEqual(before);
  });
});
