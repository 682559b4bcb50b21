/**
 * `lambda-optimizer dynamodb-billing` as a user runs it: the mistakes (exit 2,
 * one line naming the flag, the value and what is allowed), and a table's
 * billing mode judged end to end from CloudWatch, against a real AWS-API
 * server (moto 5): a day of per-minute ConsumedReadCapacityUnits and
 * ConsumedWriteCapacityUnits is put with PutMetricData, then read back by the
 * built CLI through --endpoint-url. The figures are the ones
 * test/planning/dynamodb/table-billing.test.ts works out by hand.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TableBillingResultSchema } from "../../src/planning/dynamodb/table-billing-result.js";
import { motoClients } from "../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { runCli, startCli } from "./run-cli.js";

describe("lambda-optimizer dynamodb-billing: usage errors", () => {
  it.each([
    [[], "--table is required"],
    [
      ["--table", "orders", "--target-utilization", "95%"],
      "--target-utilization 0.95 is not valid: expected a share from 0.2 to 0.9 (0.7 for 70%), as auto scaling accepts",
    ],
    [
      ["--table", "orders", "--days", "0"],
      "--days 0 is not valid: expected a whole number of days from 1 to 455",
    ],
    [
      ["--table", "orders", "--region", "eu-west-1"],
      '--region "eu-west-1" is not valid: expected a region the DynamoDB price table has: one of us-east-1 (or a --price-file that covers it)',
    ],
    [
      ["--table", "orders", "--endpoint-url", "localhost"],
      '--endpoint-url "localhost" is not valid: expected a URL such as http://127.0.0.1:5000',
    ],
    [
      ["--table", "a"],
      '--table "a" is not valid: expected a DynamoDB table name: 3 to 255 of A-Z a-z 0-9 _ - .',
    ],
    [
      ["--table", "orders", "--price-file", "/no/such/ddb-prices.json"],
      "--price-file /no/such/ddb-prices.json: cannot read it (no such file)",
    ],
  ])("dynamodb-billing %j exits 2: %s", (args, message) => {
    const result = runCli(["dynamodb-billing", ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`lambda-optimizer: ${message}\n`);
  });
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function putTableMetrics(
  cloudwatch: CloudWatchClient,
  table: string,
  data: readonly Omit<MetricDatum, "Dimensions">[],
  /** A global secondary index's metrics: DynamoDB adds its name to the table's dimension. */
  indexName?: string,
): Promise<void> {
  // Twenty datapoints a call: moto answers a much larger PutMetricData with an HTML error page.
  for (let index = 0; index < data.length; index += 20)
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: "AWS/DynamoDB",
        MetricData: data.slice(index, index + 20).map((datum) => ({
          ...datum,
          Dimensions: [
            { Name: "TableName", Value: table },
            ...(indexName === undefined
              ? []
              : [{ Name: "GlobalSecondaryIndexName", Value: indexName }]),
          ],
        })),
      }),
    );
}

const consumed = (at: number, reads: number, writes: number) => [
  {
    MetricName: "ConsumedReadCapacityUnits",
    Value: reads,
    Unit: "Count" as const,
    Timestamp: new Date(at + 10_000),
  },
  {
    MetricName: "ConsumedWriteCapacityUnits",
    Value: writes,
    Unit: "Count" as const,
    Timestamp: new Date(at + 10_000),
  },
];

describe("lambda-optimizer dynamodb-billing --table against moto_server", () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    const { cloudwatch } = motoClients(moto.endpoint);
    const thisHour = Math.floor(Date.now() / HOUR) * HOUR;
    // "orders": 6,000 read and 1,200 write units every minute (100 RCU/s, 20 WCU/s) for 26 hours
    // around the day the CLI reads, so the day is the same should an hour turn during the test.
    const steady = Array.from({ length: 26 * 60 }, (_, minute) =>
      consumed(thisHour - 25 * HOUR + minute * MINUTE, 6_000, 1_200),
    ).flat();
    await putTableMetrics(cloudwatch, "orders", steady);
    // "audit-log": one minute of 60,000 reads and 12,000 writes, 12 hours ago; nothing else.
    await putTableMetrics(cloudwatch, "audit-log", consumed(thisHour - 12 * HOUR, 60_000, 12_000));
    // "invoices": the audit-log's minute, and two global secondary indexes: "by-customer", which
    // every write updates (12,000 writes in that minute), and "by-status", which half the items
    // are projected into (6,000 writes then) and which a report reads 6 hours ago (30,000 reads).
    await putTableMetrics(cloudwatch, "invoices", consumed(thisHour - 12 * HOUR, 60_000, 12_000));
    await putTableMetrics(
      cloudwatch,
      "invoices",
      consumed(thisHour - 12 * HOUR, 0, 12_000),
      "by-customer",
    );
    await putTableMetrics(
      cloudwatch,
      "invoices",
      [...consumed(thisHour - 12 * HOUR, 0, 6_000), ...consumed(thisHour - 6 * HOUR, 30_000, 0)],
      "by-status",
    );
    cloudwatch.destroy();
  }, 120_000);
  afterAll(() => moto?.stop());

  const billing = (args: string[]) =>
    startCli(
      [
        "dynamodb-billing",
        ...args,
        "--days",
        "1",
        "--endpoint-url",
        moto.endpoint,
        "--region",
        "us-east-1",
      ],
      { env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" } },
    ).finished;

  it("recommends PROVISIONED for a steady table: $27.33 against $65.70 a month, from a day of CloudWatch", async () => {
    const result = await billing(["--table", "orders", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "reading CloudWatch metrics for DynamoDB table orders, 1 day at 1-minute resolution\n" +
        "found no global secondary index of orders in CloudWatch\n",
    );
    const answer = TableBillingResultSchema.parse(JSON.parse(result.stdout));
    expect(answer.window).toMatchObject({ stepSeconds: 60, hours: 24 });
    expect(answer.reads.consumedUnits).toBe(6_000 * 1_440);
    expect(answer.writes.consumedUnits).toBe(1_200 * 1_440);
    // 143 RCU and 29 WCU every hour: ceil(100 / 0.7) and ceil(20 / 0.7).
    expect(answer.reads.peakProvisionedUnits).toBe(143);
    expect(answer.writes.peakProvisionedUnits).toBe(29);
    // ON_DEMAND $2.16 a day, PROVISIONED $0.89856 a day, each × 730 / 24.
    expect(answer.onDemand.monthlyUsd).toBeCloseTo((2.16 * 730) / 24, 9);
    expect(answer.provisioned.monthlyUsd).toBeCloseTo((0.89856 * 730) / 24, 9);
    expect(answer.recommendation.mode).toBe("PROVISIONED");
    expect(answer.recommendation.reasons[0]).toBe(
      "ON_DEMAND costs $65.70 a month, PROVISIONED with auto scaling at a 70% target $27.33: PROVISIONED saves $38.37 a month (58.4%)",
    );
    expect(answer.prices).toMatchObject({
      region: "us-east-1",
      onDemandPerMillionReadUnits: 0.125,
    });
  });

  it("recommends ON_DEMAND for a spiky, mostly idle table, in words", async () => {
    const result = await billing(["--table", "audit-log", "--quiet"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^audit-log \(us-east-1\): 1 day from \d{4}-\d\d-\d\d \d\d:00 UTC in 1-minute steps, 60k read and 12k write units consumed$/,
    );
    expect(lines).toContain("  ON_DEMAND                                 $0.02        $0.46");
    expect(lines).toContain("  PROVISIONED, auto scaling at 70%          $0.39       $11.85");
    expect(lines).toContain(
      "Recommended: ON_DEMAND, $11.39 a month less than PROVISIONED with auto scaling (modelled)",
    );
    expect(lines).toContain(
      "  reads:  mean 0.69 RCU/s, peak 1,000 RCU/s; auto scaling up to 1,429 RCU, 1,452 RCU-hours",
    );
    expect(lines).toContain(
      "  - 23 of 24 hours (95.8%) idle: ON_DEMAND pays nothing for them, PROVISIONED pays for at least 1 RCU and 1 WCU",
    );
  });

  it("prices a table's two global secondary indexes too: $0.91 against $24.25 a month, not the table's own $0.46 against $11.85", async () => {
    const result = await billing(["--table", "invoices", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "reading CloudWatch metrics for DynamoDB table invoices, 1 day at 1-minute resolution\n" +
        "found 2 global secondary indexes of invoices in CloudWatch: by-customer, by-status\n",
    );
    const answer = TableBillingResultSchema.parse(JSON.parse(result.stdout));
    // The table's own figures are the audit-log's: $0.015 ON_DEMAND, $0.38961 PROVISIONED a day.
    expect(answer.reads.consumedUnits).toBe(60_000);
    expect(answer.writes.consumedUnits).toBe(12_000);
    expect(answer.indexes.map((index) => index.name)).toEqual(["by-customer", "by-status"]);
    const [byCustomer, byStatus] = answer.indexes;
    // by-customer: 12,000 writes in a minute, 200 WCU/s: that hour ceil(200 / 0.7) = 286 WCU, the
    // 23 others 1 (309 WCU-hours × $0.00065 = $0.20085), and 24 RCU-hours of its minimum reads
    // ($0.00312): $0.20397 a day PROVISIONED; 0.012 M × $0.625 = $0.0075 ON_DEMAND.
    expect(byCustomer?.writes.consumedUnits).toBe(12_000);
    expect(byCustomer?.writes.peakProvisionedUnits).toBe(286);
    expect(byCustomer?.writes.provisionedUnitHours).toBe(309);
    expect(byCustomer?.reads.provisionedUnitHours).toBe(24);
    // by-status: 6,000 writes in that minute (ceil(100 / 0.7) = 143 WCU, 166 WCU-hours, $0.1079) and
    // 30,000 reads in a minute six hours later (ceil(500 / 0.7) = 715 RCU, 738 RCU-hours, $0.09594):
    // $0.20384 a day PROVISIONED; $0.00375 + $0.00375 = $0.0075 ON_DEMAND.
    expect(byStatus?.writes.peakProvisionedUnits).toBe(143);
    expect(byStatus?.reads.peakProvisionedUnits).toBe(715);
    expect(byStatus?.reads.provisionedUnitHours).toBe(738);
    // A day: ON_DEMAND $0.015 + $0.0075 + $0.0075 = $0.03; PROVISIONED $0.38961 + $0.20397 +
    // $0.20384 = $0.79742. Each × 730 / 24.
    expect(answer.onDemand.monthlyUsd).toBeCloseTo((0.03 * 730) / 24, 9);
    expect(answer.provisioned.monthlyUsd).toBeCloseTo((0.79742 * 730) / 24, 9);
    expect(answer.recommendation.mode).toBe("ON_DEMAND");
    expect(answer.recommendation.reasons[0]).toBe(
      // The indexes a month: $0.015 × 730 / 24 = $0.46 ON_DEMAND, $0.40781 × 730 / 24 = $12.40 PROVISIONED.
      "ON_DEMAND costs $0.91 a month, PROVISIONED with auto scaling at a 70% target $24.25: ON_DEMAND saves $23.34 a month (96.2%); the costs include 2 global secondary indexes (by-customer, by-status) at $0.46 a month on ON_DEMAND and $12.40 on PROVISIONED",
    );
    // by-status's read hour is not idle though the table did nothing in it.
    expect(answer.recommendation.reasons.at(-1)).toBe(
      "22 of 24 hours (91.7%) idle: ON_DEMAND pays nothing for them, PROVISIONED pays for at least 1 RCU and 1 WCU on the table and on each of its 2 global secondary indexes",
    );
  });

  it("shows a line per global secondary index in words", async () => {
    const result = await billing(["--table", "invoices", "--quiet"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    // by-customer: $0.0075 and $0.20397 a day; by-status: $0.0075 and $0.20384 a day; each × 730 / 24.
    expect(lines.slice(1, 5)).toEqual([
      "  reads:  mean 0.69 RCU/s, peak 1,000 RCU/s; auto scaling up to 1,429 RCU, 1,452 RCU-hours",
      "  writes: mean 0.14 WCU/s, peak 200 WCU/s; auto scaling up to 286 WCU, 309 WCU-hours",
      "  index by-customer: 0 read and 12k write units consumed, auto scaling up to 1 RCU and 286 WCU; $0.23 a month ON_DEMAND, $6.20 PROVISIONED",
      "  index by-status: 30k read and 6k write units consumed, auto scaling up to 715 RCU and 143 WCU; $0.23 a month ON_DEMAND, $6.20 PROVISIONED",
    ]);
    expect(lines).toContain("  ON_DEMAND                                 $0.03        $0.91");
    expect(lines).toContain("  PROVISIONED, auto scaling at 70%          $0.80       $24.25");
  });

  it("prices another region from a --price-file", async () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-ddb-billing-"));
    const priceFile = join(folder, "ddb.json");
    // Twice us-east-1's prices: both bills double, the recommendation stands.
    writeFileSync(
      priceFile,
      JSON.stringify({
        currency: "USD",
        service: "test",
        source: "a test's own figures",
        date: "2026-12-03",
        regions: {
          "us-east-1": {
            onDemandPerMillionReadUnits: 0.25,
            onDemandPerMillionWriteUnits: 1.25,
            provisionedPerReadUnitHour: 0.00026,
            provisionedPerWriteUnitHour: 0.0013,
          },
        },
      }),
    );
    const result = await billing(["--table", "orders", "--json", "--price-file", priceFile]);
    expect(result.code).toBe(0);
    const answer = TableBillingResultSchema.parse(JSON.parse(result.stdout));
    expect(answer.prices.source).toBe("a test's own figures");
    expect(answer.onDemand.monthlyUsd).toBeCloseTo((4.32 * 730) / 24, 9);
    expect(answer.recommendation.mode).toBe("PROVISIONED");
  });

  it("names a table CloudWatch holds nothing for (exit 2)", async () => {
    const result = await billing(["--table", "ordres"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n").at(-2)).toBe(
      "lambda-optimizer: CloudWatch holds no consumed capacity for DynamoDB table ordres in the last 1 day: is the name and the region right? (a table nobody used has no traffic to judge)",
    );
  });
});
