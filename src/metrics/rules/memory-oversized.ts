/**
 * memory-oversized: the memory a function pays for is well above what it
 * uses. Down when p99 use is under half the size, with the caveat that CPU
 * shrinks with memory: confirm with `tune`.
 */

import { formatPercent, formatUsd } from "../../format.js";
import { MEMORY_MB } from "../../lambda/limits.js";
import { HEADROOM, roundedSize } from "./memory-size.js";
import { computeMonthlyUsd, type MetricsRule } from "./rule.js";

export const OVERSIZED_P99_UTILIZATION = 0.5;
export const MINIMUM_REPORTS = 20;

export const memoryOversized: MetricsRule = {
  id: "memory-oversized",
  title: "Memory size well above what the function uses",
  check(fn, context) {
    const size = fn.memorySizeMb;
    const p99 = fn.memoryUtilization.p99;
    const largest = fn.maxMemoryUsedMb.max;
    if (size === null || p99 === null || largest === null || fn.reportLines < MINIMUM_REPORTS)
      return null;
    if (p99 >= OVERSIZED_P99_UTILIZATION || size <= MEMORY_MB.min) return null;
    const proposed = roundedSize(largest * HEADROOM);
    if (proposed >= size) return null;
    // If durations stayed the same, compute cost scales with memory; they may not (less CPU).
    const computeShare = fn.billedDurationMs.mean !== null ? computeMonthlyUsd(fn, context) : null;
    const saving = computeShare === null ? null : computeShare * (1 - proposed / size);
    return {
      id: "memory-oversized",
      severity: "warning",
      message:
        `Try ${proposed} MB instead of ${size} MB` +
        (saving !== null
          ? `: about ${formatUsd(saving)} a month if durations stay the same.`
          : ".") +
        " Less memory also means less CPU, so confirm with `lambda-optimizer tune`.",
      evidence: `p99 memory used is ${formatPercent(p99)} of ${size} MB (largest ${largest} MB) over ${fn.reportLines.toLocaleString("en-US")} invocations`,
      monthlySavingsUsd: saving,
      monthlyCostUsd: null,
    };
  },
};
