/** What passes through the Runtime API for one invocation, in both directions. */

export interface Invocation {
  readonly requestId: string;
  /** The event, as the JSON bytes the caller sent. */
  readonly payload: Buffer;
  /** Epoch milliseconds by which the function must finish. */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId: string;
  /** Base64-free JSON strings, as the Runtime API hands them to the runtime. */
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
}

/**
 * Where a streamed response goes as the runtime writes it (InvokeWithResponseStream, a
 * streaming Function URL): the bytes are handed on as they arrive, not held until the end.
 */
export interface ResponseSink {
  /** The runtime began its answer: the Content-Type it gave (HTTP_INTEGRATION_CONTENT_TYPE when a prelude comes first). */
  readonly open: (contentType: string) => void;
  /**
   * Bytes of the answer, in order. A promise holds the runtime back until it settles: the
   * client has not taken the bytes yet (back-pressure, as a slow reader slows Lambda's stream).
   */
  readonly write: (chunk: Buffer) => void | Promise<void>;
}

/** What a streamed answer carried. */
export interface StreamFacts {
  readonly contentType: string;
  /** Bytes the runtime streamed (prelude included), up to the limit. */
  readonly bytes: number;
  /** Writes that reached the Runtime API (HTTP chunks: the runtime's writes, as the network delivered them). */
  readonly chunks: number;
  /** performance.now() when the first byte arrived; null for an empty stream. */
  readonly firstByteAt: number | null;
  /** performance.now() when the first byte after an HTTP prelude arrived; null without one or without body. */
  readonly firstBodyByteAt: number | null;
}

export type InvocationOutcome =
  | {
      readonly kind: "response";
      /** The answer; empty when a sink took a streamed one. */
      readonly body: Buffer;
      /** The runtime used Lambda-Runtime-Function-Response-Mode: streaming. */
      readonly streamed: boolean;
      readonly stream?: StreamFacts;
    }
  | {
      readonly kind: "error";
      /** Lambda-Runtime-Function-Error-Type, or errorType from the body. */
      readonly errorType: string;
      /** The error document: {"errorType","errorMessage","trace"|"stackTrace"}. */
      readonly body: Buffer;
      /** A streamed answer that failed midway (its error in the trailers) or grew past the limit: what was streamed before. */
      readonly stream?: StreamFacts;
    };

export interface InitError {
  readonly errorType: string;
  readonly body: Buffer;
}
