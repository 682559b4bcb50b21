/**
 * `esm simulate` as a library call: check and default the options, read what
 * they name (a rate profile, a tune result, REPORT lines), build the Scenario
 * and run it. Rendering is the caller's.
 */
import { fieldName, type OptionName } from "../../options.js";
import type { EsmSimulateOptionsInput } from "./simulate-options.js";
import type { EsmSimulationResult } from "./simulation-result.js";

export interface EsmSimulateIo {
  /** Where "-" in logFiles reads from (default process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
}

/** Throws a UsageError for a mistake in the options or the files they name, naming the option as `nameOf` does. */
export async function simulateEventSourceMapping(
  _input: EsmSimulateOptionsInput,
  _nameOf: OptionName = fieldName,
  _io: EsmSimulateIo = {},
): Promise<EsmSimulationResult> {
  throw new Error("simulateEventSourceMapping: not built yet (issue 16, simulator helper)");
}
