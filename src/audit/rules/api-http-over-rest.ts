/**
 * api-http-over-rest: a REST API that uses nothing only REST APIs offer could
 * be an HTTP API, about 71% cheaper per request ($1.00 against $3.50 per
 * million in us-east-1) and with lower latency.
 */
import { isPlainObject } from "../../plain-object.js";
import { referencesResource } from "../../template/references.js";
import type { AuditContext } from "../audit-context.js";
import { type AuditRule, docsFor } from "../rule.js";
import {
  definitionOf,
  isTrue,
  openApiOperations,
  type RestApi,
  restApis,
  textOf,
} from "./service-helpers.js";

/** OpenAPI extensions and keys that only REST APIs understand. */
const REST_ONLY_OPENAPI = [
  "x-amazon-apigateway-api-key-source",
  "x-amazon-apigateway-request-validators",
  "x-amazon-apigateway-request-validator",
  "x-amazon-apigateway-policy",
  "x-amazon-apigateway-endpoint-configuration",
  "x-amazon-apigateway-gateway-responses",
  "x-amazon-apigateway-minimum-compression-size",
];

/** The first REST-only feature the API uses, in words; undefined when it uses none. */
function restOnlyFeature(context: AuditContext, api: RestApi): string | undefined {
  const properties = api.properties;
  const auth = isPlainObject(properties.Auth) ? properties.Auth : {};
  if (isTrue(auth.ApiKeyRequired) || auth.UsagePlan !== undefined) return "API keys / usage plans";
  if (auth.ResourcePolicy !== undefined || properties.Policy !== undefined)
    return "a resource policy";
  if (isTrue(properties.CacheClusterEnabled)) return "caching";
  const methodSettings = Array.isArray(properties.MethodSettings) ? properties.MethodSettings : [];
  if (methodSettings.some((setting) => isPlainObject(setting) && isTrue(setting.CachingEnabled))) {
    return "caching";
  }
  if (properties.Models !== undefined) return "request models";
  if (isTrue(properties.TracingEnabled) || isTrue(properties.Tracing)) return "X-Ray tracing";
  if (properties.MinimumCompressionSize !== undefined) return "response compression";
  const endpoint = properties.EndpointConfiguration;
  const endpointTypes = isPlainObject(endpoint)
    ? [endpoint.Type, ...(Array.isArray(endpoint.Types) ? endpoint.Types : [])]
    : [endpoint];
  const special = endpointTypes.find((type) => type === "PRIVATE" || type === "EDGE");
  if (special) return `a ${String(special).toLowerCase()} endpoint`;

  for (const event of api.events) {
    const eventAuth = isPlainObject(event.properties.Auth) ? event.properties.Auth : {};
    if (isTrue(eventAuth.ApiKeyRequired)) return "API keys / usage plans";
    if (event.properties.RequestModel !== undefined) return "request models";
    if (eventAuth.ResourcePolicy !== undefined) return "a resource policy";
  }

  const definition = definitionOf(api);
  if (definition) {
    const text = JSON.stringify(definition.body);
    const extension = REST_ONLY_OPENAPI.find((key) => text.includes(`"${key}"`));
    if (extension) return `the OpenAPI extension ${extension}`;
    if (/"type":"apiKey"/.test(text)) return "API keys / usage plans";
    for (const { operation } of openApiOperations(api)) {
      const integration = operation["x-amazon-apigateway-integration"];
      if (isPlainObject(integration) && !String(integration.type ?? "").endsWith("_proxy")) {
        return "a non-proxy integration (mapping templates)";
      }
    }
  }

  const id = api.logicalId;
  for (const resource of context.resources) {
    const p = resource.properties;
    switch (resource.type) {
      case "AWS::ApiGateway::UsagePlan":
        if (referencesResource(p.ApiStages, id)) return "API keys / usage plans";
        break;
      case "AWS::ApiGateway::ApiKey":
        if (referencesResource(p.StageKeys, id)) return "API keys / usage plans";
        break;
      case "AWS::ApiGateway::RequestValidator":
        if (referencesResource(p.RestApiId, id)) return "request validation";
        break;
      case "AWS::ApiGateway::Model":
        if (referencesResource(p.RestApiId, id)) return "request models";
        break;
      case "AWS::WAFv2::WebACLAssociation":
      case "AWS::WAFRegional::WebACLAssociation":
        if (referencesResource(p.ResourceArn, id) || textOf(p.ResourceArn)?.includes(`${id}`)) {
          return "a WAF web ACL";
        }
        break;
      case "AWS::ApiGateway::Stage": {
        if (!referencesResource(p.RestApiId, id)) break;
        const settings = Array.isArray(p.MethodSettings) ? p.MethodSettings : [];
        if (
          isTrue(p.CacheClusterEnabled) ||
          settings.some((setting) => isPlainObject(setting) && isTrue(setting.CachingEnabled))
        ) {
          return "caching";
        }
        if (isTrue(p.TracingEnabled)) return "X-Ray tracing";
        break;
      }
      case "AWS::ApiGateway::Method": {
        if (!referencesResource(p.RestApiId, id)) break;
        if (isTrue(p.ApiKeyRequired)) return "API keys / usage plans";
        if (p.RequestValidatorId !== undefined) return "request validation";
        if (isPlainObject(p.RequestModels) && Object.keys(p.RequestModels).length > 0) {
          return "request models";
        }
        const integration = isPlainObject(p.Integration) ? p.Integration : {};
        if (integration.ResponseTransferMode === "STREAM") return "response streaming";
        if (
          typeof integration.Type === "string" &&
          !["AWS_PROXY", "HTTP_PROXY"].includes(integration.Type)
        ) {
          return `a ${integration.Type} integration (mapping templates)`;
        }
        break;
      }
    }
  }
  return undefined;
}

export const apiHttpOverRest: AuditRule = {
  meta: {
    id: "api-http-over-rest",
    severity: "info",
    title: "REST API that could be an HTTP API",
    rationale:
      "An HTTP API costs about 71% less per request than a REST API ($1.00 against $3.50 per million in us-east-1) and adds less latency; this REST API uses none of the features only REST APIs have.",
    fix: "Move it to an HTTP API (AWS::Serverless::HttpApi, HttpApi events, or AWS::ApiGatewayV2::Api), after checking clients do not depend on REST-only behaviour.",
    docs: docsFor("api-http-over-rest"),
  },
  check(context) {
    return restApis(context).flatMap((api) => {
      if (restOnlyFeature(context, api) !== undefined) return [];
      const what =
        api.kind === "implicit"
          ? `The implicit REST API SAM creates for the Api events (${api.events.map((event) => `${event.function.logicalId}.${event.name}`).join(", ")})`
          : `REST API ${api.logicalId}`;
      return [
        {
          resource: api.logicalId,
          path: api.path,
          message: `${what} uses no REST-only feature (API keys, caching, request validation, WAF, private or edge endpoint, resource policy): an HTTP API would cost about 71% less per request and add less latency.`,
          fix:
            api.kind === "implicit"
              ? "Change the events from Type: Api to Type: HttpApi."
              : undefined,
        },
      ];
    });
  },
};
