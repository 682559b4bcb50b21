/**
 * memory-default: MemorySize left unset gives 128 MB, and with it 7% of a
 * vCPU. Which size is right depends on the workload (I/O-bound code is often
 * cheapest at 128 MB, CPU-bound code faster and no dearer higher up), so the
 * size to set comes from a measurement: the function's latest saved `tune`
 * run (tuned-memory.ts). With one, the finding names the run and its figure
 * and --fix sets it; without one, it says how to measure and is not fixed.
 */

import { formatMs, formatUsd } from "../../format.js";
import { shellCommand } from "../../shell-word.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import type { TunedMemory } from "../tuned-memory.js";

export const memoryDefault: AuditRule = {
  meta: {
    id: "memory-default",
    severity: "warning",
    title: "MemorySize not set",
    rationale:
      "Without MemorySize a function gets 128 MB, and CPU in proportion (about 7% of a vCPU). Whether that is cheapest depends on the workload, so the size should be measured, not guessed.",
    fix: "Measure with `lambda-optimizer tune`, then set MemorySize to the size it recommends (`audit --fix` does, from the saved run).",
    docs: docsFor("memory-default"),
  },
  check(context) {
    return context.functions
      .filter((fn) => fn.properties.MemorySize === undefined)
      .map((fn) => findingFor(context, fn));
  },
};

function findingFor(context: AuditContext, fn: FunctionResource): RuleFinding {
  const base = `${fn.logicalId} has no MemorySize, so it runs at 128 MB with about 7% of a vCPU`;
  const where = {
    resource: fn.logicalId,
    path: context.propertyPath(fn.logicalId, ["MemorySize"]),
  };
  const tuned = context.environment.tunedMemory?.forFunction(fn, context.file);
  if (tuned) {
    return {
      ...where,
      message: `${base}. Its latest tune run, ${tuned.file} (${tuned.createdAt.slice(0, 10)}), recommends ${tuned.memoryMb} MB: ${describeTuned(tuned)}.`,
      fix: `Set MemorySize: ${tuned.memoryMb}, the size recommended by ${tuned.file}.`,
      fixValue: tuned.memoryMb,
    };
  }
  const command = tuneCommandFor(context.shownFile, fn.logicalId);
  return {
    ...where,
    message: `${base}. Measure first: run \`${command}\`; \`audit --fix\` then sets the size it recommends.`,
    fix: `Measure first: run ${command}, then \`audit --fix\` sets MemorySize from the saved run.`,
  };
}

/** "cost strategy, $0.00000021 per invocation, p95 41 ms". */
function describeTuned(tuned: TunedMemory): string {
  return `${tuned.strategy} strategy, ${formatUsd(tuned.costPerInvocationUsd)} per invocation, p95 ${formatMs(tuned.durationMsP95)} ms`;
}

/** The command that tunes this template function locally; its run is then found by name. */
export function tuneCommandFor(template: string, logicalId: string): string {
  return shellCommand(["lambda-optimizer", "tune", "--template", template, logicalId]);
}
