/**
 * memory-default: MemorySize left unset gives 128 MB, and with it 7% of a
 * vCPU. Which size is right depends on the workload (I/O-bound code is often
 * cheapest at 128 MB, CPU-bound code faster and no dearer higher up), so the
 * size to set comes from a measurement: the function's latest saved `tune`
 * run (tuned-memory.ts). With one, the finding names the run and its figure
 * and --fix sets it. Without one, it quotes the guide's starting point for the
 * workload its triggers and imports suggest (memory-guidelines.ts), labelled
 * as guidance, says how to measure, and is not fixed: a guess is never
 * written into a template.
 */

import { formatMs, formatUsd } from "../../format.js";
import {
  describeMemoryPrior,
  memoryPrior,
  type WorkloadClues,
} from "../../lambda/memory-guidelines.js";
import { shellCommand } from "../../shell-word.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import type { ScopeSet } from "../code/function-code.js";
import { polledTriggers, synchronousTriggers } from "../function-facts.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import type { TunedMemory } from "../tuned-memory.js";

export const memoryDefault: AuditRule = {
  // the workload the guide's starting point is chosen for is inferred from the code's imports
  readsCode: true,
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
  const prior = describeMemoryPrior(memoryPrior(workloadClues(context, fn)));
  return {
    ...where,
    message: `${base}. ${prior}. That is guidance, not measurement: run \`${command}\` to measure; \`audit --fix\` then sets the size it recommends.`,
    fix: `Measure first: run ${command}, then \`audit --fix\` sets MemorySize from the saved run.`,
  };
}

/** What the template says calls the function, and what its code imports when the audit read it. */
function workloadClues(context: AuditContext, fn: FunctionResource): WorkloadClues {
  // Every synchronous trigger a template can declare is an HTTP caller: API Gateway or a Function URL.
  const code = context.environment.code?.forFunction(context, fn);
  return {
    httpTriggers: synchronousTriggers(context, fn),
    polledTriggers: polledTriggers(context, fn),
    ...(code
      ? {
          code: {
            imports: code.modules.flatMap((module) =>
              module.imports.map((entry) => entry.specifier),
            ),
            handlerFunctions: functionsIn(code.handlerPath),
          },
        }
      : {}),
  };
}

/** Functions of the function's own code that run on every invocation: the handler and what it calls. */
function functionsIn(scopes: ScopeSet): number {
  let count = 0;
  for (const indexes of scopes.values())
    for (const index of indexes) if (index !== undefined) count++;
  return count;
}

/** "cost strategy, $0.00000021 per invocation, p95 41 ms". */
function describeTuned(tuned: TunedMemory): string {
  return `${tuned.strategy} strategy, ${formatUsd(tuned.costPerInvocationUsd)} per invocation, p95 ${formatMs(tuned.durationMsP95)} ms`;
}

/** The command that tunes this template function locally; its run is then found by name. */
export function tuneCommandFor(template: string, logicalId: string): string {
  return shellCommand(["lambda-optimizer", "tune", "--template", template, logicalId]);
}
