/**
 * The Lambda Runtime API (2018-06-01) for one execution environment: the
 * protocol every Lambda runtime speaks, as a small HTTP state machine in the
 * manner of aws-lambda-runtime-interface-emulator.
 *
 *   GET  /2018-06-01/runtime/invocation/next            long poll for the next event
 *   POST /2018-06-01/runtime/invocation/{id}/response   the result (buffered or streamed)
 *   POST /2018-06-01/runtime/invocation/{id}/error      a function error
 *   POST /2018-06-01/runtime/init/error                 init failed
 *
 * The runtime's first /next marks the end of its init phase. One invocation
 * is in flight at a time, as in Lambda.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PAYLOAD_LIMIT_BYTES } from "../../lambda/limits.js";
import { sendJson } from "../http-json.js";
import type { InitError, Invocation, InvocationOutcome } from "./invocation.js";

const PREFIX = "/2018-06-01/runtime";
const STREAMING_MODE = "streaming";

interface Pending {
  readonly invocation: Invocation;
  readonly resolve: (outcome: InvocationOutcome) => void;
}

export interface RuntimeApiEvents {
  /** The runtime asked for its first event: init is over. */
  onReady?: () => void;
  onInitError?: (error: InitError) => void;
}

export interface RuntimeApiOptions {
  /** The pids of the environment's own process tree: the only processes meant to call this API. */
  readonly runtimePids?: () => readonly number[];
}

export class RuntimeApiServer {
  private readonly server: Server;
  /** A runtime's /next request waiting for an event. */
  private waitingNext: ServerResponse | undefined;
  /** An invocation waiting for the runtime to ask for it. */
  private queued: Pending | undefined;
  /** The invocation the runtime is working on. */
  private inFlight: Pending | undefined;
  private ready = false;
  private nextListeners: (() => void)[] = [];

  constructor(
    private events: RuntimeApiEvents = {},
    readonly options: RuntimeApiOptions = {},
  ) {
    this.server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          sendJson(response, 500, { errorMessage: String(error), errorType: "Emulator.Error" });
      });
    });
    // A long poll may wait for minutes between invocations.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 0;
    this.server.keepAliveTimeout = 0;
  }

  setEvents(events: RuntimeApiEvents): void {
    this.events = events;
  }

  /** Listen on loopback; returns "127.0.0.1:port", the value of AWS_LAMBDA_RUNTIME_API. */
  async listen(host = "127.0.0.1"): Promise<string> {
    this.server.listen(0, host);
    await once(this.server, "listening");
    const address = this.server.address() as AddressInfo;
    return `${host}:${address.port}`;
  }

  /** Hand an invocation to the runtime and wait for its outcome. */
  invoke(invocation: Invocation): Promise<InvocationOutcome> {
    if (this.queued || this.inFlight) {
      return Promise.reject(
        new Error("the execution environment is busy: one invocation at a time"),
      );
    }
    return new Promise((resolve) => {
      this.queued = { invocation, resolve };
      this.dispatch();
    });
  }

  /** Resolves when the runtime next asks for an event (it is ready for the next invocation). */
  nextRequested(): Promise<void> {
    if (this.waitingNext) return Promise.resolve();
    return new Promise((resolve) => this.nextListeners.push(resolve));
  }

  /** The invocation in flight, if any (for timeouts and crashes). */
  get currentRequestId(): string | undefined {
    return (this.inFlight ?? this.queued)?.invocation.requestId;
  }

  async close(): Promise<void> {
    this.waitingNext?.destroy();
    this.server.closeAllConnections();
    if (this.server.listening) {
      this.server.close();
      await once(this.server, "close");
    }
  }

  private dispatch(): void {
    const next = this.waitingNext;
    const pending = this.queued;
    if (!next || !pending) return;
    this.waitingNext = undefined;
    this.queued = undefined;
    this.inFlight = pending;
    const { invocation } = pending;
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Lambda-Runtime-Aws-Request-Id": invocation.requestId,
      "Lambda-Runtime-Deadline-Ms": String(invocation.deadlineMs),
      "Lambda-Runtime-Invoked-Function-Arn": invocation.invokedFunctionArn,
      "Lambda-Runtime-Trace-Id": invocation.traceId,
    };
    if (invocation.clientContext)
      headers["Lambda-Runtime-Client-Context"] = invocation.clientContext;
    if (invocation.cognitoIdentity)
      headers["Lambda-Runtime-Cognito-Identity"] = invocation.cognitoIdentity;
    next.writeHead(200, headers);
    next.end(invocation.payload);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? "";
    const method = request.method ?? "GET";
    if (method === "GET" && url === `${PREFIX}/invocation/next`) return this.next(response);
    if (method === "POST" && url === `${PREFIX}/init/error`)
      return this.initError(request, response);
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (method === "POST" && match) {
      return this.result(
        decodeURIComponent(match[1]!),
        match[2] as "response" | "error",
        request,
        response,
      );
    }
    await drain(request);
    sendJson(response, 404, {
      errorMessage: `unknown Runtime API path ${method} ${url}`,
      errorType: "InvalidRequest",
    });
  }

  private next(response: ServerResponse): void {
    if (!this.ready) {
      this.ready = true;
      this.events.onReady?.();
    }
    this.waitingNext?.destroy();
    this.waitingNext = response;
    for (const listener of this.nextListeners.splice(0)) listener();
    response.on("close", () => {
      if (this.waitingNext === response) this.waitingNext = undefined;
    });
    this.dispatch();
  }

  private async initError(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request, PAYLOAD_LIMIT_BYTES.synchronous);
    sendJson(response, 202, { status: "OK" });
    this.events.onInitError?.({
      errorType: errorTypeOf(request, body),
      body: body ?? Buffer.alloc(0),
    });
  }

  private async result(
    requestId: string,
    kind: "response" | "error",
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const pending = this.inFlight;
    if (!pending || pending.invocation.requestId !== requestId) {
      await drain(request);
      sendJson(response, 400, {
        errorMessage: `no invocation ${requestId} in flight`,
        errorType: "InvalidRequestID",
      });
      return;
    }
    const streamed = request.headers["lambda-runtime-function-response-mode"] === STREAMING_MODE;
    const limit = streamed ? PAYLOAD_LIMIT_BYTES.streamedResponse : PAYLOAD_LIMIT_BYTES.synchronous;
    const body = await readBody(request, limit);
    this.inFlight = undefined;
    if (body === undefined) {
      sendJson(response, 413, {
        errorMessage: "response too large",
        errorType: "RequestEntityTooLarge",
      });
      pending.resolve({
        kind: "error",
        errorType: "Function.ResponseSizeTooLarge",
        body: Buffer.from(
          JSON.stringify({
            errorType: "Function.ResponseSizeTooLarge",
            errorMessage: `Response payload size exceeded maximum allowed payload size (${limit} bytes).`,
          }),
        ),
      });
      return;
    }
    sendJson(response, 202, { status: "OK" });
    // A streamed response that fails midway reports its error in HTTP trailers.
    const trailerType = request.trailers["lambda-runtime-function-error-type"];
    if (kind === "error" || trailerType) {
      const trailerBody = request.trailers["lambda-runtime-function-error-body"];
      const errorBody = trailerBody ? Buffer.from(trailerBody, "base64") : body;
      pending.resolve({
        kind: "error",
        errorType: errorTypeOf(request, errorBody),
        body: errorBody,
      });
      return;
    }
    pending.resolve({ kind: "response", body, streamed });
  }
}

function errorTypeOf(request: IncomingMessage, body: Buffer | undefined): string {
  const header =
    request.trailers["lambda-runtime-function-error-type"] ??
    request.headers["lambda-runtime-function-error-type"];
  if (typeof header === "string" && header.length > 0) return header;
  try {
    const parsed = JSON.parse(body?.toString("utf8") ?? "") as { errorType?: unknown };
    if (typeof parsed.errorType === "string") return parsed.errorType;
  } catch {
    // not JSON: fall through
  }
  return "Unhandled";
}

/** Read a request body, or undefined once it passes `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

async function drain(request: IncomingMessage): Promise<void> {
  for await (const _chunk of request) {
    // discard
  }
}
