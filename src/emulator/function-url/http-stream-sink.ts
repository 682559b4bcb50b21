/**
 * A streamed answer written to a Function URL's client as it arrives (InvokeMode
 * RESPONSE_STREAM): an HTTP prelude (HttpResponseStream.from) sets the status line, headers and
 * cookies; without one the answer is a 200 with the runtime's Content-Type. Body bytes go to the
 * socket as they come, chunked, nothing held between the runtime and the client; a client slow to
 * read holds the runtime back (http-drain.ts). A client that
 * leaves midway is let go: the rest of the answer is dropped, and the function runs to its end.
 */
import type { ServerResponse } from "node:http";
import { writeWithBackPressure } from "../http-drain.js";
import {
  HTTP_INTEGRATION_CONTENT_TYPE,
  type HttpPrelude,
  type PreludePiece,
  PreludeSplitter,
} from "../runtime-api/http-integration-prelude.js";
import type { ResponseSink } from "../runtime-api/invocation.js";
import { httpHeaders, validStatus } from "./function-url-response.js";

export class HttpStreamSink implements ResponseSink {
  private splitter: PreludeSplitter | undefined;
  /** The runtime began a streamed answer. */
  opened = false;

  constructor(
    private readonly response: ServerResponse,
    /** Headers the URL adds over the function's own (CORS). */
    private readonly extraHeaders: Readonly<Record<string, string>>,
  ) {}

  readonly open = (contentType: string): void => {
    this.opened = true;
    if (contentType === HTTP_INTEGRATION_CONTENT_TYPE) this.splitter = new PreludeSplitter();
    else this.start({ statusCode: 200, headers: { "content-type": contentType } });
  };

  readonly write = (chunk: Buffer): Promise<void> | undefined =>
    this.splitter ? this.take(this.splitter.push(chunk)) : this.send(chunk);

  /** The answer ended well: whatever prelude was pending is settled and the response ends. */
  finish(): void {
    if (this.splitter) this.take(this.splitter.end());
    if (!this.response.headersSent) this.start({});
    if (!this.response.destroyed) this.response.end();
  }

  /** The prelude and body pieces; a promise when the client asks the runtime to wait. */
  private take(pieces: readonly PreludePiece[]): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    for (const piece of pieces) {
      if (piece.kind === "prelude") this.start(piece.prelude);
      else wait = this.send(piece.bytes);
    }
    return wait;
  }

  private start(prelude: HttpPrelude): void {
    if (this.response.headersSent || this.response.destroyed) return;
    const headers: Record<string, string | string[]> = {
      "content-type": "application/octet-stream",
      ...httpHeaders(prelude.headers ?? {}),
      ...this.extraHeaders,
    };
    if (prelude.cookies && prelude.cookies.length > 0) headers["set-cookie"] = [...prelude.cookies];
    this.response.writeHead(validStatus(prelude.statusCode) ?? 200, headers);
    // The status line goes now, before any body: the client sees the answer begin.
    this.response.flushHeaders();
  }

  private send(bytes: Buffer): Promise<void> | undefined {
    if (this.response.destroyed || this.response.writableEnded) return undefined;
    if (!this.response.headersSent) this.start({});
    return writeWithBackPressure(this.response, bytes);
  }
}
