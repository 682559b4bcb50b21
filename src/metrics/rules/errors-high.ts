/** errors-high: an error rate worth a look, with the figures. */

import { formatPercent } from "../../format.js";
import type { MetricsRule } from "./rule.js";

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
      evidence: `${fn.errors.toLocaleString("en-US")} errors in ${fn.invocations.toLocaleString("en-US")} invocations (${formatPercent(fn.errors / fn.invocations)})${timeouts}`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};
