/**
 * A DynamoDB table's traffic as CloudWatch recorded it: AWS/DynamoDB
 * ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits (Sum) by
 * TableName, per step, in one GetMetricData call
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html).
 * Those count the table's own reads and writes on either billing mode; a
 * global secondary index has its own (with a GlobalSecondaryIndexName) and
 * is not read here.
 *
 * The window is whole clock hours, ending at the last whole hour before
 * `now` (the hour in progress would read as a drop in traffic, and PROVISIONED
 * is modelled hour by hour); the step is the finest CloudWatch still keeps for
 * the whole window (one minute for 15 days, five minutes for 63, an hour
 * beyond).
 */
import { UsageError } from "../../errors.js";
import {
  type CloudWatchSender,
  cloudWatchGranularitySeconds,
  getMetricData,
  type MetricQuery,
  type Series,
} from "../../metrics/sources/cloudwatch-metrics.js";
import type { TableTraffic } from "./table-billing.js";

export interface TableTrafficWindow {
  readonly days: number;
  /** The end of the window is the last whole hour before this (default now). */
  readonly now?: Date;
  readonly onProgress?: (message: string) => void;
}

export interface MeasuredTableTraffic extends TableTraffic {
  /** The window's end (exclusive), ms since the epoch. */
  readonly endMs: number;
}

const HOUR_MS = 3_600_000;
const RESOLUTION: Record<number, string> = { 60: "1-minute", 300: "5-minute", 3600: "1-hour" };

export async function tableTrafficFromCloudWatch(
  cloudwatch: CloudWatchSender,
  table: string,
  window: TableTrafficWindow,
): Promise<MeasuredTableTraffic> {
  const now = window.now ?? new Date();
  const endMs = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const startMs = endMs - window.days * 24 * HOUR_MS;
  const stepSeconds = cloudWatchGranularitySeconds(new Date(startMs), now);
  const stepMs = stepSeconds * 1000;
  const steps = (endMs - startMs) / stepMs;
  window.onProgress?.(
    `reading CloudWatch metrics for DynamoDB table ${table}, ${window.days} ${window.days === 1 ? "day" : "days"} at ${RESOLUTION[stepSeconds]} resolution`,
  );
  const dimensions = [{ Name: "TableName", Value: table }];
  const queries = [
    {
      id: "reads",
      metricName: "ConsumedReadCapacityUnits",
      stat: "Sum",
      namespace: "AWS/DynamoDB",
      dimensions,
    },
    {
      id: "writes",
      metricName: "ConsumedWriteCapacityUnits",
      stat: "Sum",
      namespace: "AWS/DynamoDB",
      dimensions,
    },
  ] as const satisfies readonly MetricQuery[];
  const answers = await getMetricData(
    cloudwatch,
    table,
    { start: new Date(startMs), end: new Date(endMs), periodSeconds: stepSeconds },
    queries,
  );
  if (answers.reads === undefined || answers.writes === undefined)
    throw new Error(
      `CloudWatch did not answer ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits for ${table}: its traffic cannot be read`,
    );
  if (answers.reads.values.length === 0 && answers.writes.values.length === 0)
    throw new UsageError(
      `CloudWatch holds no consumed capacity for DynamoDB table ${table} in the last ${window.days} ${window.days === 1 ? "day" : "days"}: is the name and the region right? (a table nobody used has no traffic to judge)`,
    );
  // A step CloudWatch has no datapoint for consumed nothing.
  const perStep = (series: Series) => {
    const values = new Array<number>(steps).fill(0);
    for (let index = 0; index < series.values.length; index++) {
      const step = Math.floor((series.timestamps[index]! - startMs) / stepMs);
      if (step >= 0 && step < steps) values[step]! += series.values[index]!;
    }
    return values;
  };
  return {
    startMs,
    endMs,
    stepSeconds,
    readUnits: perStep(answers.reads),
    writeUnits: perStep(answers.writes),
  };
}
