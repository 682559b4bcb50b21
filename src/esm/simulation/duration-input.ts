/**
 * How long the function takes per batch, from the options: given (batchMs, or
 * recordMs with overheadMs), a saved tune result at the memory size, or the
 * mean of REPORT lines. Shared by `esm simulate` and `esm optimize`.
 */
import type { Readable } from "node:stream";
import { UsageError } from "../../errors.js";
import { LogFileError } from "../../metrics/sources/log-files.js";
import { invalidOption, type OptionName } from "../../options.js";
import { profileFromLogFiles } from "../../planning/sources/profile-from-logs.js";
import { readTuneResultFile, TuneResultFileError } from "../../tuning/saved-runs.js";
import type { BatchDuration } from "./scenario-from.js";
import type { EsmSimulateOptions } from "./simulate-options.js";

/** The duration options (EsmFunctionFields' part), and the memory a tune result is read at. */
export type DurationSettings = Pick<
  EsmSimulateOptions,
  "batchMs" | "recordMs" | "overheadMs" | "tuneFile" | "logFiles" | "memoryMb" | "architecture"
>;

/** `inCwd` resolves a file name; `stdin` is where "-" in logFiles reads from. */
export async function readBatchDuration(
  options: DurationSettings,
  inCwd: (file: string) => string,
  nameOf: OptionName,
  io: { readonly stdin?: NodeJS.ReadableStream } = {},
): Promise<BatchDuration> {
  const given = [
    options.batchMs !== undefined ? "batchMs" : undefined,
    options.recordMs !== undefined || options.overheadMs !== undefined ? "recordMs" : undefined,
    options.tuneFile !== undefined ? "tuneFile" : undefined,
    options.logFiles !== undefined ? "logFiles" : undefined,
  ].filter((name): name is string => name !== undefined);
  const choices = `${nameOf(["batchMs"])}, ${nameOf(["recordMs"])} with ${nameOf(["overheadMs"])}, ${nameOf(["tuneFile"])} or ${nameOf(["logFiles"])}`;
  if (given.length === 0)
    throw new UsageError(`give the function's duration per batch: ${choices}`);
  if (given.length > 1)
    throw new UsageError(
      `give one duration source, not ${given.map((name) => nameOf([name])).join(" and ")}: ${choices}`,
    );
  if (options.batchMs !== undefined)
    return { overheadMs: options.batchMs, perRecordMs: 0, source: "options" };
  if (options.recordMs !== undefined || options.overheadMs !== undefined) {
    if (options.recordMs === undefined)
      throw new UsageError(
        `${nameOf(["overheadMs"])} needs ${nameOf(["recordMs"])} (or give ${nameOf(["batchMs"])})`,
      );
    return {
      overheadMs: options.overheadMs ?? 0,
      perRecordMs: options.recordMs,
      source: "options",
    };
  }
  if (options.tuneFile !== undefined)
    return durationFromTune(options, inCwd(options.tuneFile), nameOf);
  try {
    const traffic = await profileFromLogFiles(options.logFiles!.map(inCwd), {
      stdin: io.stdin as Readable | undefined,
    });
    const mean = traffic.observed.meanDurationMs;
    if (mean === undefined || !(mean > 0))
      throw new UsageError(
        `${nameOf(["logFiles"])}: no REPORT line with a duration in ${options.logFiles!.join(", ")}`,
      );
    const invocations = traffic.profile.invocations.reduce((sum, count) => sum + count, 0);
    return {
      overheadMs: mean,
      perRecordMs: 0,
      source: `REPORT lines (${invocations.toLocaleString("en-US")} invocations, mean per batch)`,
    };
  } catch (error) {
    if (error instanceof LogFileError)
      throw new UsageError(`${nameOf(["logFiles"])}: ${error.message}`);
    throw error;
  }
}

function durationFromTune(
  options: DurationSettings,
  file: string,
  nameOf: OptionName,
): BatchDuration {
  let result: ReturnType<typeof readTuneResultFile>;
  try {
    result = readTuneResultFile(file);
  } catch (error) {
    if (error instanceof TuneResultFileError)
      throw new UsageError(`${nameOf(["tuneFile"])}: ${error.message}`);
    throw error;
  }
  const measured = result.results.filter((entry) => entry.status === "ok");
  const atMemory =
    measured.find(
      (entry) => entry.memoryMb === options.memoryMb && entry.architecture === options.architecture,
    ) ?? measured.find((entry) => entry.memoryMb === options.memoryMb);
  if (atMemory === undefined) {
    const sizes = [...new Set(measured.map((entry) => entry.memoryMb))].sort((a, b) => a - b);
    throw invalidOption(
      nameOf(["memoryMb"]),
      options.memoryMb,
      `expected a memory size ${file} measured: ${sizes.length > 0 ? sizes.join(", ") : "none succeeded"}`,
    );
  }
  return {
    overheadMs: atMemory.durationMs.mean,
    perRecordMs: 0,
    source: `tune result ${file} at ${atMemory.memoryMb} MB ${atMemory.architecture} (mean per invocation, one invocation = one batch)`,
  };
}
