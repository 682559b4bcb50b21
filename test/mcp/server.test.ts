/** The server as a whole, through the SDK's Client over stdio: what it offers and how it fails. */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

describe("lambda-optimizer mcp over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  it("names itself and lists every tool with an input and an output schema", async () => {
    expect(client.getServerVersion()?.name).toBe("lambda-optimizer");
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "audit",
      "compare_runs",
      "esm_optimize",
      "esm_simulate",
      "estimate_cost",
      "get_metrics",
      "invoke_local",
      "plan_billing",
      "plan_dynamodb_billing",
      "power_tune",
    ]);
    for (const tool of tools) {
      expect(tool.inputSchema.type, tool.name).toBe("object");
      expect(tool.outputSchema?.type, tool.name).toBe("object");
      expect(tool.description?.length ?? 0, tool.name).toBeGreaterThan(0);
    }
  });

  it("answers an unknown tool with a protocol error that lists the tools, and keeps serving", async () => {
    await expect(client.callTool({ name: "tune_everything", arguments: {} })).rejects.toThrow(
      /unknown tool "tune_everything": this server offers get_metrics, audit/,
    );
    const { tools } = await client.listTools();
    expect(tools.length).toBe(10);
  });

  it("refuses an unknown argument in one sentence that names the closest one", async () => {
    const result = (await client.callTool({
      name: "compare_runs",
      arguments: { nonsense: 1 },
    })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toMatch(/^unknown option nonsense/);
  });
});
