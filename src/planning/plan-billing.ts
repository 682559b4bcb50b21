/**
 * `plan` as a library call: check and default the options, read the traffic
 * from its one source, settle the function's facts (options first, then the
 * template, then what the traffic's source observed), and price every
 * billing model on it. Rendering the answer (text, JSON, HTML) is the
 * caller's.
 */

import type { Readable } from "node:stream";
import { UsageError } from "../errors.js";
import { fileInFolder } from "../file-in-folder.js";
import { DEFAULTS } from "../lambda/limits.js";
import { LogFileError } from "../metrics/sources/log-files.js";
import { fieldName, type OptionName, parseOptions } from "../options.js";
import { loadPricedRegion } from "../pricing/price-configuration.js";
import { type PlannedFunction, planBillingModels } from "./plan-models.js";
import { type PlanOptions, type PlanOptionsInput, PlanOptionsSchema } from "./plan-options.js";
import type { PlanResult } from "./plan-result.js";
import { readProfileFile } from "./sources/profile-file.js";
import { profileFromLogFiles } from "./sources/profile-from-logs.js";
import { functionFromTemplate } from "./sources/template-function.js";
import type { ObservedFunction, ObservedTraffic } from "./traffic-profile.js";

export interface PlanBillingIo {
  /** Where "-" in logFiles reads from (default process.stdin). */
  readonly stdin?: Readable;
  /** The end of the CloudWatch window (default now). */
  readonly now?: Date;
  /** Progress for long reads (CloudWatch), one line each. */
  readonly onProgress?: (message: string) => void;
}

/**
 * Throws a UsageError for any mistake in the options or the traffic's files,
 * naming the option as `nameOf` does (the CLI passes its flag names).
 */
export async function planBilling(
  input: PlanOptionsInput,
  nameOf: OptionName = fieldName,
  io: PlanBillingIo = {},
): Promise<PlanResult> {
  const options = parseOptions(PlanOptionsSchema, input, nameOf);
  const table = loadPricedRegion(options.priceFile, options.region, nameOf);
  const inCwd = fileInFolder(options.cwd);
  if (options.template !== undefined && options.function === undefined)
    throw new UsageError(
      `${nameOf(["template"])} needs ${nameOf(["function"])}: the function's logical id`,
    );
  const traffic = await readTraffic(options, inCwd, nameOf, io);
  const declared =
    options.template !== undefined && options.function !== undefined
      ? functionFromTemplate(inCwd(options.template), options.function)
      : undefined;
  const notes: string[] = [];
  const fn = settleFunction(options, declared, traffic, nameOf, notes);
  return planBillingModels(
    traffic.profile,
    fn,
    {
      region: options.region,
      idleReclaimMinutes: options.idleReclaimMinutes,
      maxColdStartShare: options.maxColdStartShare,
      latencySensitive: options.latencySensitive,
      maxConcurrencyPerEnvironment: options.maxConcurrencyPerEnvironment,
      savingsPlanDiscount: options.savingsPlanDiscount,
      connectionPoolSize: options.connectionPoolSize,
    },
    table,
    notes,
  );
}

async function readTraffic(
  options: PlanOptions,
  inCwd: (file: string) => string,
  nameOf: OptionName,
  io: PlanBillingIo,
): Promise<ObservedTraffic> {
  if (options.trafficFile !== undefined) return readProfileFile(inCwd(options.trafficFile));
  if (options.logFiles !== undefined) {
    try {
      return await profileFromLogFiles(options.logFiles.map(inCwd), {
        functionName: options.function,
        stdin: io.stdin,
        functionOption: nameOf(["function"]),
      });
    } catch (error) {
      if (error instanceof LogFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  // The AWS SDK is loaded only to read CloudWatch: at every start it would cost a quarter of a second.
  const [{ createCloudWatchClient }, { createLambdaClient }, { profileFromCloudWatch }] =
    await Promise.all([
      import("../aws/cloudwatch-client.js"),
      import("../aws/lambda-client.js"),
      import("./sources/profile-from-cloudwatch.js"),
    ]);
  const connection = {
    region: options.region,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
  };
  const cloudwatch = createCloudWatchClient(connection);
  const lambda = createLambdaClient(connection);
  try {
    return await profileFromCloudWatch({ cloudwatch, lambda }, options.function!, {
      days: options.days,
      ...(io.now !== undefined ? { now: io.now } : {}),
      ...(io.onProgress !== undefined ? { onProgress: io.onProgress } : {}),
    });
  } finally {
    cloudwatch.destroy();
    lambda.destroy();
  }
}

/** Each fact from the first place that has it: the options, the template, what the traffic's source saw. */
function settleFunction(
  options: PlanOptions,
  declared: ObservedFunction | undefined,
  traffic: ObservedTraffic,
  nameOf: OptionName,
  notes: string[],
): PlannedFunction {
  const observedFrom =
    traffic.profile.source === "profile-file" ? "profile" : traffic.profile.source;
  const sources: Record<string, string> = {};
  function settle<Key extends keyof ObservedFunction>(
    key: Key,
    given: ObservedFunction[Key] | undefined,
  ): ObservedFunction[Key] | undefined {
    if (given !== undefined) {
      sources[key] = "option";
      return given;
    }
    if (declared?.[key] !== undefined) {
      sources[key] = "template";
      return declared[key];
    }
    if (traffic.observed[key] !== undefined) {
      sources[key] = observedFrom;
      return traffic.observed[key];
    }
    return undefined;
  }
  const memoryMb = settle("memoryMb", options.memoryMb);
  if (memoryMb === undefined)
    throw new UsageError(
      `the traffic does not say the function's memory size: give ${nameOf(["memoryMb"])}${options.template === undefined ? ` or ${nameOf(["template"])}` : ""}`,
    );
  const meanDurationMs = settle("meanDurationMs", options.durationMs);
  if (meanDurationMs === undefined)
    throw new UsageError(
      `the traffic does not say how long an invocation takes: give ${nameOf(["durationMs"])} (the mean, in ms)`,
    );
  let architecture = settle("architecture", options.architecture);
  if (architecture === undefined) {
    architecture = DEFAULTS.architecture;
    sources.architecture = "default";
    notes.push(
      `architecture assumed ${DEFAULTS.architecture}: give ${nameOf(["architecture"])} if it is arm64`,
    );
  }
  const runtime = settle("runtime", options.runtime);
  if (runtime === undefined)
    notes.push(
      `runtime unknown: SnapStart is priced only when ${nameOf(["runtime"])} says which runtime runs`,
    );
  const initDurationMs = settle("initDurationMs", options.initDurationMs);
  if (initDurationMs === undefined)
    notes.push(
      `init duration unknown: cold starts are counted but their init is not billed; give ${nameOf(["initDurationMs"])}`,
    );
  let ephemeralStorageMb = settle("ephemeralStorageMb", options.ephemeralStorageMb);
  if (ephemeralStorageMb === undefined) {
    ephemeralStorageMb = DEFAULTS.ephemeralStorageMb;
    sources.ephemeralStorageMb = "default";
  }
  const name = options.function ?? traffic.observed.functionName;
  return {
    ...(name !== undefined ? { name } : {}),
    memoryMb,
    architecture,
    ...(runtime !== undefined ? { runtime } : {}),
    meanDurationMs,
    ...(initDurationMs !== undefined ? { initDurationMs } : {}),
    ephemeralStorageMb,
    sources,
  };
}
