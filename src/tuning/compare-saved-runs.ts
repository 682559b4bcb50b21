/**
 * `compare` as a library call: check the options, find and read the two
 * runs (files or saved run ids), refuse two different functions unless
 * forced, compare them, and with `maxAgeDays` judge whether the newer run
 * still describes its function. Rendering the comparison and the exit code
 * are the caller's.
 */
import { resolve } from "node:path";
import type { AwsRetry } from "../aws/client-config.js";
import { UsageError } from "../errors.js";
import { fieldName, type OptionName, parseOptions } from "../options.js";
import { type Comparison, compareRuns, differentFunctions } from "./compare.js";
import { type CompareOptionsInput, CompareOptionsSchema } from "./compare-options.js";
import { currentCodeSha256 } from "./current-code.js";
import { readTuneResultFile, resolveTuneResultFile, TuneResultFileError } from "./saved-runs.js";
import { describeFreshness, isStale, tuneFreshness } from "./tune-freshness.js";
import type { TuneResult } from "./tune-result.js";

export interface SavedRunsComparison {
  readonly comparison: Comparison;
  /** The files compared: the paths given, or the saved runs the ids named. */
  readonly oldFile: string;
  readonly newFile: string;
}

export interface CompareHooks {
  /** How a mistake names an option (default: the options' own names; the CLI's: `--max-age-days`). */
  readonly nameOf?: OptionName;
  /** The time the age gate counts from (default: now). */
  readonly now?: Date;
  /** The SDK is about to retry asking a deployed function's CodeSha256. */
  readonly onRetry?: (retry: AwsRetry) => void;
}

/**
 * Throws a UsageError for any mistake: an option (named as `nameOf` does),
 * a file that cannot be read or is not a tuning result (naming the file and
 * its first problem), or runs of two different functions without `force`.
 * An AWS error while asking a deployed function's code (maxAgeDays) is thrown as it is.
 */
export async function compareSavedRuns(
  input: CompareOptionsInput,
  hooks: CompareHooks = {},
): Promise<SavedRunsComparison> {
  const nameOf = hooks.nameOf ?? fieldName;
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
  if (options.maxAgeDays === undefined) return { comparison, oldFile, newFile };
  // The newer run is the one that claims to describe the function as it is now.
  const freshness = tuneFreshness({
    tunedAt: after.createdAt,
    tunedCode: after.code,
    currentSha256: await currentCodeSha256(after, {
      cwd: resolve(options.cwd ?? "."),
      ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
    }),
    now: hooks.now ?? new Date(),
    maxAgeDays: options.maxAgeDays,
  });
  const stale = isStale(freshness);
  const message = `${stale ? "Stale" : "Fresh"}: ${newFile} was ${describeFreshness(freshness)}${stale ? ": re-tune it" : ""}.`;
  return {
    comparison: { ...comparison, freshness: { file: newFile, ...freshness, stale, message } },
    oldFile,
    newFile,
  };
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
