/**
 * streaming-candidate: a synchronously invoked handler that relays a model's
 * token stream (Bedrock InvokeModelWithResponseStream, ConverseStream) or
 * returns an S3 object read whole, without response streaming — the caller
 * waits for the last token, and a buffered response stops at 6 MB where a
 * streamed one goes to 200 MB. And the code side of streaming-mode-mismatch:
 * a handler written to stream (awslambda.streamifyResponse) behind a Function
 * URL left BUFFERED or a REST integration without STREAM, which buffers it.
 * streamifyResponse is Node.js only: for Python the finding names the route
 * that does stream there.
 */
import type { CodeFinding, CodeRule } from "../code/code-rule.js";
import { type FunctionCode, handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText } from "./code-patterns.js";
import { s3WholeBodyRead } from "./s3-whole-body-read.js";

const STREAMING_WRAPPER = "awslambda.streamifyResponse";

const MODEL_STREAMS = new Set([
  "@aws-sdk/client-bedrock-runtime.InvokeModelWithResponseStreamCommand",
  "@aws-sdk/client-bedrock-runtime.ConverseStreamCommand",
]);
const PYTHON_MODEL_STREAMS = new Set(["invoke_model_with_response_stream", "converse_stream"]);
/** Pushing a message to a WebSocket client (API Gateway management API): the handler already sends each chunk as it comes. */
const CONNECTION_PUSHES = new Set([
  "@aws-sdk/client-apigatewaymanagementapi.PostToConnectionCommand",
]);
const CONNECTION_PUSH_METHODS = { javascript: "postToConnection", python: "post_to_connection" };

/** Reading an S3 GetObject body whole, to return it (JavaScript: any such method call; Python: s3-whole-body-read's, returned by its function). */
const WHOLE_BODY_READS = new Set(["transformToString", "transformToByteArray"]);

/**
 * Where `awslambda.streamifyResponse` does not exist (Python), the other
 * routes AWS names: a Function URL with InvokeMode RESPONSE_STREAM in front of
 * the Lambda Web Adapter, or a custom runtime that streams through the
 * Runtime API.
 */
const WEB_ADAPTER =
  "the AWS Lambda Web Adapter (a layer that runs a web server, e.g. a FastAPI StreamingResponse or a Flask generator, with AWS_LWA_INVOKE_MODE=response_stream) or a custom runtime that streams its response through the Runtime API";
const OTHER_ROUTE = `stream through a Function URL with InvokeMode RESPONSE_STREAM, served by ${WEB_ADAPTER}`;
const OTHER_ROUTE_FIX = `Serve the function through a Function URL with InvokeMode RESPONSE_STREAM and run it under ${WEB_ADAPTER}; or move the endpoint to a Node.js function and wrap its handler in awslambda.streamifyResponse.`;

function isStreamed(fn: FunctionCode): boolean {
  return fn.handlerSite?.exported.wrappers.includes(STREAMING_WRAPPER) ?? false;
}

/** Streaming matters to a caller that waits: an API or URL (or, for a plain folder, unknown). */
function hasWaitingCaller(fn: FunctionCode): boolean {
  const { synchronous, asynchronous, polled } = fn.config.triggers;
  return (
    synchronous.length > 0 ||
    (fn.template === undefined && asynchronous.length + polled.length === 0)
  );
}

function bufferedStreamingHandler(fn: FunctionCode): CodeFinding[] {
  const site = fn.handlerSite;
  if (!site || !isStreamed(fn)) return [];
  const buffered = [
    ...(fn.config.functionUrlInvokeMode === "BUFFERED" ? ["its Function URL is BUFFERED"] : []),
    ...fn.config.bufferedRestMethods.map(
      (method) => `REST method ${method} has no ResponseTransferMode: STREAM`,
    ),
  ];
  if (buffered.length === 0) return [];
  return [
    {
      file: site.module.file,
      position: site.exported.position,
      severity: "warning",
      message: `The handler streams (awslambda.streamifyResponse) but ${buffered.join(" and ")}: callers get the buffered response, capped at 6 MB.`,
      fix: "Set the Function URL's InvokeMode to RESPONSE_STREAM (and the REST integration's ResponseTransferMode to STREAM).",
    },
  ];
}

/** Whether the handler pushes to WebSocket connections: its callers get each chunk already, not one response. */
function pushesToConnections(fn: FunctionCode): boolean {
  const method = CONNECTION_PUSH_METHODS[fn.language];
  return handlerCalls(fn).some(
    ({ item: call }) =>
      CONNECTION_PUSHES.has(call.qualifiedName) ||
      (call.name === method && call.callee !== call.name),
  );
}

export const streamingCandidate: CodeRule = {
  meta: {
    id: "streaming-candidate",
    severity: "info",
    title: "Handler that should stream its response",
    rationale:
      "A buffered response reaches the caller only when complete and is capped at 6 MB; response streaming sends the first bytes at once (time to first token for a model) and allows up to 200 MB.",
    fix: "Wrap the handler in `awslambda.streamifyResponse` and pipe the model's stream or the S3 body to the response stream; serve it through a Function URL with InvokeMode RESPONSE_STREAM (or a REST integration with ResponseTransferMode STREAM).",
    docs: docsFor("streaming-candidate"),
  },
  check(fn) {
    const findings = bufferedStreamingHandler(fn);
    if (isStreamed(fn) || !hasWaitingCaller(fn) || pushesToConnections(fn)) return findings;
    for (const { module, item: call } of handlerCalls(fn)) {
      const relaysModel =
        MODEL_STREAMS.has(call.qualifiedName) ||
        (fn.language === "python" &&
          PYTHON_MODEL_STREAMS.has(call.name) &&
          call.callee !== call.name);
      const readsWholeBody =
        fn.language === "javascript"
          ? WHOLE_BODY_READS.has(call.name) && call.callee !== call.name
          : s3WholeBodyRead(fn, module, call) !== undefined && call.returned === true;
      if (!relaysModel && !readsWholeBody) continue;
      const what = relaysModel
        ? `${callText(call)} relays a model's token stream, but the handler's response is buffered: the caller waits for the last token.`
        : `${callText(call)} reads an object whole to return it: a buffered response fails above 6 MB; streaming allows 200 MB and sends the first bytes at once.`;
      findings.push({
        file: module.file,
        position: call.position,
        // Code rules read Node.js and Python functions; streamifyResponse is the Node.js one's.
        ...(fn.language === "javascript"
          ? { message: what }
          : {
              message: `${what} Python's managed runtime does not stream with awslambda.streamifyResponse (Node.js only): ${OTHER_ROUTE}.`,
              fix: OTHER_ROUTE_FIX,
            }),
      });
    }
    return findings;
  },
};
