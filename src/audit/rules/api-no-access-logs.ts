/**
 * api-no-access-logs (serverless-rules ES2000): an API Gateway stage without
 * access logs leaves no record of who called what, how long it took, and which
 * status it returned.
 */
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { restApis, samHttpApis } from "./service-helpers.js";

/** What is missing from an access-log setting, or undefined when it names a destination. */
function missing(setting: unknown, property: string): string | undefined {
  if (setting === undefined) return `has no ${property}`;
  if (!isPlainObject(setting) || setting.DestinationArn === undefined) {
    return `has no ${property}.DestinationArn`;
  }
  return undefined;
}

export const apiNoAccessLogs: AuditRule = {
  meta: {
    id: "api-no-access-logs",
    severity: "warning",
    title: "API Gateway stage without access logs",
    rationale:
      "Without access logs there is no per-request record of caller, route, status and latency (integration latency included) to find slow or failing routes, or to measure what an API costs. serverless-rules ES2000.",
    fix: "Set AccessLogSetting (REST) or AccessLogSettings (HTTP) with a DestinationArn to a log group with a retention, and a JSON Format.",
    docs: docsFor("api-no-access-logs"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    const report = (resource: string, path: TemplatePath, problem: string, kind: string) =>
      findings.push({
        resource,
        path,
        message: `${kind} ${resource} ${problem}: its requests leave no access log.`,
      });

    for (const stage of context.resourcesOfType("AWS::ApiGateway::Stage")) {
      const problem = missing(stage.properties.AccessLogSetting, "AccessLogSetting");
      if (problem) {
        report(
          stage.logicalId,
          context.propertyPath(stage.logicalId, ["AccessLogSetting"]),
          problem,
          "API Gateway stage",
        );
      }
    }
    for (const stage of context.resourcesOfType("AWS::ApiGatewayV2::Stage")) {
      const problem = missing(stage.properties.AccessLogSettings, "AccessLogSettings");
      if (problem) {
        report(
          stage.logicalId,
          context.propertyPath(stage.logicalId, ["AccessLogSettings"]),
          problem,
          "API Gateway stage",
        );
      }
    }
    // SAM APIs: the stage SAM creates takes these settings from the API.
    for (const api of restApis(context).filter((api) => api.kind !== "cloudformation")) {
      const problem = missing(api.properties.AccessLogSetting, "AccessLogSetting");
      if (problem)
        report(api.logicalId, api.propertyPath(["AccessLogSetting"]), problem, "REST API");
    }
    for (const api of samHttpApis(context)) {
      const problem = missing(api.properties.AccessLogSettings, "AccessLogSettings");
      if (problem)
        report(api.logicalId, api.propertyPath(["AccessLogSettings"]), problem, "HTTP API");
    }
    return findings;
  },
};
