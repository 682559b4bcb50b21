/** Every runtime the emulator runs, through Emulator.invoke: responses, context, environment, logs. */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Emulator, type InvokeResult } from "../../src/emulator/emulator.js";
import { parseReport } from "../../src/lambda/report-line.js";
import { fixture, stateDir } from "./emulator-fixtures.js";

const emulator = new Emulator({
  stateDir: stateDir(),
  functions: [
    fixture("node-cjs/index.js:handler", {
      name: "cjs",
      memoryMb: 256,
      environment: { GREETING: "hello" },
    }),
    fixture("node-esm/handler.mjs:handler", { name: "esm" }),
    fixture("node-type-module/app.js:main", { name: "type-module" }),
    fixture("node-callback/index.js:handler", { name: "callback", memoryMb: 1024 }),
    fixture("node-callback/index.js:failing", { name: "callback-failing" }),
    fixture("node-ts/handler.ts:handler", { name: "typescript" }),
    fixture("node-streaming/index.mjs:handler", { name: "streaming" }),
    fixture("node-streaming/index.mjs:failsMidway", { name: "streaming-fails" }),
    // A whole CPU and room to wait: on a loaded machine 128 MB's share can take seconds to poll.
    fixture("node-streaming/index.mjs:waitsForCaller", {
      name: "streaming-waits",
      memoryMb: 1769,
      timeoutSeconds: 60,
    }),
    fixture("python/app.py:lambda_handler", { name: "python" }),
    fixture("python/app.py:fails", { name: "python-fails" }),
    fixture("provided-shell/bootstrap", { name: "shell" }),
    { ...fixture("node-cjs/index.js:handler", { name: "json-logs" }), logFormat: "JSON" as const },
  ],
});
afterAll(() => emulator.stop());

const invoke = (name: string, event: unknown = {}) =>
  emulator.invoke(name, { payload: Buffer.from(JSON.stringify(event)), logType: "Tail" });
const body = (result: InvokeResult) => JSON.parse(result.payload.toString("utf8"));
const tail = (result: InvokeResult) =>
  Buffer.from(result.logResult ?? "", "base64").toString("utf8");

describe("Node.js", () => {
  it("runs a CommonJS handler with Lambda's context and environment", async () => {
    const result = await invoke("cjs", { hello: "world" });
    expect(result.statusCode).toBe(200);
    expect(result.functionError).toBeUndefined();
    const response = body(result);
    expect(response.echo).toEqual({ hello: "world" });
    expect(response.context).toMatchObject({
      awsRequestId: result.record?.requestId,
      functionName: "cjs",
      functionVersion: "$LATEST",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:cjs",
      memoryLimitInMB: "256",
      logGroupName: "/aws/lambda/cjs",
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(response.context.remainingMs).toBeGreaterThan(0);
    expect(response.context.remainingMs).toBeLessThanOrEqual(3000);
    expect(response.context.logStreamName).toMatch(
      /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/,
    );
    expect(response.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: "cjs",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/cjs",
      AWS_REGION: "us-east-1",
      AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
      _HANDLER: "index.handler",
      TZ: ":UTC",
      GREETING: "hello",
    });
    expect(response.env.LAMBDA_TASK_ROOT).toMatch(/node-cjs$/);
    expect(response.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("writes START, Lambda-formatted console lines, END and REPORT", async () => {
    const result = await invoke("cjs", { n: 1 });
    const lines = tail(result).trimEnd().split("\n");
    const requestId = result.record!.requestId;
    expect(lines[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(lines[1]).toMatch(
      new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${requestId}\\tINFO\\tevent {"n":1}$`),
    );
    expect(lines[2]).toMatch(new RegExp(`\\t${requestId}\\tWARN\\ta warning\\rover two lines$`));
    expect(lines[3]).toBe(`END RequestId: ${requestId}`);
    const report = parseReport(lines[4]!);
    expect(report.ok && report.report.requestId).toBe(requestId);
    expect(report.ok && report.report.memorySizeMb).toBe(256);
  });

  it("reuses a warm environment: no Init Duration, same module state", async () => {
    const first = await invoke("esm", { name: "a" });
    const second = await invoke("esm", { name: "b" });
    expect(body(second)).toEqual({ message: "HELLO B" });
    expect(first.record?.coldStart).toBe(true);
    expect(first.record?.report.initDurationMs).toBeGreaterThan(0);
    expect(second.record?.coldStart).toBe(false);
    expect(second.record?.report.initDurationMs).toBeUndefined();
    expect(first.record?.logs[0]).toMatch(/^INIT_START Runtime Version: nodejs22/);
    // Since August 2025 a cold start bills init and invoke together.
    const report = first.record!.report;
    expect(report.billedDurationMs).toBe(Math.ceil(report.durationMs + report.initDurationMs!));
  });

  it("runs a .js ES module under package.json type: module", async () => {
    expect(body(await invoke("type-module", { value: 7 }))).toEqual({ module: "esm", value: 7 });
  });

  it("waits for the event loop before answering a callback handler, as Lambda does", async () => {
    // The handler leaves a 300 ms timer behind: the response waits for it unless told not to.
    const waiting = await invoke("callback");
    expect(body(waiting)).toEqual({ mode: "wait" });
    expect(waiting.record!.report.durationMs).toBeGreaterThanOrEqual(300);
    const notWaiting = await invoke("callback", { dontWait: true });
    expect(body(notWaiting)).toEqual({ mode: "no-wait" });
    expect(notWaiting.record!.report.durationMs).toBeLessThan(300);
    const failing = await invoke("callback-failing");
    expect(failing.functionError).toBe("Unhandled");
    expect(body(failing)).toMatchObject({ errorType: "TypeError", errorMessage: "callback error" });
  });

  it("bundles a TypeScript handler with esbuild", async () => {
    expect(body(await invoke("typescript", { rectangle: { width: 3, height: 4 } }))).toEqual({
      area: 12,
      language: "typescript",
    });
  });

  it("buffers a streamed response, and reports an error sent midway in the trailers", async () => {
    const result = await invoke("streaming", { chunks: 3 });
    expect(result.payload.toString("utf8")).toBe("chunk 0\nchunk 1\nchunk 2\n");
    expect(result.record?.result).toMatchObject({ kind: "response", streamed: true });
    const failed = await invoke("streaming-fails");
    expect(failed.functionError).toBe("Unhandled");
    expect(body(failed)).toMatchObject({ errorType: "Error", errorMessage: "stream broke" });
  });

  it("hands a streamed response to a sink as it is written, prelude first, and times its first body byte", async () => {
    const signalFile = join(mkdtempSync(join(tmpdir(), "lo-stream-")), "first-received");
    const opened: string[] = [];
    const received: Buffer[] = [];
    const result = await emulator.invoke("streaming-waits", {
      payload: Buffer.from(JSON.stringify({ signalFile })),
      sink: {
        open: (contentType) => opened.push(contentType),
        write: (chunk) => {
          received.push(chunk);
          // The handler goes on only once this exists: it cannot end unless its first write got here.
          if (!existsSync(signalFile)) writeFileSync(signalFile, "");
        },
      },
    });
    expect(result.functionError).toBeUndefined();
    expect(opened).toEqual(["application/vnd.awslambda.http-integration-response"]);
    const bytes = Buffer.concat(received);
    const prelude = JSON.stringify({
      statusCode: 201,
      headers: { "content-type": "text/event-stream", "x-demo": "yes" },
      cookies: ["a=1"],
    });
    expect(bytes.toString("latin1")).toBe(
      `${prelude}${"\0".repeat(8)}data: first\n\ndata: second\n\n`,
    );
    // The sink took the bytes: the result keeps none.
    expect(result.payload.length).toBe(0);
    const response = result.record!.response;
    expect(response).toMatchObject({
      streamed: true,
      bytes: bytes.length,
      contentType: "application/vnd.awslambda.http-integration-response",
    });
    expect(response.chunks).toBeGreaterThanOrEqual(2);
    // The first body byte came before the handler could finish (it waited for the sink).
    expect(response.ttfbMs).not.toBeNull();
    expect(response.ttfbMs!).toBeLessThan(
      result.record!.report.durationMs + (result.record!.report.initDurationMs ?? 0) + 1,
    );
  });

  it("times a buffered answer's first byte as the whole answer", async () => {
    const result = await invoke("cjs", { hello: "timing" });
    const response = result.record!.response;
    expect(response).toMatchObject({
      streamed: false,
      chunks: 1,
      bytes: result.payload.length,
      contentType: "application/json",
    });
    expect(response.ttfbMs).toBeGreaterThan(0);
  });

  it("writes JSON platform events and JSON function logs with LogFormat JSON", async () => {
    const cold = await invoke("json-logs", { json: true });
    expect(JSON.parse(cold.record!.logs[0]!)).toMatchObject({ type: "platform.initStart" });
    const result = await invoke("json-logs", { json: true });
    const events = tail(result)
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((event) => event.type ?? event.level)).toEqual([
      "platform.start",
      "INFO",
      "WARN",
      "platform.report",
    ]);
    expect(events[1]).toMatchObject({
      requestId: result.record?.requestId,
      message: 'event {"json":true}',
    });
    expect(events[3].record.metrics.memorySizeMB).toBe(128);
  });
});

describe("Python", () => {
  it("runs module.function with the context object; print and logging go to the log", async () => {
    const result = await invoke("python", { x: 1 });
    expect(body(result)).toMatchObject({
      echo: { x: 1 },
      requestId: result.record?.requestId,
      functionName: "python",
      memoryLimitInMB: 128,
      region: "us-east-1",
      handler: "app.lambda_handler",
    });
    const log = tail(result);
    expect(log).toContain("hello from print\n");
    expect(log).toMatch(
      new RegExp(`\\[INFO\\]\\t\\S+Z\\t${result.record?.requestId}\\thello from logging`),
    );
  });

  it("reports a raised exception with its type, message and stack trace", async () => {
    const result = await invoke("python-fails", { value: 42 });
    expect(result.functionError).toBe("Unhandled");
    const error = body(result);
    expect(error).toMatchObject({ errorType: "ValueError", errorMessage: "bad value: 42" });
    expect(error.stackTrace.join("")).toContain("raise ValueError");
    expect(tail(result)).toContain("[ERROR] ValueError: bad value: 42");
  });
});

describe("provided.al2023", () => {
  it("runs the function's own bootstrap (a shell script speaking the Runtime API with curl)", async () => {
    const result = await invoke("shell", { from: "shell" });
    expect(body(result)).toEqual({ shell: true, event: { from: "shell" } });
    expect(tail(result)).toContain(`handling ${result.record?.requestId} with bootstrap`);
  });
});
