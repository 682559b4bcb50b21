/**
 * plan_dynamodb_billing through the SDK's own Client over stdio: its schemas,
 * a table judged from CloudWatch on a real moto_server, and a mistake as one
 * sentence in the tool's own argument names.
 */

import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TableBillingResultSchema } from "../../src/planning/dynamodb/table-billing-result.js";
import { motoClients } from "../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

const HOUR = 3_600_000;

describe("plan_dynamodb_billing over stdio", () => {
  let client: Client;
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
    const { cloudwatch } = motoClients(moto.endpoint);
    // One minute of 60,000 reads and 12,000 writes, 6 hours ago: a spiky, mostly idle table.
    const at = new Date(Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR + 10_000);
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: "AWS/DynamoDB",
        MetricData: [
          ["ConsumedReadCapacityUnits", 60_000],
          ["ConsumedWriteCapacityUnits", 12_000],
        ].map(([name, value]) => ({
          MetricName: name as string,
          Value: value as number,
          Unit: "Count",
          Timestamp: at,
          Dimensions: [{ Name: "TableName", Value: "sessions" }],
        })),
      }),
    );
    cloudwatch.destroy();
    ({ client } = await connectStdio({
      env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
    }));
  });
  afterAll(async () => {
    await client?.close();
    await moto?.stop();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({
      name: "plan_dynamodb_billing",
      arguments: args,
    })) as CallToolResult;

  it("lists the library's option names, read-only, with the table as the one required argument", async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === "plan_dynamodb_billing");
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true });
    expect(tool?.inputSchema.required).toEqual(["table"]);
    expect(tool?.inputSchema.properties?.targetUtilization).toMatchObject({ default: 0.7 });
    expect(tool?.inputSchema.properties?.days).toMatchObject({ default: 14 });
    expect(Object.keys(tool?.outputSchema?.properties ?? {})).toEqual(
      expect.arrayContaining(["onDemand", "provisioned", "recommendation", "assumptions"]),
    );
  });

  it("recommends ON_DEMAND for a table busy one minute a day, with its reasons in the summary", async () => {
    const result = await call({
      table: "sessions",
      days: 1,
      region: "us-east-1",
      endpointUrl: moto.endpoint,
    });
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const answer = TableBillingResultSchema.parse(result.structuredContent);
    expect(answer.recommendation.mode).toBe("ON_DEMAND");
    expect(answer.indexes).toEqual([]);
    expect(answer.onDemand.monthlyUsd).toBeCloseTo((0.015 * 730) / 24, 9);
    expect(answer.provisioned.monthlyUsd).toBeCloseTo((0.38961 * 730) / 24, 9);
    expect(summaryOf(result).split("\n").slice(1, 3)).toEqual([
      "Recommended: ON_DEMAND, $11.39 a month less than PROVISIONED with auto scaling (modelled)",
      "- ON_DEMAND costs $0.46 a month, PROVISIONED with auto scaling at a 70% target $11.85: ON_DEMAND saves $11.39 a month (96.1%)",
    ]);
  });

  it("refuses a target auto scaling would not accept, in one sentence naming the argument", async () => {
    const result = await call({ table: "sessions", targetUtilization: 0.95 });
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toBe(
      "targetUtilization 0.95 is not valid: expected a share from 0.2 to 0.9 (0.7 for 70%), as auto scaling accepts",
    );
  });
});
