/**
 * Our runtimes never outlive the emulator: each bootstrap, started directly
 * (no sandbox, so no parent-death signal), ends by itself when its output has
 * no reader, when its Runtime API is gone, or when its parent dies. Before,
 * a runtime writing to a dead stdout looped at 100% CPU logging its own
 * EPIPE. Every wait is for an event or a condition, never a time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RuntimeApiServer } from "../../src/emulator/runtime-api/runtime-api-server.js";
import { bootstrapPath } from "../../src/emulator/runtimes/package-root.js";
import { FIXTURES, processExists } from "./emulator-fixtures.js";

const CODE = join(FIXTURES, "slow-init");

const RUNTIMES = [
  { runtime: "node", command: process.execPath, handler: "index" },
  { runtime: "python", command: "python3", handler: "slow_init" },
] as const;

const started: ChildProcess[] = [];
const servers: RuntimeApiServer[] = [];
const strays: number[] = [];

afterEach(async () => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
  for (const pid of strays.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone: the point of the test
    }
  }
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A Runtime API of our own, and the time its runtime asks for its first event. */
async function runtimeApi(): Promise<{
  server: RuntimeApiServer;
  address: string;
  ready: Promise<void>;
}> {
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const server = new RuntimeApiServer({ onReady: () => markReady() });
  servers.push(server);
  const address = await server.listen();
  return { server, address, ready };
}

function runtimeEnvironment(address: string, handler: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_LAMBDA_RUNTIME_API: address,
    LAMBDA_TASK_ROOT: CODE,
    _HANDLER: handler,
    AWS_LAMBDA_FUNCTION_NAME: "exit-test",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "128",
  };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Poll /proc until the condition holds; the test's own timeout is the bound. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

describe.each(RUNTIMES)("the $runtime bootstrap", ({ runtime, command, handler }) => {
  const args = [bootstrapPath(runtime)];

  it("exits when its stdout is a closed pipe, instead of spinning", {
    timeout: 60_000,
  }, async () => {
    const { server, address, ready } = await runtimeApi();
    const child = spawn(command, args, {
      env: runtimeEnvironment(address, `${handler}.chatty`),
      stdio: ["ignore", "pipe", "pipe"],
    });
    started.push(child);
    await ready;
    // nobody reads the runtime's output any more: its next write fails with EPIPE
    child.stdout!.destroy();
    child.stderr!.destroy();
    const outcome = server.invoke({
      requestId: "c0ffee00-0000-4000-8000-000000000001",
      payload: Buffer.from("{}"),
      deadlineMs: Date.now() + 600_000,
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:exit-test",
      traceId: "Root=1-00000000-000000000000000000000000",
    });
    const exit = await exited(child);
    expect(exit.code).toBe(129);
    void outcome;
  });

  it("exits when its Runtime API goes away", { timeout: 60_000 }, async () => {
    const { server, address, ready } = await runtimeApi();
    const child = spawn(command, args, {
      env: runtimeEnvironment(address, `${handler}.handler`),
      stdio: "ignore",
    });
    started.push(child);
    await ready;
    await server.close();
    const exit = await exited(child);
    expect(exit.code).toBe(129);
  });

  it("exits when its parent dies (reparented), with its Runtime API still there", {
    timeout: 60_000,
  }, async () => {
    const { address, ready } = await runtimeApi();
    // a parent that is not us: kill -9 of it reparents the runtime to init or a subreaper
    const parent = spawn(
      "/bin/sh",
      ["-c", '"$@" >/dev/null 2>&1 & echo $!; wait', "sh", command, ...args],
      {
        env: runtimeEnvironment(address, `${handler}.handler`),
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    started.push(parent);
    const runtimePid = await new Promise<number>((resolve) =>
      parent.stdout!.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    strays.push(runtimePid);
    await ready;
    expect(parentOf(runtimePid)).toBe(parent.pid);
    parent.kill("SIGKILL");
    await exited(parent);
    await eventually(() => !processExists(runtimePid));
    expect(processExists(runtimePid)).toBe(false);
  });
});
