/**
 * The server over Streamable HTTP, through the SDK's own Client and its StreamableHTTPClientTransport:
 * what it offers (a tool, the rules' pages and saved runs as resources, the optimize-function
 * prompt, completions), and what it refuses: a request whose Host or Origin is not this machine's
 * (DNS rebinding), and any connection but on 127.0.0.1. The command line's own mistakes are
 * at the end.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { createServer, type Server, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, TextResourceContents } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { RULE_IDS } from "../../src/audit/rule-ids.js";
import { type HttpServing, serveHttp } from "../../src/mcp/http.js";
import { defineTool } from "../../src/mcp/tool.js";
import { writeTuneRun } from "../audit/tune-run-file.js";
import { type RunningCli, runCli, startCli } from "../cli/run-cli.js";
import { summaryOf } from "../support/mcp-client.js";

const DOCS_RULES = new URL("../../docs/rules/", import.meta.url);

/** A tool of the test's own: the server lists and calls it as it does the real ones. */
const addTool = defineTool({
  name: "add",
  title: "Add two numbers",
  description: "Adds a and b.",
  input: z.object({ a: z.number(), b: z.number() }).strict(),
  output: z.object({ sum: z.number() }),
  annotations: { readOnlyHint: true },
  async run({ a, b }) {
    return { structured: { sum: a + b }, summary: `${a} + ${b} = ${a + b}` };
  },
});

async function connectHttp(url: string): Promise<Client> {
  const client = new Client({ name: "lambda-optimizer-tests", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "1.0.0" },
  },
});

/** A raw POST of an initialize request to the endpoint, with the headers a test chooses (Host among them). */
function rawInitialize(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const endpoint = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        path: endpoint.pathname,
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString("utf8");
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(INITIALIZE);
  });
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("lambda-optimizer's MCP server over Streamable HTTP", () => {
  let serving: HttpServing;
  let client: Client;
  let port: number;

  beforeAll(async () => {
    serving = await serveHttp({ port: 0, tools: [addTool] });
    port = Number(new URL(serving.url).port);
    client = await connectHttp(serving.url);
  });
  afterAll(async () => {
    await client?.close();
    await serving?.close();
  });

  it("listens at /mcp on 127.0.0.1 and initializes a session with every capability it serves", () => {
    expect(serving.url).toBe(`http://127.0.0.1:${port}/mcp`);
    expect(client.getServerVersion()?.name).toBe("lambda-optimizer");
    const capabilities = client.getServerCapabilities();
    expect(capabilities).toMatchObject({
      tools: {},
      resources: {},
      prompts: {},
      completions: {},
      logging: {},
    });
    expect(client.getInstructions()).toMatch(/optimize-function prompt/);
  });

  it("lists a tool with its schemas and calls it", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(["add"]);
    expect(tools[0]!.inputSchema).toMatchObject({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    });
    const result = (await client.callTool({
      name: "add",
      arguments: { a: 2, b: 40 },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ sum: 42 });
    expect(summaryOf(result)).toBe("2 + 40 = 42");
  });

  it("answers a bad argument with one sentence as an isError result, and keeps serving", async () => {
    const result = (await client.callTool({
      name: "add",
      arguments: { a: 2, b: "three" },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toBe(
      'b "three" is not valid: Invalid input: expected number, received string',
    );
    const again = (await client.callTool({
      name: "add",
      arguments: { a: 1, b: 1 },
    })) as CallToolResult;
    expect(again.structuredContent).toEqual({ sum: 2 });
  });

  it("lists every rule's docs page as a markdown resource, titled by the rule", async () => {
    const { resources } = await client.listResources();
    const rules = resources.filter((resource) =>
      resource.uri.startsWith("lambda-optimizer://rules/"),
    );
    expect(rules.map((resource) => resource.name).sort()).toEqual([...RULE_IDS].sort());
    expect(rules.find((resource) => resource.name === "arm64-candidate")).toEqual({
      uri: "lambda-optimizer://rules/arm64-candidate",
      name: "arm64-candidate",
      title: "Function on x86_64 that could run on arm64",
      description: expect.stringContaining("20% less per GB-second"),
      mimeType: "text/markdown",
    });
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate).sort()).toEqual([
      "lambda-optimizer://rules/{ruleId}",
      "lambda-optimizer://runs/{runId}",
    ]);
  });

  it("reads a rule's page: the docs/rules file itself", async () => {
    const { contents } = await client.readResource({
      uri: "lambda-optimizer://rules/arm64-candidate",
    });
    expect(contents).toHaveLength(1);
    const page = contents[0] as TextResourceContents;
    expect(page.mimeType).toBe("text/markdown");
    expect(page.text).toBe(readFileSync(new URL("arm64-candidate.md", DOCS_RULES), "utf8"));
    expect(page.text).toContain("arm64 (Graviton) costs about 20% less per GB-second");
  });

  it("answers a rule id it does not know with resource-not-found", async () => {
    await expect(
      client.readResource({ uri: "lambda-optimizer://rules/arm65-candidate" }),
    ).rejects.toThrow(
      /-32002.*lambda-optimizer:\/\/rules\/arm65-candidate not found: no audit rule has that id/,
    );
  });

  it("completes a rule id, and has nothing to suggest for a reference it does not serve", async () => {
    const rule = await client.complete({
      ref: { type: "ref/resource", uri: "lambda-optimizer://rules/{ruleId}" },
      argument: { name: "ruleId", value: "arm64" },
    });
    expect(rule.completion.values).toEqual(["arm64-blocked", "arm64-candidate"]);
    const unknown = await client.complete({
      ref: { type: "ref/prompt", name: "no-such-prompt" },
      argument: { name: "x", value: "" },
    });
    expect(unknown.completion.values).toEqual([]);
  });

  it("offers the optimize-function prompt with its arguments", async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(["optimize-function"]);
    expect(prompts[0]!.arguments?.map((argument) => argument.name)).toEqual([
      "handler",
      "template",
      "function",
      "functionName",
      "region",
    ]);
    const region = await client.complete({
      ref: { type: "ref/prompt", name: "optimize-function" },
      argument: { name: "region", value: "eu-west-" },
    });
    expect(region.completion.values).toContain("eu-west-1");
    expect(region.completion.values.every((value) => value.startsWith("eu-west-"))).toBe(true);
  });

  it("writes the flow for a deployed function: get_metrics by AWS's names, power_tune needing --allow-write", async () => {
    const prompt = await client.getPrompt({
      name: "optimize-function",
      arguments: { functionName: "thumbnailer", region: "eu-west-1" },
    });
    expect(prompt.description).toBe(
      "Optimize the deployed function thumbnailer: measure, audit, tune, plan",
    );
    const text = (prompt.messages[0]!.content as { text: string }).text;
    const steps = ["1. Measure", "2. Audit", "3. Tune", "4. Plan"].map((step) =>
      text.indexOf(step),
    );
    expect(steps.every((at, index) => at >= 0 && (index === 0 || at > steps[index - 1]!))).toBe(
      true,
    );
    expect(text).toContain(
      '`get_metrics` with `{"project_name":"thumbnailer","region":"eu-west-1"}`',
    );
    expect(text).toContain(
      '`power_tune` with `{"target":{"functionName":"thumbnailer","region":"eu-west-1"},"powerValues":[128,256,512,1024,1769,3008],"num":50,',
    );
    expect(text).toContain("--allow-write");
    expect(text).toContain("lambda-optimizer://rules/<rule id>");
    expect(text).toContain(
      '`plan_billing` with `{"aws":true,"function":"thumbnailer","days":14,"memoryMb":"<recommended memory>",',
    );
  });

  it("writes the flow for a local handler: invoke_local, then the emulator's logs, the handler's folder audited", async () => {
    const prompt = await client.getPrompt({
      name: "optimize-function",
      arguments: { handler: "examples/io-bound/handler.mjs:handler" },
    });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    expect(text).toContain(
      '`invoke_local` with `{"target":{"handler":"examples/io-bound/handler.mjs:handler"},',
    );
    expect(text).toContain('`get_metrics` with `{"local":true}`');
    expect(text).toContain('`audit` with `{"paths":["examples/io-bound"]}`');
    expect(text).toContain("nothing in AWS is touched");
    expect(text).not.toContain("lambdaARN");
  });

  it("refuses the prompt without a function, or with two, in one sentence", async () => {
    await expect(client.getPrompt({ name: "optimize-function", arguments: {} })).rejects.toThrow(
      /optimize-function needs the function: give handler .*, template .* or functionName/,
    );
    await expect(
      client.getPrompt({
        name: "optimize-function",
        arguments: { handler: "app.mjs:handler", functionName: "thumbnailer" },
      }),
    ).rejects.toThrow(
      /optimize-function takes one function: give only one of handler, functionName/,
    );
  });

  it("serves two sessions at once, each its own", async () => {
    const second = await connectHttp(serving.url);
    const [one, two] = await Promise.all([
      client.callTool({ name: "add", arguments: { a: 1, b: 2 } }),
      second.callTool({ name: "add", arguments: { a: 3, b: 4 } }),
    ]);
    expect((one as CallToolResult).structuredContent).toEqual({ sum: 3 });
    expect((two as CallToolResult).structuredContent).toEqual({ sum: 7 });
    await second.close();
    expect((await client.listTools()).tools.length).toBe(1);
  });

  it("refuses a request whose Host is not this machine's with 403 (DNS rebinding)", async () => {
    const refused = await rawInitialize(serving.url, { host: "evil.example.com" });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.message).toBe("Invalid Host header: evil.example.com");
    // The right name on another port is someone else's server.
    const otherPort = await rawInitialize(serving.url, { host: `localhost:${port + 1}` });
    expect(otherPort.status).toBe(403);
  });

  it("refuses a browser's request from a foreign Origin with 403, and serves one from its own", async () => {
    const refused = await rawInitialize(serving.url, { origin: "http://evil.example.com" });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.message).toBe(
      "Invalid Origin header: http://evil.example.com",
    );
    const own = await rawInitialize(serving.url, {
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });
    expect(own.status).toBe(200);
  });

  it("answers an unknown session with 404 and any other path with 404", async () => {
    const unknown = await rawInitialize(serving.url, { "mcp-session-id": "no-such-session" });
    expect(unknown.status).toBe(404);
    const elsewhere = await rawInitialize(serving.url.replace(/\/mcp$/, "/other"), {});
    expect(elsewhere.status).toBe(404);
  });

  it("accepts connections on 127.0.0.1 only: not on another loopback address, not on IPv6", async () => {
    expect(await accepts("127.0.0.1", port)).toBe(true);
    // Bound to every interface, 127.0.0.2 would be served too (Linux routes all of 127/8 to lo).
    expect(await accepts("127.0.0.2", port)).toBe(false);
    expect(await accepts("::1", port)).toBe(false);
  });

  it("closes: every session ends and the port stops listening", async () => {
    const closing = await serveHttp({ port: 0, tools: [addTool] });
    const closingPort = Number(new URL(closing.url).port);
    const session = await connectHttp(closing.url);
    await closing.close();
    expect(await accepts("127.0.0.1", closingPort)).toBe(false);
    await expect(session.listTools()).rejects.toThrow();
    await session.close();
  });
});

describe("lambda-optimizer mcp --http, the command", () => {
  let project: string;
  let server: RunningCli | undefined;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), "lo-mcp-http-"));
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGINT");
      await server.finished;
    }
    await rm(project, { recursive: true, force: true });
  });

  it("serves the rules' pages from the built package, and the tuning runs saved in its working folder", async () => {
    writeTuneRun(project, {
      functionName: "thumbnailer",
      memoryMb: 512,
      createdAt: "2026-11-30T09:00:00.000Z",
    });
    writeTuneRun(project, {
      functionName: "resizer",
      memoryMb: 1024,
      createdAt: "2026-11-29T09:00:00.000Z",
      partial: true,
    });
    server = startCli(["mcp", "--http", "--port", "0"], { cwd: project });
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      server!.child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString("utf8");
        const match =
          /MCP server on (http:\/\/127\.0\.0\.1:\d+\/mcp) \(Streamable HTTP, 127\.0\.0\.1 only, read-only\)/.exec(
            stderr,
          );
        if (match) resolve(match[1]!);
      });
      void server!.finished.then(({ code }) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const client = await connectHttp(url);
    try {
      // dist/cli/main.js, started in another folder, finds docs/rules/ in its own package.
      const page = await client.readResource({ uri: "lambda-optimizer://rules/log-retention" });
      expect((page.contents[0] as TextResourceContents).text).toBe(
        readFileSync(new URL("log-retention.md", DOCS_RULES), "utf8"),
      );
      const { resources } = await client.listResources();
      // The partial run (stopped early, recommends nothing) is not among them.
      const runs = resources.filter((resource) =>
        resource.uri.startsWith("lambda-optimizer://runs/"),
      );
      expect(runs).toEqual([
        {
          uri: "lambda-optimizer://runs/20261130T090000-thumbnailer",
          name: "20261130T090000-thumbnailer",
          title: "thumbnailer tuned locally, 2026-11-30T09:00:00.000Z",
          description: expect.stringMatching(
            /^4 configurations measured; recommends 512 MB x86_64 at \$0\.0000002 per invocation\.$/,
          ),
          mimeType: "application/json",
        },
      ]);
      const { contents } = await client.readResource({ uri: runs[0]!.uri });
      const run = JSON.parse((contents[0] as TextResourceContents).text);
      expect(contents[0]!.mimeType).toBe("application/json");
      expect(run.target.functionName).toBe("thumbnailer");
      expect(run.recommendation.memoryMb).toBe(512);
      expect(run.results.map((row: { memoryMb: number }) => row.memoryMb)).toEqual([
        128, 256, 512, 1024,
      ]);
      const completion = await client.complete({
        ref: { type: "ref/resource", uri: "lambda-optimizer://runs/{runId}" },
        argument: { name: "runId", value: "2026" },
      });
      expect(completion.completion.values).toEqual(["20261130T090000-thumbnailer"]);
      await expect(
        client.readResource({ uri: "lambda-optimizer://runs/..%2F..%2Fpackage" }),
      ).rejects.toThrow(/-32002.*no complete tuning run of that id/);
      // The real tools over HTTP, two calls at once, each answered with its own figures.
      const [cost, comparison] = await Promise.all([
        client.callTool({
          name: "estimate_cost",
          arguments: { memoryMb: 1024, durationMs: 100, invocations: 10_000_000 },
        }),
        client.callTool({
          name: "compare_runs",
          arguments: {
            oldFile: "20261130T090000-thumbnailer",
            newFile: "lambda-optimizer://runs/20261130T090000-thumbnailer",
          },
        }),
      ]);
      const estimate = cost.structuredContent as { monthly: { totalUsd: number } };
      expect(estimate.monthly.totalUsd.toFixed(2)).toBe("18.67");
      const compared = comparison.structuredContent as {
        regression: boolean;
        configurations: unknown[];
      };
      expect(compared.regression).toBe(false);
      expect(compared.configurations).toHaveLength(4);
    } finally {
      await client.close();
    }
  });

  it("gives --port only with --http: exit 2, one line", () => {
    const result = runCli(["mcp", "--port", "5"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "lambda-optimizer: --port is for the HTTP transport: give --http with it\n",
    );
  });

  it("refuses a port already taken: exit 2, one line naming it", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const takenPort = (taken.address() as { port: number }).port;
    try {
      const result = runCli(["mcp", "--http", "--port", String(takenPort)]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `lambda-optimizer: --port ${takenPort}: 127.0.0.1:${takenPort} is already in use; give another port, or 0 for any free one\n`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
