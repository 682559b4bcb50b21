/**
 * The `invoke_local` tool through the SDK's Client over stdio: a handler run
 * once on the embedded emulator with a payload, its response, a log line and
 * its REPORT at the memory asked; a template's function; a handler typo.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InvocationReport,
  InvocationReportSchema,
} from "../../src/emulator/invocation-report.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

const folder = mkdtempSync(join(tmpdir(), "lo-mcp-invoke-"));
writeFileSync(
  join(folder, "greeter.mjs"),
  "export const handler = async (event) => {\n" +
    "  console.log(`greeting ${event.name} in ${process.env.STAGE}`);\n" +
    "  return { greeting: `hello ${event.name}`, memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE };\n" +
    "};\n" +
    'export const failing = async () => { throw new TypeError("no name given"); };\n',
);
// Says it has started (its process id in a file), then waits far longer than any test.
writeFileSync(
  join(folder, "sleeper.mjs"),
  'import { writeFileSync } from "node:fs";\n' +
    "export const handler = async (event) => {\n" +
    "  writeFileSync(event.marker, String(process.pid));\n" +
    "  await new Promise((resolve) => setTimeout(resolve, 600_000));\n" +
    "  return { slept: true };\n" +
    "};\n",
);

/** Whether a process of this id is running. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process whose parent has not collected it yet is a zombie: ended, not running.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 100));
}
const CPU_BOUND_TEMPLATE = resolve("examples/cpu-bound/template.yaml");
const STREAMING_TEMPLATE = resolve("examples/streaming/template.yaml");

describe("the invoke_local tool over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    // Its own working folder: the emulator keeps its logs under it.
    ({ client } = await connectStdio({ cwd: folder }));
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "invoke_local", arguments: args }, undefined, {
      timeout: 120_000,
    })) as CallToolResult;

  it("runs a handler with a payload and returns its response, logs and REPORT", async () => {
    const result = await call({
      target: { handler: "greeter.mjs:handler", env: { STAGE: "test" } },
      payload: { name: "mcp" },
      memoryMb: 256,
    });
    expect(result.isError).toBeFalsy();
    const report = InvocationReportSchema.parse(result.structuredContent) as InvocationReport;
    expect(report).toMatchObject({
      statusCode: 200,
      functionError: null,
      payload: { greeting: "hello mcp", memory: "256" },
      coldStart: true,
      report: { memorySizeMb: 256 },
    });
    expect(report.logs.some((line) => line.includes("greeting mcp in test"))).toBe(true);
    expect(report.logs.at(-1)).toMatch(/^REPORT RequestId: /);
    expect(report.report.billedDurationMs).toBeGreaterThanOrEqual(
      Math.ceil(report.report.durationMs),
    );
    expect(report.report.maxMemoryUsedMb).toBeGreaterThan(0);
    // 256 MB is 256 / 1,769 of one vCPU.
    expect(report.sandbox.cpuShare).toBeCloseTo(256 / 1769, 3);
    const summary = summaryOf(result);
    expect(summary).toContain('Response: {"greeting":"hello mcp","memory":"256"}');
    expect(summary).toMatch(/memory \d+ of 256 MB; CPU 0\.145 vCPU via /);
  }, 120_000);

  it("reports a streaming handler's time to first byte, bytes and chunks", async () => {
    const result = await call({
      target: { template: STREAMING_TEMPLATE },
      payload: { delayMs: 5, tokens: 2 },
    });
    expect(result.isError).toBeFalsy();
    const report = InvocationReportSchema.parse(result.structuredContent) as InvocationReport;
    expect(report.payload).toBe(
      'data: {"token":"Streaming "}\n\ndata: {"token":"sends "}\n\ndata: [DONE]\n\n',
    );
    expect(report.response).toMatchObject({
      streamed: true,
      http: { statusCode: 200, headers: { "Content-Type": "text/event-stream" } },
    });
    expect(report.response.durationMs).toBeCloseTo(
      report.report.durationMs + (report.report.initDurationMs ?? 0),
      1,
    );
    expect(report.response.chunks).toBeGreaterThan(0);
    expect(report.response.ttfbMs).not.toBeNull();
    expect(summaryOf(result)).toMatch(
      /\nStreamed \d+ chunks, [\d,]+ bytes \(text\/event-stream, status 200\): first byte at [\d,.]+ ms of [\d,.]+ ms\n/,
    );
  }, 120_000);

  it("runs a template's function with its template's settings, memory overridden", async () => {
    const result = await call({
      target: { template: CPU_BOUND_TEMPLATE },
      payload: { limit: 1000 },
      memoryMb: 1769,
    });
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent as unknown as InvocationReport;
    expect(report.payload).toEqual({ limit: 1000, primes: 168 });
    expect(report.report.memorySizeMb).toBe(1769);
  }, 120_000);

  it("returns a function's own error as a result, not a tool error", async () => {
    const result = await call({ target: { handler: "greeter.mjs:failing" } });
    expect(result.isError).toBeFalsy();
    const report = result.structuredContent as unknown as InvocationReport;
    expect(report.functionError).toBe("Unhandled");
    expect(report.payload).toMatchObject({ errorType: "TypeError", errorMessage: "no name given" });
    expect(summaryOf(result)).toMatch(/^Function error \(Unhandled\): /);
  }, 120_000);

  it("stops the function's process when the call is cancelled, and keeps serving", async () => {
    const marker = join(folder, "sleeper.pid");
    const cancel = new AbortController();
    const call = client.callTool(
      {
        name: "invoke_local",
        arguments: {
          target: { handler: "sleeper.mjs:handler" },
          payload: { marker },
          timeoutSeconds: 900,
        },
      },
      undefined,
      { signal: cancel.signal, timeout: 900_000 },
    );
    // The handler has started, unless the call ended first (then its answer says why).
    const settled = call.then(
      (result) =>
        `the call ended before the handler started: ${summaryOf(result as CallToolResult)}`,
      (error: unknown) => `the call failed before the handler started: ${String(error)}`,
    );
    const started = waitFor(() => existsSync(marker)).then(() => undefined);
    expect(await Promise.race([started, settled])).toBeUndefined();
    const pid = Number(readFileSync(marker, "utf8"));
    expect(running(pid)).toBe(true);
    cancel.abort("the agent moved on");
    await expect(call).rejects.toThrow(/the agent moved on/);
    // The emulator stopped the runtime: its process ends (the test's own timeout bounds the wait).
    await waitFor(() => !running(pid));
    const after = (await client.callTool({
      name: "invoke_local",
      arguments: { target: { handler: "greeter.mjs:handler" }, payload: { name: "again" } },
    })) as CallToolResult;
    expect((after.structuredContent as unknown as InvocationReport).payload).toMatchObject({
      greeting: "hello again",
    });
  }, 120_000);

  it("answers a handler typo with the file's exports, and a deployed target with one sentence", async () => {
    const typo = await call({ target: { handler: "greeter.mjs:handlr" } });
    expect(typo.isError).toBe(true);
    expect(summaryOf(typo)).toBe(
      'handler greeter.mjs:handlr: greeter.mjs has no export "handlr"; it exports handler, failing (did you mean handler?)',
    );

    const deployed = await call({ target: { functionName: "orders", region: "eu-west-1" } });
    expect(deployed.isError).toBe(true);
    expect(summaryOf(deployed)).toMatch(
      /^target\.functionName is a deployed function: a local invocation runs target\.handler or target\.template's function/,
    );

    const memory = await call({ target: { handler: "greeter.mjs:handler" }, memoryMb: 100 });
    expect(memory.isError).toBe(true);
    expect(summaryOf(memory)).toBe(
      "memoryMb 100 is not valid: expected a whole number from 128 to 10,240 MB",
    );
  }, 120_000);
});
