/**
 * arm64-saving: a function on x86_64 pays about 20% more per GB-second
 * than on arm64 (Graviton). The saving is priced from the table; native
 * dependencies must be built for arm64 (`lambda-optimizer audit` checks).
 * Not named arm64-candidate: that is the audit rule reading templates, and a
 * recommendation id should say which tool made it.
 */
import { formatPercent, formatUsd } from "../../format.js";
import { arm64SavingPerGbSecond } from "../../pricing/price-table.js";
import { computeMonthlyUsd, type MetricsRule } from "./rule.js";

export const arm64Saving: MetricsRule = {
  id: "arm64-saving",
  title: "x86_64 function that could run on arm64",
  check(fn, context) {
    if (fn.architecture !== "x86_64" || fn.invocations === 0) return null;
    const rates = arm64SavingPerGbSecond(context.priceTable, context.region);
    const compute = computeMonthlyUsd(fn, context);
    const saving = compute === null ? null : compute * rates.share;
    return {
      id: "arm64-saving",
      severity: "info",
      message:
        `Move to arm64: ${formatPercent(rates.share, 0)} cheaper per GB-second` +
        (saving !== null ? `, about ${formatUsd(saving)} a month at today's durations` : "") +
        ". Check native dependencies first (`lambda-optimizer audit`), and measure both with `tune --arch x86_64,arm64`.",
      evidence: `${fn.architectureKnown ? "runs on" : "assumed (Lambda's default)"} x86_64 at ${formatUsd(rates.x86PerGbSecond)} per GB-s against ${formatUsd(rates.arm64PerGbSecond)} on arm64 in ${context.region}`,
      monthlySavingsUsd: saving,
      monthlyCostUsd: null,
    };
  },
};
