/**
 * What a saved `tune` run says a template function's memory should be, for
 * memory-default and its --fix: the latest complete run of that function
 * among those `tune` kept (saved-function-runs.ts says where they are read
 * and how a run is matched to a template function), and the size it
 * recommended.
 */

import type { SavedTuneResult } from "../tuning/saved-runs.js";
import type { FunctionResource } from "./audit-context.js";
import { SavedFunctionRuns } from "./saved-function-runs.js";

/** The size a saved run recommends, and where it comes from. */
export interface TunedMemory {
  readonly memoryMb: number;
  /** The run file, relative to the audit's folder. */
  readonly file: string;
  /** The function's name in the run. */
  readonly functionName: string;
  readonly createdAt: string;
  readonly strategy: string;
  readonly costPerInvocationUsd: number;
  readonly durationMsP95: number;
}

export class TunedMemoryIndex {
  /**
   * `cwd`: the folder the audit runs from; its runs folder is read, and file names are shown
   * relative to it. `runs`: the saved runs, when the audit shares them with other rules.
   */
  constructor(
    cwd: string,
    private readonly runs: SavedFunctionRuns = new SavedFunctionRuns(cwd),
  ) {}

  /** The latest complete, recommending run of the function declared in `template` (absolute path). */
  forFunction(fn: FunctionResource, template: string): TunedMemory | undefined {
    const latest = this.runs
      .of(fn, template)
      .find(({ result }) => result.recommendation !== null && !isDryRun(result));
    if (!latest) return undefined;
    const recommendation = latest.result.recommendation!;
    return {
      memoryMb: recommendation.memoryMb,
      file: latest.file,
      functionName: latest.result.target.functionName,
      createdAt: latest.result.createdAt,
      strategy: recommendation.strategy,
      costPerInvocationUsd: recommendation.costPerInvocationUsd,
      durationMsP95: recommendation.durationMsP95,
    };
  }
}

/**
 * A dry run (`tune --dry-run`) invokes each configuration once and says
 * itself that its recommendation is not to be trusted.
 */
function isDryRun(result: SavedTuneResult["result"]): boolean {
  return result.settings.num > 1 && result.results.every((row) => row.invocations <= 1);
}
