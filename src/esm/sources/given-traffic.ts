/**
 * Traffic as the optimizer reports it: the simulator's ArrivalRates with the
 * figures the result shows (mean, peak, period), for traffic the caller gave
 * (read as `esm simulate` reads it) or CloudWatch measured.
 */
import type { OptionName } from "../../options.js";
import { type ArrivalSettings, readArrivalRates } from "../simulation/arrival-input.js";
import type { ArrivalRates } from "../simulation/scenario.js";

export interface TrafficSummary {
  readonly source: "rate" | "profile" | "cloudwatch";
  readonly meanPerSecond: number;
  readonly peakPerSecond: number;
  readonly periodSeconds: number;
}

export interface Traffic {
  readonly arrivals: ArrivalRates;
  readonly summary: TrafficSummary;
  readonly notes: string[];
}

/** The traffic the options give (a rate, with an optional burst, or a profile file), read as `esm simulate` reads it. */
export async function readGivenTraffic(
  options: ArrivalSettings,
  inCwd: (file: string) => string,
  nameOf: OptionName,
): Promise<Traffic> {
  const arrivals = await readArrivalRates(options, inCwd, nameOf);
  return summarise(arrivals, options.rateProfile !== undefined ? "profile" : "rate", []);
}

export function summarise(
  arrivals: ArrivalRates,
  source: TrafficSummary["source"],
  notes: string[],
): Traffic {
  let total = 0;
  let peak = 0;
  for (let index = 0; index < arrivals.perSecond.length; index++) {
    const rate = arrivals.perSecond[index]!;
    total += rate;
    peak = Math.max(peak, rate);
  }
  const steps = arrivals.perSecond.length;
  return {
    arrivals,
    summary: {
      source,
      meanPerSecond: steps > 0 ? total / steps : 0,
      peakPerSecond: peak,
      periodSeconds: steps * arrivals.stepSeconds,
    },
    notes,
  };
}
