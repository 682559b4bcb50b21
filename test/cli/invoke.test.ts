import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DoctorReportSchema } from "../../src/emulator/doctor-report.js";
import {
  type EmulatorStarted,
  EmulatorStartedSchema,
} from "../../src/emulator/emulator-started.js";
import { InvocationReportSchema } from "../../src/emulator/invocation-report.js";
import { VERSION } from "../../src/version.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { CLI, runCli } from "./run-cli.js";

const ESM = join(FIXTURES, "node-esm/handler.mjs:handler");
const STREAMING_TEMPLATE = fileURLToPath(
  new URL("../../examples/streaming/template.yaml", import.meta.url),
);

describe("lambda-optimizer invoke", () => {
  it("prints the response, logs, REPORT figures and the sandbox with --json, and keeps the log", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-cwd-"));
    const result = runCli(
      ["invoke", ESM, "--memory", "512", "--payload", '{"name":"cli"}', "--json"],
      {
        cwd,
      },
    );
    expect(result.status).toBe(0);
    const document = InvocationReportSchema.parse(JSON.parse(result.stdout));
    expect(document).toMatchObject({
      functionName: "node-esm-handler",
      statusCode: 200,
      functionError: null,
      payload: { message: "HELLO CLI" },
      coldStart: true,
      report: { memorySizeMb: 512 },
      sandbox: { mechanism: expect.stringMatching(/^(cgroup-v1|cgroup-v2|duty-cycle)$/) },
      // A buffered answer: its first byte is its whole answer.
      response: { streamed: false, chunks: 1, contentType: "application/json", http: null },
    });
    expect(document.response.bytes).toBe(Buffer.byteLength(JSON.stringify(document.payload)));
    // A cold start: the caller waited for init too.
    expect(document.response.durationMs).toBeCloseTo(
      document.report.durationMs + document.report.initDurationMs!,
      1,
    );
    expect(document.report.durationMs).toBeGreaterThan(0);
    expect(document.report.billedDurationMs).toBeGreaterThanOrEqual(
      Math.ceil(document.report.durationMs),
    );
    expect(document.report.maxMemoryUsedMb).toBeGreaterThan(0);
    expect(document.report.initDurationMs).toBeGreaterThan(0);
    expect(document.logs.at(-1)).toMatch(/^REPORT RequestId: /);
    // 512 MB is 512 / 1,769 of one vCPU, on any host with a CPU.
    expect(document.sandbox.cpuShare).toBeCloseTo(512 / 1769, 6);
    expect(document.sandbox.clamped).toBe(false);
    expect(document.runtime).toMatchObject({ declared: "nodejs22.x", warning: null });
    const kept = readFileSync(
      join(
        cwd,
        ".lambda-optimizer",
        "logs",
        // Named from its path: the handler file's folder and name, as it lies outside cwd.
        "node-esm-handler",
        `${new Date().toISOString().slice(0, 10)}.log`,
      ),
      "utf8",
    );
    expect(kept).toContain(`REPORT RequestId: ${document.report.requestId}`);
  });

  it("runs a template's function by logical id, and reports function errors without failing", () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-template-"));
    const template = join(folder, "template.yaml");
    writeFileSync(
      template,
      [
        "Transform: AWS::Serverless-2016-10-31",
        "Globals:",
        "  Function:",
        "    Runtime: nodejs22.x",
        "    MemorySize: 256",
        "Resources:",
        "  Thrower:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        `      CodeUri: ${join(FIXTURES, "node-faults")}`,
        "      Handler: index.throws",
        "  Echo:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        `      CodeUri: ${join(FIXTURES, "node-faults")}`,
        "      Handler: index.ok",
      ].join("\n"),
    );
    const ok = runCli(["invoke", "--template", template, "Echo", "--payload", "[1,2]", "--json"], {
      cwd: folder,
    });
    expect(InvocationReportSchema.parse(JSON.parse(ok.stdout))).toMatchObject({
      functionName: "Echo",
      payload: { ok: true, event: [1, 2] },
      report: { memorySizeMb: 256 },
    });
    const failed = runCli(["invoke", "--template", template, "Thrower", "--json"], { cwd: folder });
    expect(failed.status).toBe(0);
    expect(InvocationReportSchema.parse(JSON.parse(failed.stdout))).toMatchObject({
      functionName: "Thrower",
      statusCode: 200,
      functionError: "Unhandled",
      payload: { errorType: "RangeError" },
    });
    const ambiguous = runCli(["invoke", "--template", template], { cwd: folder });
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toMatch(/has 2 functions: name one of Thrower, Echo/);
  });

  it("reports a streaming handler's time to first byte, duration, bytes and chunks", () => {
    const cwd = mkdtempSync(join(tmpdir(), "lo-cwd-"));
    const event = '{"delayMs":5,"tokens":3}';
    const result = runCli(
      ["invoke", "--template", STREAMING_TEMPLATE, "--payload", event, "--json"],
      { cwd },
    );
    expect(result.status).toBe(0);
    const document = InvocationReportSchema.parse(JSON.parse(result.stdout));
    const body = `${[
      'data: {"token":"Streaming "}',
      'data: {"token":"sends "}',
      'data: {"token":"every "}',
      "data: [DONE]",
    ].join("\n\n")}\n\n`;
    // The body after the HTTP prelude, which response.http holds.
    expect(document.payload).toBe(body);
    const prelude = {
      statusCode: 200,
      headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" },
    };
    expect(document.response).toMatchObject({
      streamed: true,
      contentType: "application/vnd.awslambda.http-integration-response",
      http: prelude,
      bytes: Buffer.byteLength(JSON.stringify(prelude)) + 8 + Buffer.byteLength(body),
    });
    expect(document.response.durationMs).toBeCloseTo(
      document.report.durationMs + (document.report.initDurationMs ?? 0),
      1,
    );
    // As the network delivered the writes (prelude, three tokens, [DONE]): at least one piece.
    expect(document.response.chunks).toBeGreaterThan(0);
    // The first token left before the handler slept out the other two.
    expect(document.response.ttfbMs).not.toBeNull();
    expect(document.response.ttfbMs!).toBeLessThan(document.response.durationMs);

    const text = runCli(["invoke", "--template", STREAMING_TEMPLATE, "--payload", event], {
      cwd,
    });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('data: {"token":"Streaming "}');
    expect(text.stdout).toMatch(
      /\nStreamed \d+ chunks, [\d,]+ bytes \(text\/event-stream, status 200\): first byte at [\d,.]+ ms of [\d,.]+ ms\nServer-sent events: 4 an EventSource delivers\n/,
    );
    expect(document.response.serverSentEvents).toEqual({
      events: 4,
      ignoredLines: 0,
      firstIgnoredLine: null,
      lastEventUnterminated: false,
    });
  });

  it("says what an EventSource would drop of a text/event-stream written without SSE framing", () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-sse-"));
    writeFileSync(
      join(folder, "raw.mjs"),
      `export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { "content-type": "text/event-stream" },
  });
  for (const token of ["Hi ", "there"]) stream.write(JSON.stringify({ token }) + "\\n");
  stream.write("data: [DONE]\\n");
  stream.end();
});
`,
    );
    const result = runCli(["invoke", join(folder, "raw.mjs:handler")], { cwd: folder });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '\nServer-sent events: 0 an EventSource delivers; 2 lines it ignores (a field other than data:, event:, id: or retry:; write each message as "data: …" then a blank line), the first: {"token":"Hi "}; the last event has no blank line after it, so an EventSource never delivers it\n',
    );
  });

  it("shows a readable summary without --json", () => {
    const result = runCli(["invoke", ESM, "--memory", "1769"], {
      cwd: mkdtempSync(join(tmpdir(), "lo-cwd-")),
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('"message": "HELLO WORLD"');
    // A buffered answer has no streaming line.
    expect(result.stdout).not.toContain("Streamed");
    expect(result.stdout).toMatch(
      // Figures of 1,000 and more are grouped: a slow cold start bills over a second.
      /Duration [\d,.]+ ms, billed [\d,]+ ms \(cold start: init [\d,.]+ ms\), memory \d+ of 1769 MB; CPU 1 vCPU via /,
    );
  });

  it.each([
    [["invoke", "missing.mjs:handler"], /handler "missing\.mjs:handler": no such file/],
    [
      ["invoke", ESM, "--memory", "100"],
      /--memory "100" is not valid: expected a whole number from 128 to 10,240 MB/,
    ],
    [["invoke", ESM, "--payload", "{bad"], /--payload: not valid JSON/],
    [
      ["invoke", ESM, "--payload-file", "/no/such.json"],
      /--payload-file \/no\/such\.json: cannot read it/,
    ],
    [
      ["invoke", ESM, "--sandbox", "docker"],
      /--sandbox "docker" is not valid: expected cgroup, duty-cycle or portable/,
    ],
    [["invoke", "--template", "/no/template.yaml", "Fn"], /no\/template\.yaml/],
    [["invoke"], /give a handler/],
  ])("%j exits 2 with one line", (args, message) => {
    const result = runCli(args, { cwd: mkdtempSync(join(tmpdir(), "lo-cwd-")) });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});

describe("lambda-optimizer doctor", () => {
  it("reports the sandbox mechanism and the runtimes", () => {
    const document = DoctorReportSchema.parse(JSON.parse(runCli(["doctor", "--json"]).stdout));
    expect(document).toMatchObject({ version: VERSION, node: process.version });
    expect(document.hostCpus).toBeGreaterThanOrEqual(document.sandbox.hostCpus);
    expect(document.sandbox.mechanism).toMatch(/^(cgroup-v1|cgroup-v2|duty-cycle)$/);
    expect(document.runtimes.nodejs.command).toBe(process.execPath);
    expect(document.runtimes.python).toEqual({
      available: true,
      version: expect.stringMatching(/^Python 3\.\d+\.\d+/),
    });
    const forced = DoctorReportSchema.parse(
      JSON.parse(runCli(["doctor", "--sandbox", "duty-cycle", "--json"]).stdout),
    );
    expect(forced.sandbox).toMatchObject({
      mechanism: "duty-cycle",
      memoryEnforcement: "rss-poll",
      reason: expect.stringMatching(/forced/),
    });
  });
});

describe("lambda-optimizer emulate", () => {
  it("serves the Lambda API to the AWS CLI until stopped, then stops every environment", async () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-emulate-"));
    const child = spawn(process.execPath, [CLI, "emulate", ESM, "--port", "0", "--json"], {
      cwd: folder,
    });
    try {
      const summary = await new Promise<EmulatorStarted>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk) => {
          output += chunk;
          try {
            resolve(EmulatorStartedSchema.parse(JSON.parse(output)));
          } catch {
            // not complete yet
          }
        });
        child.on("exit", (code) => reject(new Error(`emulate exited with ${code}`)));
      });
      expect(summary.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(summary).toMatchObject({
        region: "us-east-1",
        functions: [
          {
            name: "handler",
            runtime: "nodejs22.x",
            memoryMb: 128,
            handler: "handler.handler",
            interpreter: { declared: "nodejs22.x", warning: null },
          },
        ],
      });
      // No token is generated on loopback.
      expect(summary.authToken).toBeUndefined();
      const outFile = join(folder, "out.json");
      const aws = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
        (resolve) => {
          const cli = spawn(
            "aws",
            [
              "lambda",
              "invoke",
              "--endpoint-url",
              summary.endpoint,
              "--region",
              "us-east-1",
              "--function-name",
              "handler",
              "--payload",
              '{"name":"aws cli"}',
              outFile,
            ],
            { env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" } },
          );
          let stdout = "";
          let stderr = "";
          cli.stdout.on("data", (chunk) => {
            stdout += chunk;
          });
          cli.stderr.on("data", (chunk) => {
            stderr += chunk;
          });
          cli.on("exit", (code) => resolve({ code, stdout, stderr }));
        },
      );
      expect(aws.stderr).toBe("");
      expect(aws.code).toBe(0);
      expect(JSON.parse(aws.stdout)).toMatchObject({ StatusCode: 200, ExecutedVersion: "$LATEST" });
      expect(JSON.parse(readFileSync(outFile, "utf8"))).toEqual({ message: "HELLO AWS CLI" });
    } finally {
      child.kill("SIGINT");
      await new Promise((resolve) => child.once("exit", resolve));
    }
    expect(child.exitCode).toBe(0);
  });
});
