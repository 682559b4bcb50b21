/**
 * An MCP client the way an agent has one: the SDK's own Client, talking to the
 * built CLI's `lambda-optimizer mcp` over stdio (a subprocess, as MCP clients
 * launch servers). Close it in afterAll/afterEach: the server exits when its
 * stdin closes.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CLI } from "../cli/run-cli.js";

export interface StdioServerOptions {
  /** Extra arguments after `mcp`, e.g. ["--allow-write"]. */
  readonly args?: readonly string[];
  readonly cwd?: string;
  readonly env?: Record<string, string>;
}

/** Start `lambda-optimizer mcp` and connect a Client to it; its stderr is kept in `stderr()`. */
export async function connectStdio(
  options: StdioServerOptions = {},
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "mcp", ...(options.args ?? [])],
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: { ...(process.env as Record<string, string>), NO_COLOR: "1", ...options.env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const client = new Client({ name: "lambda-optimizer-tests", version: "1.0.0" });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

/** A tool call's text summary (its first text content). */
export function summaryOf(result: CallToolResult): string {
  const first = result.content.find((item) => item.type === "text");
  return first?.type === "text" ? first.text : "";
}
