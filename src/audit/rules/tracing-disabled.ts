/**
 * tracing-disabled: without active X-Ray tracing, where a slow invocation
 * spends its time (initialisation, handler, downstream calls) is invisible.
 */
import { propertyAt } from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

export const tracingDisabled: AuditRule = {
  meta: {
    id: "tracing-disabled",
    severity: "info",
    title: "X-Ray tracing not active",
    rationale:
      "Active tracing records each invocation's initialisation, handler time and downstream calls, which is how a slow or costly invocation is explained; without it, latency work is guesswork.",
    fix: "Set Tracing: Active (SAM, or Globals.Function) or TracingConfig: {Mode: Active} (CloudFormation), and give the role xray:PutTraceSegments (SAM adds it). X-Ray bills per trace recorded beyond its free tier: sample accordingly.",
    docs: docsFor("tracing-disabled"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      const sam = fn.flavour === "sam";
      const mode = sam
        ? fn.properties.Tracing
        : propertyAt(fn.properties, ["TracingConfig", "Mode"]);
      if (mode === "Active") return [];
      const property = sam ? ["Tracing"] : ["TracingConfig", "Mode"];
      return [
        {
          resource: fn.logicalId,
          path: context.propertyPath(fn.logicalId, property),
          message: `${fn.logicalId} does not have active tracing (${property.join(".")} is ${mode === undefined ? "unset" : JSON.stringify(mode)}).`,
          fix: sam
            ? "Set Tracing: Active (here or in Globals.Function)."
            : "Set TracingConfig: {Mode: Active}.",
        },
      ];
    });
  },
};
