/**
 * memory-unmeasured: nothing measured the function's memory use (no REPORT
 * line was read, so no Max Memory Used: a window with no invocations, logs
 * CloudWatch no longer holds, --max-log-events 0), so memory-undersized and
 * memory-oversized cannot speak. What is left is the guide's starting point
 * for the workload its callers suggest (memory-guidelines.ts): a Function URL
 * or an API Gateway or load balancer permission makes it an API handler, an
 * event source mapping a queue or stream consumer. Said as guidance, never
 * as a measurement, and never priced: a saving from a guessed size would be
 * a guess too. As soon as one REPORT line is read, the measured rules take
 * over and this one is silent. The code is not read (the deployed package is
 * not downloaded), so an ML or image library is no clue here: audit reads it.
 */
import {
  describeMemoryPrior,
  type MemoryGuideline,
  meetsGuideline,
  memoryPrior,
} from "../../lambda/memory-guidelines.js";
import type { FunctionFigures, MetricsRule } from "./rule.js";

type FunctionConfiguration = NonNullable<FunctionFigures["configuration"]>;

export const memoryUnmeasured: MetricsRule = {
  id: "memory-unmeasured",
  title: "Memory use not measured: the guide's starting point",
  check(fn) {
    if (fn.maxMemoryUsedMb.max !== null) return null;
    // The Lambda API names the callers, not the code: metrics does not download the deployed
    // package to read its imports, so an ML or image library is not a clue here (audit reads them).
    const sources = fn.configuration?.eventSources ?? [];
    const http = fn.configuration?.httpCallers;
    const prior = memoryPrior({
      httpTriggers: http?.callers ?? [],
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
        ...(http ? [httpEvidence(http)] : []),
      ].join("; "),
      monthlySavingsUsd: null,
      monthlyCostUsd: null,
    };
  },
};

/** What the Lambda API said of its callers over HTTP, and which reads it refused. */
function httpEvidence(http: NonNullable<FunctionConfiguration["httpCallers"]>): string {
  const found =
    http.callers.length > 0
      ? `called over HTTP through ${http.callers.join(", ")}`
      : "no Function URL, API Gateway or load balancer permission";
  if (http.unread.length === 0) return found;
  return `${found} as far as could be read (${http.unread.join(", ")}: lambda:GetFunctionUrlConfig and lambda:GetPolicy let metrics see them)`;
}

/** "; it has 1024 MB", and whether that is the guide's size for its workload. */
function configured(fn: FunctionFigures, guidelines: readonly MemoryGuideline[]): string {
  const size = fn.memorySizeMb;
  if (size === null) return "";
  const only = guidelines.length === 1 ? guidelines[0] : undefined;
  if (only && meetsGuideline(size, only)) return `; it has ${size} MB, as the guide suggests`;
  return `; it has ${size} MB`;
}
