/**
 * Conformance: AWS's official Node.js Runtime Interface Client (aws-lambda-ric
 * 3.x), unmodified, runs functions against our Runtime API as a provided.al2023
 * bootstrap. The test setup builds it once into node_modules/.cache.
 */
import { chmodSync, cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { Emulator, type InvokeResult } from "../../src/emulator/emulator.js";
import type { FunctionDefinition } from "../../src/emulator/functions/function-definition.js";
import { FIXTURES, fixture, stateDir } from "./emulator-fixtures.js";

const { ricEntry, version } = inject("awsLambdaRic");

/** A function folder whose bootstrap starts the RIC on the handler, as a container image's entrypoint does. */
function ricFunction(name: string, source: string, handler: string): FunctionDefinition {
  const folder = mkdtempSync(join(tmpdir(), `lo-ric-${name}-`));
  cpSync(join(FIXTURES, source), folder, { recursive: true });
  const bootstrap = join(folder, "bootstrap");
  writeFileSync(
    bootstrap,
    `#!/bin/sh\ncd "$LAMBDA_TASK_ROOT" && exec "${process.execPath}" "${ricEntry}" "$_HANDLER"\n`,
  );
  chmodSync(bootstrap, 0o755);
  return {
    ...fixture("provided-shell/bootstrap", { name }),
    codeDir: folder,
    runtime: "provided.al2023",
    handler,
  };
}

const emulator = new Emulator({
  stateDir: stateDir(),
  functions: [
    ricFunction("ric-context", "node-cjs", "index.handler"),
    ricFunction("ric-throws", "node-faults", "index.throws"),
    ricFunction("ric-uncaught", "node-faults", "index.uncaught"),
    ricFunction("ric-ok", "node-faults", "index.ok"),
    ricFunction("ric-missing", "node-faults", "index.noSuchExport"),
    ricFunction("ric-streaming", "node-streaming", "index.handler"),
    ricFunction("ric-streaming-fails", "node-streaming", "index.failsMidway"),
  ],
});
afterAll(() => emulator.stop());

const invoke = (name: string, event: unknown = {}) =>
  emulator.invoke(name, { payload: Buffer.from(JSON.stringify(event)), logType: "Tail" });
const body = (result: InvokeResult) => JSON.parse(result.payload.toString("utf8"));

describe(`aws-lambda-ric ${version} against the emulator`, () => {
  it("serves invocations with Lambda's context, warm after the first", async () => {
    const cold = await invoke("ric-context", { via: "ric" });
    expect(cold.functionError).toBeUndefined();
    const response = body(cold);
    expect(response.echo).toEqual({ via: "ric" });
    expect(response.context).toMatchObject({
      awsRequestId: cold.record?.requestId,
      functionName: "ric-context",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ric-context",
      memoryLimitInMB: "128",
    });
    expect(response.context.remainingMs).toBeGreaterThan(0);
    const warm = await invoke("ric-context", { n: 2 });
    expect(warm.record?.coldStart).toBe(false);
    expect(body(warm).echo).toEqual({ n: 2 });
    expect(cold.record?.report.initDurationMs).toBeGreaterThan(0);
  });

  it("reports a thrown error with errorType, errorMessage and trace", async () => {
    const result = await invoke("ric-throws");
    expect(result.functionError).toBe("Unhandled");
    expect(body(result)).toMatchObject({ errorType: "RangeError", errorMessage: "out of range" });
    expect(body(result).trace[0]).toBe("RangeError: out of range");
    expect(body(await invoke("ric-ok", { still: "serving" }))).toEqual({
      ok: true,
      event: { still: "serving" },
    });
  });

  it("reports an uncaught exception, then the environment is replaced", async () => {
    const result = await invoke("ric-uncaught");
    expect(body(result)).toMatchObject({ errorMessage: "thrown from a timer" });
    expect((await invoke("ric-uncaught")).record?.coldStart).toBe(true);
  });

  it("reports an init error from /runtime/init/error: Runtime.HandlerNotFound", async () => {
    const result = await invoke("ric-missing");
    expect(result.functionError).toBe("Unhandled");
    expect(body(result).errorType).toBe("Runtime.HandlerNotFound");
  });

  it("streams a response, and reports a mid-stream error from the trailers", async () => {
    const streamed = await invoke("ric-streaming", { chunks: 2 });
    expect(streamed.payload.toString("utf8")).toBe("chunk 0\nchunk 1\n");
    expect(streamed.record?.result).toMatchObject({ kind: "response", streamed: true });
    const failed = await invoke("ric-streaming-fails");
    expect(failed.functionError).toBe("Unhandled");
    expect(body(failed)).toMatchObject({ errorType: "Error", errorMessage: "stream broke" });
  });
});
