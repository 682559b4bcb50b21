/**
 * Why the optimizer recommends what it does, in plain sentences: the bound;
 * what today's settings do against it; the saving (or, when today misses the
 * bound, the lag cut); the knob that mattered most (the winner with each
 * changed knob put back, the one whose return hurts most); a stream's
 * tumbling window length, when it has one (fewer invocations against the age
 * of its aggregates); the queue's
 * visibility timeout against AWS's 6× advice; Kafka's pollers; and, when
 * nothing meets the bound, what comes closest and what would be needed.
 */
import type { Scenario } from "../simulation/scenario.js";
import { CFN_NAME } from "./cfn-settings.js";
import { type Bound, type Candidate, COST_TIE, type SearchOutcome } from "./search-settings.js";
import {
  KAFKA_POLLER_BYTES_PER_SECOND,
  KAFKA_POLLER_INVOCATIONS,
  peakRate,
  SQS_MAX_CONCURRENCY,
  VISIBILITY_TIMEOUT_FACTOR,
} from "./search-space.js";

/** The most concurrent batches a shard serves (ParallelizationFactor's maximum). */
const MAX_PARALLELIZATION = 10;

export function optimizeReasons(
  outcome: SearchOutcome,
  bound: Bound,
  current: Scenario,
  recommended: Scenario | undefined,
  apply: (candidate: Candidate) => Scenario,
): string[] {
  const reasons: string[] = [];
  reasons.push(
    `The bound: a record processed within ${seconds(bound.maxAgeSeconds)} of its arrival at p99${bound.allowThrottles ? "" : ", with no throttles"}; ${outcome.searched} settings simulated.`,
  );
  const today = outcome.current;
  reasons.push(`Today's settings: ${describe(today, bound)}.`);
  const best = outcome.best;
  if (best !== undefined) {
    const cost = (candidate: Candidate) => candidate.result.monthlyUsd;
    if (sameSettings(best, today))
      reasons.push("They are already the cheapest of the settings searched within the bound.");
    else if (today.meetsBound) {
      const saving = cost(today) - cost(best);
      reasons.push(
        saving > 0
          ? `The recommended settings keep p99 age at ${seconds(best.result.ageP99Seconds)} for ${usd(cost(best))} a month: ${usd(saving)} (${percent(saving / cost(today))}) less.`
          : `The recommended settings cost the same (${usd(cost(best))} a month) and cut p99 age to ${seconds(best.result.ageP99Seconds)}.`,
      );
    } else
      reasons.push(
        `Today's settings miss the bound; the recommended ones bring p99 age from ${seconds(today.result.ageP99Seconds)} to ${seconds(best.result.ageP99Seconds)}${best.result.throttles === 0 && today.result.throttles > 0 ? " with no throttles" : ""}, for ${usd(cost(best))} a month (today ${usd(cost(today))}).`,
      );
    const mattered = knobThatMattered(outcome, best, bound);
    if (mattered) reasons.push(mattered);
    const tumbling = tumblingReason(outcome, bound);
    if (tumbling) reasons.push(tumbling);
  } else {
    const closest = outcome.closest;
    reasons.push(
      `None of the settings searched meets the bound. The closest, ${describeKnobs(closest)}, reaches ${describe(closest, bound)}.`,
    );
    const needed = whatIsNeeded(apply(closest), closest);
    if (needed) reasons.push(needed);
  }
  const visibility = visibilityReason(current, recommended);
  if (visibility) reasons.push(visibility);
  const reserved = reservedConcurrencyReason(current, recommended);
  if (reserved) reasons.push(reserved);
  const pollers = pollersReason(recommended ?? current);
  if (pollers) reasons.push(pollers);
  return reasons;
}

function describe(candidate: Candidate, bound: Bound): string {
  const { result } = candidate;
  const parts = [`p99 age ${seconds(result.ageP99Seconds)} (max ${seconds(result.maxAgeSeconds)})`];
  if (result.throttles > 0) parts.push(`${result.throttles.toLocaleString("en-US")} throttles`);
  // Records in a window or in flight are always waiting at the end; a backlog is news only past the bound.
  if (result.backlogEnd > 0 && !candidate.meetsBound)
    parts.push(`${result.backlogEnd.toLocaleString("en-US")} records still waiting at the end`);
  parts.push(`${usd(result.monthlyUsd)} a month`);
  const verdict = candidate.meetsBound
    ? "within the bound"
    : result.ageP99Seconds >= bound.maxAgeSeconds ||
        (result.timeline.at(-1)?.oldestAgeSeconds ?? 0) >= bound.maxAgeSeconds
      ? "over the bound"
      : "throttling";
  return `${parts.join(", ")}: ${verdict}`;
}

/** The changed knob whose return to today's value hurts most: out of the bound first, else the largest extra cost. */
function knobThatMattered(
  outcome: SearchOutcome,
  best: Candidate,
  bound: Bound,
): string | undefined {
  let worst: { knob: string; candidate: Candidate; harm: number } | undefined;
  for (const { knob, candidate } of outcome.reverted) {
    const harm = candidate.meetsBound
      ? candidate.result.monthlyUsd - best.result.monthlyUsd
      : Number.POSITIVE_INFINITY;
    if (!worst || harm > worst.harm) worst = { knob, candidate, harm };
  }
  if (!worst) return undefined;
  const name = CFN_NAME[worst.knob] ?? worst.knob;
  const was = outcome.current.knobs[worst.knob];
  const now = best.knobs[worst.knob];
  const values = `${name} ${show(now)} instead of today's ${show(was)}`;
  if (!worst.candidate.meetsBound)
    return `${values} matters most: with today's value and the rest as recommended, ${describe(worst.candidate, bound)}.`;
  if (worst.harm > 0)
    return `${values} matters most: with today's value and the rest as recommended, it would cost ${usd(worst.candidate.result.monthlyUsd)} a month, ${usd(worst.harm)} more.`;
  return `${values} changes the cost little; it cuts p99 age from ${seconds(worst.candidate.result.ageP99Seconds)} to ${seconds(best.result.ageP99Seconds)}.`;
}

/**
 * Why the tumbling window length: a longer window takes fewer invocations (one
 * more per lane and window carries the state at its end), a shorter one gets a
 * record's aggregate out sooner (only when its window closes); the length
 * moves from today's only for a saving, since it changes what is aggregated.
 */
function tumblingReason(outcome: SearchOutcome, bound: Bound): string | undefined {
  const settled = outcome.settled.find((entry) => entry.knob === "tumblingWindowSeconds");
  if (!settled) return undefined;
  const today = outcome.current.knobs.tumblingWindowSeconds ?? 0;
  const { chosen } = settled;
  const entryAt = (value: number) => settled.candidates.find((entry) => entry.value === value);
  const at = entryAt(chosen)!;
  const todayEntry = entryAt(today);
  const invocations = (candidate: Candidate) =>
    candidate.result.invocations.toLocaleString("en-US");
  const cost =
    "each window ends with one more invocation per lane (shard × ParallelizationFactor) carrying its state, so a longer window takes fewer invocations for the same records";
  const outIn = (value: number, candidate: Candidate) =>
    `up to ${value} s + the p99 age of ${seconds(candidate.result.ageP99Seconds)} after it arrives`;
  const wait = `a record's aggregate is out only when its window closes, ${outIn(chosen, at.candidate)}`;
  let head: string;
  if (!at.fits)
    head = `TumblingWindowInSeconds ${chosen} s, the shortest length searched: with none of them is a record's aggregate out within the ${seconds(bound.maxAgeSeconds)} bound (${wait}); a looser bound or no window would be needed`;
  else if (chosen === today)
    head = settled.candidates.some((entry) => entry.fits && entry.value > chosen)
      ? `TumblingWindowInSeconds stays at ${today} s: a longer window saves less than ${COST_TIE * 100}% here, and a window's length changes what the function aggregates, so it moves only for a saving; ${wait}, under the ${seconds(bound.maxAgeSeconds)} bound`
      : `TumblingWindowInSeconds stays at ${today} s, the longest length searched whose aggregate is out within the ${seconds(bound.maxAgeSeconds)} bound (${wait}); ${cost}`;
  else if (todayEntry === undefined || !todayEntry.fits)
    head = `TumblingWindowInSeconds ${chosen} s instead of today's ${today} s: ${
      todayEntry === undefined
        ? `a record's aggregate is out only when its window closes, up to ${today} s after it arrives with today's, past the ${seconds(bound.maxAgeSeconds)} bound`
        : `a record's aggregate is out only when its window closes, ${outIn(today, todayEntry.candidate)} with today's, not under the ${seconds(bound.maxAgeSeconds)} bound`
    }; ${chosen} s is the cheapest length under it (${outIn(chosen, at.candidate)}): ${cost}`;
  else
    head = `TumblingWindowInSeconds ${chosen} s instead of today's ${today} s: ${cost}: ${invocations(at.candidate)} invocations instead of ${invocations(todayEntry.candidate)} over the simulated period, ${usd(at.candidate.result.monthlyUsd)} a month instead of ${usd(todayEntry.candidate.result.monthlyUsd)}; ${wait}, under the ${seconds(bound.maxAgeSeconds)} bound${
      settled.candidates.some((entry) => entry.fits && entry.value > chosen)
        ? `; a longer window would save less than ${COST_TIE * 100}% more and hold aggregates longer`
        : ""
    }`;
  const lengths = settled.candidates
    .map(
      ({ value, candidate, fits }) =>
        `${value} s, ${invocations(candidate)} invocations, ${usd(candidate.result.monthlyUsd)} a month${fits ? "" : " (aggregate past the bound)"}`,
    )
    .join("; ");
  return `${head}. Lengths simulated with the rest as recommended: ${lengths}.`;
}

/** What the closest setting lacks: the concurrency the peak needs against the most the source allows. */
function whatIsNeeded(scenario: Scenario, closest: Candidate): string | undefined {
  const { mapping, function: fn } = scenario;
  const batch = Math.max(
    1,
    Math.round(Math.min(mapping.batchSize, closest.result.meanBatchSize || mapping.batchSize)),
  );
  const batchMs = fn.overheadMs + fn.perRecordMs * batch;
  const peak = peakRate(scenario);
  const needed = Math.ceil(((peak / batch) * batchMs) / 1000);
  const perRecordFloorMs = fn.overheadMs / batch + fn.perRecordMs;
  if (mapping.source === "kinesis" || mapping.source === "dynamodb") {
    const most = mapping.shards * MAX_PARALLELIZATION;
    if (needed >= most)
      return `At the peak of ${rate(peak)}, batches of ${batch.toLocaleString("en-US")} records taking ${ms(batchMs)} need about ${needed} at once; ${mapping.shards} ${mapping.shards === 1 ? "shard" : "shards"} × ParallelizationFactor ${MAX_PARALLELIZATION} allow ${most}. About ${Math.ceil(needed / MAX_PARALLELIZATION)} shards would be needed, or a faster function (${ms(perRecordFloorMs)} a record today).`;
    return `Even the fastest setting leaves the age over the bound: a faster function (${ms(perRecordFloorMs)} a record today) or a looser bound would be needed.`;
  }
  if (mapping.source === "sqs") {
    const reserved = fn.reservedConcurrency;
    if (reserved !== undefined && needed > reserved)
      return `At the peak of ${rate(peak)}, batches of ${batch.toLocaleString("en-US")} records taking ${ms(batchMs)} need about ${needed} invocations at once; the function's reserved concurrency of ${reserved} allows fewer: raise it to about ${needed}, or make the function faster (${ms(perRecordFloorMs)} a record today).`;
    if (needed > SQS_MAX_CONCURRENCY)
      return `At the peak of ${rate(peak)}, about ${needed} invocations would run at once, more than the ${SQS_MAX_CONCURRENCY.toLocaleString("en-US")} an SQS mapping scales to: a faster function or several queues would be needed.`;
    return "The bound is tighter than polling and a batch take: a looser bound or a faster function would be needed.";
  }
  if (mapping.source !== "kafka") return undefined;
  return `At the peak of ${rate(peak)}, about ${needed} invocations would run at once over ${mapping.partitions} ${mapping.partitions === 1 ? "partition" : "partitions"}: more partitions or a faster function would be needed.`;
}

function visibilityReason(
  current: Scenario,
  recommended: Scenario | undefined,
): string | undefined {
  const mapping = current.mapping;
  if (mapping.source !== "sqs") return undefined;
  const floor = VISIBILITY_TIMEOUT_FACTOR * current.function.timeoutSeconds;
  if (mapping.visibilityTimeoutSeconds >= floor) return undefined;
  const advised =
    recommended?.mapping.source === "sqs" ? recommended.mapping.visibilityTimeoutSeconds : floor;
  return `The queue's VisibilityTimeout of ${seconds(mapping.visibilityTimeoutSeconds)} is under 6× the function's ${seconds(current.function.timeoutSeconds)} timeout (AWS's advice): a message still being processed comes back and is processed, and billed, twice. Set it to at least ${seconds(advised)} (6× the timeout plus the batching window).`;
}

/** AWS's advice: an SQS mapping's MaximumConcurrency no higher than the function's reserved concurrency. */
function reservedConcurrencyReason(
  current: Scenario,
  recommended: Scenario | undefined,
): string | undefined {
  const mapping = current.mapping;
  const reserved = current.function.reservedConcurrency;
  if (mapping.source !== "sqs" || reserved === undefined) return undefined;
  const maximum = mapping.maximumConcurrency;
  if (maximum !== undefined && maximum <= reserved) return undefined;
  const advised =
    recommended?.mapping.source === "sqs" ? recommended.mapping.maximumConcurrency : undefined;
  return `The function's reserved concurrency is ${reserved} and ScalingConfig.MaximumConcurrency is ${maximum === undefined ? "unset" : maximum}: the pollers can invoke more at once than the reservation allows, and the extra invocations are throttled and their messages return to the queue. AWS advises MaximumConcurrency no higher than the reserved concurrency (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html)${advised !== undefined && advised <= reserved ? `; the recommendation sets it to ${advised}` : ""}.`;
}

function pollersReason(scenario: Scenario): string | undefined {
  const mapping = scenario.mapping;
  if (mapping.source !== "kafka" || mapping.pollers === undefined) return undefined;
  const peak = peakRate(scenario);
  const megabytes = (peak * scenario.recordBytes) / 1024 / 1024;
  return `Provisioned pollers: ${mapping.pollers}, for the peak of ${rate(peak)} × ${scenario.recordBytes.toLocaleString("en-US")} bytes = ${megabytes.toFixed(2)} MB/s at ${KAFKA_POLLER_BYTES_PER_SECOND / 1024 / 1024} MB/s and ${KAFKA_POLLER_INVOCATIONS} concurrent invocations a poller (https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-low-latency.html), at most one per partition (${mapping.partitions}).`;
}

function describeKnobs(candidate: Candidate): string {
  return Object.entries(candidate.knobs)
    .map(([knob, value]) => `${CFN_NAME[knob] ?? knob} ${show(value)}`)
    .join(", ");
}

function sameSettings(a: Candidate, b: Candidate): boolean {
  const keys = new Set([...Object.keys(a.knobs), ...Object.keys(b.knobs)]);
  return [...keys].every((key) => a.knobs[key] === b.knobs[key]);
}

function show(value: number | undefined): string {
  return value === undefined ? "unset" : value.toLocaleString("en-US");
}

function seconds(value: number): string {
  return `${value < 10 ? Number(value.toFixed(2)) : Math.round(value).toLocaleString("en-US")} s`;
}

function ms(value: number): string {
  return `${Number(value.toFixed(1)).toLocaleString("en-US")} ms`;
}

function rate(value: number): string {
  return `${Number(value.toFixed(1)).toLocaleString("en-US")} records/s`;
}

function usd(value: number): string {
  return value >= 100 ? `$${Math.round(value).toLocaleString("en-US")}` : `$${value.toFixed(2)}`;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
