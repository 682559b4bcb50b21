/**
 * api-timeout-mismatch: API Gateway gives up on an integration after 29 s
 * (REST, WebSocket) or 30 s (HTTP API); a function allowed to run longer keeps
 * running, and billing, after the caller has received a 504.
 */
import { isPlainObject } from "../../plain-object.js";
import { referencedResource, referencesResource } from "../../template/references.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import { numberOf } from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

const REST_LIMIT_SECONDS = 29;
const HTTP_LIMIT_SECONDS = 30;

interface Integration {
  readonly what: string;
  readonly limitSeconds: number;
}

export const apiTimeoutMismatch: AuditRule = {
  meta: {
    id: "api-timeout-mismatch",
    severity: "error",
    title: "Function Timeout above its API Gateway integration timeout",
    rationale:
      "API Gateway answers 504 after 29 s (REST) or 30 s (HTTP API) while the function runs on to its own Timeout: the caller gets an error and the account pays for the seconds nobody waits for.",
    fix: "Set Timeout at or below the integration timeout (29 s REST, 30 s HTTP API), or move long work behind an asynchronous invocation or a queue.",
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
          fix: `Set Timeout to ${tightest.limitSeconds} or less, or hand long work to an asynchronous invocation or a queue.`,
        },
      ];
    });
  },
};

function integrationsOf(context: AuditContext, fn: FunctionResource): Integration[] {
  const integrations: Integration[] = [];
  for (const event of fn.events) {
    if (event.type !== "Api" && event.type !== "HttpApi") continue;
    const limit = event.type === "Api" ? REST_LIMIT_SECONDS : HTTP_LIMIT_SECONDS;
    integrations.push({
      what: `${event.type === "Api" ? "REST API" : "HTTP API"} event ${event.name}`,
      limitSeconds: limitFrom(event.properties.TimeoutInMillis, limit),
    });
  }
  for (const method of context.resourcesOfType("AWS::ApiGateway::Method")) {
    const integration = method.properties.Integration;
    if (!isPlainObject(integration) || !referencesResource(integration.Uri, fn.logicalId)) continue;
    integrations.push({
      what: `REST API method ${method.logicalId}`,
      limitSeconds: limitFrom(integration.TimeoutInMillis, REST_LIMIT_SECONDS),
    });
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
    });
  }
  return integrations;
}

/** An explicit TimeoutInMillis on the integration, else the API type's limit. */
function limitFrom(timeoutInMillis: unknown, defaultSeconds: number): number {
  const millis = numberOf(timeoutInMillis);
  return millis === undefined ? defaultSeconds : millis / 1000;
}
