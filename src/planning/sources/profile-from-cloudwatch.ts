/**
 * `plan FUNCTION --aws`: a deployed function's traffic as CloudWatch recorded
 * it — Invocations (Sum), ConcurrentExecutions (Maximum) and Duration
 * (Average) per step — and its configuration from the Lambda API.
 *
 * The step is the finest CloudWatch still keeps for the whole window (one
 * minute for 15 days, five minutes for 63, an hour beyond), so every step is
 * measured at the same resolution. The window ends at the last whole step
 * before `now`: the step in progress would read as a drop in traffic.
 */
import { UsageError } from "../../errors.js";
import {
  functionConfigurationFacts,
  type LambdaSender,
  UnknownFunctionError,
} from "../../metrics/sources/aws-functions.js";
import {
  type CloudWatchSender,
  cloudWatchGranularitySeconds,
  getMetricData,
  type MetricQuery,
  type Series,
} from "../../metrics/sources/cloudwatch-metrics.js";
import type { ObservedFunction, ObservedTraffic } from "../traffic-profile.js";

export interface ProfileFromCloudWatchOptions {
  readonly days: number;
  /** The end of the window (default: now). */
  readonly now?: Date;
  readonly onProgress?: (message: string) => void;
}

const DAY_MS = 86_400_000;

const QUERIES = [
  { id: "invocations", metricName: "Invocations", stat: "Sum" },
  { id: "concurrency", metricName: "ConcurrentExecutions", stat: "Maximum" },
  { id: "duration", metricName: "Duration", stat: "Average" },
] as const satisfies readonly MetricQuery[];

const RESOLUTION: Record<number, string> = { 60: "1-minute", 300: "5-minute", 3600: "1-hour" };

export async function profileFromCloudWatch(
  clients: { readonly cloudwatch: CloudWatchSender; readonly lambda: LambdaSender },
  functionName: string,
  options: ProfileFromCloudWatchOptions,
): Promise<ObservedTraffic> {
  // The configuration first: a function that is not there fails before any metric is read.
  let facts: Awaited<ReturnType<typeof functionConfigurationFacts>>;
  try {
    facts = await functionConfigurationFacts(clients.lambda, functionName);
  } catch (error) {
    if (error instanceof UnknownFunctionError) throw new UsageError(error.message);
    throw error;
  }
  const nowMs = (options.now ?? new Date()).getTime();
  const windowStart = new Date(nowMs - options.days * DAY_MS);
  const stepSeconds = cloudWatchGranularitySeconds(windowStart, new Date(nowMs));
  const stepMs = stepSeconds * 1000;
  const startMs = Math.floor(windowStart.getTime() / stepMs) * stepMs;
  const endMs = Math.floor(nowMs / stepMs) * stepMs;
  const steps = Math.max(0, (endMs - startMs) / stepMs);
  options.onProgress?.(
    `reading CloudWatch metrics for ${facts.functionName}, ${options.days} ${options.days === 1 ? "day" : "days"} at ${RESOLUTION[stepSeconds]} resolution`,
  );
  const answers = await getMetricData(
    clients.cloudwatch,
    facts.functionName,
    { start: new Date(startMs), end: new Date(endMs), periodSeconds: stepSeconds },
    QUERIES,
  );
  if (answers.invocations === undefined)
    throw new Error(
      `CloudWatch did not answer Invocations for ${facts.functionName}: its traffic cannot be read`,
    );
  const perStep = (series: Series | undefined, empty: number) => {
    const values = new Array<number>(steps).fill(empty);
    if (series === undefined) return values;
    for (let index = 0; index < series.values.length; index++) {
      const step = Math.floor((series.timestamps[index]! - startMs) / stepMs);
      if (step >= 0 && step < steps) values[step] = series.values[index]!;
    }
    return values;
  };
  const invocations = perStep(answers.invocations, 0);
  // Without a single ConcurrentExecutions datapoint there is no measure: the
  // planner then estimates concurrency, rather than read zeros as a fact.
  const measured = answers.concurrency !== undefined && answers.concurrency.values.length > 0;
  const concurrency = measured ? perStep(answers.concurrency, 0) : undefined;
  if (concurrency)
    for (let step = 0; step < steps; step++)
      // A step that served invocations had at least one environment busy, whatever the metric missed.
      if (invocations[step]! > 0 && concurrency[step]! < 1) concurrency[step] = 1;
  const durationMs = perStep(answers.duration, Number.NaN);
  let weighted = 0;
  let weight = 0;
  for (let step = 0; step < steps; step++) {
    const duration = durationMs[step]!;
    if (Number.isNaN(duration)) continue;
    weighted += duration * invocations[step]!;
    weight += invocations[step]!;
  }
  const runtime =
    facts.runtime === "image" || facts.runtime === "unknown" ? undefined : facts.runtime;
  const observed: ObservedFunction = {
    functionName: facts.functionName,
    memoryMb: facts.memoryMb,
    architecture: facts.architecture,
    ...(runtime !== undefined ? { runtime } : {}),
    ephemeralStorageMb: facts.ephemeralStorageMb,
    ...(weight > 0 ? { meanDurationMs: weighted / weight } : {}),
  };
  return {
    profile: {
      source: "cloudwatch",
      origin: facts.functionName,
      startMs,
      stepSeconds,
      invocations,
      ...(concurrency ? { concurrency } : {}),
      durationMs,
    },
    observed,
  };
}
