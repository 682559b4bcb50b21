/** errors-high / throttles-present: failure rates worth a look, with the figures. */
import type { MetricsRule } from "./rule.js";
import { percent } from "./rule.js";

export const ERROR_RATE = 0.01;

export const errorsHigh: MetricsRule = {
  id: "errors-high",
  title: "Error rate above 1%",
  check(fn) {
    if (fn.invocations === 0 || fn.errors / fn.invocations < ERROR_RATE) return null;
    const timeouts =
      fn.timeouts > 0 ? `, ${fn.timeouts.toLocaleString("en-US")} of them timeouts` : "";
    return {
      id: "errors-high",
      severity: "warning",
      message: `Look at the errors: every failed invocation is billed, and retries bill again.`,
      evidence: `${fn.errors.toLocaleString("en-US")} errors in ${fn.invocations.toLocaleString("en-US")} invocations (${percent(fn.errors / fn.invocations)})${timeouts}`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};

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
