/**
 * Traffic the caller gave: a rate (constant, or with a burst), or a profile
 * file as `plan --profile` reads it, whose invocations column is records per
 * step here. Turned into the simulator's ArrivalRates, with the figures the
 * result reports (mean, peak, period).
 */
import { readProfileFile } from "../../planning/sources/profile-file.js";
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

export interface RateRequest {
  readonly rate: number;
  readonly seconds: number;
  readonly process: ArrivalRates["process"];
  readonly burstRate?: number | undefined;
  readonly burstAtSeconds?: number | undefined;
  readonly burstSeconds?: number | undefined;
}

/** A constant rate over `seconds`, or with a burst: a step at burstRate from burstAtSeconds (default a quarter in) for burstSeconds (default to the end). */
export function trafficFromRate(request: RateRequest): Traffic {
  const { rate, seconds, process } = request;
  if (request.burstRate === undefined)
    return summarise({ perSecond: [rate], stepSeconds: seconds, process }, "rate", []);
  const steps = Math.max(1, Math.ceil(seconds));
  const perSecond = new Float64Array(steps).fill(rate);
  const from = Math.floor(request.burstAtSeconds ?? seconds / 4);
  const to = Math.min(steps, from + Math.ceil(request.burstSeconds ?? steps - from));
  for (let step = from; step < to; step++) perSecond[step] = request.burstRate;
  return summarise({ perSecond, stepSeconds: 1, process }, "rate", []);
}

/** A profile file's steps as rates; with `seconds`, only that much of its start. */
export async function trafficFromProfile(
  file: string,
  process: ArrivalRates["process"],
  seconds: number | undefined,
): Promise<Traffic> {
  const { profile } = await readProfileFile(file);
  const notes: string[] = [];
  let counts = profile.invocations;
  if (seconds !== undefined) {
    const steps = Math.max(1, Math.ceil(seconds / profile.stepSeconds));
    if (steps < counts.length) {
      counts = counts.slice(0, steps);
      notes.push(
        `the profile's first ${steps} steps of ${profile.invocations.length} (${steps * profile.stepSeconds} s) are simulated`,
      );
    }
  }
  const perSecond = Float64Array.from(counts, (count) => count / profile.stepSeconds);
  return summarise({ perSecond, stepSeconds: profile.stepSeconds, process }, "profile", notes);
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
