/** Read a saved tuning run (tune --out, .lambda-optimizer/runs/) for a command: a bad file is a usage error. */
import { UsageError } from "../errors.js";
import { readTuneResultFile, TuneResultFileError } from "../tuning/saved-runs.js";
import type { TuneResult } from "../tuning/tune-result.js";

/** Throws a UsageError naming the file and its first problem. */
export function loadTuneResult(file: string): TuneResult {
  try {
    return readTuneResultFile(file);
  } catch (error) {
    if (error instanceof TuneResultFileError) throw new UsageError(error.message);
    throw error;
  }
}
