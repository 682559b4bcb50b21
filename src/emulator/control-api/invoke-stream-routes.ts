/**
 * InvokeWithResponseStream (2021-11-15): POST /functions/{name}/response-streaming-invocations.
 * The request is Invoke's (Qualifier, X-Amz-Log-Type, X-Amz-Client-Context, the same checks),
 * with RequestResponse or DryRun only: Lambda streams to a caller who waits, so Event is refused.
 *
 * The answer is an application/vnd.amazon.eventstream (invoke-event-stream.ts): the status and
 * headers as soon as the function begins to answer, a PayloadChunk event for each chunk the
 * runtime writes, the moment it arrives, then one InvokeComplete event. A handler that does not
 * stream (a buffered answer) is sent whole as one PayloadChunk, as Lambda does. A request Lambda
 * refuses (unknown function, bad payload, throttled) is answered with the usual JSON error,
 * since nothing has been sent yet; a function that fails is a 200 whose InvokeComplete says so.
 */
import { randomUUID } from "node:crypto";
import type { Emulator, InvokeResult } from "../emulator.js";
import { jsonDocument, parseQuery, parseRequest } from "../request-validation.js";
import { checkClientContext } from "./client-context.js";
import { type InvokeCompletion, InvokeEventStream } from "./invoke-event-stream.js";
import type { DefineRoute } from "./lambda-api-server.js";
import { InvokeWithResponseStreamHeadersSchema, QualifierQuerySchema } from "./request-schemas.js";

/**
 * Failures Lambda itself finds (not ones the runtime reports): InvokeComplete names them by
 * their own code. An error the function's runtime reports is ErrorCode "Unhandled", as Invoke
 * says it in X-Amz-Function-Error, with the runtime's error document as ErrorDetails.
 */
const PLATFORM_ERRORS = new Set([
  "Sandbox.Timedout",
  "Runtime.ExitError",
  "Function.ResponseSizeTooLarge",
]);

export function defineInvokeStreamRoutes(route: DefineRoute, emulator: Emulator): void {
  route(
    "POST",
    "/functions/{name}/response-streaming-invocations",
    async ({ request, response, params, query, body }) => {
      const headers = parseRequest(InvokeWithResponseStreamHeadersSchema, request.headers);
      const clientContext = headers["x-amz-client-context"];
      if (clientContext !== undefined) checkClientContext(clientContext);
      const { Qualifier: qualifier } = parseQuery(QualifierQuerySchema, query);
      // Known before the function answers: the headers go out with its first bytes.
      const executedVersion = emulator.registry.resolve(params.name!, qualifier).version;
      const requestId = randomUUID();
      const stream = new InvokeEventStream(response, {
        "X-Amz-Executed-Version": executedVersion,
        "X-Amzn-RequestId": requestId,
      });
      let result: InvokeResult;
      try {
        result = await emulator.invoke(params.name!, {
          payload: body,
          invocationType: headers["x-amz-invocation-type"],
          logType: headers["x-amz-log-type"],
          requestId,
          ...(qualifier ? { qualifier } : {}),
          ...(clientContext ? { clientContext } : {}),
          sink: {
            open: () => stream.start(),
            write: (chunk) => stream.payloadChunk(chunk),
          },
        });
      } catch (error) {
        // Before the stream began, a JSON error answer; within it, the stream's own end.
        if (!stream.started) throw error;
        stream.complete({
          ErrorCode: "ServiceException",
          ErrorDetails: `The emulator failed: ${error instanceof Error ? error.message : String(error)}`,
        });
        return;
      }
      if (result.statusCode === 204) {
        // DryRun: the request would have run; there is no stream.
        response.writeHead(204, {
          "X-Amz-Executed-Version": result.executedVersion,
          "X-Amzn-RequestId": requestId,
        });
        response.end();
        return;
      }
      const outcome = result.record?.result;
      // A buffered answer never passed through the sink: it goes now, whole.
      if (outcome?.kind === "response" && !outcome.streamed) stream.payloadChunk(result.payload);
      stream.complete(completion(result));
    },
    "2021-11-15",
  );
}

/** The InvokeComplete event of an invocation: its error, if any, and the log tail asked for. */
function completion(result: InvokeResult): InvokeCompletion {
  const outcome = result.record?.result;
  const logResult = result.logResult !== undefined ? { LogResult: result.logResult } : {};
  if (outcome?.kind !== "error") return logResult;
  if (PLATFORM_ERRORS.has(outcome.errorType)) {
    return {
      ErrorCode: outcome.errorType,
      ErrorDetails: errorMessage(result.payload) ?? result.payload.toString("utf8"),
      ...logResult,
    };
  }
  return { ErrorCode: "Unhandled", ErrorDetails: result.payload.toString("utf8"), ...logResult };
}

/** errorMessage of an error document, when it has one. */
function errorMessage(payload: Buffer): string | undefined {
  const document = jsonDocument(payload) as { errorMessage?: unknown } | undefined;
  return typeof document?.errorMessage === "string" ? document.errorMessage : undefined;
}
