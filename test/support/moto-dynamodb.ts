/**
 * DynamoDB on a moto_server, through a real AWS SDK: boto3, which the host's
 * python3 has (the tests' Node side has no DynamoDB client of its own). Each
 * call runs one short python3 process; its answer comes back as JSON.
 */
import { spawnSync } from "node:child_process";

const SCRIPT = `
import json, sys, boto3
endpoint, action, table, argument = sys.argv[1:5]
client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
if action == "create-table":
    client.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                        AttributeDefinitions=[{"AttributeName": argument, "AttributeType": "S"}],
                        KeySchema=[{"AttributeName": argument, "KeyType": "HASH"}])
    client.get_waiter("table_exists").wait(TableName=table)
    print("{}")
elif action == "get-item":
    print(json.dumps(client.get_item(TableName=table, Key=json.loads(argument)).get("Item")))
elif action == "count":
    print(json.dumps(client.scan(TableName=table, Select="COUNT")["Count"]))
`;

function boto3(endpoint: string, action: string, table: string, argument = ""): unknown {
  const result = spawnSync("python3", ["-c", SCRIPT, endpoint, action, table, argument], {
    encoding: "utf8",
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`boto3 ${action} ${table}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** A PAY_PER_REQUEST table with one string hash key. */
export function createTable(endpoint: string, table: string, hashKey: string): void {
  boto3(endpoint, "create-table", table, hashKey);
}

/** The item in DynamoDB's JSON ({"S": "..."}), or null. */
export function getItem(
  endpoint: string,
  table: string,
  key: Record<string, string>,
): Record<string, unknown> | null {
  const dynamoKey = Object.fromEntries(
    Object.entries(key).map(([name, value]) => [name, { S: value }]),
  );
  return boto3(endpoint, "get-item", table, JSON.stringify(dynamoKey)) as Record<
    string,
    unknown
  > | null;
}

export function countItems(endpoint: string, table: string): number {
  return boto3(endpoint, "count", table) as number;
}
