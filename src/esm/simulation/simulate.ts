/**
 * `esm simulate` as a library call: check and default the options, read what
 * they name (a rate profile, a tune result, REPORT lines), build the Scenario
 * and run it. Rendering is the caller's.
 *
 * `scenarioFrom` is the pure part (settled settings + arrivals + duration +
 * prices -> Scenario), so the optimizer builds thousands of scenarios without
 * reading a file twice.
 */

import { UsageError } from "../../errors.js";
import { fileInFolder } from "../../file-in-folder.js";
import { fieldName, type OptionName, parseOptions } from "../../options.js";
import { loadPricedRegion } from "../../pricing/price-configuration.js";
import { pricesFor } from "../../pricing/price-table.js";
import { durationChoices, durationFromOptions } from "../sources/batch-duration.js";
import { readArrivalRates } from "./arrival-input.js";
import { OTHER_DEFAULT_BATCH_SIZE, SQS_DEFAULT_BATCH_SIZE } from "./mapping-defaults.js";
import { runSimulation, SimulationTooLongError } from "./run-simulation.js";
import { checkSettings, scenarioFrom } from "./scenario-from.js";
import { type EsmSimulateOptionsInput, EsmSimulateOptionsSchema } from "./simulate-options.js";
import type { EsmSimulationResult } from "./simulation-result.js";

export { type ArrivalSettings, readArrivalRates } from "./arrival-input.js";
export {
  type BatchDuration,
  checkSettings,
  type ScenarioSettings,
  scenarioFrom,
  TIMELINE_POINTS,
} from "./scenario-from.js";

export interface EsmSimulateIo {
  /** Where "-" in logFiles reads from (default process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
}

/** Throws a UsageError for a mistake in the options or the files they name, naming the option as `nameOf` does. */
export async function simulateEventSourceMapping(
  input: EsmSimulateOptionsInput,
  nameOf: OptionName = fieldName,
  io: EsmSimulateIo = {},
): Promise<EsmSimulationResult> {
  const options = parseOptions(EsmSimulateOptionsSchema, input, nameOf);
  checkSettings(options, nameOf);
  const inCwd = fileInFolder(options.cwd);
  const arrivals = await readArrivalRates(options, inCwd, nameOf);
  // A measured mean is split at the batch size simulated, as esm optimize splits it at today's.
  const batchSize =
    options.batchSize ??
    (options.source === "sqs" ? SQS_DEFAULT_BATCH_SIZE : OTHER_DEFAULT_BATCH_SIZE);
  const duration = await durationFromOptions(
    options,
    { name: null, memoryMb: options.memoryMb, architecture: options.architecture },
    batchSize,
    false,
    inCwd,
    nameOf,
    io.stdin,
  );
  if (duration === undefined)
    throw new UsageError(`give the function's duration per batch: ${durationChoices(nameOf)}`);
  const table = loadPricedRegion(options.priceFile, options.region, nameOf);
  const prices = pricesFor(table, options.region, options.architecture);
  const scenario = scenarioFrom(options, arrivals, duration, prices);
  try {
    const result = runSimulation(scenario);
    return {
      ...result,
      modelled: [...duration.modelled, ...result.modelled],
      notes: [`batch duration from ${duration.source}`, ...result.notes],
    };
  } catch (error) {
    if (error instanceof SimulationTooLongError) throw tooLong(error, nameOf);
    throw error;
  }
}

/** A run past maxEvents, as the user's mistake, in the caller's name for the option. */
export function tooLong(error: SimulationTooLongError, nameOf: OptionName): UsageError {
  return new UsageError(error.message.replace("(maxEvents)", `with ${nameOf(["maxEvents"])}`));
}
