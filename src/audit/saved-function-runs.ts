/**
 * The saved `tune` runs of one template function, for the audit's rules that
 * quote a measurement (memory-default's size, slow-start-sync's init
 * duration): the complete runs `tune` kept in .lambda-optimizer/runs/ of the
 * folder the audit runs from and beside each template, newest first.
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

/** A saved run of the function, its file shown relative to the audit's folder. */
export interface FunctionRun {
  /** The run file, relative to the audit's folder. */
  readonly file: string;
  readonly result: SavedTuneResult["result"];
}

export class SavedFunctionRuns {
  private readonly folders = new Map<string, readonly SavedTuneResult[]>();

  /** `cwd`: the folder the audit runs from; its runs folder is read, and file names are shown relative to it. */
  constructor(private readonly cwd: string) {}

  /** The complete runs of the function declared in `template` (absolute path), newest first. */
  of(fn: FunctionResource, template: string): FunctionRun[] {
    const names = namesOf(fn);
    // The folder the audit runs from and the template's own: one folder when they are the same.
    const folders = new Set([join(this.cwd, RUNS_FOLDER), join(dirname(template), RUNS_FOLDER)]);
    return [...folders]
      .flatMap((folder) => this.runsIn(folder))
      .filter(({ result }) => names.matches(result.target.functionName, result.target.kind))
      .sort(
        (a, b) =>
          b.result.createdAt.localeCompare(a.result.createdAt) || b.file.localeCompare(a.file),
      )
      .map(({ file, result }) => ({ file: relative(this.cwd, file) || file, result }));
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
