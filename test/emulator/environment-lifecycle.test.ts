/**
 * An execution environment's life in the emulator: a failed hand-off to the
 * Runtime API releases it, a deleted version takes its environments with it,
 * an idle one is reclaimed, and an init that outlasts the init limit is
 * retried inside the first invocation (Lambda's "suppressed init"). Runtime
 * processes are counted by a variable only this file's functions carry.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Emulator, type InvokeResult } from "../../src/emulator/emulator.js";
import type { FunctionDefinition } from "../../src/emulator/functions/function-definition.js";
import { RuntimeApiServer } from "../../src/emulator/runtime-api/runtime-api-server.js";
import { processesWithEnvironment } from "../../src/emulator/sandbox/process-tree.js";
import { fixture, stateDir } from "./emulator-fixtures.js";

const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

/** A fixture function whose runtimes carry RUN=<unique id>, and a counter of them. */
function counted(spec: string, overrides: Parameters<typeof fixture>[1], environment = {}) {
  const run = randomUUID();
  const fn: FunctionDefinition = {
    ...fixture(spec, overrides),
    environment: { LIFECYCLE_RUN: run, ...environment },
  };
  return { fn, runtimes: () => processesWithEnvironment("LIFECYCLE_RUN", run).length };
}

function emulatorFor(functions: FunctionDefinition[], options = {}): Emulator {
  const emulator = new Emulator({ stateDir: stateDir(), functions, ...options });
  emulators.push(emulator);
  return emulator;
}

/** Poll until the condition holds; the test's own timeout is the bound. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

const payload = (event: unknown) => Buffer.from(JSON.stringify(event));
const body = (result: InvokeResult) => JSON.parse(result.payload.toString("utf8"));

describe("a failed hand-off to the runtime", () => {
  it("releases the environment: 12 failed hand-offs later the function still serves, and stop returns", async () => {
    const { fn, runtimes } = counted("node-faults/index.mjs:ok", { name: "handoff" });
    const emulator = emulatorFor([fn]);
    // Every input that once broke the hand-off (a client context no header could carry) is
    // validated or made header-safe now, so the failure is injected where it would happen.
    const handOff = vi
      .spyOn(RuntimeApiServer.prototype, "invoke")
      .mockRejectedValue(new Error("the runtime could not be handed the invocation"));
    try {
      for (let attempt = 0; attempt < 12; attempt++) {
        await expect(emulator.invoke("handoff", { payload: payload({ attempt }) })).rejects.toThrow(
          "the runtime could not be handed the invocation",
        );
      }
      expect(handOff).toHaveBeenCalledTimes(12);
    } finally {
      handOff.mockRestore();
    }
    // each failed environment was disposed, not left busy: the 11th and 12th were not 429s
    expect(runtimes()).toBe(0);
    const served = await emulator.invoke("handoff", { payload: payload({ after: "failures" }) });
    expect(served.statusCode).toBe(200);
    expect(body(served)).toEqual({ ok: true, event: { after: "failures" } });
    expect(runtimes()).toBe(1);
    await emulator.stop();
    expect(runtimes()).toBe(0);
  });

  it("a client context that is not Latin-1 reaches the runtime, and the environment stays warm", async () => {
    const { fn } = counted("node-faults/index.mjs:ok", { name: "tokyo" });
    const emulator = emulatorFor([fn]);
    const clientContext = Buffer.from(JSON.stringify({ custom: { city: "東京" } })).toString(
      "base64",
    );
    for (let attempt = 0; attempt < 12; attempt++) {
      const result = await emulator.invoke("tokyo", { clientContext });
      expect(result.statusCode).toBe(200);
      expect(result.record?.coldStart).toBe(attempt === 0);
    }
  });
});

describe("environments end with their configuration", () => {
  it("deleting a version (and then the function) disposes its environments at once", async () => {
    const { fn, runtimes } = counted("node-faults/index.mjs:ok", { name: "versioned" });
    const emulator = emulatorFor([fn]);
    const one = emulator.registry.publishVersion("versioned");
    await emulator.updateConfiguration("versioned", { memoryMb: 256 });
    const two = emulator.registry.publishVersion("versioned");
    emulator.registry.createAlias("versioned", {
      name: "tuning-256",
      functionVersion: two.version,
    });
    await emulator.invoke("versioned", { qualifier: one.version });
    await emulator.invoke("versioned", { qualifier: "tuning-256" });
    await emulator.invoke("versioned");
    expect(runtimes()).toBe(3);

    emulator.registry.deleteAlias("versioned", "tuning-256");
    await emulator.deleteFunction("versioned", two.version);
    expect(runtimes()).toBe(2);
    await emulator.deleteFunction("versioned", one.version);
    expect(runtimes()).toBe(1);
    await emulator.deleteFunction("versioned");
    expect(runtimes()).toBe(0);
  });

  it("an environment left idle is reclaimed, as Lambda reclaims idle ones", async () => {
    const { fn, runtimes } = counted("node-faults/index.mjs:ok", { name: "idle" });
    const emulator = emulatorFor([fn], { idleEnvironmentMs: 200 });
    await emulator.invoke("idle");
    await eventually(() => runtimes() === 0);
    const again = await emulator.invoke("idle");
    expect(again.record?.coldStart).toBe(true);
  });
});

const SLOW_INIT = [
  { runtime: "node", spec: "slow-init/index.mjs:handler" },
  { runtime: "python", spec: "slow-init/slow_init.py:handler" },
] as const;

describe.each(SLOW_INIT)("an init past the init limit ($runtime)", ({ spec }) => {
  it("is retried inside the first invocation, under the function's timeout, and succeeds", async () => {
    const { fn } = counted(spec, { name: "slow", timeoutSeconds: 60 }, { INIT_SLEEP_MS: "1500" });
    const emulator = emulatorFor([fn], { initTimeoutMs: 300 });
    const cold = await emulator.invoke("slow", { payload: payload({ n: 1 }), logType: "Tail" });
    expect(cold.functionError).toBeUndefined();
    expect(body(cold)).toMatchObject({ ok: true, event: { n: 1 } });
    const record = cold.record!;
    expect(record.coldStart).toBe(true);
    const platform = record.logs.filter((line) => /^(INIT_|START|END|REPORT)/.test(line));
    expect(platform.map((line) => line.split(" ")[0])).toEqual([
      "INIT_START",
      "INIT_REPORT",
      "START",
      "INIT_START",
      "INIT_REPORT",
      "END",
      "REPORT",
    ]);
    expect(platform[1]).toMatch(
      /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: init\tStatus: timeout$/,
    );
    expect(platform[4]).toMatch(
      /^INIT_REPORT Init Duration: \d+\.\d\d ms\tPhase: invoke\tStatus: success$/,
    );
    // the retried init is part of the invocation: REPORT has no Init Duration, and Duration covers it
    expect(record.report.initDurationMs).toBeUndefined();
    expect(record.report.durationMs).toBeGreaterThanOrEqual(1500);
    expect(record.report.billedDurationMs).toBe(Math.ceil(record.report.durationMs));
    expect(platform[6]).not.toContain("Init Duration");

    const warm = await emulator.invoke("slow", { payload: payload({ n: 2 }) });
    expect(warm.record?.coldStart).toBe(false);
    expect(warm.record?.logs.some((line) => line.startsWith("INIT_"))).toBe(false);
  });

  it("times out as the invocation when the retry outlasts the function's timeout", async () => {
    const { fn, runtimes } = counted(
      spec,
      { name: "slower", timeoutSeconds: 1 },
      { INIT_SLEEP_MS: "30000" },
    );
    const emulator = emulatorFor([fn], { initTimeoutMs: 300 });
    const result = await emulator.invoke("slower", { logType: "Tail" });
    expect(result.functionError).toBe("Unhandled");
    expect(body(result)).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${result.record?.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(result.record?.report).toMatchObject({ status: "timeout", durationMs: 1000 });
    expect(result.record?.logs.some((line) => /Phase: invoke\tStatus: timeout$/.test(line))).toBe(
      true,
    );
    expect(runtimes()).toBe(0);
  });
});
