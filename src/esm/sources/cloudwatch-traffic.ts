/**
 * A deployed mapping's traffic as CloudWatch recorded it, in one
 * GetMetricData call per mapping, at the finest step CloudWatch keeps for the
 * whole window (cloudWatchGranularitySeconds):
 *
 * - SQS: AWS/SQS NumberOfMessagesSent (Sum) by QueueName: the records
 *   arriving; ApproximateAgeOfOldestMessage (Maximum): the age today's
 *   settings let messages reach.
 * - Kinesis: AWS/Kinesis IncomingRecords (Sum) by StreamName.
 * - DynamoDB Streams and Kafka, when the mapping publishes its event counts
 *   (MetricsConfig EventCount, off by default): AWS/Lambda PolledEventCount
 *   (Sum) by EventSourceMappingUUID, the records this mapping read
 *   (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics).
 *   The records arriving, when the mapping keeps up.
 * - DynamoDB Streams without them: CloudWatch has no count of records written
 *   to a stream; AWS/DynamoDB ReturnedRecordsCount (Sum) by TableName,
 *   StreamLabel and Operation GetRecords counts the records GetRecords
 *   returned, which is the records arriving when the stream's readers keep up
 *   (and a multiple of them when several read it, which the note says)
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html).
 * - Kafka without them: no count (AWS/Kafka's are per broker and topic, not
 *   this consumer's): the caller gives the rate.
 * - Streams: the function's IteratorAge (Maximum, AWS/Lambda), in ms; Kafka
 *   has no age in seconds (OffsetLag counts records).
 * - Every source: the function's Invocations (Sum) and Duration (Average), for
 *   the records per batch and the time a batch takes.
 *
 * The window ends at the last whole step before `now`.
 */
import {
  type CloudWatchSender,
  cloudWatchGranularitySeconds,
  getMetricData,
  type MetricQuery,
  type Series,
} from "../../metrics/sources/cloudwatch-metrics.js";
import type { ArrivalRates } from "../simulation/scenario.js";
import { summarise, type Traffic } from "./given-traffic.js";
import type { MappingFacts } from "./mapping-facts.js";

export interface MeasuredTraffic {
  /** Records arriving in each step (NaN-free: a step CloudWatch has no datapoint for is 0). */
  readonly records: Float64Array;
  readonly stepSeconds: number;
  /** What counted the records: "AWS/SQS NumberOfMessagesSent". */
  readonly metric: string;
  /** The oldest age CloudWatch saw, in seconds (ApproximateAgeOfOldestMessage or IteratorAge); null without data. */
  readonly maxAgeSeconds: number | null;
  readonly ageMetric: string | null;
  readonly invocations: number;
  /** What the reader should know about the count (ReturnedRecordsCount and several readers). */
  readonly caveat: string | null;
  /** The mean Duration, weighted by each step's invocations; null without data. */
  readonly meanDurationMs: number | null;
}

const DAY_MS = 86_400_000;

export async function measuredTraffic(
  cloudwatch: CloudWatchSender,
  facts: MappingFacts,
  options: { readonly days: number; readonly now: Date },
): Promise<MeasuredTraffic | { readonly missing: string }> {
  const functionName = facts.names.functionName;
  if (functionName === undefined) return { missing: "the function's name" };
  const source = sourceQueries(facts);
  if ("missing" in source) return source;
  const nowMs = options.now.getTime();
  const windowStart = new Date(nowMs - options.days * DAY_MS);
  const stepSeconds = cloudWatchGranularitySeconds(windowStart, options.now);
  const stepMs = stepSeconds * 1000;
  const startMs = Math.floor(windowStart.getTime() / stepMs) * stepMs;
  const endMs = Math.floor(nowMs / stepMs) * stepMs;
  const steps = Math.max(0, Math.round((endMs - startMs) / stepMs));
  const queries: MetricQuery[] = [
    source.records,
    ...(source.age ? [source.age] : []),
    { id: "invocations", metricName: "Invocations", stat: "Sum" },
    { id: "duration", metricName: "Duration", stat: "Average" },
  ];
  const answers = await getMetricData(
    cloudwatch,
    functionName,
    { start: new Date(startMs), end: new Date(endMs), periodSeconds: stepSeconds },
    queries,
  );
  const perStep = (series: Series | undefined) => {
    const values = new Float64Array(steps);
    if (series === undefined) return values;
    for (let index = 0; index < series.values.length; index++) {
      const step = Math.floor((series.timestamps[index]! - startMs) / stepMs);
      if (step >= 0 && step < steps) values[step] = (values[step] ?? 0) + series.values[index]!;
    }
    return values;
  };
  const records = perStep(answers.records);
  const invocations = perStep(answers.invocations);
  const durations = answers.duration;
  let weighted = 0;
  let weight = 0;
  if (durations !== undefined)
    for (let index = 0; index < durations.values.length; index++) {
      const step = Math.floor((durations.timestamps[index]! - startMs) / stepMs);
      const count = step >= 0 && step < steps ? invocations[step]! : 0;
      weighted += durations.values[index]! * count;
      weight += count;
    }
  const ages = answers.age?.values ?? [];
  const maxAge = ages.length > 0 ? Math.max(...ages) : null;
  return {
    records,
    stepSeconds,
    metric: source.recordsMetric,
    maxAgeSeconds: maxAge === null ? null : maxAge / source.ageUnitsPerSecond,
    ageMetric: source.ageMetric,
    caveat: source.caveat ?? null,
    invocations: invocations.reduce((total, value) => total + value, 0),
    meanDurationMs: weight > 0 ? weighted / weight : null,
  };
}

interface SourceQueries {
  readonly records: MetricQuery;
  readonly recordsMetric: string;
  readonly age: MetricQuery | null;
  readonly ageMetric: string | null;
  readonly ageUnitsPerSecond: number;
  readonly caveat?: string;
}

function sourceQueries(facts: MappingFacts): SourceQueries | { missing: string } {
  const iteratorAge = {
    age: { id: "age", metricName: "IteratorAge", stat: "Maximum" },
    ageMetric: "AWS/Lambda IteratorAge",
    ageUnitsPerSecond: 1000,
  } as const;
  const { names } = facts;
  // This mapping's own count, where it publishes one: used where the source's count is not this reader's.
  const polled =
    names.mappingUuid === undefined
      ? undefined
      : {
          records: {
            id: "records",
            metricName: "PolledEventCount",
            stat: "Sum",
            namespace: "AWS/Lambda",
            dimensions: [{ Name: "EventSourceMappingUUID", Value: names.mappingUuid }],
          },
          recordsMetric: "AWS/Lambda PolledEventCount (this mapping's)",
        };
  if (facts.eventSource === "sqs") {
    if (names.queueName === undefined) return { missing: "the queue's name" };
    const dimensions = [{ Name: "QueueName", Value: names.queueName }];
    return {
      records: {
        id: "records",
        metricName: "NumberOfMessagesSent",
        stat: "Sum",
        namespace: "AWS/SQS",
        dimensions,
      },
      recordsMetric: "AWS/SQS NumberOfMessagesSent",
      age: {
        id: "age",
        metricName: "ApproximateAgeOfOldestMessage",
        stat: "Maximum",
        namespace: "AWS/SQS",
        dimensions,
      },
      ageMetric: "AWS/SQS ApproximateAgeOfOldestMessage",
      ageUnitsPerSecond: 1,
    };
  }
  if (facts.eventSource === "kinesis") {
    if (names.streamName === undefined) return { missing: "the stream's name" };
    return {
      records: {
        id: "records",
        metricName: "IncomingRecords",
        stat: "Sum",
        namespace: "AWS/Kinesis",
        dimensions: [{ Name: "StreamName", Value: names.streamName }],
      },
      recordsMetric: "AWS/Kinesis IncomingRecords",
      ...iteratorAge,
    };
  }
  if (facts.eventSource === "dynamodb") {
    if (polled) return { ...polled, ...iteratorAge };
    if (names.tableName === undefined || names.streamLabel === undefined)
      return { missing: "the table's name and stream label" };
    return {
      records: {
        id: "records",
        metricName: "ReturnedRecordsCount",
        stat: "Sum",
        namespace: "AWS/DynamoDB",
        dimensions: [
          { Name: "Operation", Value: "GetRecords" },
          { Name: "StreamLabel", Value: names.streamLabel },
          { Name: "TableName", Value: names.tableName },
        ],
      },
      recordsMetric: "AWS/DynamoDB ReturnedRecordsCount (GetRecords)",
      ...iteratorAge,
      caveat:
        "AWS/DynamoDB ReturnedRecordsCount counts what every reader of the stream got: with several readers (another function, a Kinesis adapter) it is a multiple of the records arriving. Turn on the mapping's event counts (MetricsConfig: Metrics: [EventCount]) to read its own PolledEventCount, or give the rate",
    };
  }
  if (polled) return { ...polled, age: null, ageMetric: null, ageUnitsPerSecond: 1 };
  return {
    missing:
      "a count of the topic's records: CloudWatch has one for a Kafka mapping only when it publishes its event counts (MetricsConfig: Metrics: [EventCount], then PolledEventCount)",
  };
}

/** The busiest stretch of `steps` consecutive steps: where the bound is hardest to keep. */
export function busiestWindow(records: Float64Array, steps: number): { from: number; to: number } {
  if (steps >= records.length) return { from: 0, to: records.length };
  let sum = 0;
  for (let index = 0; index < steps; index++) sum += records[index]!;
  let best = sum;
  let from = 0;
  for (let index = steps; index < records.length; index++) {
    sum += records[index]! - records[index - steps]!;
    if (sum > best) {
      best = sum;
      from = index - steps + 1;
    }
  }
  return { from, to: from + steps };
}

/**
 * CloudWatch's steps as arrivals. A search simulates every candidate, so not
 * the whole window: its busiest stretch of `seconds`, where the bound is
 * hardest to keep. A month's cost is that stretch's, scaled: an upper bound
 * when the traffic varies, and the note says so.
 */
export function busiestArrivals(
  measured: MeasuredTraffic,
  seconds: number,
  process: ArrivalRates["process"],
  days: number,
): Traffic {
  const steps = Math.max(1, Math.ceil(seconds / measured.stepSeconds));
  const { from, to } = busiestWindow(measured.records, steps);
  const rates = (counts: Float64Array) =>
    Float64Array.from(counts, (count) => count / measured.stepSeconds);
  const wholeMean =
    measured.records.reduce((total, count) => total + count, 0) /
    Math.max(1, measured.records.length) /
    measured.stepSeconds;
  const traffic = summarise(
    {
      perSecond: rates(measured.records.subarray(from, to)),
      stepSeconds: measured.stepSeconds,
      process,
    },
    "cloudwatch",
    [],
  );
  traffic.notes.push(
    `${measured.metric}: the busiest ${to - from} steps of ${measured.stepSeconds} s in ${days} ${days === 1 ? "day" : "days"} are simulated (${round(traffic.summary.meanPerSecond)} records/s against ${round(wholeMean)} over the whole window); a month's cost is scaled from them, an upper bound when the traffic varies`,
  );
  return traffic;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
