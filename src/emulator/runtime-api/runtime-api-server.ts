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
 *
 * Only the environment's own processes are served: each new connection is
 * traced to the process that holds its client end (connection-owner.ts) and
 * refused unless it is one of runtimePids(). Another local process cannot
 * take an environment's events or post its results.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { z } from "zod";
import { PAYLOAD_LIMIT_BYTES } from "../../lambda/limits.js";
import { readBody } from "../http-body.js";
import { sendJson } from "../http-json.js";
import { jsonDocument } from "../request-validation.js";
import { connectionOwner } from "./connection-owner.js";
import { HTTP_INTEGRATION_CONTENT_TYPE, PreludeSplitter } from "./http-integration-prelude.js";
import type {
  InitError,
  Invocation,
  InvocationOutcome,
  ResponseSink,
  StreamFacts,
} from "./invocation.js";

const PREFIX = "/2018-06-01/runtime";
const STREAMING_MODE = "streaming";
/**
 * Headers, and bodies other than the in-flight invocation's answer, arrive at
 * once from a healthy runtime: a request slower than this is cut off. The
 * long poll /next waits for its answer as long as it takes (no body), and a
 * (streamed) answer has until the invocation's deadline, and this again.
 */
const REQUEST_TIMEOUT_MS = 10_000;

interface Pending {
  readonly invocation: Invocation;
  /** Where a streamed answer goes as it arrives; without one it is kept and returned whole. */
  readonly sink: ResponseSink | undefined;
  readonly resolve: (outcome: InvocationOutcome) => void;
  readonly reject: (error: Error) => void;
}

export interface RuntimeApiEvents {
  /** The runtime asked for its first event: init is over. */
  onReady?: () => void;
  onInitError?: (error: InitError) => void;
}

export interface RuntimeApiOptions {
  /** The pids of the environment's own process tree: the only processes meant to call this API. */
  readonly runtimePids?: () => readonly number[];
  /** Whether those processes are read without /proc (the portable sandbox): connections are then traced through lsof. */
  readonly withoutProc?: () => boolean;
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
  /** Per connection: whether its client is one of the environment's processes. */
  private readonly admissions = new WeakMap<Socket, Promise<boolean>>();

  constructor(
    private events: RuntimeApiEvents = {},
    readonly options: RuntimeApiOptions = {},
  ) {
    // Checked every second, so a slow header is cut off close to its timeout.
    this.server = createServer({ connectionsCheckingInterval: 1000 }, (request, response) => {
      void this.serve(request, response);
    });
    if (options.runtimePids) {
      // Before the HTTP parser's own listener: the check starts as the connection opens.
      this.server.prependListener("connection", (socket: Socket) => this.admit(socket));
    }
    // A long poll may wait for minutes between invocations; bodies have their own deadlines.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = REQUEST_TIMEOUT_MS;
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

  /**
   * Hand an invocation to the runtime and wait for its outcome. Rejects, and
   * leaves the runtime's /next waiting, if the invocation cannot be handed over.
   */
  invoke(invocation: Invocation, sink?: ResponseSink): Promise<InvocationOutcome> {
    if (this.queued || this.inFlight) {
      return Promise.reject(
        new Error("the execution environment is busy: one invocation at a time"),
      );
    }
    return new Promise((resolve, reject) => {
      this.queued = { invocation, sink, resolve, reject };
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
      headers["Lambda-Runtime-Client-Context"] = headerSafeJson(invocation.clientContext);
    if (invocation.cognitoIdentity)
      headers["Lambda-Runtime-Cognito-Identity"] = headerSafeJson(invocation.cognitoIdentity);
    try {
      next.writeHead(200, headers);
    } catch (error) {
      // Nothing was sent: the runtime keeps waiting for an invocation it can be given.
      this.inFlight = undefined;
      this.waitingNext = next;
      pending.reject(
        new Error(
          `invocation ${invocation.requestId} could not be handed to the runtime: ${(error as Error).message}`,
        ),
      );
      return;
    }
    next.end(invocation.payload);
  }

  private admit(socket: Socket): void {
    const pids = this.options.runtimePids?.() ?? [];
    const admitted = connectionOwner(
      { clientPort: socket.remotePort ?? 0, serverPort: socket.localPort ?? 0 },
      pids,
      { withoutProc: this.options.withoutProc?.() ?? false },
    ).then(
      // "unknown": no way to tell on this system (no /proc, no lsof); see docs/emulator.md.
      (owner) => owner !== "foreign",
      () => false,
    );
    this.admissions.set(socket, admitted);
    void admitted.then((ok) => {
      if (!ok) refuse(socket);
    });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A refused connection is answered and closed by admit(): nothing else is done for it.
    if (!(await (this.admissions.get(request.socket) ?? true))) return;
    try {
      await this.route(request, response);
    } catch (error) {
      if (!response.headersSent)
        sendJson(response, 500, { errorMessage: String(error), errorType: "Emulator.Error" });
      else response.destroy();
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? "";
    const method = request.method ?? "GET";
    if (method === "GET" && url === `${PREFIX}/invocation/next`) return this.next(response);
    if (method === "POST" && url === `${PREFIX}/init/error`)
      return this.initError(request, response);
    const match = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
    if (method === "POST" && match) {
      const requestId = decodeEscapes(match[1]!);
      if (requestId === undefined) {
        await drain(request);
        sendJson(response, 400, {
          errorMessage: `malformed request id ${JSON.stringify(match[1])}: a % escape is not valid`,
          errorType: "InvalidRequestID",
        });
        return;
      }
      return this.result(requestId, match[2] as "response" | "error", request, response);
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
    const body = await readBody(request, {
      maxBytes: PAYLOAD_LIMIT_BYTES.synchronous,
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
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
    const answerTimeoutMs =
      Math.max(0, pending.invocation.deadlineMs - Date.now()) + REQUEST_TIMEOUT_MS;
    const watch =
      streamed && kind === "response" ? new StreamWatch(request, pending.sink) : undefined;
    const body = await readBody(request, {
      maxBytes: limit,
      timeoutMs: answerTimeoutMs,
      ...(watch ? { onChunk: (chunk: Buffer) => watch.chunk(chunk) } : {}),
    });
    this.inFlight = undefined;
    const stream = watch?.facts();
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
        ...(stream ? { stream } : {}),
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
        ...(stream ? { stream } : {}),
      });
      return;
    }
    pending.resolve({
      kind: "response",
      body: watch ? watch.kept() : body,
      streamed,
      ...(stream ? { stream } : {}),
    });
  }
}

/**
 * A streamed answer as it arrives: its bytes handed to the sink (or kept, without one), counted,
 * and the times of its first byte and of the first after an HTTP prelude noted.
 */
class StreamWatch {
  private readonly contentType: string;
  private readonly splitter: PreludeSplitter | undefined;
  private readonly keptChunks: Buffer[] = [];
  private bytes = 0;
  private chunks = 0;
  private firstByteAt: number | null = null;
  private firstBodyByteAt: number | null = null;

  constructor(
    request: IncomingMessage,
    private readonly sink: ResponseSink | undefined,
  ) {
    const type = request.headers["content-type"];
    this.contentType =
      typeof type === "string" && type.length > 0 ? type : "application/octet-stream";
    this.splitter =
      this.contentType === HTTP_INTEGRATION_CONTENT_TYPE ? new PreludeSplitter() : undefined;
    sink?.open(this.contentType);
  }

  chunk(chunk: Buffer): void | Promise<void> {
    if (chunk.length === 0) return;
    const now = performance.now();
    this.firstByteAt ??= now;
    this.bytes += chunk.length;
    this.chunks++;
    if (this.splitter && this.firstBodyByteAt === null) {
      if (this.splitter.push(chunk).some((piece) => piece.kind === "body"))
        this.firstBodyByteAt = now;
    }
    if (this.sink) return this.sink.write(chunk);
    this.keptChunks.push(chunk);
  }

  kept(): Buffer {
    return Buffer.concat(this.keptChunks);
  }

  facts(): StreamFacts {
    return {
      contentType: this.contentType,
      bytes: this.bytes,
      chunks: this.chunks,
      firstByteAt: this.firstByteAt,
      firstBodyByteAt: this.firstBodyByteAt,
    };
  }
}

/** The part of a runtime's error document (its body) that names the error. */
const ErrorDocumentSchema = z.object({ errorType: z.string() });

function errorTypeOf(request: IncomingMessage, body: Buffer | undefined): string {
  const header =
    request.trailers["lambda-runtime-function-error-type"] ??
    request.headers["lambda-runtime-function-error-type"];
  if (typeof header === "string" && header.length > 0) return header;
  const document = ErrorDocumentSchema.safeParse(body ? jsonDocument(body) : undefined);
  return document.success ? document.data.errorType : "Unhandled";
}

/** Read and drop a body the server answers without using (an unknown path, a stale request id). */
async function drain(request: IncomingMessage): Promise<void> {
  await readBody(request, { maxBytes: 0, timeoutMs: REQUEST_TIMEOUT_MS });
}

/** decodeURIComponent, or undefined for a malformed % escape. */
function decodeEscapes(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * A JSON document as a valid HTTP header value: characters beyond ASCII
 * become \\uXXXX escapes (inside strings, the only place JSON allows them)
 * and line breaks between tokens become spaces. The runtime's JSON.parse or
 * json.loads reads the same document; a Latin-1 header could not carry it.
 */
export function headerSafeJson(text: string): string {
  return text
    .replace(/[\t\n\r]/g, " ")
    .replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Answer a connection from a process that is not the environment's runtime, and close it. */
function refuse(socket: Socket): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({
    errorMessage: "this Runtime API serves only its own execution environment's processes",
    errorType: "Forbidden",
  });
  socket.end(
    `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
