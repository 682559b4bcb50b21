/**
 * api-no-throttling (serverless-rules ES2003): an API Gateway stage with no
 * default throttling lets a burst of requests through to Lambda up to the
 * account limits, and every one of them is billed.
 */
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { restApis, samHttpApis } from "./service-helpers.js";

function hasLimits(settings: unknown): boolean {
  return (
    isPlainObject(settings) &&
    settings.ThrottlingBurstLimit !== undefined &&
    settings.ThrottlingRateLimit !== undefined
  );
}

/** The default method setting (HttpMethod "*" on ResourcePath "/*") has both limits, as ES2003 asks. */
function restDefaultThrottled(methodSettings: unknown): boolean {
  const settings = Array.isArray(methodSettings) ? methodSettings : [];
  const defaults = settings.find(
    (setting) =>
      isPlainObject(setting) && setting.HttpMethod === "*" && setting.ResourcePath === "/*",
  );
  return hasLimits(defaults);
}

export const apiNoThrottling: AuditRule = {
  meta: {
    id: "api-no-throttling",
    severity: "warning",
    title: "API Gateway stage without default throttling",
    rationale:
      "Without stage throttling an API passes any burst on to Lambda up to the account's limits: a runaway client or an attack is billed per request and can take concurrency from every other function. serverless-rules ES2003.",
    fix: 'REST: a MethodSettings entry with HttpMethod "*", ResourcePath "/*", ThrottlingBurstLimit and ThrottlingRateLimit. HTTP: DefaultRouteSettings with ThrottlingBurstLimit and ThrottlingRateLimit.',
    docs: docsFor("api-no-throttling"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    const report = (resource: string, path: TemplatePath, setting: string) =>
      findings.push({
        resource,
        path,
        message: `${resource} has no default ${setting} with ThrottlingBurstLimit and ThrottlingRateLimit: any burst reaches Lambda and is billed.`,
      });
    for (const stage of context.resourcesOfType("AWS::ApiGateway::Stage")) {
      if (!restDefaultThrottled(stage.properties.MethodSettings)) {
        report(
          stage.logicalId,
          context.propertyPath(stage.logicalId, ["MethodSettings"]),
          "MethodSettings",
        );
      }
    }
    for (const stage of context.resourcesOfType("AWS::ApiGatewayV2::Stage")) {
      if (!hasLimits(stage.properties.DefaultRouteSettings)) {
        report(
          stage.logicalId,
          context.propertyPath(stage.logicalId, ["DefaultRouteSettings"]),
          "DefaultRouteSettings",
        );
      }
    }
    for (const api of restApis(context).filter((api) => api.kind !== "cloudformation")) {
      if (!restDefaultThrottled(api.properties.MethodSettings)) {
        report(api.logicalId, api.propertyPath(["MethodSettings"]), "MethodSettings");
      }
    }
    for (const api of samHttpApis(context)) {
      if (!hasLimits(api.properties.DefaultRouteSettings)) {
        report(api.logicalId, api.propertyPath(["DefaultRouteSettings"]), "DefaultRouteSettings");
      }
    }
    return findings;
  },
};
