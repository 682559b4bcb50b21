/**
 * Serve the MCP server over Streamable HTTP on 127.0.0.1, at /mcp: one
 * createMcpServer() per client session, each with the SDK's
 * StreamableHTTPServerTransport and its session id (Mcp-Session-Id).
 *
 * DNS rebinding: a web page the user opens could resolve its own name to
 * 127.0.0.1 and drive this server from the browser. Every request a session's
 * transport handles is checked by the SDK's own protection (the transport's
 * allowedHosts and allowedOrigins): the Host header must be 127.0.0.1 or
 * localhost with the bound port, and an Origin, when a browser sends one, the
 * same; anything else is answered 403 before the message is read. The SDK's
 * other form of it is middleware for express, which would add a web framework
 * for one check and does not look at Origin.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { UsageError } from "../errors.js";
import { createMcpServer, type McpServerOptions } from "./server.js";

/** The only interface served: a server for this machine's own clients. */
export const HTTP_HOST = "127.0.0.1";
/** The MCP endpoint's path. */
export const MCP_PATH = "/mcp";

export interface HttpServing {
  /** The MCP endpoint, e.g. http://127.0.0.1:7311/mcp */
  readonly url: string;
  close(): Promise<void>;
}

interface Session {
  readonly server: McpServer;
  readonly transport: StreamableHTTPServerTransport;
}

/** Listen on 127.0.0.1 at `port` (0: any free port; the URL says which). */
export async function serveHttp(
  options: McpServerOptions & { readonly port: number },
): Promise<HttpServing> {
  const { port: _, ...serverOptions } = options;
  const sessions = new Map<string, Session>();
  let port = options.port;

  /** A session's server and transport, with the SDK's Host and Origin checks for the bound port. */
  const openSession = async (): Promise<Session> => {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableDnsRebindingProtection: true,
      allowedHosts: [`${HTTP_HOST}:${port}`, `localhost:${port}`],
      allowedOrigins: [`http://${HTTP_HOST}:${port}`, `http://localhost:${port}`],
      onsessioninitialized: (id) => {
        sessions.set(id, session);
      },
    });
    const server = createMcpServer(serverOptions);
    const session: Session = { server, transport };
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return session;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path !== MCP_PATH) {
      answer(response, 404, `not found: the MCP endpoint is ${MCP_PATH}`);
      return;
    }
    const sessionId = request.headers["mcp-session-id"];
    if (typeof sessionId === "string") {
      const session = sessions.get(sessionId);
      // The spec's answer to a session the server does not know (ended, or from an earlier
      // run): 404, on which a client starts a new one.
      if (!session) answer(response, 404, "session not found: initialize a new one");
      else await session.transport.handleRequest(request, response);
      return;
    }
    // No session yet: only an initialize request opens one (the transport answers anything
    // else 400, and a foreign Host or Origin 403); a request that opened none leaves nothing.
    const session = await openSession();
    await session.transport.handleRequest(request, response);
    if (session.transport.sessionId === undefined) await session.server.close();
  };

  const httpServer = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        answer(response, 500, `internal error: ${(error as Error).message ?? String(error)}`);
      else response.end();
    });
  });
  await listen(httpServer, options.port);
  port = (httpServer.address() as AddressInfo).port;

  return {
    url: `http://${HTTP_HOST}:${port}${MCP_PATH}`,
    async close() {
      await Promise.all([...sessions.values()].map((session) => session.server.close()));
      sessions.clear();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // A client's open event stream (GET /mcp) would hold the listener open.
      httpServer.closeAllConnections();
      await closed;
    },
  };
}

function listen(httpServer: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    httpServer.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new UsageError(
              `--port ${port}: ${HTTP_HOST}:${port} is already in use; give another port, or 0 for any free one`,
            )
          : error,
      );
    });
    httpServer.listen(port, HTTP_HOST, () => resolve());
  });
}

/** A JSON-RPC error body, as the SDK's transport answers its own refusals. */
function answer(response: ServerResponse, status: number, message: string): void {
  response
    .writeHead(status, { "content-type": "application/json" })
    .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}
