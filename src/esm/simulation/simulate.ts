/**
 * `esm simulate` as a library call: check and default the options, read what
 * they name (a rate profile, a tune result, REPORT lines), build the Scenario
 * and run it. Rendering is the caller's.
 *
 * `scenarioFrom` is the pure part (settled settings + arrivals + duration +
 * prices -> Scenario), so the optimizer builds thousands of scenarios without
 * reading a file twice.
 */
import { isAbsolute, resolve } from "node:path";
import type { Readable } from "node:stream";
import { UsageError } from "../../errors.js";
import { LogFileError } from "../../metrics/sources/log-files.js";
import { fieldName, invalidOption, type OptionName, parseOptions } from "../../options.js";
import { readProfileFile } from "../../planning/sources/profile-file.js";
import { profileFromLogFiles } from "../../planning/sources/profile-from-logs.js";
import { loadPricedRegion } from "../../pricing/price-configuration.js";
import { type Prices, pricesFor } from "../../pricing/price-table.js";
import { readTuneResultFile, TuneResultFileError } from "../../tuning/saved-runs.js";
import { KAFKA_DEFAULT_WINDOW_SECONDS } from "./lambda-figures.js";
import {
  MINIMUM_RECORD_AGE_SECONDS,
  OTHER_DEFAULT_BATCH_SIZE,
  SQS_BATCH_WITHOUT_WINDOW,
  SQS_DEFAULT_BATCH_SIZE,
  SQS_DEFAULT_RETENTION_SECONDS,
  SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
  SQS_FIFO_MAXIMUM_BATCH_SIZE,
  STREAM_DEFAULT_RETENTION_SECONDS,
} from "./mapping-defaults.js";
import { runSimulation, SimulationTooLongError } from "./run-simulation.js";
import type { ArrivalRates, MappingModel, Scenario } from "./scenario.js";
import {
  ESM_SIMULATE_DEFAULTS,
  type EsmSimulateOptions,
  type EsmSimulateOptionsInput,
  EsmSimulateOptionsSchema,
} from "./simulate-options.js";
import type { EsmSimulationResult } from "./simulation-result.js";

export interface EsmSimulateIo {
  /** Where "-" in logFiles reads from (default process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
}

/** How long a batch of n records takes: `overheadMs + perRecordMs × n`, and where that came from. */
export interface BatchDuration {
  readonly overheadMs: number;
  readonly perRecordMs: number;
  /** "options", "tune result FILE at 1024 MB", "REPORT lines (N invocations)". */
  readonly source: string;
}

/** The settled options a Scenario needs beyond arrivals, duration and prices (EsmSimulateOptions has them all). */
export type ScenarioSettings = Pick<
  EsmSimulateOptions,
  | "source"
  | "batchSize"
  | "windowSeconds"
  | "maxConcurrency"
  | "fifo"
  | "messageGroups"
  | "visibilityTimeoutSeconds"
  | "maxReceiveCount"
  | "reportBatchItemFailures"
  | "shards"
  | "parallelization"
  | "tumblingWindowSeconds"
  | "maximumRetryAttempts"
  | "bisectOnError"
  | "maximumRecordAgeSeconds"
  | "partitions"
  | "pollers"
  | "errorRate"
  | "reservedConcurrency"
  | "timeoutSeconds"
  | "memoryMb"
  | "architecture"
  | "ephemeralStorageMb"
  | "recordBytes"
  | "seed"
  | "maxEvents"
>;

/** Points in a result's timeline. */
export const TIMELINE_POINTS = 240;

/** Settings each source does not have: given for it, they are refused rather than ignored. */
const NOT_FOR: Record<EsmSimulateOptions["source"], readonly (keyof ScenarioSettings)[]> = {
  sqs: [
    "shards",
    "parallelization",
    "tumblingWindowSeconds",
    "maximumRetryAttempts",
    "bisectOnError",
    "maximumRecordAgeSeconds",
    "partitions",
    "pollers",
  ],
  kinesis: [
    "maxConcurrency",
    "fifo",
    "messageGroups",
    "visibilityTimeoutSeconds",
    "maxReceiveCount",
    "partitions",
    "pollers",
  ],
  dynamodb: [
    "maxConcurrency",
    "fifo",
    "messageGroups",
    "visibilityTimeoutSeconds",
    "maxReceiveCount",
    "partitions",
    "pollers",
  ],
  kafka: [
    "maxConcurrency",
    "fifo",
    "messageGroups",
    "visibilityTimeoutSeconds",
    "maxReceiveCount",
    "shards",
    "parallelization",
    "tumblingWindowSeconds",
    "maximumRetryAttempts",
    "bisectOnError",
    "maximumRecordAgeSeconds",
    "reportBatchItemFailures",
  ],
};

/** Throws a UsageError for a mistake in the options or the files they name, naming the option as `nameOf` does. */
export async function simulateEventSourceMapping(
  input: EsmSimulateOptionsInput,
  nameOf: OptionName = fieldName,
  io: EsmSimulateIo = {},
): Promise<EsmSimulationResult> {
  const options = parseOptions(EsmSimulateOptionsSchema, input, nameOf);
  checkSettings(options, nameOf);
  const inCwd = (file: string) =>
    file === "-" || isAbsolute(file) ? file : resolve(options.cwd ?? process.cwd(), file);
  const arrivals = await readArrivals(options, inCwd, nameOf);
  const duration = await readDuration(options, inCwd, nameOf, io);
  const table = loadPricedRegion(options.priceFile, options.region, nameOf);
  const prices = pricesFor(table, options.region, options.architecture);
  const scenario = scenarioFrom(options, arrivals, duration, prices);
  try {
    const result = runSimulation(scenario);
    return { ...result, notes: [`batch duration from ${duration.source}`, ...result.notes] };
  } catch (error) {
    if (error instanceof SimulationTooLongError)
      throw new UsageError(error.message.replace("(maxEvents)", nameOf(["maxEvents"])));
    throw error;
  }
}

/**
 * The Scenario for settled settings: Lambda's and the source's defaults for
 * what is unset (mapping-defaults.ts). Pure: the optimizer calls it per
 * candidate with the arrivals, duration and prices it read once.
 */
export function scenarioFrom(
  settings: ScenarioSettings,
  arrivals: ArrivalRates,
  duration: BatchDuration,
  prices: Prices,
): Scenario {
  return {
    mapping: mappingFrom(settings),
    function: {
      overheadMs: duration.overheadMs,
      perRecordMs: duration.perRecordMs,
      errorRate: settings.errorRate,
      reservedConcurrency: settings.reservedConcurrency,
      timeoutSeconds: settings.timeoutSeconds,
      memoryMb: settings.memoryMb,
      architecture: settings.architecture,
      ephemeralStorageMb: settings.ephemeralStorageMb ?? 512,
    },
    arrivals,
    recordBytes: settings.recordBytes,
    seed: settings.seed,
    maxEvents: settings.maxEvents,
    prices,
    timelinePoints: TIMELINE_POINTS,
  };
}

function mappingFrom(settings: ScenarioSettings): MappingModel {
  switch (settings.source) {
    case "sqs":
      return {
        source: "sqs",
        fifo: settings.fifo ?? false,
        messageGroups: settings.messageGroups ?? 1,
        batchSize: settings.batchSize ?? SQS_DEFAULT_BATCH_SIZE,
        windowSeconds: settings.windowSeconds ?? 0,
        maximumConcurrency: settings.maxConcurrency,
        visibilityTimeoutSeconds:
          settings.visibilityTimeoutSeconds ?? SQS_DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
        maxReceiveCount: settings.maxReceiveCount,
        retentionSeconds: SQS_DEFAULT_RETENTION_SECONDS,
        reportBatchItemFailures: settings.reportBatchItemFailures ?? false,
      };
    case "kafka":
      return {
        source: "kafka",
        partitions: settings.partitions ?? 1,
        pollers: settings.pollers,
        batchSize: settings.batchSize ?? OTHER_DEFAULT_BATCH_SIZE,
        windowSeconds: settings.windowSeconds ?? KAFKA_DEFAULT_WINDOW_SECONDS,
      };
    default:
      return {
        source: settings.source,
        shards: settings.shards ?? 1,
        parallelizationFactor: settings.parallelization ?? 1,
        batchSize: settings.batchSize ?? OTHER_DEFAULT_BATCH_SIZE,
        windowSeconds: settings.windowSeconds ?? 0,
        tumblingWindowSeconds: settings.tumblingWindowSeconds ?? 0,
        maximumRetryAttempts: settings.maximumRetryAttempts ?? -1,
        bisectBatchOnFunctionError: settings.bisectOnError ?? false,
        maximumRecordAgeSeconds: settings.maximumRecordAgeSeconds ?? -1,
        retentionSeconds: STREAM_DEFAULT_RETENTION_SECONDS,
        reportBatchItemFailures: settings.reportBatchItemFailures ?? false,
      };
  }
}

/** What the schema cannot check alone: settings the source lacks, and the settings that depend on each other. */
export function checkSettings(options: ScenarioSettings, nameOf: OptionName = fieldName): void {
  for (const key of NOT_FOR[options.source])
    if (options[key] !== undefined)
      throw new UsageError(
        `${nameOf([key])} does not apply to ${nameOf(["source"])} ${options.source}`,
      );
  if (options.source === "sqs") {
    if (options.messageGroups !== undefined && options.fifo !== true)
      throw new UsageError(
        `${nameOf(["messageGroups"])} applies to a FIFO queue: give ${nameOf(["fifo"])} too`,
      );
    const batchSize = options.batchSize ?? SQS_DEFAULT_BATCH_SIZE;
    if (options.fifo === true && batchSize > SQS_FIFO_MAXIMUM_BATCH_SIZE)
      throw invalidOption(
        nameOf(["batchSize"]),
        batchSize,
        `expected a whole number from 1 to ${SQS_FIFO_MAXIMUM_BATCH_SIZE} for a FIFO queue`,
      );
    if (batchSize > SQS_BATCH_WITHOUT_WINDOW && (options.windowSeconds ?? 0) < 1)
      throw invalidOption(
        nameOf(["batchSize"]),
        batchSize,
        `expected at most ${SQS_BATCH_WITHOUT_WINDOW} without ${nameOf(["windowSeconds"])} of at least 1 (Lambda requires a batching window for larger SQS batches)`,
      );
  }
  const age = options.maximumRecordAgeSeconds;
  if (age !== undefined && age !== -1 && age < MINIMUM_RECORD_AGE_SECONDS)
    throw invalidOption(
      nameOf(["maximumRecordAgeSeconds"]),
      age,
      `expected -1 (no limit) or a whole number of seconds from ${MINIMUM_RECORD_AGE_SECONDS} to 604,800`,
    );
}

async function readArrivals(
  options: EsmSimulateOptions,
  inCwd: (file: string) => string,
  nameOf: OptionName,
): Promise<ArrivalRates> {
  const rateName = nameOf(["rate"]);
  const profileName = nameOf(["rateProfile"]);
  if ((options.rate === undefined) === (options.rateProfile === undefined))
    throw new UsageError(
      options.rate === undefined
        ? `give the traffic: ${rateName} (records per second) or ${profileName} (a profile file)`
        : `give ${rateName} or ${profileName}, not both`,
    );
  if (options.rateProfile !== undefined) {
    for (const key of ["burstRate", "burstAtSeconds", "burstSeconds"] as const)
      if (options[key] !== undefined)
        throw new UsageError(`${nameOf([key])} goes with ${rateName}, not ${profileName}`);
    return readRateProfile(options, inCwd(options.rateProfile), profileName, nameOf);
  }
  const rate = options.rate!;
  const seconds = options.seconds ?? ESM_SIMULATE_DEFAULTS.seconds;
  if (options.burstRate === undefined) {
    for (const key of ["burstAtSeconds", "burstSeconds"] as const)
      if (options[key] !== undefined)
        throw new UsageError(`${nameOf([key])} needs ${nameOf(["burstRate"])}`);
    return { perSecond: [rate], stepSeconds: seconds, process: options.arrival };
  }
  // A burst: one-second steps, the burst's rate between its start and end.
  const steps = Math.max(1, Math.round(seconds));
  const start = Math.round(options.burstAtSeconds ?? steps / 4);
  const end = Math.min(steps, start + Math.round(options.burstSeconds ?? steps - start));
  if (start >= steps)
    throw invalidOption(
      nameOf(["burstAtSeconds"]),
      options.burstAtSeconds,
      `expected a time within the ${steps} s simulated`,
    );
  const perSecond = new Float64Array(steps).fill(rate);
  perSecond.fill(options.burstRate, start, Math.max(end, start + 1));
  return { perSecond, stepSeconds: 1, process: options.arrival };
}

async function readRateProfile(
  options: EsmSimulateOptions,
  file: string,
  profileName: string,
  nameOf: OptionName,
): Promise<ArrivalRates> {
  let traffic: Awaited<ReturnType<typeof readProfileFile>>;
  try {
    traffic = await readProfileFile(file);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${profileName}: ${error.message}`);
    throw error;
  }
  const { stepSeconds, invocations } = traffic.profile;
  let steps = invocations.length;
  if (options.seconds !== undefined) {
    const wanted = Math.ceil(options.seconds / stepSeconds);
    if (wanted > steps)
      throw invalidOption(
        nameOf(["seconds"]),
        options.seconds,
        `expected at most the profile's ${(steps * stepSeconds).toLocaleString("en-US")} s`,
      );
    steps = wanted;
  }
  const perSecond = new Float64Array(steps);
  let total = 0;
  for (let index = 0; index < steps; index++) {
    perSecond[index] = invocations[index]! / stepSeconds;
    total += invocations[index]!;
  }
  if (total <= 0)
    throw new UsageError(
      `${profileName} ${file}: no records arrive in it: expected a profile whose invocations column (records per step) is above 0 somewhere`,
    );
  return { perSecond, stepSeconds, process: options.arrival };
}

async function readDuration(
  options: EsmSimulateOptions,
  inCwd: (file: string) => string,
  nameOf: OptionName,
  io: EsmSimulateIo,
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
  options: EsmSimulateOptions,
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
