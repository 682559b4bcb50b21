/**
 * The emulator under attack from a web page, a foreign local process and bad
 * headers (issue 11): over real HTTP, against real execution environments.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LambdaApiServer } from "../../src/emulator/control-api/lambda-api-server.js";
import { Emulator } from "../../src/emulator/emulator.js";
import { functionFromHandlerSpec } from "../../src/emulator/functions/from-handler.js";
import { RuntimeApiServer } from "../../src/emulator/runtime-api/runtime-api-server.js";
import { runCli } from "../cli/run-cli.js";
import { stateDir } from "./emulator-fixtures.js";

const run = promisify(execFile);

const code = mkdtempSync(join(tmpdir(), "lo-lockdown-"));
writeFileSync(
  join(code, "probe.mjs"),
  `export const handler = async (event, context) => ({
  event,
  clientContext: context.clientContext ?? null,
  injected: globalThis.injected ?? null,
  runtimeApi: process.env.AWS_LAMBDA_RUNTIME_API,
});
export const badEscape = async () => {
  const answer = await fetch(\`http://\${process.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/%ZZ/response\`, { method: "POST", body: "{}" });
  return { status: answer.status, body: await answer.json() };
};
`,
);
writeFileSync(
  join(code, "probe.py"),
  "def handler(event, context):\n    return {'clientContext': context.client_context}\n",
);

// AWS's Runtime Interface Client, unmodified, as a provided.al2023 bootstrap (see ric-conformance).
const { ricEntry } = inject("awsLambdaRic");
writeFileSync(
  join(code, "bootstrap"),
  `#!/bin/sh\ncd "$LAMBDA_TASK_ROOT" && exec "${process.execPath}" "${ricEntry}" "$_HANDLER"\n`,
);
chmodSync(join(code, "bootstrap"), 0o755);

const state = stateDir();
const probe = (name: string, handler = "handler") =>
  functionFromHandlerSpec(join(code, `probe.mjs:${handler}`), { name });
const emulator = new Emulator({
  stateDir: state,
  maxEnvironmentsPerFunction: 1,
  functions: [
    probe("probe"),
    probe("untouched"),
    probe("configurable"),
    probe("runtime-target"),
    probe("bad-escape", "badEscape"),
    functionFromHandlerSpec(join(code, "probe.py:handler"), { name: "python-probe" }),
    {
      ...probe("ric-probe"),
      runtime: "provided.al2023",
      handler: "probe.handler",
    },
  ],
});

const TOKEN = "t0ken-for-the-lockdown-test-0123456789";
const open = new LambdaApiServer(emulator);
const signed = new LambdaApiServer(emulator, { authToken: TOKEN });
const permissive = new LambdaApiServer(emulator, {
  allowCodeEnvironment: true,
  allowedOrigins: ["http://localhost:3000"],
});
let openUrl: URL;
let signedEndpoint: string;
let permissiveEndpoint: string;

beforeAll(async () => {
  openUrl = new URL(await open.listen(0));
  signedEndpoint = await signed.listen(0);
  permissiveEndpoint = await permissive.listen(0);
});
afterAll(async () => {
  await Promise.all([open.close(), signed.close(), permissive.close()]);
  await emulator.stop();
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request as curl would send it: exactly these headers, nothing a browser adds. */
function send(
  target: URL | string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = typeof target === "string" ? new URL(target) : target;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

const invokePath = (name: string) => `/2015-03-31/functions/${name}/invocations`;
const at = (base: URL, path: string) => new URL(path, base);

const client = (endpoint: string, secretAccessKey: string) =>
  new LambdaClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "anything", secretAccessKey },
    maxAttempts: 1,
  });

const payloadOf = (bytes: Uint8Array | undefined) =>
  JSON.parse(Buffer.from(bytes ?? []).toString("utf8"));

describe("the Host check (DNS rebinding)", () => {
  it("refuses a request that names another host, and nothing runs", async () => {
    const rebound = { Host: `attacker.example:${openUrl.port}` };
    const put = await send(at(openUrl, "/2015-03-31/functions/untouched/configuration"), {
      method: "PUT",
      headers: { ...rebound, "Content-Type": "application/json" },
      body: JSON.stringify({ Environment: { Variables: { OWNED: "yes" } } }),
    });
    expect(put.status).toBe(403);
    expect(put.headers["x-amzn-errortype"]).toBe("AccessDeniedException");
    expect(JSON.parse(put.body).message).toContain('Host "attacker.example:');
    const invoke = await send(at(openUrl, invokePath("untouched")), {
      method: "POST",
      headers: rebound,
      body: "{}",
    });
    expect(invoke.status).toBe(403);
    const list = await send(at(openUrl, "/2015-03-31/functions"), { headers: rebound });
    expect(list.status).toBe(403);
    expect(list.body).not.toContain("untouched");

    const configuration = await send(at(openUrl, "/2015-03-31/functions/untouched/configuration"), {
      headers: { Host: openUrl.host },
    });
    expect(configuration.status).toBe(200);
    expect(JSON.parse(configuration.body).Environment).toEqual({ Variables: {} });
    // No environment was ever started for it: not even an INIT_START in its log.
    expect(existsSync(join(state, "logs", "untouched"))).toBe(false);
  });

  it("refuses the right name on the wrong port, and serves localhost and 127.0.0.1", async () => {
    const wrongPort = await send(at(openUrl, "/2015-03-31/functions"), {
      headers: { Host: "127.0.0.1:1" },
    });
    expect(wrongPort.status).toBe(403);
    for (const host of [`localhost:${openUrl.port}`, `127.0.0.1:${openUrl.port}`]) {
      const answer = await send(at(openUrl, "/2015-03-31/functions"), { headers: { Host: host } });
      expect(answer.status, host).toBe(200);
    }
  });
});

describe("browser requests", () => {
  it("refuses a cross-origin text/plain POST, by Origin or by Sec-Fetch-Site", async () => {
    const browsers: Record<string, string>[] = [
      { Origin: "http://attacker.example" },
      { "Sec-Fetch-Site": "cross-site" },
      { "Sec-Fetch-Site": "same-site" },
      { Origin: "null" },
    ];
    for (const browser of browsers) {
      const answer = await send(at(openUrl, invokePath("untouched")), {
        method: "POST",
        headers: { Host: openUrl.host, "Content-Type": "text/plain", ...browser },
        body: "{}",
      });
      expect(answer.status, JSON.stringify(browser)).toBe(403);
      expect(JSON.parse(answer.body).message).toContain("web pages may not call the emulator");
    }
    expect(existsSync(join(state, "logs", "untouched"))).toBe(false);
  });

  it("serves a typed-in address (Sec-Fetch-Site: none) and an allowed origin", async () => {
    const typed = await send(at(openUrl, "/2015-03-31/functions"), {
      headers: { Host: openUrl.host, "Sec-Fetch-Site": "none" },
    });
    expect(typed.status).toBe(200);
    const allowed = new URL(permissiveEndpoint);
    const fromApp = await send(at(allowed, invokePath("probe")), {
      method: "POST",
      headers: {
        Host: allowed.host,
        Origin: "http://localhost:3000",
        "Content-Type": "text/plain",
      },
      body: '{"from":"app"}',
    });
    expect(fromApp.status).toBe(200);
    expect(JSON.parse(fromApp.body).event).toEqual({ from: "app" });
    const other = await send(at(allowed, invokePath("probe")), {
      method: "POST",
      headers: { Host: allowed.host, Origin: "http://localhost:3001" },
      body: "{}",
    });
    expect(other.status).toBe(403);
  });

  it("serves curl-like requests whatever their Content-Type", async () => {
    for (const contentType of [
      undefined,
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/json",
      "application/octet-stream",
    ]) {
      const answer = await send(at(openUrl, invokePath("probe")), {
        method: "POST",
        headers: { Host: openUrl.host, ...(contentType ? { "Content-Type": contentType } : {}) },
        body: JSON.stringify({ contentType: contentType ?? null }),
      });
      expect(answer.status, contentType).toBe(200);
      expect(JSON.parse(answer.body).event).toEqual({ contentType: contentType ?? null });
    }
    const { stdout } = await run("curl", [
      "-sS",
      "-H",
      "Content-Type: text/plain",
      "--data",
      '{"via":"curl"}',
      at(openUrl, invokePath("probe")).href,
    ]);
    expect(JSON.parse(stdout).event).toEqual({ via: "curl" });
  });
});

describe("the access token", () => {
  it("accepts the SDK signing with the token as its secret key, and refuses any other secret", async () => {
    const good = client(signedEndpoint, TOKEN);
    const wrong = client(signedEndpoint, "not-the-token");
    try {
      const result = await good.send(
        new InvokeCommand({
          FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:probe",
          Payload: Buffer.from('{"signed":true}'),
        }),
      );
      expect(result.StatusCode).toBe(200);
      expect(payloadOf(result.Payload).event).toEqual({ signed: true });
      const updated = await good.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "probe", Description: "signed" }),
      );
      expect(updated.Description).toBe("signed");
      const refused = wrong.send(new GetFunctionConfigurationCommand({ FunctionName: "probe" }));
      await expect(refused).rejects.toMatchObject({
        name: "InvalidSignatureException",
        $metadata: { httpStatusCode: 403 },
      });
      const refusedUpdate = wrong.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: "untouched", MemorySize: 512 }),
      );
      await expect(refusedUpdate).rejects.toMatchObject({ name: "InvalidSignatureException" });
      const configuration = await good.send(
        new GetFunctionConfigurationCommand({ FunctionName: "untouched" }),
      );
      expect(configuration.MemorySize).toBe(128);
    } finally {
      good.destroy();
      wrong.destroy();
    }
  });

  it("refuses an unsigned request, and accepts the token as a Bearer or through curl --aws-sigv4", async () => {
    const url = new URL(signedEndpoint);
    const unsigned = await send(at(url, invokePath("probe")), {
      method: "POST",
      headers: { Host: url.host },
      body: "{}",
    });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers["x-amzn-errortype"]).toBe("UnrecognizedClientException");
    const bearer = await send(at(url, invokePath("probe")), {
      method: "POST",
      headers: { Host: url.host, Authorization: `Bearer ${TOKEN}` },
      body: '{"bearer":true}',
    });
    expect(bearer.status).toBe(200);
    expect(JSON.parse(bearer.body).event).toEqual({ bearer: true });
    const wrongBearer = await send(at(url, invokePath("probe")), {
      method: "POST",
      headers: { Host: url.host, Authorization: "Bearer guess" },
      body: "{}",
    });
    expect(wrongBearer.status).toBe(403);
    const { stdout } = await run("curl", [
      "-sS",
      "--aws-sigv4",
      "aws:amz:us-east-1:lambda",
      "--user",
      `anything:${TOKEN}`,
      "-H",
      "Content-Type: application/json",
      "--data",
      '{"via":"curl-sigv4"}',
      at(url, `${invokePath("probe")}?Qualifier=%24LATEST`).href,
    ]);
    expect(JSON.parse(stdout).event).toEqual({ via: "curl-sigv4" });
  });

  it("accepts the AWS CLI (v1 here: the payload is raw) with the token as its secret key", async () => {
    const out = join(code, "aws-cli-out.json");
    await run(
      "aws",
      [
        "lambda",
        "invoke",
        "--endpoint-url",
        signedEndpoint,
        "--function-name",
        "probe",
        "--payload",
        '{"via":"aws-cli"}',
        out,
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: code,
          AWS_ACCESS_KEY_ID: "anything",
          AWS_SECRET_ACCESS_KEY: TOKEN,
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_CONFIG_FILE: join(code, "no-config"),
          AWS_SHARED_CREDENTIALS_FILE: join(code, "no-credentials"),
        },
        timeout: 120_000,
      },
    );
    expect(JSON.parse(readFileSync(out, "utf8")).event).toEqual({ via: "aws-cli" });
  }, 150_000);

  it("is required to listen beyond loopback", async () => {
    await expect(new LambdaApiServer(emulator).listen(0, "0.0.0.0")).rejects.toThrow(
      /needs an access token/,
    );
  });

  it("emulate refuses a short --auth-token and a malformed --allow-origin in one line", () => {
    const short = runCli(["emulate", join(code, "probe.mjs:handler"), "--auth-token", "short"]);
    expect(short.status).toBe(2);
    expect(short.stderr.trim().split("\n")).toHaveLength(1);
    expect(short.stderr).toContain('--auth-token "short" is not valid');
    const origin = runCli([
      "emulate",
      join(code, "probe.mjs:handler"),
      "--allow-origin",
      "localhost:3000/app",
    ]);
    expect(origin.status).toBe(2);
    expect(origin.stderr).toContain("--allow-origin");
  });
});

describe("environment variables that load code", () => {
  const injection = {
    NODE_OPTIONS: "--import=data:text/javascript,globalThis.injected=%22yes%22",
  };

  it("are refused through UpdateFunctionConfiguration, naming the variable", async () => {
    const lambda = client(openUrl.origin, "x");
    try {
      const refused = lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "configurable",
          Environment: { Variables: { GREETING: "hi", ...injection } },
        }),
      );
      await expect(refused).rejects.toMatchObject({
        name: "InvalidParameterValueException",
        $metadata: { httpStatusCode: 400 },
        message: expect.stringMatching(
          /^Environment variable NODE_OPTIONS makes the runtime load code/,
        ),
      });
      for (const name of ["LD_PRELOAD", "PYTHONPATH", "BASH_ENV", "BASH_FUNC_ls%%"]) {
        const other = lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: "configurable",
            Environment: { Variables: { [name]: "/tmp/x" } },
          }),
        );
        await expect(other, name).rejects.toMatchObject({
          message: expect.stringContaining(`Environment variable ${name} `),
        });
      }
      const configuration = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: "configurable" }),
      );
      expect(configuration.Environment?.Variables).toEqual({});
      const ordinary = await lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "configurable",
          Environment: { Variables: { GREETING: "hi" } },
        }),
      );
      expect(ordinary.Environment?.Variables).toEqual({ GREETING: "hi" });
      const result = await lambda.send(new InvokeCommand({ FunctionName: "configurable" }));
      expect(payloadOf(result.Payload).injected).toBeNull();
    } finally {
      lambda.destroy();
    }
  });

  it("are accepted with emulate --allow-code-env (allowCodeEnvironment), and then load code", async () => {
    const lambda = client(permissiveEndpoint, "x");
    try {
      await lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: "configurable",
          Environment: { Variables: { ...injection } },
        }),
      );
      const result = await lambda.send(new InvokeCommand({ FunctionName: "configurable" }));
      expect(payloadOf(result.Payload).injected).toBe("yes");
      // The value it already has may be sent back unchanged where code variables are refused.
      const strict = client(openUrl.origin, "x");
      try {
        const same = await strict.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: "configurable",
            Environment: { Variables: { ...injection, TUNED: "1" } },
          }),
        );
        expect(same.Environment?.Variables).toMatchObject({ TUNED: "1" });
      } finally {
        strict.destroy();
      }
    } finally {
      lambda.destroy();
    }
  });
});

describe("the Runtime API", () => {
  it("refuses a foreign process's GET /next and POSTs, and the environment keeps serving", async () => {
    const first = await send(at(openUrl, invokePath("runtime-target")), {
      method: "POST",
      body: '{"n":1}',
    });
    expect(first.status).toBe(200);
    const runtimeApi = new URL(`http://${JSON.parse(first.body).runtimeApi}`);
    const stolen = await send(at(runtimeApi, "/2018-06-01/runtime/invocation/next"));
    expect(stolen.status).toBe(403);
    expect(JSON.parse(stolen.body).errorType).toBe("Forbidden");
    const posted = await send(at(runtimeApi, "/2018-06-01/runtime/init/error"), {
      method: "POST",
      body: '{"errorType":"Injected"}',
    });
    expect(posted.status).toBe(403);
    for (let n = 2; n <= 4; n++) {
      const again = await send(at(openUrl, invokePath("runtime-target")), {
        method: "POST",
        body: JSON.stringify({ n }),
      });
      expect(again.status).toBe(200);
      expect(JSON.parse(again.body)).toMatchObject({ event: { n }, runtimeApi: runtimeApi.host });
    }
  });

  it("closes a foreign connection that never finishes its headers (slowloris)", async () => {
    const first = await send(at(openUrl, invokePath("runtime-target")), { method: "POST" });
    const runtimeApi = new URL(`http://${JSON.parse(first.body).runtimeApi}`);
    const socket = connect(Number(runtimeApi.port), runtimeApi.hostname);
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.write("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n");
    await new Promise((resolve) => socket.on("close", resolve));
    expect(Buffer.concat(received).toString("latin1")).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    const after = await send(at(openUrl, invokePath("runtime-target")), { method: "POST" });
    expect(after.status).toBe(200);
  });

  it("answers 400 to a malformed % escape in a request id from its own runtime", async () => {
    const answer = await send(at(openUrl, invokePath("bad-escape")), { method: "POST" });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      status: 400,
      body: {
        errorType: "InvalidRequestID",
        errorMessage: 'malformed request id "%ZZ": a % escape is not valid',
      },
    });
  });

  it("rejects an invocation it cannot hand over, and keeps the runtime's /next for the next one", async () => {
    const server = new RuntimeApiServer();
    const address = await server.listen();
    try {
      const next = send(`http://${address}/2018-06-01/runtime/invocation/next`);
      await server.nextRequested();
      const invocation = {
        requestId: "one",
        payload: Buffer.from("{}"),
        deadlineMs: Date.now() + 60_000,
        invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
        traceId: "Root=1-0-0",
      };
      await expect(
        server.invoke({ ...invocation, invokedFunctionArn: "bad\r\nheader" }),
      ).rejects.toThrow(/could not be handed to the runtime/);
      const outcome = server.invoke({ ...invocation, requestId: "two" });
      const event = await next;
      expect(event.headers["lambda-runtime-aws-request-id"]).toBe("two");
      const posted = await send(`http://${address}/2018-06-01/runtime/invocation/two/response`, {
        method: "POST",
        body: '{"ok":true}',
      });
      expect(posted.status).toBe(202);
      expect((await outcome).kind).toBe("response");
    } finally {
      await server.close();
    }
  });
});

describe("the client context", () => {
  const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
  const tokyo = base64('{"custom":{"city":"東京"}}');

  it("reaches Node.js, Python and RIC handlers intact when it is not Latin-1, ten times over", async () => {
    for (let call = 0; call < 10; call++) {
      const answer = await send(at(openUrl, invokePath("probe")), {
        method: "POST",
        headers: { "X-Amz-Client-Context": tokyo },
        body: "{}",
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).clientContext).toEqual({ custom: { city: "東京" } });
    }
    const python = await send(at(openUrl, invokePath("python-probe")), {
      method: "POST",
      headers: { "X-Amz-Client-Context": base64('{"custom":{"city":"東京","emoji":"🌸"}}') },
      body: "{}",
    });
    expect(python.status).toBe(200);
    expect(JSON.parse(python.body).clientContext).toEqual({
      custom: { city: "東京", emoji: "🌸" },
    });
    const ric = await send(at(openUrl, invokePath("ric-probe")), {
      method: "POST",
      headers: { "X-Amz-Client-Context": tokyo },
      body: "{}",
    });
    expect(ric.status).toBe(200);
    expect(JSON.parse(ric.body).clientContext).toEqual({ custom: { city: "東京" } });
  });

  it("is refused with 400 when it is not base64 of a JSON object, and the function keeps answering", async () => {
    const invalid: [string, RegExp][] = [
      ["not base64!", /not base64/],
      [base64("not json"), /does not decode to JSON/],
      [base64("[1,2]"), /not an object/],
      [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64"), /UTF-8/],
      [base64(`{"custom":{"pad":"${"x".repeat(3000)}"}}`), /limit is 3583/],
      [`${base64('{\n"a":1}').replace(/=+$/, "")}\u00e9`, /not base64/],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [header, why] of invalid) {
        const answer = await send(at(openUrl, invokePath("probe")), {
          method: "POST",
          headers: { "X-Amz-Client-Context": header },
          body: "{}",
        });
        expect(answer.status, header).toBe(400);
        expect(answer.headers["x-amzn-errortype"]).toBe("InvalidRequestContentException");
        expect(JSON.parse(answer.body).message).toMatch(why);
      }
    }
    const healthy = await send(at(openUrl, invokePath("probe")), {
      method: "POST",
      headers: { "X-Amz-Client-Context": base64('{\n"custom": {"ok": true}\n}') },
      body: "{}",
    });
    expect(healthy.status).toBe(200);
    expect(JSON.parse(healthy.body).clientContext).toEqual({ custom: { ok: true } });
  });
});

describe("malformed % escapes in the Lambda API", () => {
  it("answer 400 in a function name and in an alias name", async () => {
    for (const path of [
      "/2015-03-31/functions/%E0%A4%A/invocations",
      "/2015-03-31/functions/%ZZ/configuration",
      "/2015-03-31/functions/probe/aliases/%E0%A4%A",
    ]) {
      const answer = await send(at(openUrl, path), {
        method: path.endsWith("invocations") ? "POST" : "GET",
      });
      expect(answer.status, path).toBe(400);
      expect(answer.headers["x-amzn-errortype"]).toBe("ValidationException");
      expect(JSON.parse(answer.body).message).toMatch(/must be a valid percent-encoded string/);
    }
  });
});
