/**
 * `dynamodb-billing` as a library call: check and default the options, load
 * the region's prices, read the table's consumed capacity from CloudWatch,
 * and price it on both billing modes. Rendering the answer is the caller's.
 */
import { fieldName, type OptionName, parseOptions } from "../../options.js";
import { loadDynamoDbPrices } from "../../pricing/dynamodb-prices.js";
import { modelTableBilling } from "./table-billing.js";
import {
  type TableBillingOptionsInput,
  TableBillingOptionsSchema,
} from "./table-billing-options.js";
import type { TableBillingResult } from "./table-billing-result.js";
import type { MeasuredTableTraffic } from "./table-traffic-from-cloudwatch.js";

export interface TableBillingIo {
  /** The window ends at the last whole hour before this (default now). */
  readonly now?: Date;
  /** Progress for the CloudWatch read, one line each. */
  readonly onProgress?: (message: string) => void;
}

export const TABLE_TRAFFIC_SOURCE =
  "CloudWatch AWS/DynamoDB ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits (Sum) by TableName, and by TableName and GlobalSecondaryIndexName for each index ListMetrics names";

/**
 * Throws a UsageError for any mistake in the options, naming the option as
 * `nameOf` does (the CLI passes its flag names), and for a table CloudWatch
 * holds nothing for.
 */
export async function planTableBilling(
  input: TableBillingOptionsInput,
  nameOf: OptionName = fieldName,
  io: TableBillingIo = {},
): Promise<TableBillingResult> {
  const options = parseOptions(TableBillingOptionsSchema, input, nameOf);
  // Before any reading: a region without prices is known now.
  const prices = loadDynamoDbPrices(options.priceFile, options.region, {
    priceFile: nameOf(["priceFile"]),
    region: nameOf(["region"]),
  });
  // The AWS SDK is loaded only to read CloudWatch: at every start it would cost a quarter of a second.
  const [{ createCloudWatchClient }, { tableTrafficFromCloudWatch }] = await Promise.all([
    import("../../aws/cloudwatch-client.js"),
    import("./table-traffic-from-cloudwatch.js"),
  ]);
  const cloudwatch = createCloudWatchClient({
    region: options.region,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
  });
  let traffic: MeasuredTableTraffic;
  try {
    traffic = await tableTrafficFromCloudWatch(cloudwatch, options.table, {
      days: options.days,
      ...(io.now !== undefined ? { now: io.now } : {}),
      ...(io.onProgress !== undefined ? { onProgress: io.onProgress } : {}),
    });
  } finally {
    cloudwatch.destroy();
  }
  const { stepSeconds, hours, ...model } = modelTableBilling(traffic, prices, {
    targetUtilization: options.targetUtilization,
  });
  return {
    table: options.table,
    region: options.region,
    source: TABLE_TRAFFIC_SOURCE,
    window: {
      start: new Date(traffic.startMs).toISOString(),
      end: new Date(traffic.endMs).toISOString(),
      stepSeconds,
      hours,
    },
    prices,
    ...model,
    indexes: [...model.indexes],
    recommendation: { ...model.recommendation, reasons: [...model.recommendation.reasons] },
    assumptions: tableBillingAssumptions(model.targetUtilization, stepSeconds),
  };
}

/** What the figures rest on that was modelled, not measured: every result lists them. */
export function tableBillingAssumptions(targetUtilization: number, stepSeconds: number): string[] {
  const target = `${Math.round(targetUtilization * 100)}%`;
  return [
    `PROVISIONED is modelled with auto scaling setting each clock hour's capacity to that hour's peak per-second rate over the ${target} target, in whole units, at least 1 RCU and 1 WCU; scale-out in time for the peak, scale-in at the hour's end (real target tracking scales in after 15 minutes under the target, at most 27 decreases a day), so its cost is a lower bound`,
    `a step's rate is its Sum over its ${stepSeconds} seconds: peaks shorter than a step are averaged away${stepSeconds > 60 ? " (a window over 15 days is read at a coarser step than one minute)" : ""}`,
    "ON_DEMAND bills each consumed capacity unit as one request unit; a PROVISIONED table that was throttled consumed less than was asked, so its demand may be higher than measured",
    "global secondary indexes are priced as the table is, each with its own auto-scaled capacity on PROVISIONED; they are found by ListMetrics, which names only metrics with data in the last two weeks, so an index deleted before that is missed. Local secondary indexes share the table's capacity and its metrics and need nothing more. Storage, backups, streams, replicated writes, the free tier and reserved capacity are not priced",
    "a month is 730 hours: the window's cost scaled to it",
  ];
}
