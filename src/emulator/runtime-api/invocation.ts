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

export type InvocationOutcome =
  | {
      readonly kind: "response";
      readonly body: Buffer;
      /** The runtime used Lambda-Runtime-Function-Response-Mode: streaming. */
      readonly streamed: boolean;
    }
  | {
      readonly kind: "error";
      /** Lambda-Runtime-Function-Error-Type, or errorType from the body. */
      readonly errorType: string;
      /** The error document: {"errorType","errorMessage","trace"|"stackTrace"}. */
      readonly body: Buffer;
    };

export interface InitError {
  readonly errorType: string;
  readonly body: Buffer;
}
