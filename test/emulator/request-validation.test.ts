/**
 * What the Lambda API refuses before anything runs, over real HTTP: bodies,
 * query parameters and Invoke headers checked by the request schemas, each
 * refused with Lambda's status code, error type (X-Amzn-ErrorType) and
 * message; and bodies over the size limit, answered rather than cut off.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LambdaApiServer } from "../../src/emulator/control-api/lambda-api-server.js";
import { Emulator } from "../../src/emulator/emulator.js";
import { fixture, stateDir } from "./emulator-fixtures.js";

const emulator = new Emulator({
  stateDir: stateDir(),
  maxEnvironmentsPerFunction: 1,
  functions: [fixture("node-esm/handler.mjs:handler", { name: "checked" })],
});
const server = new LambdaApiServer(emulator);
let endpoint: string;

beforeAll(async () => {
  endpoint = await server.listen(0);
});
afterAll(async () => {
  await server.close();
  await emulator.stop();
});

interface Answer {
  readonly status: number;
  readonly errorType: string | undefined;
  readonly body: { Type?: string; message?: string } & Record<string, unknown>;
}

/** One request as any HTTP client sends it: no SDK to check the input first. */
function send(
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = new URL(`/2015-03-31/functions/checked${path}`, endpoint);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers: options.headers ?? {},
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            status: response.statusCode ?? 0,
            errorType: response.headers["x-amzn-errortype"] as string | undefined,
            body: text ? JSON.parse(text) : {},
          });
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

const json = (document: unknown) => ({ body: JSON.stringify(document) });

describe("request bodies", () => {
  it.each([
    [
      "a memory size out of range",
      "PUT",
      "/configuration",
      { MemorySize: 64 },
      "1 validation error detected: Value '64' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240",
    ],
    [
      "a memory size that is not a number",
      "PUT",
      "/configuration",
      { MemorySize: "1024" },
      "1 validation error detected: Value '1024' at 'memorySize' failed to satisfy constraint: Member must have value between 128 and 10240",
    ],
    [
      "a timeout over 900 s",
      "PUT",
      "/configuration",
      { Timeout: 901 },
      "1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value between 1 and 900",
    ],
    [
      "two architectures",
      "PUT",
      "/configuration",
      { Architectures: ["x86_64", "arm64"] },
      `1 validation error detected: Value '["x86_64","arm64"]' at 'architectures' failed to satisfy constraint: Member must have length 1 and one of [x86_64, arm64]`,
    ],
    [
      "ephemeral storage under 512 MB",
      "PUT",
      "/configuration",
      { EphemeralStorage: { Size: 256 } },
      "1 validation error detected: Value '256' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value between 512 and 10240",
    ],
    [
      "a variable that is not a string",
      "PUT",
      "/configuration",
      { Environment: { Variables: { PORT: 8080 } } },
      "Environment.Variables must map names to strings",
    ],
    [
      "new code from a zip",
      "PUT",
      "/code",
      { ZipFile: "UEsDBA==" },
      "ZipFile: the emulator runs each function's code from its local folder; UpdateFunctionCode accepts Architectures and Publish only",
    ],
    [
      "an architecture by UpdateFunctionCode that Lambda does not have",
      "PUT",
      "/code",
      { Architectures: ["riscv64"] },
      `1 validation error detected: Value '["riscv64"]' at 'architectures' failed to satisfy constraint: Member must have length 1 and one of [x86_64, arm64]`,
    ],
    ["an alias without a name", "POST", "/aliases", { FunctionVersion: "1" }, "Name is required"],
    [
      "an alias name that is not a string",
      "POST",
      "/aliases",
      { Name: 7, FunctionVersion: "1" },
      "Name must be a string",
    ],
    [
      "a version description that is not a string",
      "POST",
      "/versions",
      { Description: ["v1"] },
      "Description must be a string",
    ],
  ])(
    "refuses %s: 400 InvalidParameterValueException",
    async (_case, method, path, document, message) => {
      const answer = await send(method, path, json(document));
      expect(answer).toEqual({
        status: 400,
        errorType: "InvalidParameterValueException",
        body: { Type: "User", message },
      });
    },
  );

  it("refuses a body that is not a JSON object, and reads no body as {}", async () => {
    for (const body of ["{not json", "[1,2]", "null"]) {
      const answer = await send("PUT", "/configuration", { body });
      expect(answer, body).toEqual({
        status: 400,
        errorType: "InvalidParameterValueException",
        body: { Type: "User", message: "The request body is not a JSON object" },
      });
    }
    const published = await send("POST", "/versions");
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ FunctionName: "checked", Version: "1" });
  });

  it("applies what it accepts, and ignores members the emulator has no use for", async () => {
    const answer = await send(
      "PUT",
      "/configuration",
      json({ MemorySize: 1024, Timeout: 30, Handler: "other.handler", Layers: [] }),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ MemorySize: 1024, Timeout: 30 });
  });
});

describe("Invoke's headers and query", () => {
  it("refuses an invocation type and a log type Lambda does not have", async () => {
    const type = await send("POST", "/invocations", {
      body: "{}",
      headers: { "X-Amz-Invocation-Type": "Later" },
    });
    expect(type).toEqual({
      status: 400,
      errorType: "InvalidParameterValueException",
      body: {
        Type: "User",
        message:
          "1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
      },
    });
    const log = await send("POST", "/invocations", {
      body: "{}",
      headers: { "X-Amz-Log-Type": "All" },
    });
    expect(log.body.message).toBe(
      "1 validation error detected: Value 'All' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]",
    );
  });

  it("takes the first Qualifier of the query: DryRun on version 1 answers 204 with it", async () => {
    const published = await send("POST", "/versions", json({ Description: "for the query" }));
    const version = published.body.Version as string;
    const answer = await send("POST", `/invocations?Qualifier=${version}&Qualifier=nope`, {
      body: "{}",
      headers: { "X-Amz-Invocation-Type": "DryRun" },
    });
    expect(answer.status).toBe(204);
    const unknown = await send("GET", "/configuration?Qualifier=99");
    expect(unknown.status).toBe(404);
    expect(unknown.errorType).toBe("ResourceNotFoundException");
  });
});

describe("bodies over the limit", () => {
  it("an Invoke payload just over 6 MB: 413 RequestTooLargeException, from Invoke's own check", async () => {
    const payload = JSON.stringify({ blob: "x".repeat(6 * 1024 * 1024) });
    const answer = await send("POST", "/invocations", { body: payload });
    expect(answer).toEqual({
      status: 413,
      errorType: "RequestTooLargeException",
      body: {
        Type: "User",
        message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
      },
    });
  });

  it("a body over what the server reads (8 MB): read to its end and answered 413, not cut off", async () => {
    const answer = await send("POST", "/invocations", {
      body: Buffer.alloc(8 * 1024 * 1024, 0x20),
    });
    expect(answer).toEqual({
      status: 413,
      errorType: "RequestTooLargeException",
      body: {
        Type: "User",
        message: "Request must be smaller than 6291456 bytes for the InvokeFunction operation",
      },
    });
  });
});
