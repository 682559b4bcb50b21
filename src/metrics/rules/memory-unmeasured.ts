/**
 * memory-unmeasured: nothing measured the function's memory use (no REPORT
 * line was read, so no Max Memory Used: a window with no invocations, logs
 * CloudWatch no longer holds, --max-log-events 0), so memory-undersized and
 * memory-oversized cannot speak. What is left is the guide's starting point
 * for the workload its event source mappings suggest (memory-guidelines.ts),
 * said as guidance, never as a measurement, and never priced: a saving from a
 * guessed size would be a guess too. As soon as one REPORT line is read, the
 * measured rules take over and this one is silent.
 */
import {
  describeMemoryPrior,
  type MemoryGuideline,
  meetsGuideline,
  memoryPrior,
} from "../../lambda/memory-guidelines.js";
import type { FunctionFigures, MetricsRule } from "./rule.js";

export const memoryUnmeasured: MetricsRule = {
  id: "memory-unmeasured",
  title: "Memory use not measured: the guide's starting point",
  check(fn) {
    if (fn.maxMemoryUsedMb.max !== null) return null;
    // The Lambda API names the queues and streams mappings read; what else calls a function
    // (API Gateway, Function URLs) is not read by metrics, so it cannot be a clue here.
    const sources = fn.configuration?.eventSources ?? [];
    const prior = memoryPrior({
      httpTriggers: [],
      polledTriggers: sources.map((source) => `${source.service} event source mapping`),
    });
    return {
      id: "memory-unmeasured",
      severity: "info",
      message: `${describeMemoryPrior(prior)}${configured(fn, prior.guidelines)}. That is guidance, not measurement: no REPORT line was read, so nothing measured its memory; run \`lambda-optimizer tune\` to measure.`,
      evidence: [
        `no REPORT line read${fn.invocations > 0 ? ` for ${fn.invocations.toLocaleString("en-US")} invocations` : ""}, so no Max Memory Used`,
        fn.memorySizeMb !== null ? `${fn.memorySizeMb} MB configured` : "memory size unknown",
        sources.length > 0
          ? `fed by ${sources.map((source) => source.service).join(", ")} (event source mappings)`
          : "no event source mapping",
      ].join("; "),
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};

/** "; it has 1024 MB", and whether that is the guide's size for its workload. */
function configured(fn: FunctionFigures, guidelines: readonly MemoryGuideline[]): string {
  const size = fn.memorySizeMb;
  if (size === null) return "";
  const only = guidelines.length === 1 ? guidelines[0] : undefined;
  if (only && meetsGuideline(size, only)) return `; it has ${size} MB, as the guide suggests`;
  return `; it has ${size} MB`;
}
