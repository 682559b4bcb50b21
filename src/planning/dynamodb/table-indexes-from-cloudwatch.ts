/**
 * A DynamoDB table's global secondary indexes, as CloudWatch knows them: the
 * AWS/DynamoDB ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits
 * metrics ListMetrics names for the table's TableName, those that also carry
 * a GlobalSecondaryIndexName. Reading them from CloudWatch keeps the command
 * to the one client and permission family it already needs (no DynamoDB
 * DescribeTable), and finds exactly the indexes that have consumption to price.
 *
 * ListMetrics names only metrics with data in the last two weeks
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html):
 * an index deleted before that is not found, though its older datapoints may
 * lie in a longer window.
 */
import { ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchSender } from "../../metrics/sources/cloudwatch-metrics.js";

export const CONSUMED_CAPACITY_METRICS = [
  "ConsumedReadCapacityUnits",
  "ConsumedWriteCapacityUnits",
] as const;

/** The index names, sorted, each once; none for a table without global secondary indexes. */
export async function tableIndexesFromCloudWatch(
  cloudwatch: CloudWatchSender,
  table: string,
): Promise<string[]> {
  const names = new Set<string>();
  for (const metricName of CONSUMED_CAPACITY_METRICS) {
    let nextToken: string | undefined;
    do {
      // The filter matches every metric with this TableName, whatever other dimensions it has.
      const page = await cloudwatch.send(
        new ListMetricsCommand({
          Namespace: "AWS/DynamoDB",
          MetricName: metricName,
          Dimensions: [{ Name: "TableName", Value: table }],
          NextToken: nextToken,
        }),
      );
      for (const metric of page.Metrics ?? []) {
        const dimensions = metric.Dimensions ?? [];
        // An index's consumed capacity has exactly these two dimensions: nothing else is an index.
        if (dimensions.length !== 2) continue;
        const tableName = dimensions.find((dimension) => dimension.Name === "TableName")?.Value;
        const indexName = dimensions.find(
          (dimension) => dimension.Name === "GlobalSecondaryIndexName",
        )?.Value;
        if (tableName === table && indexName) names.add(indexName);
      }
      nextToken = page.NextToken || undefined;
    } while (nextToken);
  }
  return [...names].sort();
}
