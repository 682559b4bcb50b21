/**
 * A simulator simple enough to check by hand, for testing the search alone:
 * a constant rate r, batches of b = min(BatchSize, max(1, r × window)), each
 * taking overhead + perRecord × b; the concurrency the rate needs is
 * r / b × duration. Within the limit (MaximumConcurrency, shards ×
 * ParallelizationFactor, reserved concurrency), a record waits
 * min(window, BatchSize / r) then the batch: age = that + duration. Past it,
 * the backlog grows: the oldest record at the end arrived when capacity × T
 * records had, so the age is T × (1 − capacity / needed) + duration.
 * Cost: $0.20 per million requests plus $0.0000166667 per GB-second.
 */

import type { Scenario } from "../../../src/esm/simulation/scenario.js";
import type { EsmSimulationResult } from "../../../src/esm/simulation/simulation-result.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../../src/pricing/price-table.js";

export const MONTH_SECONDS = 730 * 3600;

export function fakeSimulate(scenario: Scenario): EsmSimulationResult {
  const { mapping, function: fn, arrivals } = scenario;
  const rate = arrivals.perSecond[0]!;
  const period = arrivals.perSecond.length * arrivals.stepSeconds;
  const arrived = Math.round(rate * period);
  const batch = Math.min(mapping.batchSize, Math.max(1, rate * mapping.windowSeconds));
  const durationMs = fn.overheadMs + fn.perRecordMs * batch;
  const needed = ((rate / batch) * durationMs) / 1000;
  const limits = [1000];
  if (mapping.source === "sqs" && mapping.maximumConcurrency !== undefined)
    limits.push(mapping.maximumConcurrency);
  if (mapping.source === "kinesis" || mapping.source === "dynamodb")
    limits.push(mapping.shards * mapping.parallelizationFactor);
  const reserved = fn.reservedConcurrency ?? Number.POSITIVE_INFINITY;
  const limit = Math.min(...limits);
  const throttles = Math.min(limit, needed) > reserved ? Math.round(arrived / batch / 10) : 0;
  const capacity = Math.min(limit, reserved);
  const fits = needed <= capacity;
  const wait = Math.min(mapping.windowSeconds, mapping.batchSize / rate);
  const age = fits
    ? wait + durationMs / 1000
    : (period * (needed - capacity)) / needed + durationMs / 1000;
  const processed = fits ? arrived : Math.round(arrived * (capacity / needed));
  const invocations = Math.round(processed / batch);
  const periodUsd =
    invocations * 2e-7 + invocations * (fn.memoryMb / 1024) * (durationMs / 1000) * 0.0000166667;
  const backlog = arrived - processed;
  return {
    source: mapping.source,
    settings: {},
    seed: scenario.seed,
    periodSeconds: period,
    arrived,
    processed,
    backlogEnd: backlog,
    discarded: 0,
    invocations,
    meanBatchSize: batch,
    ageP50Seconds: age,
    ageP99Seconds: age,
    maxAgeSeconds: age,
    concurrencyMax: Math.ceil(Math.min(needed, capacity)),
    throttles,
    retries: 0,
    periodUsd,
    monthlyUsd: (periodUsd * MONTH_SECONDS) / period,
    lines: [],
    prices: {
      date: pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64").date,
      region: "us-east-1",
    },
    timeline: [
      {
        atSeconds: period,
        backlog,
        oldestAgeSeconds: fits ? wait : age,
        concurrency: Math.ceil(Math.min(needed, capacity)),
        processed,
        throttles,
      },
    ],
    events: invocations * 3,
    modelled: [],
    notes: [],
  };
}
