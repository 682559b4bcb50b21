/**
 * memory-undersized: the largest memory use is within 10% of the size, so an
 * out-of-memory kill is near. Up, with headroom.
 */

import { formatPercent } from "../../format.js";
import { MEMORY_MB } from "../../lambda/limits.js";
import { HEADROOM, roundedSize } from "./memory-size.js";
import type { MetricsRule } from "./rule.js";

export const UNDERSIZED_MAX_UTILIZATION = 0.9;

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
      message: `Raise memory to ${proposed} MB: the function came within ${formatPercent(1 - largest / size)} of ${size} MB, where Lambda kills it (Runtime.OutOfMemory).`,
      evidence: `largest memory used ${largest} MB of ${size} MB (${formatPercent(largest / size)})`,
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};
