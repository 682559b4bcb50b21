/**
 * lambda-permission-multiple-principals: a function that several services
 * may invoke receives several event shapes, and one handler branching on
 * them is harder to test, tune and size than one function per source.
 */
import { principalService, resourcesForFunction } from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

/** The principal SAM grants invoke permission to for each event type. */
const EVENT_PRINCIPALS: Record<string, string> = {
  Api: "apigateway.amazonaws.com",
  HttpApi: "apigateway.amazonaws.com",
  S3: "s3.amazonaws.com",
  SNS: "sns.amazonaws.com",
  EventBridgeRule: "events.amazonaws.com",
  CloudWatchEvent: "events.amazonaws.com",
  Schedule: "events.amazonaws.com",
  IoTRule: "iot.amazonaws.com",
  CloudWatchLogs: "logs.amazonaws.com",
  Cognito: "cognito-idp.amazonaws.com",
  AlexaSkill: "alexa-appkit.amazon.com",
};

export const lambdaPermissionMultiplePrincipals: AuditRule = {
  meta: {
    id: "lambda-permission-multiple-principals",
    severity: "warning",
    title: "Function invocable by several principals",
    rationale:
      "Each service sends its own payload; one function serving several must branch on the shape of the event, which is error-prone, and its memory and timeout must fit the heaviest source, so the others pay for it.",
    fix: "Give each invoking service its own function (and handler), sized and timed for its own events.",
    docs: docsFor("lambda-permission-multiple-principals"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      const sources = new Map<string, string[]>();
      const add = (principal: string, source: string) =>
        sources.set(principal, [...(sources.get(principal) ?? []), source]);
      for (const permission of resourcesForFunction(context, fn, "AWS::Lambda::Permission")) {
        const principal = permission.properties.Principal;
        const key =
          typeof principal === "string"
            ? (principalService(principal) ?? principal)
            : JSON.stringify(principal);
        add(key, permission.logicalId);
      }
      for (const event of fn.events) {
        const principal = EVENT_PRINCIPALS[event.type];
        if (principal !== undefined) {
          add(principalService(principal) ?? principal, `${event.type} event ${event.name}`);
        }
      }
      if (sources.size < 2) return [];
      const listed = [...sources.entries()]
        .map(([principal, from]) => `${principal} (${from.join(", ")})`)
        .join("; ");
      return [
        {
          resource: fn.logicalId,
          path: ["Resources", fn.logicalId],
          message: `${fn.logicalId} can be invoked by ${sources.size} different principals: ${listed}. It must handle each one's event shape.`,
        },
      ];
    });
  },
};
