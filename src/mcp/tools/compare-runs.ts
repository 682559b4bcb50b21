/**
 * The `compare_runs` tool: the `compare` command for an agent. The input is
 * the library's CompareOptionsSchema (two runs by file or saved run id, the
 * gates, force), the output the Comparison `compare --json` prints, the
 * summary the runs, the recommendation's change and the verdict.
 */
import { summarizeComparison } from "../../report/comparison-text.js";
import { ComparisonSchema } from "../../tuning/compare.js";
import { CompareOptionsSchema } from "../../tuning/compare-options.js";
import { compareSavedRuns } from "../../tuning/compare-saved-runs.js";
import { RUN_URI_TEMPLATE } from "../resources.js";
import { defineTool } from "../tool.js";

/** The saved runs' resources name a run by URI (resources.ts); the run's id follows the prefix. */
const RUN_URI_PREFIX = RUN_URI_TEMPLATE.replace("{runId}", "");
const runName = (name: string) =>
  name.startsWith(RUN_URI_PREFIX) ? decodeURIComponent(name.slice(RUN_URI_PREFIX.length)) : name;

export const compareRunsTool = defineTool({
  name: "compare_runs",
  title: "Compare two tuning runs",
  description:
    "Compare two power_tune / `lambda-optimizer tune` runs of one function, before and after a " +
    "change, configuration by configuration (matched by memory and architecture): cost per " +
    "invocation and p95 duration before and after, and whether the change is a regression " +
    "(a rise past maxCostIncrease, default 0.05 = 5%, or maxP95Increase, default 0.1; a " +
    "configuration that now fails; a recommendation lost). Name each run by its file (oldFile, " +
    "newFile: the JSON tune --out writes), by the id of a run saved under " +
    ".lambda-optimizer/runs/, or by its resource URI (lambda-optimizer://runs/{runId}). Runs of " +
    "two different functions are refused unless force. With maxAgeDays, the newer run is also " +
    "judged stale (a failed gate) when it is older than that many days or its function's code " +
    "changed since it was tuned; a deployed function's code is then asked of the Lambda API.",
  input: CompareOptionsSchema,
  output: ComparisonSchema,
  // Open world: with maxAgeDays, a deployed function's CodeSha256 is asked of the Lambda API.
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
  async run(input) {
    const compared = await compareSavedRuns({
      ...input,
      oldFile: runName(input.oldFile),
      newFile: runName(input.newFile),
    });
    return {
      structured: compared.comparison,
      summary: summarizeComparison(compared.comparison, compared),
    };
  },
});
