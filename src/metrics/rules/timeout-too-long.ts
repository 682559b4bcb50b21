/**
 * timeout-too-long: a timeout far above what the function ever needs lets a
 * stuck invocation run (and bill) for minutes. Suggest three times the p99.9
 * duration, at least 3 s.
 */

import { formatMs } from "../../format.js";
import type { MetricsRule } from "./rule.js";

export const TIMEOUT_FACTOR = 10;
export const MINIMUM_REPORTS = 100;

export const timeoutTooLong: MetricsRule = {
  id: "timeout-too-long",
  title: "Timeout far above the slowest invocations",
  check(fn) {
    const timeout = fn.configuration?.timeoutSeconds;
    const slowest = fn.durationMs.p999 ?? fn.durationMs.max;
    if (timeout === undefined || slowest === null || fn.reportLines < MINIMUM_REPORTS) return null;
    if (timeout * 1000 < TIMEOUT_FACTOR * slowest || timeout <= 3) return null;
    const proposed = Math.max(3, Math.ceil((3 * slowest) / 1000));
    return {
      id: "timeout-too-long",
      severity: "info",
      message: `Lower the timeout from ${timeout} s to about ${proposed} s: a stuck invocation would otherwise run, and bill, for up to ${timeout} s.`,
      evidence: `p99.9 duration ${formatMs(slowest)} ms over ${fn.reportLines.toLocaleString("en-US")} invocations; timeout ${timeout} s`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};
