/**
 * How one configuration is sampled: which invocations are made, in what order and how many.
 * Behind an alias: a warm-up whose cold start is kept apart, then `num` samples (one on a dry
 * run), serially with a pause between them or `concurrency` at a time, and with
 * --until-confident further batches until the mean cost is known to within 5%. With
 * --only-cold-starts: one new version per invocation, so each lands in a new execution
 * environment. Weighted payloads fill the invocations in proportion (payloads.ts). What each
 * invocation counts as is sample-tally.ts's business.
 */
import { mapWithConcurrency } from "../map-with-concurrency.js";
import { bootstrapMeanInterval, mean, seededRandom } from "../statistics.js";
import type { LambdaTarget } from "./lambda-target.js";
import { payloadSlots } from "./payloads.js";
import type { SampleTally } from "./sample-tally.js";
import { CONFIDENCE_TARGET, type TuningSettings } from "./settings.js";

export type SamplingSettings = Pick<
  TuningSettings,
  | "num"
  | "payloads"
  | "parallel"
  | "concurrency"
  | "sleepBetweenMs"
  | "untilConfident"
  | "maxNum"
  | "dryRun"
>;

export interface SamplingContext {
  readonly lambda: LambdaTarget;
  readonly settings: SamplingSettings;
  /** Throws once the run is stopped (Ctrl-C): called before every invocation. */
  readonly checkAborted: () => void;
  /** Called after every invocation, and for every one skipped, so progress still reaches its total. */
  readonly onInvocation: () => void;
}

/** Warm up behind `alias`, then sample it: see the file's comment. */
export async function sampleAlias(
  context: SamplingContext,
  alias: string,
  tally: SampleTally,
): Promise<void> {
  const { lambda, settings } = context;
  const payloads = payloadSlots(
    settings.payloads,
    Math.max(settings.num, settings.payloads.length),
  );
  if (!settings.dryRun) {
    const healthy = tally.recordWarmUp(await lambda.invoke(alias, payloads[0]!));
    context.onInvocation();
    if (!healthy) {
      for (let skipped = 0; skipped < settings.num; skipped++) context.onInvocation();
      return;
    }
  }
  await invokeBatch(
    context,
    alias,
    tally,
    settings.dryRun ? payloads.slice(0, 1) : payloads.slice(0, settings.num),
  );
  while (wantsMoreSamples(settings, tally)) {
    const size = nextBatchSize(settings, tally.sampleCount);
    const batch = payloadSlots(settings.payloads, Math.max(size, settings.payloads.length));
    await invokeBatch(context, alias, tally, batch.slice(0, size));
  }
}

/** What --only-cold-starts needs from the function: a fresh version per invocation, then gone. */
export interface FreshVersions {
  /** Publish a version no environment has run yet, for the invocation in this slot. */
  publish(slot: number): Promise<string>;
  remove(version: string): Promise<void>;
}

/** `num` invocations, each of its own new version: every sample is a cold start. */
export async function sampleColdStarts(
  context: SamplingContext,
  versions: FreshVersions,
  tally: SampleTally,
): Promise<void> {
  const { lambda, settings } = context;
  for (const [slot, payload] of payloadSlots(settings.payloads, settings.num).entries()) {
    context.checkAborted();
    const version = await versions.publish(slot);
    tally.record(await lambda.invoke(version, payload));
    context.onInvocation();
    await versions.remove(version);
    await sleep(settings.sleepBetweenMs);
  }
}

/**
 * --until-confident: another batch while nothing failed, the cap is not reached and the cost
 * interval is still wide. Never on a dry run.
 */
export function wantsMoreSamples(
  settings: Pick<SamplingSettings, "untilConfident" | "dryRun" | "maxNum">,
  tally: Pick<SampleTally, "errorCount" | "sampleCount" | "costs">,
): boolean {
  return (
    settings.untilConfident &&
    !settings.dryRun &&
    tally.errorCount === 0 &&
    tally.sampleCount < settings.maxNum &&
    !isConfident(tally.costs)
  );
}

/** Half of --num, at least 5, and never past --max-num. */
export function nextBatchSize(
  settings: Pick<SamplingSettings, "num" | "maxNum">,
  sampled: number,
): number {
  return Math.min(Math.max(5, Math.ceil(settings.num / 2)), settings.maxNum - sampled);
}

/** The cost interval's half-width is under 5% of its mean. */
export function isConfident(costs: readonly number[]): boolean {
  if (costs.length < 2) return false;
  const interval = bootstrapMeanInterval(costs, { random: seededRandom(costs.length) });
  const average = mean(costs);
  return average > 0 && (interval.high - interval.low) / 2 / average < CONFIDENCE_TARGET;
}

async function invokeBatch(
  context: SamplingContext,
  alias: string,
  tally: SampleTally,
  batch: readonly Uint8Array[],
): Promise<void> {
  const { lambda, settings } = context;
  const invokeOne = async (payload: Uint8Array) => {
    context.checkAborted();
    tally.record(await lambda.invoke(alias, payload));
    context.onInvocation();
  };
  if (settings.parallel) {
    await mapWithConcurrency(batch, settings.concurrency, invokeOne);
    return;
  }
  for (const payload of batch) {
    await invokeOne(payload);
    await sleep(settings.sleepBetweenMs);
  }
}

/** Power Tuning's sleepBetweenRunsMs: a pause between serial invocations. */
function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
