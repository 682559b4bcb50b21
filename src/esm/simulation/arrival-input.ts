/**
 * The records that arrive, from the options: a rate (constant or with a
 * burst) or a rate profile file in the form `plan` reads (its invocations
 * column is records per step). Shared by `esm simulate` and `esm optimize`.
 */
import { UsageError } from "../../errors.js";
import { invalidOption, type OptionName } from "../../options.js";
import { readProfileFile } from "../../planning/sources/profile-file.js";
import type { ArrivalRates } from "./scenario.js";
import { ESM_SIMULATE_DEFAULTS, type EsmSimulateOptions } from "./simulate-options.js";

/** The traffic options (EsmTrafficFields, and how long to simulate). */
export type ArrivalSettings = Pick<
  EsmSimulateOptions,
  "rate" | "rateProfile" | "arrival" | "burstRate" | "burstAtSeconds" | "burstSeconds" | "seconds"
>;

/** `inCwd` resolves a file name the options give; a UsageError names the option as `nameOf` does. */
export async function readArrivalRates(
  options: ArrivalSettings,
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
  options: ArrivalSettings,
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
