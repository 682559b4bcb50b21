/**
 * memory-oversized / memory-undersized: compare the memory a function uses
 * with the memory it pays for. Down when p99 use is under half the size (with
 * the caveat that CPU shrinks with memory: confirm with `tune`); up when the
 * largest use is within 10% of the size (an out-of-memory kill is near).
 */

import { formatUsd } from "../../format.js";
import { MEMORY_MB } from "../../lambda/limits.js";
import { computeMonthlyUsd, type MetricsRule, percent } from "./rule.js";

export const OVERSIZED_P99_UTILIZATION = 0.5;
export const UNDERSIZED_MAX_UTILIZATION = 0.9;
/** Headroom kept above the largest use when sizing down. */
export const HEADROOM = 1.3;
export const MINIMUM_REPORTS = 20;

/** Round up to a multiple of 64 MB, within Lambda's range. */
export function roundedSize(memoryMb: number): number {
  return Math.min(MEMORY_MB.max, Math.max(MEMORY_MB.min, Math.ceil(memoryMb / 64) * 64));
}

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
      evidence: `p99 memory used is ${percent(p99)} of ${size} MB (largest ${largest} MB) over ${fn.reportLines.toLocaleString("en-US")} invocations`,
      monthlySavingsUsd: saving,
      monthlyCostUsd: null,
    };
  },
};

export const memoryUndersized: MetricsRule = {
  id: "memory-undersized",
  title: "Memory use close to the memory size",
  check(fn) {
    const size = fn.memorySizeMb;
    const largest = fn.maxMemoryUsedMb.max;
    if (size === null || largest === null || fn.reportLines === 0) return null;
    if (largest / size < UNDERSIZED_MAX_UTILIZATION || size >= MEMORY_MB.max) return null;
    const proposed = roundedSize(Math.max(size * 1.25, largest * HEADROOM));
    return {
      id: "memory-undersized",
      severity: "warning",
      message: `Raise memory to ${proposed} MB: the function came within ${percent(1 - largest / size)} of ${size} MB, where Lambda kills it (Runtime.OutOfMemory).`,
      evidence: `largest memory used ${largest} MB of ${size} MB (${percent(largest / size)})`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};
