import { describe, expect, it } from "vitest";
import { dynamodbNoProjection } from "../../../src/audit/code-rules/dynamodb-no-projection.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = dynamodbNoProjection;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("dynamodb-no-projection: JavaScript (ESM)", () => {
  it("reports a v3 QueryCommand and GetItemCommand without ProjectionExpression, at the `new`", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, QueryCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
export const handler = async (event) => {
  const list = await db.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "pk = :pk" }));
  const one = await db.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: event.id } } }));
  return [list, one];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "new QueryCommand"),
      at(files, "index.mjs", "new GetItemCommand"),
    ]);
    expect(findings[0]).toMatchObject({ ruleId: "dynamodb-no-projection", severity: "info" });
  });

  it("does not report with ProjectionExpression, Select or a params variable", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, QueryCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
export const handler = async (event) => {
  const params = { TableName: "t", Key: { pk: { S: event.id } } };
  await db.send(new GetItemCommand(params));
  await db.send(new GetItemCommand({ ...params }));
  await db.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "pk = :pk", Select: "COUNT" }));
  return db.send(
    new GetItemCommand({ TableName: "t", Key: { pk: { S: event.id } }, ProjectionExpression: "pk" }),
  );
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report a read at module scope", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
const defaults = await db.send(new GetItemCommand({ TableName: "t", Key: { pk: { S: "defaults" } } }));
export const handler = async () => defaults;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("is suppressed by a disable-next-line comment naming it, not by another id", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
export const handler = async () => {
  // lambda-optimizer-disable-next-line dynamodb-no-projection
  await db.send(new GetItemCommand({ TableName: "a", Key: {} }));
  // lambda-optimizer-disable-next-line dynamodb-scan
  return db.send(new GetItemCommand({ TableName: "b", Key: {} }));
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", 'new GetItemCommand({ TableName: "b"'),
    ]);
  });
});

describe("dynamodb-no-projection: JavaScript (CommonJS)", () => {
  it("reports SDK v2 DocumentClient get and query with `exports.handler`", async () => {
    const files = {
      "index.js": `const AWS = require("aws-sdk");
const docs = new AWS.DynamoDB.DocumentClient();
exports.handler = async (event) => {
  const one = await docs.get({ TableName: "t", Key: { pk: event.id } }).promise();
  const many = await docs.query({ TableName: "t", KeyConditionExpression: "pk = :pk" }).promise();
  const slim = await docs.get({ TableName: "t", Key: { pk: event.id }, ProjectionExpression: "pk" }).promise();
  return [one, many, slim];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.js", "docs.get("),
      at(files, "index.js", "docs.query("),
    ]);
  });

  it("does not report a `.get({ Key })` when the SDK v2 is not used", async () => {
    const files = {
      "index.js": `const cache = new Map();
module.exports.handler = async (event) => cache.get({ Key: event.id });
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports a lib-dynamodb GetCommand with `module.exports = { handler }`", async () => {
    const files = {
      "index.js": `const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, GetCommand } = require("@aws-sdk/lib-dynamodb");
const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));
async function handler(event) {
  return docs.send(new GetCommand({ TableName: "t", Key: { pk: event.id } }));
}
module.exports = { handler };
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "new GetCommand")]);
  });
});

describe("dynamodb-no-projection: TypeScript", () => {
  it("reports a lib-dynamodb QueryCommand in another local module (./lib/repo.js -> repo.ts)", async () => {
    const files = {
      "index.ts": `import { byCustomer } from "./lib/repo.js";
export const handler = async (event: { id: string }): Promise<unknown> => byCustomer(event.id);
`,
      "lib/repo.ts": `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export async function byCustomer(id: string): Promise<unknown> {
  return docs.send(
    new QueryCommand({
      TableName: "t",
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": id },
    }),
  );
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "lib/repo.ts", "new QueryCommand")]);
  });

  it("does not report a typed params variable (`satisfies QueryCommandInput`)", async () => {
    const files = {
      "index.ts": `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async (): Promise<unknown> => {
  const input = { TableName: "t", KeyConditionExpression: "pk = :pk" } satisfies QueryCommandInput;
  return docs.send(new QueryCommand(input));
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("dynamodb-no-projection: Python", () => {
  it("reports boto3 Table get_item and query without ProjectionExpression, at the call", async () => {
    const files = {
      "app.py": `import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    one = table.get_item(Key={"pk": event["id"]})
    many = table.query(KeyConditionExpression="pk = :pk")
    return one, many
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", "table.get_item("),
      at(files, "app.py", "table.query("),
    ]);
  });

  it("reports a boto3 client get_item", async () => {
    const files = {
      "app.py": `import boto3

client = boto3.client("dynamodb")


def handler(event, context):
    return client.get_item(TableName="orders", Key={"pk": {"S": event["id"]}})
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "client.get_item(")]);
  });

  it("does not report with ProjectionExpression, Select, or **params", async () => {
    const files = {
      "app.py": `import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    params = {"Key": {"pk": event["id"]}}
    a = table.get_item(**params)
    b = table.get_item(Key={"pk": event["id"]}, ProjectionExpression="pk, total")
    c = table.query(KeyConditionExpression="pk = :pk", Select="COUNT")
    return a, b, c
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("reports in another local module (`from .repo import find`)", async () => {
    const files = {
      "app.py": `from .repo import find


def handler(event, context):
    return find(event["id"])
`,
      "repo.py": `import boto3

table = boto3.resource("dynamodb").Table("orders")


def find(order_id):
    return table.get_item(Key={"pk": order_id}).get("Item")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "repo.py", "table.get_item(")]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line dynamodb-no-projection`, not by another id", async () => {
    const files = {
      "app.py": `import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    # lambda-optimizer-disable-next-line dynamodb-no-projection
    a = table.get_item(Key={"pk": "a"})
    # lambda-optimizer-disable-next-line dynamodb-scan
    b = table.get_item(Key={"pk": "b"})
    return a, b
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'table.get_item(Key={"pk": "b"})')]);
  });
});

describe("dynamodb-no-projection: more shapes", () => {
  it("reports a v3 aggregated DynamoDBDocument get", async () => {
    const files = {
      "index.ts": `import { DynamoDB } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
const docs = DynamoDBDocument.from(new DynamoDB({}));
export const handler = async (e: { id: string }): Promise<unknown> =>
  docs.get({ TableName: "t", Key: { pk: e.id } });
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "docs.get(")]);
  });

  it("does not report a shorthand or quoted ProjectionExpression", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
const ProjectionExpression = "pk";
export const handler = async () => [
  await db.send(new GetItemCommand({ TableName: "t", Key: {}, ProjectionExpression })),
  await db.send(new GetItemCommand({ "TableName": "t", "Key": {}, "ProjectionExpression": "pk" })),
];
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report `get_item(Key=..., **extra)` (extra may project)", async () => {
    const files = {
      "app.py": `import boto3

table = boto3.resource("dynamodb").Table("t")


def handler(event, context):
    extra = {"ProjectionExpression": "pk"}
    return table.get_item(Key={"pk": 1}, **extra)
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });
});
