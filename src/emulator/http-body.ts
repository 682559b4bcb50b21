/**
 * The one way both of the emulator's HTTP servers read a request body: whole,
 * up to a limit (Lambda's payload limits: 6 MB for a synchronous invocation
 * or response, 200 MB for a streamed response), and within a deadline when
 * one is given.
 */
import type { IncomingMessage } from "node:http";

export interface BodyLimits {
  /** Bytes beyond this make the body too large. */
  readonly maxBytes: number;
  /** A body not complete within this ends the connection (and rejects); no deadline without it. */
  readonly timeoutMs?: number;
  /**
   * Each chunk within the limit as it arrives, instead of keeping it (a streamed response handed
   * on while the runtime still writes): the body returned is then empty. A promise it returns is
   * awaited before reading on.
   */
  readonly onChunk?: (chunk: Buffer) => void | Promise<void>;
}

/**
 * The body (empty with onChunk), or undefined when it passed `maxBytes`. An oversized body is
 * still read to its end (and dropped), so the server can answer it with its
 * error rather than a reset connection; nothing past the limit is kept.
 */
export async function readBody(
  request: IncomingMessage,
  limits: BodyLimits,
): Promise<Buffer | undefined> {
  const timer =
    limits.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () =>
            request.destroy(new Error(`request body not received within ${limits.timeoutMs} ms`)),
          limits.timeoutMs,
        );
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxBytes) continue;
      // Awaited before the next chunk is read: a slow consumer pauses the sender.
      if (limits.onChunk) await limits.onChunk(chunk);
      else chunks.push(chunk);
    }
  } finally {
    clearTimeout(timer);
  }
  return size > limits.maxBytes ? undefined : Buffer.concat(chunks);
}
