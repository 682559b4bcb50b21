/**
 * api-timeout-mismatch: API Gateway gives up on an integration after 29 s
 * (REST, WebSocket) or 30 s (HTTP API); a function allowed to run longer keeps
 * running, and billing, after the caller has received a 504. A REST
 * integration that streams its response (responseTransferMode STREAM) may run
 * up to 15 minutes, so it is held to 900 s, or to its own TimeoutInMillis.
 */
import { TIMEOUT_SECONDS } from "../../lambda/limits.js";
import { isPlainObject } from "../../plain-object.js";
import { referencedResource, referencesResource } from "../../template/references.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import { numberOf } from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";
import { openApiOperations, restApis, textOf } from "./service-helpers.js";

const REST_LIMIT_SECONDS = 29;
const HTTP_LIMIT_SECONDS = 30;
/** A streamed REST response may last 15 minutes: as long as a function can run. */
const STREAMING_LIMIT_SECONDS = TIMEOUT_SECONDS.max;
const STREAMING_PATH = "/response-streaming-invocations";

const STREAMING_FIX = `REST API response streaming (ResponseTransferMode STREAM on the ${STREAMING_PATH} path) may run up to 15 minutes`;

interface Integration {
  readonly what: string;
  readonly limitSeconds: number;
  readonly kind: "rest" | "http" | "websocket";
  /** REST API response streaming: API Gateway sends the answer as it comes, for up to 15 minutes. */
  readonly streams: boolean;
}

export const apiTimeoutMismatch: AuditRule = {
  meta: {
    id: "api-timeout-mismatch",
    severity: "error",
    title: "Function Timeout above its API Gateway integration timeout",
    rationale:
      "API Gateway answers 504 after 29 s (REST) or 30 s (HTTP API) while the function runs on to its own Timeout: the caller gets an error and the account pays for the seconds nobody waits for. A REST integration that streams its response may run up to 15 minutes.",
    fix: `Set Timeout at or below the integration timeout (29 s REST, 30 s HTTP API), or move long work behind an asynchronous invocation or a queue; where the client can take a progressive answer, stream it: ${STREAMING_FIX}.`,
    docs: docsFor("api-timeout-mismatch"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      const timeout = numberOf(fn.properties.Timeout);
      if (timeout === undefined) return []; // the 3 s default fits every integration
      const integrations = integrationsOf(context, fn);
      const tightest = integrations.sort((a, b) => a.limitSeconds - b.limitSeconds)[0];
      if (tightest === undefined || timeout <= tightest.limitSeconds) return [];
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, ["Timeout"]),
          message: `${fn.logicalId} has Timeout ${timeout} s but is behind ${tightest.what}, which times out after ${tightest.limitSeconds} s: the caller gets a 504 while the function may run, and bill, up to ${timeout} s.`,
          fix: fixFor(tightest),
        },
      ];
    });
  },
};

function fixFor(integration: Integration): string {
  const lower = `Set Timeout to ${integration.limitSeconds} or less`;
  if (integration.streams) {
    return `${lower}, or raise the streaming integration's TimeoutInMillis (up to ${STREAMING_LIMIT_SECONDS * 1000}, 15 minutes).`;
  }
  const elsewhere = `${lower}, or hand long work to an asynchronous invocation or a queue`;
  switch (integration.kind) {
    case "rest":
      return `${elsewhere}; where the client can take a progressive answer, stream the response: ${STREAMING_FIX}.`;
    case "http":
      return `${elsewhere}; where the client can take a progressive answer, stream the response: HTTP APIs do not stream, but ${STREAMING_FIX}.`;
    case "websocket":
      return `${elsewhere}.`;
  }
}

function integrationsOf(context: AuditContext, fn: FunctionResource): Integration[] {
  const integrations: Integration[] = [];
  for (const event of fn.events) {
    if (event.type !== "Api" && event.type !== "HttpApi") continue;
    const rest = event.type === "Api";
    integrations.push({
      what: `${rest ? "REST API" : "HTTP API"} event ${event.name}`,
      limitSeconds: limitFrom(
        event.properties.TimeoutInMillis,
        rest ? REST_LIMIT_SECONDS : HTTP_LIMIT_SECONDS,
      ),
      kind: rest ? "rest" : "http",
      streams: false,
    });
  }
  for (const method of context.resourcesOfType("AWS::ApiGateway::Method")) {
    const integration = method.properties.Integration;
    if (!isPlainObject(integration) || !referencesResource(integration.Uri, fn.logicalId)) continue;
    integrations.push(
      restIntegration(
        `REST API method ${method.logicalId}`,
        integration.ResponseTransferMode,
        integration.TimeoutInMillis,
        integration.Uri,
      ),
    );
  }
  // Inline OpenAPI definitions: each operation's x-amazon-apigateway-integration that invokes the function.
  for (const api of restApis(context)) {
    for (const { path, method, operation } of openApiOperations(api)) {
      const integration = operation["x-amazon-apigateway-integration"];
      if (!isPlainObject(integration) || !referencesResource(integration.uri, fn.logicalId)) {
        continue;
      }
      integrations.push(
        restIntegration(
          `REST API ${api.logicalId} ${method.toUpperCase()} ${path}`,
          integration.responseTransferMode,
          integration.timeoutInMillis,
          integration.uri,
        ),
      );
    }
  }
  for (const integration of context.resourcesOfType("AWS::ApiGatewayV2::Integration")) {
    if (!referencesResource(integration.properties.IntegrationUri, fn.logicalId)) continue;
    const api = context.resource(referencedResource(integration.properties.ApiId) ?? "");
    const websocket = api?.properties.ProtocolType === "WEBSOCKET";
    integrations.push({
      what: `${websocket ? "WebSocket API" : "HTTP API"} integration ${integration.logicalId}`,
      limitSeconds: limitFrom(
        integration.properties.TimeoutInMillis,
        websocket ? REST_LIMIT_SECONDS : HTTP_LIMIT_SECONDS,
      ),
      kind: websocket ? "websocket" : "http",
      streams: false,
    });
  }
  return integrations;
}

/**
 * A REST integration: buffered (29 s) unless its transfer mode is STREAM. The
 * transfer mode decides, not the URI: API Gateway buffers by default and
 * streams only with the mode set, so a /response-streaming-invocations URI
 * without it is named as the likely slip.
 */
function restIntegration(
  what: string,
  transferMode: unknown,
  timeoutInMillis: unknown,
  uri: unknown,
): Integration {
  const streams = transferMode === "STREAM";
  const streamingPathOnly = !streams && textOf(uri)?.endsWith(STREAMING_PATH) === true;
  return {
    what: streams
      ? `${what} (response streaming)`
      : streamingPathOnly
        ? `${what} (on ${STREAMING_PATH} but without ResponseTransferMode STREAM, so buffered)`
        : what,
    limitSeconds: limitFrom(
      timeoutInMillis,
      streams ? STREAMING_LIMIT_SECONDS : REST_LIMIT_SECONDS,
    ),
    kind: "rest",
    streams,
  };
}

/** An explicit TimeoutInMillis on the integration, else the API type's limit. */
function limitFrom(timeoutInMillis: unknown, defaultSeconds: number): number {
  const millis = numberOf(timeoutInMillis);
  return millis === undefined ? defaultSeconds : millis / 1000;
}
