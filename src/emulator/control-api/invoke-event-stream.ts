/**
 * InvokeWithResponseStream's answer as it goes out: HTTP 200 with Content-Type
 * application/vnd.amazon.eventstream, one PayloadChunk event per piece of the function's
 * answer as it arrives, and one InvokeComplete event that ends it. Each event is a binary
 * frame from @smithy/core's EventStreamCodec with the headers the AWS SDKs' deserializers
 * read: `:message-type` event, `:event-type` (the union member: PayloadChunk, InvokeComplete)
 * and `:content-type` (the PayloadChunk's Payload is a blob: application/octet-stream; the
 * InvokeComplete structure is JSON).
 *
 * Nothing is held back: a chunk is written to the socket the moment it comes. A client that
 * went away is no error: what follows is dropped, and the invocation runs to its end, as
 * Lambda lets a streamed invocation finish when its caller disconnects.
 */
import type { ServerResponse } from "node:http";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { writeWithBackPressure } from "../http-drain.js";

export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

/** The InvokeComplete event's members (InvokeWithResponseStreamCompleteEvent); absent ones are left out. */
export interface InvokeCompletion {
  readonly ErrorCode?: string;
  readonly ErrorDetails?: string;
  /** Base64 of the log's last 4 KB, with X-Amz-Log-Type: Tail. */
  readonly LogResult?: string;
}

const toUtf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
const fromUtf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

export class InvokeEventStream {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private begun = false;
  private completed = false;

  constructor(
    private readonly response: ServerResponse,
    /** X-Amz-Executed-Version and X-Amzn-RequestId, sent with the status. */
    private readonly headers: Readonly<Record<string, string>>,
  ) {
    // A write racing a client's disconnect fails on the socket: nobody is left to tell.
    response.on("error", () => undefined);
  }

  /** Whether the client is still there to read what is sent. */
  get connected(): boolean {
    return !this.response.destroyed && !this.response.writableEnded;
  }

  /** Whether the status and headers went out (or would have, to a client who left). */
  get started(): boolean {
    return this.begun;
  }

  /** Send the status and headers now: the function has begun to answer. */
  start(): void {
    if (this.begun) return;
    this.begun = true;
    if (!this.connected) return;
    this.response.writeHead(200, { ...this.headers, "Content-Type": EVENT_STREAM_CONTENT_TYPE });
    this.response.flushHeaders();
  }

  /** One piece of the answer, as a PayloadChunk event, written at once; a promise while the client is behind. */
  payloadChunk(bytes: Buffer): Promise<void> | undefined {
    if (bytes.length === 0) return undefined;
    return this.send("PayloadChunk", "application/octet-stream", bytes);
  }

  /** The InvokeComplete event, and the end of the answer; nothing is sent after it. */
  complete(completion: InvokeCompletion): void {
    this.send("InvokeComplete", "application/json", Buffer.from(JSON.stringify(completion)));
    this.completed = true;
    if (this.connected) this.response.end();
  }

  private send(eventType: string, contentType: string, body: Buffer): Promise<void> | undefined {
    if (this.completed) return undefined;
    this.start();
    if (!this.connected) return undefined;
    const frame = this.codec.encode({
      headers: {
        ":event-type": { type: "string", value: eventType },
        ":message-type": { type: "string", value: "event" },
        ":content-type": { type: "string", value: contentType },
      },
      body,
    });
    return writeWithBackPressure(this.response, Buffer.from(frame));
  }
}
