/**
 * Function URLs on the emulator: their configs through the real @aws-sdk/client-lambda, and each
 * URL served over HTTP to real clients (fetch, curl, Node's http): the payload format 2.0 event,
 * the answer converted back, streaming with no buffering (proved without timing: the handler
 * waits until the client shows it has the first event), the fault cases and CORS.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  UpdateFunctionUrlConfigCommand,
} from "@aws-sdk/client-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import type { FunctionUrlCors } from "../../src/emulator/function-url/function-url-settings.js";
import { fixture, servedLambdaApi, stateDir } from "./emulator-fixtures.js";

const HANDLERS = [
  "echo",
  "plain",
  "binary",
  "throws",
  "sse",
  "sseWaits",
  "failsMidway",
  "large",
  "largeBuffered",
] as const;

const emulator = new Emulator({
  stateDir: stateDir(),
  maxEnvironmentsPerFunction: 1,
  functions: [
    ...HANDLERS.map((handler) =>
      fixture(`function-url/index.mjs:${handler}`, {
        name: handler,
        timeoutSeconds: handler === "large" ? 120 : 10,
        memoryMb: handler.startsWith("large") ? 1024 : 256,
      }),
    ),
    fixture("function-url/index.mjs:echo", { name: "echo-streamed" }),
    fixture("function-url/index.mjs:sse", { name: "sse-buffered" }),
    fixture("function-url/index.mjs:large", { name: "large-buffered-url" }),
    fixture("function-url/index.mjs:plain", { name: "deletable" }),
  ],
});
const lambda = servedLambdaApi(emulator);

async function createUrl(
  name: string,
  invokeMode: "BUFFERED" | "RESPONSE_STREAM",
  cors?: FunctionUrlCors,
): Promise<string> {
  const created = await lambda().send(
    new CreateFunctionUrlConfigCommand({
      FunctionName: name,
      AuthType: "NONE",
      InvokeMode: invokeMode,
      ...(cors ? { Cors: { ...cors } as never } : {}),
    }),
  );
  return created.FunctionUrl!;
}

interface CurlResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** curl with these arguments; `onOutput` sees its stdout so far, as it comes. */
function curl(args: string[], onOutput?: (soFar: string) => void): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/curl", args);
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      onOutput?.(Buffer.concat(chunks).toString("latin1"));
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr }));
  });
}

describe("Function URL configs through the AWS SDK", () => {
  it("creates, reads, lists, updates and deletes a config, with Lambda's shapes and errors", async () => {
    const created = await lambda().send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: "plain",
        AuthType: "AWS_IAM",
        Cors: { AllowOrigins: ["https://example.com"], MaxAge: 60 },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:plain",
      AuthType: "AWS_IAM",
      InvokeMode: "BUFFERED",
      Cors: { AllowOrigins: ["https://example.com"], MaxAge: 60 },
    });
    expect(created.FunctionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(created.CreationTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);

    // The URL serves at once.
    const served = await fetch(created.FunctionUrl!);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual({ message: "hello", count: 3 });

    await expect(
      lambda().send(
        new CreateFunctionUrlConfigCommand({ FunctionName: "plain", AuthType: "NONE" }),
      ),
    ).rejects.toMatchObject({
      name: "ResourceConflictException",
      message: expect.stringContaining("FunctionUrlConfig exists for this Lambda function"),
    });

    const got = await lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: "plain" }));
    expect(got).toMatchObject({
      FunctionUrl: created.FunctionUrl,
      FunctionArn: created.FunctionArn,
      AuthType: "AWS_IAM",
      InvokeMode: "BUFFERED",
      CreationTime: created.CreationTime,
    });
    expect(got.LastModifiedTime).toBe(created.CreationTime);

    const updated = await lambda().send(
      new UpdateFunctionUrlConfigCommand({
        FunctionName: "plain",
        AuthType: "NONE",
        InvokeMode: "RESPONSE_STREAM",
      }),
    );
    expect(updated).toMatchObject({
      FunctionUrl: created.FunctionUrl,
      AuthType: "NONE",
      InvokeMode: "RESPONSE_STREAM",
      Cors: { AllowOrigins: ["https://example.com"], MaxAge: 60 },
    });

    const listed = await lambda().send(
      new ListFunctionUrlConfigsCommand({ FunctionName: "plain" }),
    );
    expect(listed.FunctionUrlConfigs).toEqual([
      expect.objectContaining({ FunctionUrl: created.FunctionUrl, InvokeMode: "RESPONSE_STREAM" }),
    ]);

    await lambda().send(new DeleteFunctionUrlConfigCommand({ FunctionName: "plain" }));
    await expect(
      lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: "plain" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      lambda().send(new DeleteFunctionUrlConfigCommand({ FunctionName: "plain" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    // Its server is closed: nothing listens at the address any more.
    await expect(fetch(created.FunctionUrl!)).rejects.toThrow();
    const none = await lambda().send(new ListFunctionUrlConfigsCommand({ FunctionName: "plain" }));
    expect(none.FunctionUrlConfigs).toEqual([]);
  });

  it("closes a function's URL when the function is deleted", async () => {
    const url = await createUrl("deletable", "BUFFERED");
    expect((await fetch(url)).status).toBe(200);
    await lambda().send(new DeleteFunctionCommand({ FunctionName: "deletable" }));
    await expect(fetch(url)).rejects.toThrow();
    await expect(
      lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: "deletable" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("refuses bad input with Lambda's messages, and unknown functions", async () => {
    await expect(
      lambda().send(
        new CreateFunctionUrlConfigCommand({ FunctionName: "plain", AuthType: "OPEN" as never }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      message:
        "1 validation error detected: Value 'OPEN' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]",
    });
    await expect(
      lambda().send(
        new CreateFunctionUrlConfigCommand({
          FunctionName: "plain",
          AuthType: "NONE",
          Cors: { MaxAge: 90_000 },
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterValueException",
      message: expect.stringContaining("at 'cors.maxAge' failed to satisfy constraint"),
    });
    await expect(
      lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: "no-such-function" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("keeps one config per alias, apart from the unqualified one", async () => {
    await lambda().send(new PublishVersionCommand({ FunctionName: "binary" }));
    await lambda().send(
      new CreateAliasCommand({ FunctionName: "binary", Name: "live", FunctionVersion: "1" }),
    );
    const aliased = await lambda().send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: "binary",
        Qualifier: "live",
        AuthType: "NONE",
      }),
    );
    expect(aliased.FunctionArn).toBe("arn:aws:lambda:us-east-1:123456789012:function:binary:live");
    await expect(
      lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: "binary" })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      lambda().send(
        new CreateFunctionUrlConfigCommand({
          FunctionName: "binary",
          Qualifier: "1",
          AuthType: "NONE",
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    const response = await fetch(aliased.FunctionUrl!);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(
      Buffer.from([0, 1, 2, 253, 254, 255]),
    );
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
  });
});

describe("a BUFFERED URL", () => {
  let echoUrl: string;
  beforeAll(async () => {
    echoUrl = await createUrl("echo", "BUFFERED");
  });

  it("hands the function the payload format 2.0 event and sends back its status, headers and cookies", async () => {
    const { port } = new URL(echoUrl);
    const response = await fetch(`${echoUrl}some/path?a=1&b=two&a=3`, {
      method: "POST",
      headers: [
        ["content-type", "application/json"],
        ["cookie", "c1=v1; c2=v2"],
        ["user-agent", "function-url-test"],
      ],
      body: JSON.stringify({ hello: "world" }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-echo")).toBe("yes");
    expect(response.headers.getSetCookie()).toEqual(["session=abc; Path=/", "theme=dark"]);
    const event = await response.json();
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/some/path",
      rawQueryString: "a=1&b=two&a=3",
      cookies: ["c1=v1", "c2=v2"],
      queryStringParameters: { a: "1,3", b: "two" },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: "anonymous",
        domainName: `127.0.0.1:${port}`,
        http: {
          method: "POST",
          path: "/some/path",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "function-url-test",
        },
        routeKey: "$default",
        stage: "$default",
      },
    });
    expect(event.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": "function-url-test",
      host: `127.0.0.1:${port}`,
      "x-forwarded-proto": "http",
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.domainPrefix).toMatch(/^[a-z0-9]{32}$/);
    expect(event.requestContext.apiId).toBe(event.requestContext.domainPrefix);
    expect(event.requestContext.time).toMatch(
      /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
    );
    expect(typeof event.requestContext.timeEpoch).toBe("number");
  });

  it("joins a header sent twice with a comma, as curl sends it", async () => {
    const result = await curl(["-s", "-H", "x-multi: one", "-H", "x-multi: two", echoUrl]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.toString("utf8")).headers["x-multi"]).toBe("one,two");
  });

  it("refuses a Host that is not a loopback name (a page under a rebound hostname)", async () => {
    const { port } = new URL(echoUrl);
    const result = await curl([
      "-s",
      "-w",
      "\n%{http_code}",
      "-H",
      `host: attacker.example:${port}`,
      echoUrl,
    ]);
    expect(result.stdout.toString("utf8")).toBe('{"Message":"Forbidden"}\n403');
    const byLocalhost = await curl([
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code}",
      `http://localhost:${port}/`,
    ]);
    expect(byLocalhost.stdout.toString("utf8")).toBe("201");
  });

  it("base64-encodes a binary request body and leaves out what the request has not", async () => {
    const response = await fetch(echoUrl, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from([0, 255, 1]),
    });
    const event = await response.json();
    expect(event.body).toBe(Buffer.from([0, 255, 1]).toString("base64"));
    expect(event.isBase64Encoded).toBe(true);
    const bare = await (await fetch(echoUrl)).json();
    expect(bare).not.toHaveProperty("body");
    expect(bare).not.toHaveProperty("cookies");
    expect(bare).not.toHaveProperty("queryStringParameters");
    expect(bare.rawQueryString).toBe("");
  });

  it("answers a function error with 502, and an answer over 6 MB with 502", async () => {
    const failed = await fetch(await createUrl("throws", "BUFFERED"));
    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({ Message: "Internal Server Error" });
    const tooLarge = await fetch(`${await createUrl("largeBuffered", "BUFFERED")}?mb=7`);
    expect(tooLarge.status).toBe(502);
    // A streaming handler behind a BUFFERED URL is read whole, under the same 6 MB.
    const streamedTooLarge = await fetch(
      `${await createUrl("large-buffered-url", "BUFFERED")}?mb=7`,
    );
    expect(streamedTooLarge.status).toBe(502);
  });

  it("sends a streaming handler's stream whole, its prelude included, as Invoke returns it", async () => {
    const response = await fetch(`${await createUrl("sse-buffered", "BUFFERED")}?text=a+b`);
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer()).toString("latin1");
    expect(body).toBe(
      `${JSON.stringify({ statusCode: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } })}${"\0".repeat(8)}data: a\n\ndata: b\n\ndata: [DONE]\n\n`,
    );
  });

  it("answers a request body over 6 MB with 413, without invoking", async () => {
    const response = await fetch(echoUrl, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x".repeat(6 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ Message: "Request Entity Too Large" });
  });
});

describe("a RESPONSE_STREAM URL", () => {
  it("streams each event to curl -N as the handler writes it: the first arrives before the handler can finish", async () => {
    const url = await createUrl("sseWaits", "RESPONSE_STREAM");
    const signal = join(mkdtempSync(join(tmpdir(), "lo-url-")), "first-seen");
    const result = await curl(
      ["-N", "-s", "-i", `${url}?signal=${encodeURIComponent(signal)}`],
      (soFar) => {
        // The handler goes on only once this exists: curl printed the first event before the end.
        if (soFar.includes("data: first\n\n") && !existsSync(signal)) writeFileSync(signal, "");
      },
    );
    expect(result.code).toBe(0);
    const text = result.stdout.toString("latin1");
    const [headLines, body] = text.split("\r\n\r\n");
    const head = `${headLines}\r\n`;
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toMatch(/\r\ncontent-type: text\/event-stream\r\n/i);
    expect(head).toMatch(/\r\nset-cookie: streamed=yes\r\n/i);
    expect(head).toMatch(/\r\ntransfer-encoding: chunked\r\n/i);
    expect(body).toBe("data: first\n\ndata: second\n\ndata: [DONE]\n\n");
  });

  it("answers 429 while the function's only environment is busy streaming", async () => {
    const { FunctionUrl: url } = await lambda().send(
      new GetFunctionUrlConfigCommand({ FunctionName: "sseWaits" }),
    );
    const signal = join(mkdtempSync(join(tmpdir(), "lo-url-")), "busy");
    let throttled: Promise<Response> | undefined;
    const streaming = curl(["-N", "-s", `${url}?signal=${encodeURIComponent(signal)}`], (soFar) => {
      // The first event is out and the handler waits: its environment is taken.
      if (soFar.includes("data: first") && !throttled) throttled = fetch(url!);
    });
    // The handler waits for the signal, written once the throttled answer is in.
    for (;;) {
      if (throttled) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const response = await throttled;
    writeFileSync(signal, "");
    expect(response.status).toBe(429);
    expect(await response.json()).toEqual({ Message: "Rate Exceeded." });
    const streamed = await streaming;
    expect(streamed.stdout.toString("utf8")).toBe(
      "data: first\n\ndata: second\n\ndata: [DONE]\n\n",
    );
  });

  it("cuts the response when the handler throws midway: curl sees a transfer left unfinished", async () => {
    const url = await createUrl("failsMidway", "RESPONSE_STREAM");
    const result = await curl(["-N", "-s", "-S", url]);
    // 18: partial file (the chunked body never got its end).
    expect(result.code).toBe(18);
    expect(result.stdout.toString("utf8")).toBe("partial\n");
  });

  it("answers a function error before any byte with 502", async () => {
    // "throws" has a BUFFERED URL from above: switched, the next request streams.
    const updated = await lambda().send(
      new UpdateFunctionUrlConfigCommand({ FunctionName: "throws", InvokeMode: "RESPONSE_STREAM" }),
    );
    expect(updated.InvokeMode).toBe("RESPONSE_STREAM");
    const response = await fetch(updated.FunctionUrl!);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ Message: "Internal Server Error" });
  });

  it("sends a buffered handler's answer as it returned it", async () => {
    const response = await fetch(await createUrl("echo-streamed", "RESPONSE_STREAM"));
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer).toMatchObject({
      statusCode: 201,
      cookies: ["session=abc; Path=/", "theme=dark"],
    });
    expect(JSON.parse(answer.body).version).toBe("2.0");
  });

  it("stops a stream at 200 MB: the client gets the first 200 MB, then a cut connection", async () => {
    const url = await createUrl("large", "RESPONSE_STREAM");
    const result = await curl([
      "-s",
      "-o",
      "/dev/null",
      "-w",
      "%{http_code} %{size_download}",
      `${url}?mb=201`,
    ]);
    expect(result.code).toBe(18);
    const [status, size] = result.stdout.toString("utf8").split(" ");
    expect(status).toBe("200");
    expect(Number(size)).toBe(200 * 1024 * 1024);
  }, 240_000);

  it("stays healthy when the client leaves midway: the environment is freed for the next request", async () => {
    const url = await lambda().send(new GetFunctionUrlConfigCommand({ FunctionName: "sseWaits" }));
    const signal = join(mkdtempSync(join(tmpdir(), "lo-url-")), "left");
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(
        `${url.FunctionUrl}?signal=${encodeURIComponent(signal)}`,
        (response) => {
          response.once("data", (chunk: Buffer) => {
            // Leave after the first event, then let the handler go on writing to nobody.
            request.destroy();
            writeFileSync(signal, "");
            resolve(chunk.toString("utf8"));
          });
        },
      );
      request.on("error", (error) => {
        if (!existsSync(signal)) reject(error);
      });
      request.end();
    });
    expect(firstChunk).toBe("data: first\n\n");
    // One environment per function here: the next request is served only once it is free again.
    let response: Response;
    for (;;) {
      response = await fetch(`${url.FunctionUrl}?signal=${encodeURIComponent(signal)}`);
      if (response.status !== 429) break;
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("data: first\n\ndata: second\n\ndata: [DONE]\n\n");
  });
});

describe("CORS", () => {
  const cors: FunctionUrlCors = {
    AllowOrigins: ["https://app.example"],
    AllowMethods: ["GET", "POST"],
    AllowHeaders: ["x-custom"],
    ExposeHeaders: ["x-echo"],
    AllowCredentials: true,
    MaxAge: 300,
  };
  let url: string;
  beforeAll(async () => {
    const updated = await lambda().send(
      new UpdateFunctionUrlConfigCommand({ FunctionName: "echo", Cors: { ...cors } as never }),
    );
    url = updated.FunctionUrl!;
  });

  it("answers a preflight itself, without invoking the function", async () => {
    const response = await fetch(url, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "x-custom",
      },
    });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "access-control-allow-origin": "https://app.example",
      "access-control-allow-methods": "GET,POST",
      "access-control-allow-headers": "x-custom",
      "access-control-allow-credentials": "true",
      "access-control-max-age": "300",
    });
    // The function's own answer (201 and its event) never came.
    expect(await response.text()).toBe("");
  });

  it("gives an origin it does not allow no Access-Control header, and does not invoke for it", async () => {
    const response = await fetch(url, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    // Lambda would run the function and withhold the headers; here the function does not run.
    const actual = await fetch(url, { headers: { origin: "https://evil.example" } });
    expect(actual.status).toBe(403);
    expect(await actual.json()).toEqual({ Message: "Forbidden" });
    expect(actual.headers.get("access-control-allow-origin")).toBeNull();
    // An <img> or a form from another site: no Origin, but Sec-Fetch-Site says so.
    const embedded = await fetch(url, { headers: { "sec-fetch-site": "cross-site" } });
    expect(embedded.status).toBe(403);
    // Typed into the address bar, or from the URL's own pages: served.
    const typed = await fetch(url, { headers: { "sec-fetch-site": "none" } });
    expect(typed.status).toBe(201);
    const own = await fetch(url, { headers: { origin: new URL(url).origin } });
    expect(own.status).toBe(201);
  });

  it("adds the Access-Control headers to the function's answers for an allowed origin", async () => {
    const response = await fetch(url, { headers: { origin: "https://app.example" } });
    expect(response.status).toBe(201);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    expect(response.headers.get("access-control-expose-headers")).toBe("x-echo");
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("x-echo")).toBe("yes");
  });
});
