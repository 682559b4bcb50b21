/**
 * On-demand Lambda over the profile: duration across the monthly tiers,
 * requests, /tmp, and the init billed on each cold start (since 1 August 2025
 * a cold start bills init + duration). Cold starts come from the pool model
 * (prepared-traffic.ts): a new environment for each rise in concurrency
 * above the environments alive, environments reclaimed after
 * idleReclaimMinutes idle. One walk of the profile.
 */
import type { CostLine } from "../plan-result.js";
import {
  amount,
  CONCURRENCY_ESTIMATED_LABEL,
  ephemeralLine,
  IDLE_RECLAIM_LABEL,
  type ModelInput,
  makeOption,
  memoryGb,
  onDemandDuration,
  type PricedModel,
  requestsLine,
  totalOf,
} from "./model-support.js";
import { coldStartsPerStep, reclaimSteps } from "./prepared-traffic.js";

/** What a cold start adds to the invocation it serves, and how the bill names it. */
export interface ColdStartBilling {
  /** Milliseconds billed on top of the duration at each cold start (init, or SnapStart's restore). */
  readonly billedMs: number;
  /** "init" or "restore". */
  readonly label: string;
}

export interface OnDemandRun extends PricedModel {
  readonly lines: CostLine[];
  readonly coldStarts: number;
  /** The mean on-demand price per GB-s paid across the tiers: what the provisioned-concurrency sweep prices spill-over at. */
  readonly effectivePerGbSecond: number;
}

/** On-demand duration, requests and cold starts for the prepared traffic; shared with SnapStart. */
export function runOnDemand(input: ModelInput, coldStart: ColdStartBilling): OnDemandRun {
  const { traffic, fn, settings, prices } = input;
  const gb = memoryGb(fn);
  const coldStarts = coldStartsPerStep(
    traffic,
    reclaimSteps(settings.idleReclaimMinutes, traffic.stepSeconds),
  );
  let durationGbSeconds = 0;
  let coldStartCount = 0;
  let billedSeconds = 0;
  for (let step = 0; step < traffic.steps; step++) {
    const seconds = (traffic.invocations[step]! * traffic.billedDurationMs[step]!) / 1000;
    durationGbSeconds += seconds * gb;
    billedSeconds += seconds;
    coldStartCount += coldStarts[step]!;
  }
  const coldStartSeconds = (coldStartCount * coldStart.billedMs) / 1000;
  const coldStartGbSeconds = coldStartSeconds * gb;
  const duration = onDemandDuration(
    prices,
    durationGbSeconds + coldStartGbSeconds,
    traffic.periodSeconds,
  );
  const rate = duration.effectivePerGbSecond;
  const lines: CostLine[] = [
    {
      label: "duration",
      usd: durationGbSeconds * rate,
      formula: `${amount(durationGbSeconds)} GB-s (Σ invocations × billed ms ÷ 1000 × ${amount(gb)} GB) × ${duration.rate}`,
    },
  ];
  if (coldStart.billedMs > 0 && coldStartCount > 0)
    lines.push({
      label: `${coldStart.label} billed on cold starts`,
      usd: coldStartGbSeconds * rate,
      formula: `${amount(coldStartCount, 2)} cold starts × ${amount(coldStart.billedMs)} ms ÷ 1000 × ${amount(gb)} GB = ${amount(coldStartGbSeconds)} GB-s × ${duration.rate}`,
    });
  lines.push(requestsLine(prices, traffic.totalInvocations));
  const storage = ephemeralLine(prices, fn, billedSeconds + coldStartSeconds);
  if (storage) lines.push(storage);
  let stepUsd: Float64Array | undefined;
  if (input.withSteps) {
    stepUsd = new Float64Array(traffic.steps);
    const perRequest = prices.requestsPerMillion / 1_000_000;
    const storagePerSecond = storage ? storage.usd / (billedSeconds + coldStartSeconds) : 0;
    for (let step = 0; step < traffic.steps; step++) {
      const seconds =
        (traffic.invocations[step]! * traffic.billedDurationMs[step]! +
          coldStarts[step]! * coldStart.billedMs) /
        1000;
      stepUsd[step] =
        seconds * gb * rate + traffic.invocations[step]! * perRequest + seconds * storagePerSecond;
    }
  }
  return {
    option: makeOption("on-demand", traffic, {
      periodUsd: totalOf(lines),
      coldStarts: coldStartCount,
      lines,
      notes: [],
      modelled: [],
    }),
    ...(stepUsd ? { stepUsd } : {}),
    lines,
    coldStarts: coldStartCount,
    effectivePerGbSecond: rate,
  };
}

export function priceOnDemand(input: ModelInput): OnDemandRun {
  const initMs = input.fn.initDurationMs ?? 0;
  const run = runOnDemand(input, { billedMs: initMs, label: "init" });
  const notes: string[] = [];
  if (input.fn.initDurationMs === undefined)
    notes.push("init duration unknown: cold starts are counted but no init is billed");
  else
    notes.push(
      `each cold start bills its init (${amount(initMs)} ms) with the invocation's duration, as Lambda does since 1 August 2025`,
    );
  const modelled = [IDLE_RECLAIM_LABEL(input.settings.idleReclaimMinutes)];
  if (input.traffic.concurrencyEstimated) modelled.push(CONCURRENCY_ESTIMATED_LABEL);
  return { ...run, option: { ...run.option, notes, modelled } };
}
