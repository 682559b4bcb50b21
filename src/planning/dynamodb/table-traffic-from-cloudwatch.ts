/**
 * A DynamoDB table's traffic as CloudWatch recorded it: AWS/DynamoDB
 * ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits (Sum) by
 * TableName, per step, and the same two metrics by TableName and
 * GlobalSecondaryIndexName for each global secondary index ListMetrics names
 * (table-indexes-from-cloudwatch.ts), all in one GetMetricData call
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html).
 * The table's metrics count its own reads and writes on either billing mode
 * (a local secondary index's among them: it shares the table's capacity); a
 * global secondary index is billed for its own, so each is read apart.
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
import type { IndexTraffic, TableTraffic } from "./table-billing.js";
import { tableIndexesFromCloudWatch } from "./table-indexes-from-cloudwatch.js";

export interface TableTrafficWindow {
  readonly days: number;
  /** The end of the window is the last whole hour before this (default now). */
  readonly now?: Date;
  readonly onProgress?: (message: string) => void;
}

export interface MeasuredTableTraffic extends TableTraffic {
  /** The window's end (exclusive), ms since the epoch. */
  readonly endMs: number;
  readonly indexes: readonly IndexTraffic[];
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
  const indexNames = await tableIndexesFromCloudWatch(cloudwatch, table);
  window.onProgress?.(
    indexNames.length === 0
      ? `found no global secondary index of ${table} in CloudWatch`
      : `found ${indexNames.length} global secondary ${indexNames.length === 1 ? "index" : "indexes"} of ${table} in CloudWatch: ${indexNames.join(", ")}`,
  );
  // Ids by position, not by name: an index name (a-z A-Z 0-9 _ - .) is not a valid query id.
  const seriesOf = (id: string, indexName?: string) => {
    const dimensions = [
      { Name: "TableName", Value: table },
      ...(indexName === undefined ? [] : [{ Name: "GlobalSecondaryIndexName", Value: indexName }]),
    ];
    return (["reads", "writes"] as const).map(
      (kind): MetricQuery & { readonly indexName?: string } => ({
        ...(indexName === undefined ? {} : { indexName }),
        id: `${id}${kind === "reads" ? "Reads" : "Writes"}`,
        metricName: kind === "reads" ? "ConsumedReadCapacityUnits" : "ConsumedWriteCapacityUnits",
        stat: "Sum",
        namespace: "AWS/DynamoDB",
        dimensions,
      }),
    );
  };
  const queries = [
    ...seriesOf("table"),
    ...indexNames.flatMap((name, position) => seriesOf(`index${position}`, name)),
  ];
  const plan = { start: new Date(startMs), end: new Date(endMs), periodSeconds: stepSeconds };
  // One request unless the table's index quota (20) was raised: 2 + 2 × 20 = 42 of the 500 queries a request holds.
  const answers: Partial<Record<string, Series>> = await getMetricData(
    cloudwatch,
    table,
    plan,
    queries,
  );
  const unanswered = queries
    .filter((query) => answers[query.id] === undefined)
    .map((query) => `${query.metricName}${query.indexName ? ` of index ${query.indexName}` : ""}`);
  if (unanswered.length > 0)
    throw new Error(
      `CloudWatch did not answer ${unanswered.join(", ")} for ${table}: its traffic cannot be read`,
    );
  if (queries.every((query) => answers[query.id]!.values.length === 0))
    throw new UsageError(
      `CloudWatch holds no consumed capacity for DynamoDB table ${table} in the last ${window.days} ${window.days === 1 ? "day" : "days"}: is the name and the region right? (a table nobody used has no traffic to judge)`,
    );
  // A step CloudWatch has no datapoint for consumed nothing.
  const perStep = (id: string) => {
    const series = answers[id]!;
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
    readUnits: perStep("tableReads"),
    writeUnits: perStep("tableWrites"),
    indexes: indexNames.map((name, position) => ({
      name,
      readUnits: perStep(`index${position}Reads`),
      writeUnits: perStep(`index${position}Writes`),
    })),
  };
}
