/** Serve the MCP server over Streamable HTTP on 127.0.0.1. Placeholder: its helper replaces this file. */
import type { McpServerOptions } from "./server.js";

export interface HttpServing {
  /** The MCP endpoint, e.g. http://127.0.0.1:7311/mcp */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveHttp(
  _options: McpServerOptions & { readonly port: number },
): Promise<HttpServing> {
  throw new Error("the HTTP transport is not built yet");
}
