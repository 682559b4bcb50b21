/**
 * api-cache-get: a REST API serving GET methods without a cache sends every
 * repeated read to Lambda, paying for each invocation and its latency.
 */
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { referencesResource } from "../../template/references.js";
import type { AuditContext } from "../audit-context.js";
import { type AuditRule, docsFor } from "../rule.js";
import { isTrue, openApiOperations, type RestApi, restApis } from "./service-helpers.js";

function cachingIn(settings: Record<string, unknown>): boolean {
  if (isTrue(settings.CacheClusterEnabled)) return true;
  const methodSettings = Array.isArray(settings.MethodSettings) ? settings.MethodSettings : [];
  return methodSettings.some((setting) => isPlainObject(setting) && isTrue(setting.CachingEnabled));
}

/** Caching on the API itself, or on a stage or deployment of it. */
function hasCaching(context: AuditContext, api: RestApi): boolean {
  if (cachingIn(api.properties)) return true;
  return context.resources.some((resource) => {
    if (!referencesResource(resource.properties.RestApiId, api.logicalId)) return false;
    if (resource.type === "AWS::ApiGateway::Stage") return cachingIn(resource.properties);
    if (resource.type === "AWS::ApiGateway::Deployment") {
      const description = resource.properties.StageDescription;
      return (
        isPlainObject(description) && (cachingIn(description) || isTrue(description.CachingEnabled))
      );
    }
    return false;
  });
}

/** The API's GET methods: where each is written, and its path for the message. */
function getMethods(context: AuditContext, api: RestApi): { route: string; path: TemplatePath }[] {
  const fromEvents = api.events
    .filter((event) => String(event.properties.Method ?? "").toLowerCase() === "get")
    .map((event) => ({
      route: String(event.properties.Path ?? "?"),
      path: [...event.path, "Properties", "Method"],
    }));
  const fromDefinition = openApiOperations(api)
    .filter((operation) => operation.method === "get")
    .map((operation) => ({ route: operation.path, path: operation.templatePath }));
  const fromMethods = context
    .resourcesOfType("AWS::ApiGateway::Method")
    .filter(
      (method) =>
        referencesResource(method.properties.RestApiId, api.logicalId) &&
        String(method.properties.HttpMethod ?? "").toUpperCase() === "GET",
    )
    .map((method) => ({
      route: method.logicalId,
      path: ["Resources", method.logicalId, "Properties", "HttpMethod"],
    }));
  return [...fromEvents, ...fromDefinition, ...fromMethods];
}

export const apiCacheGet: AuditRule = {
  meta: {
    id: "api-cache-get",
    severity: "info",
    title: "REST API with GET methods and no cache",
    rationale:
      "Without a cache every repeated GET invokes Lambda: a cache hit costs no invocation and answers in milliseconds. The cache itself is billed by the hour (from about $0.02 for 0.5 GB), so it pays off on read-heavy APIs.",
    fix: "Set CacheClusterEnabled: true and CacheClusterSize on the stage (or the AWS::Serverless::Api), with MethodSettings CachingEnabled and a CacheTtlInSeconds the data can bear.",
    docs: docsFor("api-cache-get"),
  },
  check(context) {
    return restApis(context).flatMap((api) => {
      const gets = getMethods(context, api);
      if (gets.length === 0 || hasCaching(context, api)) return [];
      const routes = gets.map((get) => get.route).join(", ");
      return [
        {
          resource: api.logicalId,
          path: api.kind === "implicit" ? gets[0]!.path : api.propertyPath(["CacheClusterEnabled"]),
          message: `REST API ${api.logicalId} serves GET (${routes}) with no cache: every repeated read invokes Lambda and pays for it.`,
        },
      ];
    });
  },
};
