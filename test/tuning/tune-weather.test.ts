/**
 * `tune --aws` through AWS's weather: a seeded fault proxy (test/support/
 * fault-proxy.ts) in front of `lambda-optimizer emulate` answers 5% of
 * requests with 500, drops 5% of connections (half of them after the
 * emulator acted) and delays 5% of answers. The tune must give the answer it
 * gives without faults and leave the function exactly as it was.
 *
 * Also the journal as a lock and `--recover` under bad conditions: a live
 * tune's journal, a corrupt journal, a lost endpoint.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateAliasCommand,
  type LambdaClient,
  PublishVersionCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecoverReportSchema } from "../../src/tuning/recover.js";
import { type FinishedCli, startCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.js";
import { exitedPid } from "../support/journal-files.js";
import {
  CREDENTIALS,
  type EmulatedAccount,
  startEmulatedAccount,
  until,
} from "./emulated-account.js";

const FUNCTIONS = ["locked", "recovered", "stranded"];
/** CPU-bound: its speed ranking across memory sizes is plain, whatever the weather. */
const CPU_BOUND = fileURLToPath(new URL("../../examples/cpu-bound", import.meta.url));

function template(): string {
  const code = join(FIXTURES, "node-faults");
  const file = join(mkdtempSync(join(tmpdir(), "lo-weather-")), "template.yaml");
  writeFileSync(
    file,
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Globals:",
      "  Function:",
      "    Runtime: nodejs22.x",
      "    MemorySize: 1024",
      "Resources:",
      "  weather:",
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      "      FunctionName: weather",
      `      CodeUri: ${CPU_BOUND}`,
      "      Handler: handler.handler",
      "      Description: as deployed",
      ...FUNCTIONS.flatMap((name) => [
        `  ${name}:`,
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        `      FunctionName: ${name}`,
        `      CodeUri: ${code}`,
        "      Handler: index.ok",
        "      Description: as deployed",
      ]),
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

function cli(
  args: string[],
  cwd: string,
  whileRunning?: (child: ChildProcess) => Promise<void>,
): Promise<FinishedCli> {
  const { child, finished } = startCli(args, { cwd, env: credentials });
  void whileRunning?.(child);
  return finished;
}

const snapshot = (name: string) => account.snapshot(name);

const workdir = () => mkdtempSync(join(tmpdir(), "lo-weather-tune-"));

/** What a tune decided, without the measured figures that differ from run to run. */
function answer(document: {
  results: { memoryMb: number; architecture: string; invocations: number; status: string }[];
  recommendation: { memoryMb: number; architecture: string } | null;
}) {
  return {
    results: document.results.map((entry) => [
      entry.memoryMb,
      entry.architecture,
      entry.invocations,
      entry.status,
    ]),
    recommendation: document.recommendation && {
      memoryMb: document.recommendation.memoryMb,
      architecture: document.recommendation.architecture,
    },
  };
}

// Each test runs whole tunes as subprocesses: 30 s each alone, several times that on a loaded machine.
describe("tune --aws through a Lambda API with 5% errors, 5% dropped connections, 5% delays", {
  timeout: 180_000,
}, () => {
  it("gives the answer it gives without faults, reports its retries, and restores the function", async () => {
    const args = [
      "tune",
      "weather",
      "--aws",
      "--memory",
      "128,256,2048",
      "--num",
      "6",
      "--strategy",
      "speed",
      "--payload",
      // Long enough at every size to outlast one CFS period's quota (100 ms): shorter work
      // finishes inside the quota at 256 MB as fast as at 2048 MB, and the ranking is a tie.
      '{"limit": 500000}',
    ];
    const before = await snapshot("weather");

    const calm = await cli([...args, "--endpoint-url", endpoint, "--json"], workdir());
    expect(calm.code).toBe(0);
    expect(await snapshot("weather")).toEqual(before);

    const proxy = await startFaultProxy({ upstream: endpoint, seed: 11 });
    let stormy: FinishedCli;
    try {
      stormy = await cli([...args, "--endpoint-url", proxy.endpoint, "--json"], workdir());
    } finally {
      await proxy.close();
    }
    // The weather did happen, of every kind.
    expect(proxy.injected.error).toBeGreaterThan(0);
    expect(proxy.injected["drop-request"]).toBeGreaterThan(0);
    expect(proxy.injected["drop-response"]).toBeGreaterThan(0);
    expect(proxy.injected.delay).toBeGreaterThan(0);

    expect(stormy.code).toBe(0);
    const calmAnswer = answer(JSON.parse(calm.stdout));
    expect(calmAnswer).toEqual({
      results: [
        [128, "x86_64", 6, "ok"],
        [256, "x86_64", 6, "ok"],
        [2048, "x86_64", 6, "ok"],
      ],
      recommendation: { memoryMb: 2048, architecture: "x86_64" },
    });
    // Same configurations, same counts (a retried Invoke is counted once), same winner.
    expect(answer(JSON.parse(stormy.stdout))).toEqual(calmAnswer);
    expect(JSON.parse(stormy.stdout).partial).toBeNull();
    // Retries are on the progress lines (stderr is not a terminal here: one line each).
    expect(stormy.stderr).toMatch(/retrying \w+ \(attempt 2 of 6\): /);
    expect(stormy.stderr).not.toContain("socket hang up\n");
    expect(await snapshot("weather")).toEqual(before);
  });
});

describe("the journal is a lock, and --recover survives what it finds", {
  timeout: 180_000,
}, () => {
  it("--recover leaves a live tune alone and says so; the tune then restores its function", async () => {
    const cwd = workdir();
    const before = await snapshot("locked");
    let recover: FinishedCli | undefined;
    let during: Awaited<ReturnType<typeof snapshot>> | undefined;
    const tuned = await cli(
      [
        "tune",
        "locked",
        "--aws",
        "--endpoint-url",
        endpoint,
        "--memory",
        "128,256",
        "--num",
        "500",
        "--sleep-between-ms",
        "5",
        "--quiet",
      ],
      cwd,
      async (child) => {
        await until(async () => ((await snapshot("locked")).aliases?.length ?? 0) > 0);
        recover = await cli(["tune", "--recover", "--json"], cwd);
        during = await snapshot("locked");
        child.kill("SIGINT");
      },
    );
    expect(recover?.code).toBe(0);
    const outcomes = RecoverReportSchema.parse(JSON.parse(recover?.stdout ?? "{}")).recovered;
    expect(outcomes).toEqual([
      {
        journal: expect.stringMatching(/\.json$/),
        functionName: "locked",
        status: "still-running",
        outcome: expect.stringMatching(/^skipped: its tune is still running \(pid \d+\)/),
      },
    ]);
    // Recovery touched nothing: the tune's alias was still there after it.
    expect(during?.aliases).toEqual([expect.stringMatching(/^lo-.*-(128|256)-x86_64->\d+$/)]);
    expect(tuned.code).toBe(130);
    expect(await snapshot("locked")).toEqual(before);
  });

  it("reports a corrupt journal in one line, removes stray temporaries, and recovers the rest", async () => {
    const cwd = workdir();
    const folder = join(cwd, ".lambda-optimizer", "journal");
    mkdirSync(folder, { recursive: true });
    const before = await snapshot("recovered");
    // What a killed run left: a published version and an alias on it, journaled.
    const published = await lambda.send(
      new PublishVersionCommand({
        FunctionName: "recovered",
        Description: "lambda-optimizer tune 20260101T000000-aaaaaa: 128 MB x86_64",
      }),
    );
    await lambda.send(
      new CreateAliasCommand({
        FunctionName: "recovered",
        Name: "lo-20260101T000000-aaaaaa-128-x86_64",
        FunctionVersion: published.Version,
      }),
    );
    const deadPid = await exitedPid();
    writeFileSync(
      join(folder, "20260101T000000-aaaaaa.json"),
      JSON.stringify({
        runId: "20260101T000000-aaaaaa",
        owner: { pid: deadPid, startTime: null, hostname: null },
        runMark: "lambda-optimizer tune 20260101T000000-aaaaaa",
        createdAt: "2026-01-01T00:00:00.000Z",
        target: {
          kind: "aws",
          functionName: "recovered",
          region: "us-east-1",
          profile: null,
          endpointUrl: endpoint,
        },
        original: {
          memoryMb: 1024,
          architecture: "x86_64",
          description: "as deployed",
          environment: {},
        },
        preexistingVersions: [],
        createdVersions: [published.Version],
        createdAliases: ["lo-20260101T000000-aaaaaa-128-x86_64"],
        touchedAliases: [],
        latestChanged: false,
      }),
    );
    writeFileSync(join(folder, "20250101T000000-bbbbbb.json"), '{"runId": "20250101T0');
    writeFileSync(join(folder, "20250102T000000-cccccc.json"), JSON.stringify({ runId: 7 }));
    const stray = join(folder, `20250103T000000-dddddd.json.${deadPid}.tmp`);
    writeFileSync(stray, "");

    const recover = await cli(["tune", "--recover"], cwd);
    const lines = recover.stdout.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/20250101T000000-bbbbbb\.json: skipped: not valid JSON \(.+\)$/),
      expect.stringMatching(
        /20250102T000000-cccccc\.json: skipped: not a tuning journal: runId: .+$/,
      ),
      expect.stringMatching(/^recovered: restored \(.+20260101T000000-aaaaaa\.json\)$/),
    ]);
    expect(recover.stderr).toBe("");
    // The run has work it could not do (two journals it cannot read): not a clean 0.
    expect(recover.code).toBe(3);
    expect(existsSync(stray)).toBe(false);
    expect(await snapshot("recovered")).toEqual(before);
  });

  it("when the endpoint goes away mid-run: exits 3, saves what it measured, prints the --recover command that works", async () => {
    const cwd = workdir();
    const before = await snapshot("stranded");
    const proxy: FaultProxy = await startFaultProxy({
      upstream: endpoint,
      seed: 1,
      rates: { error: 0, drop: 0, delay: 0 },
    });
    const stranded = await cli(
      [
        "tune",
        "stranded",
        "--aws",
        "--endpoint-url",
        proxy.endpoint,
        "--region",
        "us-east-1",
        "--memory",
        "128,256",
        "--num",
        "500",
        "--sleep-between-ms",
        "5",
      ],
      cwd,
      async () => {
        // The first configuration measured and cleaned up, the second under way.
        await until(async () =>
          ((await snapshot("stranded")).aliases ?? []).some((alias) => alias.includes("-256-")),
        );
        await proxy.close();
      },
    );
    expect(stranded.code).toBe(3);
    const command = /run: (lambda-optimizer tune --recover .+)$/m.exec(stranded.stderr)?.[1];
    expect(command).toMatch(
      new RegExp(
        `^lambda-optimizer tune --recover \\S+\\.json --region us-east-1 --endpoint-url ${proxy.endpoint.replace(/\./g, "\\.")}$`,
      ),
    );
    expect(stranded.stderr).toMatch(/tune failed \(ECONNREFUSED/);
    expect(stranded.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const partialFile = /what was measured: (\S+\.partial\.json)\)/.exec(stranded.stderr)?.[1];
    const partial = JSON.parse(readFileSync(join(cwd, partialFile ?? "missing"), "utf8"));
    expect(partial.partial.reason).toMatch(/^stopped after 1 of 2 configurations: /);
    expect(partial.results.map((entry: { memoryMb: number }) => entry.memoryMb)).toEqual([128]);
    expect(partial.recommendation).toBeNull();
    expect(await snapshot("stranded")).not.toEqual(before);

    // The printed command, with the endpoint that answers now.
    const words = (command ?? "").split(" ").slice(1, -2);
    const recover = await cli([...words, "--endpoint-url", endpoint], cwd);
    expect(recover.stdout).toMatch(/^stranded: restored /);
    expect(recover.code).toBe(0);
    expect(await snapshot("stranded")).toEqual(before);
  });
});

/** A pid that was real and has exited: its journal's owner is gone. */
