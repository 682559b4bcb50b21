/**
 * One Function URL served on 127.0.0.1, on a port of its own: each request becomes a payload
 * format 2.0 event, invokes the function (Emulator.invoke, as Lambda's front end invokes it), and
 * the answer goes back as Function URLs send it — whole (BUFFERED, up to 6 MB) or as the
 * function writes it (RESPONSE_STREAM, up to 200 MB). The config is read on every request, so an
 * UpdateFunctionUrlConfig applies to the next one. AuthType AWS_IAM is not enforced here.
 *
 * What the client sees when things fail, as on Lambda: a function error or timeout, or an answer
 * over the limit, is 502 {"Message":"Internal Server Error"} when nothing was sent yet; once a
 * streamed answer has begun, the connection is cut without the chunked terminator, so the client
 * sees a truncated response rather than a complete one. Throttling is 429, a request body over
 * 6 MB is 413.
 *
 * Web pages may call a URL (CORS decides what they read), but only by a loopback name: a request
 * whose Host is another name comes from a page whose own hostname was re-pointed at 127.0.0.1 (DNS
 * rebinding) and is refused with 403; so is a page of another origin its Cors does not allow
 * (function-url-cors.ts).
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { PAYLOAD_LIMIT_BYTES } from "../../lambda/limits.js";
import { isLoopbackHost } from "../control-api/browser-guard.js";
import type { Emulator, InvokeResult } from "../emulator.js";
import { readBody } from "../http-body.js";
import { LambdaApiError } from "../lambda-error.js";
import {
  isPreflight,
  isRefusedCrossOrigin,
  preflightHeaders,
  responseCorsHeaders,
} from "./function-url-cors.js";
import { functionUrlEvent } from "./function-url-event.js";
import { httpAnswer } from "./function-url-response.js";
import type { FunctionUrlSettings } from "./function-url-settings.js";
import { HttpStreamSink } from "./http-stream-sink.js";

/** What a URL invokes, read afresh for every request. */
export interface FunctionUrlTarget {
  readonly functionName: string;
  readonly qualifier?: string;
  readonly urlId: string;
  readonly settings: FunctionUrlSettings;
}

export class FunctionUrlServer {
  private readonly server: Server;

  constructor(
    private readonly emulator: Emulator,
    private readonly target: () => FunctionUrlTarget,
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.keepAliveTimeout = 60_000;
  }

  /** Listen on 127.0.0.1 and return the URL, e.g. http://127.0.0.1:40123/. */
  async listen(port = 0): Promise<string> {
    this.server.listen(port, "127.0.0.1");
    await Promise.race([
      once(this.server, "listening"),
      once(this.server, "error").then(([error]) => {
        throw error;
      }),
    ]);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    if (this.server.listening) {
      this.server.close();
      await once(this.server, "close");
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A client gone midway makes writes fail: that is the client's business, not the server's.
    response.on("error", () => undefined);
    const target = this.target();
    const cors = target.settings.cors;
    try {
      if (!isLoopbackHostHeader(request.headers.host)) {
        sendMessage(response, 403, "Forbidden", {});
        return;
      }
      if (cors && isPreflight(request)) {
        response.writeHead(200, { ...preflightHeaders(cors, request), "content-length": 0 });
        response.end();
        return;
      }
      const ownOrigin = `http://${request.headers.host}`;
      if (isRefusedCrossOrigin(cors, request, ownOrigin)) {
        sendMessage(response, 403, "Forbidden", {});
        return;
      }
      const receivedAt = new Date();
      const body = await readBody(request, { maxBytes: PAYLOAD_LIMIT_BYTES.synchronous });
      const corsHeaders = responseCorsHeaders(cors, request);
      if (body === undefined) {
        sendMessage(response, 413, "Request Entity Too Large", corsHeaders);
        return;
      }
      const requestId = randomUUID();
      const event = functionUrlEvent({
        request,
        body,
        urlId: target.urlId,
        accountId:
          target.settings.authType === "NONE" ? "anonymous" : this.emulator.registry.accountId,
        requestId,
        receivedAt,
      });
      const payload = Buffer.from(JSON.stringify(event));
      const invoke = { payload, ...(target.qualifier ? { qualifier: target.qualifier } : {}) };
      if (target.settings.invokeMode === "BUFFERED") {
        const result = await this.emulator.invoke(target.functionName, invoke);
        sendBuffered(response, result, corsHeaders);
        return;
      }
      const sink = new HttpStreamSink(response, corsHeaders);
      const result = await this.emulator.invoke(target.functionName, { ...invoke, sink });
      if (result.functionError) {
        // Once the status line is out, only a cut connection can tell the client it failed.
        if (response.headersSent) response.destroy();
        else sendMessage(response, 502, "Internal Server Error", corsHeaders);
      } else if (sink.opened) sink.finish();
      else {
        // A handler that does not stream, behind a streaming URL: its answer, as it returned it.
        sendBody(
          response,
          200,
          { "content-type": "application/json", ...corsHeaders },
          result.payload,
        );
      }
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const corsHeaders = responseCorsHeaders(cors, request);
      if (error instanceof LambdaApiError && error.statusCode === 429)
        sendMessage(response, 429, "Rate Exceeded.", corsHeaders);
      else if (error instanceof LambdaApiError && error.statusCode === 413)
        sendMessage(response, 413, "Request Entity Too Large", corsHeaders);
      else sendMessage(response, 502, "Internal Server Error", corsHeaders);
    }
  }
}

/** A Host header naming a loopback address (any port: the socket is this URL's own anyway). */
function isLoopbackHostHeader(header: string | undefined): boolean {
  const match = header ? /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(header.trim()) : null;
  return match !== null && isLoopbackHost(match[1]!);
}

/** BUFFERED: the whole answer, converted; a function error or an answer over 6 MB is a 502. */
function sendBuffered(
  response: ServerResponse,
  result: InvokeResult,
  corsHeaders: Record<string, string>,
): void {
  if (result.functionError || result.payload.length > PAYLOAD_LIMIT_BYTES.synchronous) {
    sendMessage(response, 502, "Internal Server Error", corsHeaders);
    return;
  }
  // A streaming handler behind a BUFFERED URL: its stream, prelude included, is the answer, as
  // Invoke returns it; it is not valid JSON, so it goes out as a 200 body.
  const answer = httpAnswer(result.payload);
  const headers: Record<string, string | string[]> = { ...answer.headers, ...corsHeaders };
  if (answer.cookies.length > 0) headers["set-cookie"] = [...answer.cookies];
  sendBody(response, answer.statusCode, headers, answer.body);
}

function sendBody(
  response: ServerResponse,
  statusCode: number,
  headers: Record<string, string | string[]>,
  body: Buffer,
): void {
  if (response.destroyed) return;
  response.writeHead(statusCode, { ...headers, "content-length": body.length });
  response.end(body);
}

/** Lambda's own answers: {"Message": "..."} as JSON. */
function sendMessage(
  response: ServerResponse,
  statusCode: number,
  message: string,
  corsHeaders: Record<string, string>,
): void {
  sendBody(
    response,
    statusCode,
    { "content-type": "application/json", ...corsHeaders },
    Buffer.from(JSON.stringify({ Message: message })),
  );
}
