/**
 * `compare` as a library call: check the options, find and read the two
 * runs (files or saved run ids), refuse two different functions unless
 * forced, and compare them. Rendering the comparison and the exit code are
 * the caller's.
 */
import { UsageError } from "../errors.js";
import { fieldName, type OptionName, parseOptions } from "../options.js";
import { type Comparison, compareRuns, differentFunctions } from "./compare.js";
import { type CompareOptionsInput, CompareOptionsSchema } from "./compare-options.js";
import { readTuneResultFile, resolveTuneResultFile, TuneResultFileError } from "./saved-runs.js";
import type { TuneResult } from "./tune-result.js";

export interface SavedRunsComparison {
  readonly comparison: Comparison;
  /** The files compared: the paths given, or the saved runs the ids named. */
  readonly oldFile: string;
  readonly newFile: string;
}

/**
 * Throws a UsageError for any mistake: an option (named as `nameOf` does),
 * a file that cannot be read or is not a tuning result (naming the file and
 * its first problem), or runs of two different functions without `force`.
 */
export function compareSavedRuns(
  input: CompareOptionsInput,
  nameOf: OptionName = fieldName,
): SavedRunsComparison {
  const options = parseOptions(CompareOptionsSchema, input, nameOf);
  const [oldFile, before] = readRun(options.oldFile, options.cwd);
  const [newFile, after] = readRun(options.newFile, options.cwd);
  const different = differentFunctions(before, after);
  if (different && !options.force) {
    throw new UsageError(
      `${oldFile} is a run of ${different.before} and ${newFile} of ${different.after}: different functions, so their costs do not compare; give ${nameOf(["force"])} to compare them anyway`,
    );
  }
  const comparison = compareRuns(before, after, {
    maxCostIncrease: options.maxCostIncrease,
    maxP95Increase: options.maxP95Increase,
  });
  return { comparison, oldFile, newFile };
}

function readRun(name: string, cwd: string | undefined): [file: string, run: TuneResult] {
  try {
    const file = resolveTuneResultFile(name, cwd);
    return [file, readTuneResultFile(file)];
  } catch (error) {
    if (error instanceof TuneResultFileError) throw new UsageError(error.message);
    throw error;
  }
}
