/**
 * Every way a function can fail, answered as Lambda answers it — and after
 * each one the emulator keeps serving and leaks no process. Run by
 * faults.test.ts (the mechanism this host detects); on the portable mechanism
 * it passes on a quiet host but not yet with both cores busy (docs/sandbox.md).
 */
import { afterAll, describe, expect, it } from "vitest";
import { Emulator, type InvokeResult } from "../../src/emulator/emulator.js";
import { LambdaApiError } from "../../src/emulator/lambda-error.js";
import type { ForcedMechanism } from "../../src/emulator/sandbox/index.js";
import { FAULTS, fixture, processExists, stateDir } from "./emulator-fixtures.js";

/** The suite, with every environment in a sandbox of the given mechanism (else the detected one). */
export function faultSuite(sandboxMechanism?: ForcedMechanism): void {
  const emulator = new Emulator({
    stateDir: stateDir(),
    ...(sandboxMechanism ? { sandboxMechanism } : {}),
    functions: [
      ...FAULTS,
      fixture("node-faults/missing-import.mjs:handler", { name: "missing-import" }),
      fixture("node-faults/index.mjs:noSuchExport", { name: "no-export" }),
      { ...fixture("node-faults/index.mjs:ok", { name: "no-module" }), handler: "nowhere.handler" },
      fixture("python/app.py:spins", { name: "python-spins", timeoutSeconds: 1 }),
    ],
  });
  const orphans: number[] = [];
  afterAll(async () => {
    await emulator.stop();
    for (const pid of orphans)
      expect(processExists(pid), `process ${pid} outlived the emulator`).toBe(false);
  });

  const invoke = (name: string, event: unknown = {}) =>
    emulator.invoke(name, { payload: Buffer.from(JSON.stringify(event)), logType: "Tail" });
  const body = (result: InvokeResult) => JSON.parse(result.payload.toString("utf8"));
  const tail = (result: InvokeResult) =>
    Buffer.from(result.logResult ?? "", "base64").toString("utf8");

  async function stillServes(): Promise<void> {
    const result = await invoke("fault-ok", { after: "fault" });
    expect(result.functionError).toBeUndefined();
    expect(body(result)).toEqual({ ok: true, event: { after: "fault" } });
  }

  if (sandboxMechanism === "portable") {
    it("runs every environment on the portable mechanism", async () => {
      expect((await emulator.sandbox()).mechanism).toBe("portable");
      expect((await invoke("fault-ok")).record?.report).toBeDefined();
    });
  }

  describe("function errors", () => {
    it("a throwing handler: X-Amz-Function-Error Unhandled with errorType, errorMessage and trace", async () => {
      const result = await invoke("fault-throws");
      expect(result.statusCode).toBe(200);
      expect(result.functionError).toBe("Unhandled");
      const error = body(result);
      expect(error).toMatchObject({ errorType: "RangeError", errorMessage: "out of range" });
      expect(error.trace[0]).toBe("RangeError: out of range");
      // A handled function error leaves the environment warm.
      const again = await invoke("fault-throws");
      expect(again.record?.coldStart).toBe(false);
      await stillServes();
    });

    it("a timeout: Task timed out after 1.00 seconds, Sandbox.Timedout, a recycled environment", async () => {
      const result = await invoke("fault-spins");
      expect(result.functionError).toBe("Unhandled");
      expect(body(result)).toEqual({
        errorType: "Sandbox.Timedout",
        errorMessage: `RequestId: ${result.record?.requestId} Error: Task timed out after 1.00 seconds`,
      });
      expect(tail(result)).toContain(
        `${result.record?.requestId} Task timed out after 1.00 seconds`,
      );
      expect(result.record?.report.status).toBe("timeout");
      expect(result.record?.report.durationMs).toBeGreaterThanOrEqual(1000);
      expect((await invoke("fault-spins")).record?.coldStart).toBe(true);
      await stillServes();
    });

    it("a Python infinite loop times out the same way", async () => {
      const result = await invoke("python-spins");
      expect(body(result).errorType).toBe("Sandbox.Timedout");
    });

    it("process.exit: Runtime.ExitError with the exit status", async () => {
      const result = await invoke("fault-exits");
      expect(body(result)).toEqual({
        errorType: "Runtime.ExitError",
        errorMessage: `RequestId: ${result.record?.requestId} Error: Runtime exited with error: exit status 3`,
      });
      await stillServes();
    });

    it("running out of memory: the tree is killed, Runtime.ExitError, Runtime.OutOfMemory in REPORT", async () => {
      const result = await invoke("fault-allocates", { megabytes: 400 });
      expect(body(result)).toMatchObject({ errorType: "Runtime.ExitError" });
      expect(body(result).errorMessage).toMatch(/Runtime exited with error: signal: killed/);
      expect(result.record?.report).toMatchObject({
        status: "error",
        errorType: "Runtime.OutOfMemory",
      });
      expect(result.record?.report.maxMemoryUsedMb).toBeGreaterThanOrEqual(100);
      await stillServes();
    });

    it("an exception thrown from a timer ends the environment with the error reported", async () => {
      const result = await invoke("fault-uncaught");
      expect(result.functionError).toBe("Unhandled");
      expect(body(result)).toMatchObject({
        errorType: "Error",
        errorMessage: "thrown from a timer",
      });
      expect((await invoke("fault-uncaught")).record?.coldStart).toBe(true);
      await stillServes();
    });

    it("a storm of promises that never settles is stopped by the timeout", async () => {
      const result = await invoke("fault-promiseStorm");
      expect(body(result).errorType).toBe("Sandbox.Timedout");
      await stillServes();
    });

    it("a response over 6 MB: Function.ResponseSizeTooLarge", async () => {
      const result = await invoke("fault-bigResponse", { bytes: 7 * 1024 * 1024 });
      expect(result.functionError).toBe("Unhandled");
      expect(body(result).errorType).toBe("Function.ResponseSizeTooLarge");
      await stillServes();
    });

    it("a child process left behind is killed with its environment, even after a crash", async () => {
      const alive = await invoke("fault-orphan");
      orphans.push(body(alive).childPid);
      const crashed = await invoke("fault-orphan", { crash: true });
      expect(body(crashed).errorType).toBe("Runtime.ExitError");
      await stillServes();
    });
  });

  describe("init errors", () => {
    it("a missing module imported by the handler: Runtime.ImportModuleError", async () => {
      const result = await invoke("missing-import");
      expect(result.functionError).toBe("Unhandled");
      expect(body(result).errorType).toBe("Runtime.ImportModuleError");
      expect(result.record?.report).toMatchObject({
        status: "error",
        errorType: "Runtime.ImportModuleError",
      });
    });

    it("a handler file that does not exist: Runtime.ImportModuleError", async () => {
      expect(body(await invoke("no-module")).errorType).toBe("Runtime.ImportModuleError");
    });

    it("an export that does not exist: Runtime.HandlerNotFound", async () => {
      const error = body(await invoke("no-export"));
      expect(error).toMatchObject({
        errorType: "Runtime.HandlerNotFound",
        errorMessage: "index.noSuchExport is undefined or not exported",
      });
    });
  });

  describe("bad requests", () => {
    it("a body that is not JSON: 400 InvalidRequestContentException", async () => {
      await expect(
        emulator.invoke("fault-ok", { payload: Buffer.from("{not json") }),
      ).rejects.toMatchObject({
        errorType: "InvalidRequestContentException",
        statusCode: 400,
      });
    });

    it("a request over 6 MB: 413 RequestTooLargeException", async () => {
      const payload = Buffer.from(JSON.stringify({ blob: "x".repeat(6 * 1024 * 1024) }));
      const rejection = emulator.invoke("fault-ok", { payload });
      await expect(rejection).rejects.toBeInstanceOf(LambdaApiError);
      await expect(rejection).rejects.toMatchObject({
        errorType: "RequestTooLargeException",
        statusCode: 413,
      });
    });

    it("an unknown function: 404 ResourceNotFoundException", async () => {
      await expect(emulator.invoke("nobody")).rejects.toMatchObject({
        errorType: "ResourceNotFoundException",
        statusCode: 404,
      });
      await stillServes();
    });
  });
}
