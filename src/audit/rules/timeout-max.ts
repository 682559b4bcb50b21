/**
 * timeout-max: a Timeout at the 900 s maximum lets a stuck invocation bill for
 * 15 minutes; an asynchronously invoked function left at the 3 s default may
 * not fit its work and then retries, billing again.
 */
import { ASYNC_EVENT_TYPES } from "../function-facts.js";
import { type AuditRule, docsFor } from "../rule.js";

export const timeoutMax: AuditRule = {
  meta: {
    id: "timeout-max",
    severity: "warning",
    title: "Timeout at the maximum, or unset on an asynchronously invoked function",
    rationale:
      "A 900 s timeout lets a stuck invocation run and bill for 15 minutes; the 3 s default on an asynchronous function may cut work short, and Lambda retries it twice.",
    fix: "Set Timeout to a few times the function's p99.9 duration (`lambda-optimizer metrics` measures it).",
    docs: docsFor("timeout-max"),
  },
  check(context) {
    return context.functions.flatMap((fn) => {
      const timeout = fn.properties.Timeout;
      if (timeout === 900 || timeout === "900") {
        return [
          {
            resource: fn.logicalId,
            path: context.propertyPath(fn.logicalId, ["Timeout"]),
            message: `${fn.logicalId} has the maximum Timeout of 900 s: a stuck invocation runs, and bills, for 15 minutes.`,
          },
        ];
      }
      const asyncEvents = fn.events.filter((event) => ASYNC_EVENT_TYPES.has(event.type));
      if (timeout === undefined && asyncEvents.length > 0) {
        return [
          {
            resource: fn.logicalId,
            path: context.propertyPath(fn.logicalId, ["Timeout"]),
            message: `${fn.logicalId} is invoked asynchronously (${asyncEvents.map((event) => event.type).join(", ")}) with the default 3 s Timeout: work that takes longer fails and is retried twice.`,
            fix: "Set Timeout to what the work needs, with headroom.",
          },
        ];
      }
      return [];
    });
  },
};
