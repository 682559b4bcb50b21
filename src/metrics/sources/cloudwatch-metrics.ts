/**
 * A function's CloudWatch figures over a window, from one GetMetricData call:
 * every statistic is a query in the same batch, and the period spans the
 * whole window so each query answers with one datapoint, which is the figure
 * itself (a percentile over the whole window is exact only that way).
 *
 * A statistic CloudWatch cannot answer is null, never 0 and never fatal: moto
 * fails the whole call with HTTP 500 when a batch holds a percentile, so on a
 * failed batch the figures are asked again, the plain statistics together and
 * each percentile on its own, and whatever still fails stays null.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { isThrottling } from "../../aws/is-throttling.js";
import type { CloudWatchFigures } from "../aws-observations.js";

export type CloudWatchSender = Pick<CloudWatchClient, "send">;

export interface MetricsWindow {
  readonly start: Date;
  readonly end: Date;
}

export interface CloudWatchOptions {
  readonly onNote?: (message: string) => void;
  /** The clock the window's age is measured against; CloudWatch's retention rules depend on it. */
  readonly now?: Date;
}

/** How figures from several datapoints (periods) are combined into one. */
type Combine = "sum" | "maximum" | "mean" | "percentile";

interface FigureQuery {
  readonly id: string;
  readonly metricName: string;
  readonly stat: string;
  readonly combine: Combine;
}

const QUERIES = [
  { id: "invocations", metricName: "Invocations", stat: "Sum", combine: "sum" },
  { id: "errors", metricName: "Errors", stat: "Sum", combine: "sum" },
  { id: "throttles", metricName: "Throttles", stat: "Sum", combine: "sum" },
  { id: "durationAverage", metricName: "Duration", stat: "Average", combine: "mean" },
  // The weight of each period's average and percentiles when there are several.
  { id: "durationCount", metricName: "Duration", stat: "SampleCount", combine: "sum" },
  { id: "durationMaximum", metricName: "Duration", stat: "Maximum", combine: "maximum" },
  { id: "durationP50", metricName: "Duration", stat: "p50", combine: "percentile" },
  { id: "durationP90", metricName: "Duration", stat: "p90", combine: "percentile" },
  { id: "durationP99", metricName: "Duration", stat: "p99", combine: "percentile" },
  {
    id: "concurrentExecutionsMax",
    metricName: "ConcurrentExecutions",
    stat: "Maximum",
    combine: "maximum",
  },
  { id: "iteratorAgeMax", metricName: "IteratorAge", stat: "Maximum", combine: "maximum" },
] as const satisfies readonly FigureQuery[];

type QueryId = (typeof QUERIES)[number]["id"];

/** The datapoints CloudWatch returned for one query; undefined when it could not answer. */
export type Series = { readonly values: number[]; readonly timestamps: number[] };
type Answers = Partial<Record<QueryId, Series>>;

const DAY_MS = 86_400_000;

/**
 * The window as CloudWatch will serve it. CloudWatch keeps 1-minute data for
 * 15 days, 5-minute data for 63 days and hourly data for 455 days, rounds the
 * start down to that granularity, and returns nothing unless the period is a
 * multiple of it. So the start is rounded down here (the window is what was
 * really measured) and the period is the whole window rounded up to the same
 * multiple: one period, one datapoint per statistic.
 */
export function planCloudWatchWindow(
  window: MetricsWindow,
  now: Date = new Date(),
): MetricsWindow & { readonly periodSeconds: number } {
  const granularitySeconds = cloudWatchGranularitySeconds(window.start, now);
  const granularityMs = granularitySeconds * 1000;
  const startMs = Math.floor(window.start.getTime() / granularityMs) * granularityMs;
  const spanMs = Math.max(window.end.getTime() - startMs, 1);
  const periodSeconds = Math.ceil(spanMs / granularityMs) * granularitySeconds;
  return { start: new Date(startMs), end: window.end, periodSeconds };
}

/**
 * The finest period CloudWatch still serves for data from `start` on:
 * 1-minute data is kept 15 days, 5-minute data 63 days, hourly data 455 days
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricStatistics.html).
 */
export function cloudWatchGranularitySeconds(start: Date, now: Date = new Date()): 60 | 300 | 3600 {
  const ageMs = now.getTime() - start.getTime();
  return ageMs > 63 * DAY_MS ? 3600 : ageMs > 15 * DAY_MS ? 300 : 60;
}

/** Invocations, errors, throttles, durations, concurrency and iterator age of one function. */
export async function cloudWatchFigures(
  cloudwatch: CloudWatchSender,
  functionName: string,
  window: MetricsWindow,
  options: CloudWatchOptions = {},
): Promise<CloudWatchFigures> {
  const plan = planCloudWatchWindow(window, options.now);
  const ask = (queries: readonly FigureQuery[]) =>
    getMetricData(cloudwatch, functionName, plan, queries);
  let answers: Answers;
  try {
    answers = await ask(QUERIES);
  } catch (batchError) {
    if (isThrottling(batchError)) throw batchError; // asking more often would not help
    answers = await askSeparately(ask, functionName, options);
  }
  const figure = (id: QueryId) => combined(id, answers);
  return {
    invocations: figure("invocations"),
    errors: figure("errors"),
    throttles: figure("throttles"),
    durationMs: {
      average: figure("durationAverage"),
      maximum: figure("durationMaximum"),
      p50: figure("durationP50"),
      p90: figure("durationP90"),
      p99: figure("durationP99"),
    },
    concurrentExecutionsMax: figure("concurrentExecutionsMax"),
    iteratorAgeMsMax: figure("iteratorAgeMax"),
  };
}

/**
 * The batch failed. If the plain statistics fail on their own too, the
 * failure is real (credentials, permissions, the endpoint) and is thrown;
 * a percentile that fails on its own is only missing.
 */
async function askSeparately(
  ask: (queries: readonly FigureQuery[]) => Promise<Answers>,
  functionName: string,
  options: CloudWatchOptions,
): Promise<Answers> {
  const plain = QUERIES.filter((query) => query.combine !== "percentile");
  const percentiles = QUERIES.filter((query) => query.combine === "percentile");
  const answers = await ask(plain);
  const unanswered: string[] = [];
  for (const query of percentiles) {
    try {
      Object.assign(answers, await ask([query]));
    } catch {
      unanswered.push(query.stat);
    }
  }
  if (unanswered.length > 0) {
    options.onNote?.(
      `${functionName}: CloudWatch did not answer Duration ${unanswered.join(", ")}; they are left empty (REPORT lines give exact percentiles)`,
    );
  }
  return answers;
}

/** One of a function's metrics, at one statistic, in a GetMetricData batch. */
export interface MetricQuery<Id extends string = string> {
  readonly id: Id;
  readonly metricName: string;
  readonly stat: string;
  /** Another service's metric (AWS/SQS, AWS/Kinesis) in the same batch: its namespace and dimensions instead of the function's. */
  readonly namespace?: string;
  readonly dimensions?: readonly { readonly Name: string; readonly Value: string }[];
}

/** The most queries one GetMetricData request may hold. */
const QUERIES_PER_REQUEST = 500;

/**
 * One GetMetricData request for a function's metrics (namespace AWS/Lambda,
 * unless a query names another namespace and its dimensions), following NextToken until every series is complete;
 * more than QUERIES_PER_REQUEST queries take one request per 500. A query CloudWatch
 * could not answer (InternalError, Forbidden) is absent from the answer.
 */
export async function getMetricData<Id extends string>(
  cloudwatch: CloudWatchSender,
  functionName: string,
  plan: MetricsWindow & { readonly periodSeconds: number },
  queries: readonly MetricQuery<Id>[],
): Promise<Partial<Record<Id, Series>>> {
  const metricDataQueries: MetricDataQuery[] = queries.map((query) => ({
    Id: query.id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: query.namespace ?? "AWS/Lambda",
        MetricName: query.metricName,
        Dimensions: query.dimensions
          ? [...query.dimensions]
          : [{ Name: "FunctionName", Value: functionName }],
      },
      Period: plan.periodSeconds,
      Stat: query.stat,
    },
  }));
  const answers: Partial<Record<Id, Series>> = {};
  const failed = new Set<Id>();
  for (let first = 0; first < metricDataQueries.length; first += QUERIES_PER_REQUEST) {
    const batch = metricDataQueries.slice(first, first + QUERIES_PER_REQUEST);
    let nextToken: string | undefined;
    do {
      const page = await cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: plan.start,
          EndTime: plan.end,
          MetricDataQueries: batch,
          NextToken: nextToken,
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const id = result.Id as Id | undefined;
        if (!id) continue;
        // InternalError or Forbidden for one statistic: that statistic is missing, the rest stand.
        if (result.StatusCode === "InternalError" || result.StatusCode === "Forbidden") {
          failed.add(id);
          continue;
        }
        const series = answers[id] ?? { values: [], timestamps: [] };
        // One at a time: a page of a per-minute series holds tens of thousands of
        // datapoints, more than a spread call's arguments may safely hold.
        for (const value of result.Values ?? []) series.values.push(value);
        for (const time of result.Timestamps ?? []) series.timestamps.push(time.getTime());
        answers[id] = series;
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken);
  }
  for (const id of failed) delete answers[id];
  return answers;
}

/**
 * One figure from a series of periods. Normally there is one period and this
 * is its value. With several: sums add; a maximum is the largest; an average
 * is weighted by each period's SampleCount (exact); a percentile is the
 * SampleCount-weighted mean of the periods' percentiles, an approximation that
 * always lies between the smallest and largest of them, as the true value does.
 *
 * No datapoints means no invocation wrote the metric in the window: a count is
 * then 0, anything else (an average, a maximum, iterator age) has no value.
 */
function combined(id: QueryId, answers: Answers): number | null {
  const query = QUERIES.find((candidate) => candidate.id === id)!;
  const series = answers[id];
  if (!series) return null;
  const { values } = series;
  if (query.combine === "sum") return values.reduce((total, value) => total + value, 0);
  if (values.length === 0) return null;
  if (values.length === 1) return values[0]!;
  if (query.combine === "maximum") return Math.max(...values);
  return weightedMean(series, answers.durationCount);
}

function weightedMean(series: Series, counts: Series | undefined): number | null {
  if (!counts) return null;
  const countAt = new Map(counts.timestamps.map((time, index) => [time, counts.values[index]!]));
  let weighted = 0;
  let total = 0;
  for (const [index, value] of series.values.entries()) {
    const count = countAt.get(series.timestamps[index]!);
    if (count === undefined) return null;
    weighted += value * count;
    total += count;
  }
  return total > 0 ? weighted / total : null;
}
