/** throttles-present: Lambda turned invocations away; says whose limit did it. */
import type { MetricsRule } from "./rule.js";

export const throttlesPresent: MetricsRule = {
  id: "throttles-present",
  title: "Throttled invocations",
  check(fn) {
    if (!fn.throttles) return null;
    const reserved = fn.configuration?.reservedConcurrency;
    return {
      id: "throttles-present",
      severity: "warning",
      message:
        reserved !== null && reserved !== undefined
          ? `Lambda throttled this function at its reserved concurrency of ${reserved}: raise it, or smooth the load (a queue in front).`
          : "Lambda throttled this function: the account's concurrency limit was reached. Reserve concurrency for it, or ask for a higher limit.",
      evidence: `${fn.throttles.toLocaleString("en-US")} throttles against ${fn.invocations.toLocaleString("en-US")} invocations`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};
