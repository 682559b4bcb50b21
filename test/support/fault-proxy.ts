/**
 * AWS's weather, on 127.0.0.1: an HTTP proxy in front of a real API server
 * (the emulator, moto_server) that, for each request, draws from a seeded
 * random and either passes it on or injects a fault:
 *
 * - "error": answers 500 itself, without passing the request on;
 * - "drop-request": closes the connection before passing the request on;
 * - "drop-response": passes the request on, lets the server act on it, then
 *   closes the connection instead of answering (the case that makes a retry
 *   of CreateAlias or PublishVersion meet its own first attempt);
 * - "delay": passes the request on and holds the answer for a while.
 *
 * The same seed and the same sequence of requests give the same faults.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "../../src/statistics.js";

export type FaultKind = "error" | "drop-request" | "drop-response" | "delay";

export interface FaultRates {
  /** Share of requests answered 500. */
  readonly error: number;
  /** Share of requests whose connection is dropped (half before, half after the server acted). */
  readonly drop: number;
  /** Share of answers held back by delayMs. */
  readonly delay: number;
}

export interface FaultProxyOptions {
  readonly upstream: string;
  readonly seed: number;
  readonly rates?: FaultRates;
  readonly delayMs?: number;
  /** Requests whose path matches are passed on untouched (a test's own set-up calls). */
  readonly spare?: (request: IncomingMessage) => boolean;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Faults injected so far, by kind. */
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** Requests seen so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export const WEATHER: FaultRates = { error: 0.05, drop: 0.05, delay: 0.05 };

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const rates = options.rates ?? WEATHER;
  const delayMs = options.delayMs ?? 300;
  const random = seededRandom(options.seed);
  const upstream = new URL(options.upstream);
  const injected: Record<FaultKind, number> = {
    error: 0,
    "drop-request": 0,
    "drop-response": 0,
    delay: 0,
  };
  let requests = 0;

  const choose = (): FaultKind | undefined => {
    const draw = random();
    if (draw < rates.error) return "error";
    if (draw < rates.error + rates.drop / 2) return "drop-request";
    if (draw < rates.error + rates.drop) return "drop-response";
    if (draw < rates.error + rates.drop + rates.delay) return "delay";
    return undefined;
  };

  const forward = (
    incoming: IncomingMessage,
    body: Buffer,
    answer: (status: number, headers: IncomingMessage["headers"], payload: Buffer) => void,
    failed: (error: Error) => void,
  ) => {
    const outgoing = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          answer(response.statusCode ?? 502, response.headers, Buffer.concat(chunks)),
        );
        response.on("error", failed);
      },
    );
    outgoing.on("error", failed);
    outgoing.end(body);
  };

  const server: Server = createServer((incoming: IncomingMessage, reply: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      requests++;
      const body = Buffer.concat(chunks);
      const fault = options.spare?.(incoming) ? undefined : choose();
      if (fault) injected[fault]++;
      if (fault === "error") {
        reply.writeHead(500, {
          "content-type": "application/json",
          "x-amzn-errortype": "ServiceException",
        });
        reply.end(JSON.stringify({ message: "injected by the fault proxy" }));
        return;
      }
      if (fault === "drop-request") {
        incoming.socket.destroy();
        return;
      }
      forward(
        incoming,
        body,
        (status, headers, payload) => {
          if (fault === "drop-response") {
            incoming.socket.destroy();
            return;
          }
          const send = () => {
            const { "transfer-encoding": _chunked, connection: _connection, ...kept } = headers;
            reply.writeHead(status, { ...kept, "content-length": payload.length });
            reply.end(payload);
          };
          if (fault === "delay") setTimeout(send, delayMs);
          else send();
        },
        () => incoming.socket.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
