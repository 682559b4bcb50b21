/**
 * Where cgroups are not available the emulator limits CPU with a SIGSTOP/SIGCONT
 * duty cycle and memory by polling RSS; the lifecycle and the fault handling
 * must hold all the same.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Emulator, type InvokeResult } from "../../src/emulator/emulator.js";
import { FAULTS, fixture, processExists, stateDir } from "./emulator-fixtures.js";

const emulator = new Emulator({
  stateDir: stateDir(),
  sandboxMechanism: "duty-cycle",
  functions: [...FAULTS, fixture("python/app.py:lambda_handler", { name: "python" })],
});
const orphans: number[] = [];
afterAll(async () => {
  await emulator.stop();
  for (const pid of orphans)
    expect(processExists(pid), `process ${pid} outlived the emulator`).toBe(false);
});

const invoke = (name: string, event: unknown = {}) =>
  emulator.invoke(name, { payload: Buffer.from(JSON.stringify(event)) });
const body = (result: InvokeResult) => JSON.parse(result.payload.toString("utf8"));

describe("the duty-cycle sandbox", () => {
  it("runs Node and Python functions and says which mechanism it used", async () => {
    const result = await invoke("fault-ok", { n: 1 });
    expect(body(result)).toEqual({ ok: true, event: { n: 1 } });
    expect(result.record?.sandbox).toMatchObject({
      mechanism: "duty-cycle",
      memoryEnforcement: "rss-poll",
    });
    expect(body(await invoke("python", { n: 2 })).echo).toEqual({ n: 2 });
  });

  it("times out a spinning handler and keeps serving", async () => {
    expect(body(await invoke("fault-spins")).errorType).toBe("Sandbox.Timedout");
    expect(body(await invoke("fault-ok")).ok).toBe(true);
  });

  it("kills a tree that outgrows its memory", async () => {
    const result = await invoke("fault-allocates", { megabytes: 400 });
    expect(body(result).errorType).toBe("Runtime.ExitError");
    expect(result.record?.report.errorType).toBe("Runtime.OutOfMemory");
  });

  it("leaves no child process behind", async () => {
    orphans.push(body(await invoke("fault-orphan")).childPid);
    expect(body(await invoke("fault-orphan", { crash: true })).errorType).toBe("Runtime.ExitError");
  });
});
