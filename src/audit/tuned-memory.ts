/**
 * What a saved `tune` run says a template function's memory should be, for
 * memory-default and its --fix: the latest complete run of that function
 * among those `tune` kept (.lambda-optimizer/runs/ in the folder the audit
 * runs from, and beside each template), and the size it recommended.
 *
 * A run names its function (`target.functionName`): `tune --template T Id`
 * names it the template's FunctionName, else its logical id; a deployed
 * function is named by FunctionName, or by CloudFormation's generated
 * `<stack>-<LogicalId>-<suffix>`. A run of a bare handler file
 * (`tune app.mjs:handler`) is named after the file, which does not say which
 * template function it was, so it is not used.
 */
import { dirname, join, relative } from "node:path";
import { RUNS_FOLDER, readSavedTuneResults, type SavedTuneResult } from "../tuning/saved-runs.js";
import type { FunctionResource } from "./audit-context.js";

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
  private readonly folders = new Map<string, readonly SavedTuneResult[]>();

  /** `cwd`: the folder the audit runs from; its runs folder is read, and file names are shown relative to it. */
  constructor(private readonly cwd: string) {}

  /** The latest complete, recommending run of the function declared in `template` (absolute path). */
  forFunction(fn: FunctionResource, template: string): TunedMemory | undefined {
    const names = namesOf(fn);
    // The folder the audit runs from and the template's own: one folder when they are the same.
    const folders = new Set([join(this.cwd, RUNS_FOLDER), join(dirname(template), RUNS_FOLDER)]);
    const runs = [...folders].flatMap((folder) => this.runsIn(folder));
    const latest = runs
      .filter(({ result }) => result.recommendation !== null && !isDryRun(result))
      .filter(({ result }) => names.matches(result.target.functionName, result.target.kind))
      .sort(
        (a, b) =>
          b.result.createdAt.localeCompare(a.result.createdAt) || b.file.localeCompare(a.file),
      )[0];
    if (!latest) return undefined;
    const recommendation = latest.result.recommendation!;
    return {
      memoryMb: recommendation.memoryMb,
      file: relative(this.cwd, latest.file) || latest.file,
      functionName: latest.result.target.functionName,
      createdAt: latest.result.createdAt,
      strategy: recommendation.strategy,
      costPerInvocationUsd: recommendation.costPerInvocationUsd,
      durationMsP95: recommendation.durationMsP95,
    };
  }

  private runsIn(folder: string): readonly SavedTuneResult[] {
    let runs = this.folders.get(folder);
    if (runs === undefined) {
      runs = readSavedTuneResults(folder).results;
      this.folders.set(folder, runs);
    }
    return runs;
  }
}

/**
 * A dry run (`tune --dry-run`) invokes each configuration once and says
 * itself that its recommendation is not to be trusted.
 */
function isDryRun(result: SavedTuneResult["result"]): boolean {
  return result.settings.num > 1 && result.results.every((row) => row.invocations <= 1);
}

function namesOf(fn: FunctionResource) {
  const functionName =
    typeof fn.properties.FunctionName === "string" ? fn.properties.FunctionName : undefined;
  // CloudFormation's generated names: <stack>-<LogicalId, maybe cut short>-<12 characters>.
  const generated = new RegExp(`^.+-${escapeRegExp(fn.logicalId)}-[A-Za-z0-9]{8,16}$`);
  return {
    matches(name: string, kind: "local" | "aws"): boolean {
      if (functionName !== undefined) return name === functionName;
      if (name === fn.logicalId) return true;
      return kind === "aws" && generated.test(name);
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
