/**
 * How long the function takes per batch, as `overhead + per-record × batch
 * size`: given (batchMs, or recordMs + overheadMs), or a measured mean per
 * invocation (a tune result at the function's memory size, REPORT lines, or
 * CloudWatch's Duration) at the batch size the mapping had when it was
 * measured.
 *
 * A mean at one batch size does not split into overhead and per-record on
 * its own: it is split half and half (MEASURED_OVERHEAD_SHARE), a modelled
 * figure the result names, and recordMs + overheadMs settle it.
 */
import { UsageError } from "../../errors.js";
import { MetricsAggregator } from "../../metrics/aggregate.js";
import { LogFileError, readLogFiles, STDIN } from "../../metrics/sources/log-files.js";
import type { OptionName } from "../../options.js";
import type { Architecture } from "../../pricing/price-table.js";
import { readTuneResultFile, TuneResultFileError } from "../../tuning/saved-runs.js";
import type { TuneResult } from "../../tuning/tune-result.js";
import type { MemoryCandidate } from "../optimize/search-space.js";
import type { BatchDuration as ScenarioDuration } from "../simulation/scenario-from.js";
import type { ModelledFigure } from "../simulation/simulation-result.js";

/** The share of a measured mean per batch taken as the batch's fixed overhead (modelled). */
export const MEASURED_OVERHEAD_SHARE = 0.5;

/** The simulator's duration (overhead + per record, and where it came from), with what reading it found. */
export interface BatchDuration extends ScenarioDuration {
  /** With searchMemory: every size the tune result measured, with its duration split the same way. */
  readonly memory: readonly MemoryCandidate[];
  readonly modelled: ModelledFigure[];
}

/** A mean per invocation of `meanMs` at `batchSize` records, split by MEASURED_OVERHEAD_SHARE. */
export function splitMeasuredMean(
  meanMs: number,
  batchSize: number,
): { overheadMs: number; perRecordMs: number } {
  return {
    overheadMs: meanMs * MEASURED_OVERHEAD_SHARE,
    perRecordMs: (meanMs * (1 - MEASURED_OVERHEAD_SHARE)) / Math.max(1, batchSize),
  };
}

function splitFigure(meanMs: number, batchSize: number, where: string): ModelledFigure {
  return {
    name: "overheadMs / perRecordMs",
    value: `${round(meanMs * MEASURED_OVERHEAD_SHARE)} ms + ${round((meanMs * (1 - MEASURED_OVERHEAD_SHARE)) / Math.max(1, batchSize))} ms a record`,
    why: `${where} measured a mean of ${round(meanMs)} ms per batch at ${batchSize} records a batch, which does not say how much is fixed: split half per batch, half per record. Give recordMs and overheadMs to settle it`,
  };
}

/** What the options say about the duration, checked: exactly one way. */
export function givenDuration(
  options: {
    readonly batchMs?: number | undefined;
    readonly recordMs?: number | undefined;
    readonly overheadMs?: number | undefined;
  },
  nameOf: OptionName,
): BatchDuration | undefined {
  const { batchMs, recordMs, overheadMs } = options;
  if (batchMs !== undefined && (recordMs !== undefined || overheadMs !== undefined))
    throw new UsageError(
      `give ${nameOf(["batchMs"])} or ${nameOf(["recordMs"])} + ${nameOf(["overheadMs"])}, not both`,
    );
  if (batchMs !== undefined)
    return {
      overheadMs: batchMs,
      perRecordMs: 0,
      source: "given: batchMs, whatever the batch size",
      memory: [],
      modelled: [],
    };
  if (recordMs === undefined && overheadMs === undefined) return undefined;
  if (recordMs === undefined)
    throw new UsageError(
      `${nameOf(["overheadMs"])} needs ${nameOf(["recordMs"])}: the ms each record adds to a batch`,
    );
  return {
    overheadMs: overheadMs ?? 0,
    perRecordMs: recordMs,
    source: "given: overheadMs + recordMs",
    memory: [],
    modelled: [],
  };
}

/** The duration options, and what a tune result or REPORT lines are read for. */
export interface DurationOptions {
  readonly batchMs?: number | undefined;
  readonly recordMs?: number | undefined;
  readonly overheadMs?: number | undefined;
  readonly tuneFile?: string | undefined;
  readonly logFiles?: readonly string[] | undefined;
}

/**
 * The duration the options give, from exactly one of batchMs, recordMs with
 * overheadMs, tuneFile or logFiles, a measured mean split at `batchSize`
 * records; undefined when they give none (the caller asks, or measures).
 */
export async function durationFromOptions(
  options: DurationOptions,
  fn: {
    readonly name: string | null;
    readonly memoryMb: number;
    readonly architecture: Architecture;
  },
  batchSize: number,
  searchMemory: boolean,
  inCwd: (file: string) => string,
  nameOf: OptionName,
  stdin: NodeJS.ReadableStream | undefined,
): Promise<BatchDuration | undefined> {
  const given = [
    options.batchMs !== undefined ? "batchMs" : undefined,
    options.recordMs !== undefined || options.overheadMs !== undefined ? "recordMs" : undefined,
    options.tuneFile !== undefined ? "tuneFile" : undefined,
    options.logFiles !== undefined ? "logFiles" : undefined,
  ].filter((name): name is string => name !== undefined);
  if (given.length > 1)
    throw new UsageError(
      `give one duration source, not ${given.map((name) => nameOf([name])).join(" and ")}: ${durationChoices(nameOf)}`,
    );
  const fromOptions = givenDuration(options, nameOf);
  if (fromOptions !== undefined) return fromOptions;
  if (options.tuneFile !== undefined)
    return durationFromTuneResult(inCwd(options.tuneFile), fn, batchSize, searchMemory, nameOf);
  if (options.logFiles !== undefined)
    return durationFromLogFiles(options.logFiles.map(inCwd), fn.name, batchSize, stdin, nameOf);
  return undefined;
}

/** The ways to give the duration, as the caller names them. */
export function durationChoices(nameOf: OptionName): string {
  return `${nameOf(["batchMs"])}, ${nameOf(["recordMs"])} with ${nameOf(["overheadMs"])}, ${nameOf(["tuneFile"])} or ${nameOf(["logFiles"])}`;
}

/** A tune result's mean duration at the function's memory size (and architecture), and with searchMemory at every size it measured. */
export function durationFromTuneResult(
  file: string,
  fn: { readonly memoryMb: number; readonly architecture: Architecture },
  batchSize: number,
  searchMemory: boolean,
  nameOf: OptionName,
): BatchDuration {
  let result: TuneResult;
  try {
    result = readTuneResultFile(file);
  } catch (error) {
    if (error instanceof TuneResultFileError)
      throw new UsageError(`${nameOf(["tuneFile"])} ${error.message}`);
    throw error;
  }
  const measured = result.results.filter((configuration) => configuration.status === "ok");
  const sameArchitecture = measured.filter(
    (configuration) => configuration.architecture === fn.architecture,
  );
  const usable = sameArchitecture.length > 0 ? sameArchitecture : measured;
  if (usable.length === 0)
    throw new UsageError(`${nameOf(["tuneFile"])} ${file}: no configuration measured successfully`);
  const atMemory = usable.find((configuration) => configuration.memoryMb === fn.memoryMb);
  const sizes = usable.map((configuration) => configuration.memoryMb).join(", ");
  if (atMemory === undefined && !searchMemory)
    throw new UsageError(
      `${nameOf(["tuneFile"])} ${file} measured ${sizes} MB, not the function's ${fn.memoryMb} MB: give ${nameOf(["memoryMb"])} one of them, or ${nameOf(["searchMemory"])}`,
    );
  const reference = atMemory ?? usable[0]!;
  const meanMs = reference.durationMs.mean;
  const memory = searchMemory
    ? usable.map((configuration) => ({
        memoryMb: configuration.memoryMb,
        ...splitMeasuredMean(configuration.durationMs.mean, batchSize),
      }))
    : [];
  return {
    ...splitMeasuredMean(meanMs, batchSize),
    source: `tune result ${file} at ${reference.memoryMb} MB (${round(meanMs)} ms mean)`,
    memory,
    modelled: [splitFigure(meanMs, batchSize, `the tune result ${file}`)],
  };
}

/** The mean duration of the REPORT lines in the log files (of `functionName` when they hold several functions). */
export async function durationFromLogFiles(
  files: readonly string[],
  functionName: string | null,
  batchSize: number,
  stdin: NodeJS.ReadableStream | undefined,
  nameOf: OptionName,
): Promise<BatchDuration> {
  const aggregator = new MetricsAggregator();
  try {
    await readLogFiles(files.length === 1 && files[0] === STDIN ? STDIN : [...files], aggregator, {
      ...(stdin !== undefined ? { stdin: stdin as never } : {}),
    });
  } catch (error) {
    if (error instanceof LogFileError)
      throw new UsageError(`${nameOf(["logFiles"])}: ${error.message}`);
    throw error;
  }
  const shown = files.join(", ");
  const accumulators = [...aggregator.functions.values()];
  const chosen =
    accumulators.length === 1
      ? accumulators[0]
      : accumulators.find((accumulator) => accumulator.name === functionName);
  if (accumulators.length === 0)
    throw new UsageError(
      `${nameOf(["logFiles"])} ${shown}: no REPORT line: expected Lambda's REPORT lines of the function`,
    );
  if (chosen === undefined)
    throw new UsageError(
      `${nameOf(["logFiles"])} ${shown}: REPORT lines of several functions (${accumulators.map((a) => a.name).join(", ")}) and none is ${functionName ?? "the mapping's function"}: give one function's logs`,
    );
  const meanMs = chosen.durationMs.mean ?? 0;
  return {
    ...splitMeasuredMean(meanMs, batchSize),
    source: `REPORT lines (${chosen.reports} of ${chosen.name}, ${round(meanMs)} ms mean)`,
    memory: [],
    modelled: [splitFigure(meanMs, batchSize, `${chosen.reports} REPORT lines`)],
  };
}

/** CloudWatch's mean Duration over the window, at the mean batch the traffic and Invocations imply. */
export function durationFromCloudWatch(meanMs: number, batchSize: number): BatchDuration {
  return {
    ...splitMeasuredMean(meanMs, batchSize),
    source: `CloudWatch Duration (${round(meanMs)} ms mean)`,
    memory: [],
    modelled: [splitFigure(meanMs, batchSize, "CloudWatch's Duration")],
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
