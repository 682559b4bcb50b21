/** The one way both of the emulator's HTTP servers answer with JSON. */
import type { ServerResponse } from "node:http";

export function sendJson(
  response: ServerResponse,
  status: number,
  document: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(document);
  response.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}
