import { describe, expect, it } from "vitest";
import { dynamodbScan } from "../../../src/audit/code-rules/dynamodb-scan.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = dynamodbScan;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("dynamodb-scan: JavaScript (ESM)", () => {
  it("reports a v3 ScanCommand sent in the handler, at the `new`", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
export const handler = async () => db.send(new ScanCommand({ TableName: "t" }));
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new ScanCommand")]);
    expect(findings[0]).toMatchObject({ ruleId: "dynamodb-scan", severity: "warning" });
  });

  it("reports an aliased ScanCommand and paginateScan", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, ScanCommand as Scan, paginateScan } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
export const handler = async () => {
  const first = await db.send(new Scan({ TableName: "t" }));
  for await (const page of paginateScan({ client: db }, { TableName: "t" })) void page;
  return first;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "new Scan("),
      at(files, "index.mjs", "paginateScan({"),
    ]);
  });

  it("does not report a QueryCommand, nor a scan at module scope or in init-only code", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, ScanCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
const warm = await db.send(new ScanCommand({ TableName: "t", Limit: 1 }));
async function preload() {
  return db.send(new ScanCommand({ TableName: "t" }));
}
const preloaded = preload();
export const handler = async (event) =>
  db.send(new QueryCommand({ TableName: "t", KeyConditionExpression: "pk = :pk" }));
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report a `.scan()` method when the SDK v2 is not used", async () => {
    const files = {
      "index.mjs": `const tokenizer = { scan: (text) => text.split(" ") };
export const handler = async (event) => tokenizer.scan(event.body);
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports a scan in a callback passed by name, and honours suppression by id", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
const processRecord = async (record) => {
  // lambda-optimizer-disable-next-line dynamodb-scan
  await db.send(new ScanCommand({ TableName: "a" }));
  // lambda-optimizer-disable-next-line dynamodb-no-projection
  return db.send(new ScanCommand({ TableName: "b" }));
};
export const handler = async (event) => Promise.all(event.Records.map(processRecord));
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", 'new ScanCommand({ TableName: "b" })'),
    ]);
  });
});

describe("dynamodb-scan: JavaScript (CommonJS)", () => {
  it("reports an SDK v2 DocumentClient scan with `exports.handler`", async () => {
    const files = {
      "index.js": `const AWS = require("aws-sdk");
const docs = new AWS.DynamoDB.DocumentClient();
exports.handler = async () => docs.scan({ TableName: "t" }).promise();
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "docs.scan(")]);
  });

  it("reports a lib-dynamodb ScanCommand with `module.exports = { handler }`", async () => {
    const files = {
      "index.js": `const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, ScanCommand } = require("@aws-sdk/lib-dynamodb");
const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));
async function handler() {
  return docs.send(new ScanCommand({ TableName: "t" }));
}
module.exports = { handler };
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "new ScanCommand")]);
  });
});

describe("dynamodb-scan: TypeScript", () => {
  it("reports a lib-dynamodb scan in another local module (./lib/repo.js -> repo.ts)", async () => {
    const files = {
      "index.ts": `import { listAll } from "./lib/repo.js";
export const handler = async (): Promise<unknown> => listAll();
`,
      "lib/repo.ts": `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
const docs = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export async function listAll(): Promise<unknown> {
  return docs.send(new ScanCommand({ TableName: "t" }));
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "lib/repo.ts", "new ScanCommand")]);
  });

  it("reports in a handler wrapped in middy(...)", async () => {
    const files = {
      "index.ts": `import middy from "@middy/core";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({});
export const handler = middy(async (): Promise<unknown> => db.send(new ScanCommand({ TableName: "t" })));
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "new ScanCommand")]);
  });
});

describe("dynamodb-scan: Python", () => {
  it("reports a boto3 Table scan, at the call", async () => {
    const files = {
      "app.py": `import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    return table.scan()["Items"]
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "table.scan()")]);
  });

  it("reports a boto3 client scan and a scan paginator", async () => {
    const files = {
      "app.py": `import boto3

client = boto3.client("dynamodb")


def handler(event, context):
    first = client.scan(TableName="orders")
    pages = client.get_paginator("scan").paginate(TableName="orders")
    return first, pages
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 'client.scan(TableName="orders")'),
      at(files, "app.py", 'client.get_paginator("scan")'),
    ]);
  });

  it("does not report a query paginator, a scan at module scope, or .scan() without boto3", async () => {
    const files = {
      "app.py": `import boto3

client = boto3.client("dynamodb")
WARM = client.scan(TableName="orders", Limit=1)


def handler(event, context):
    return client.get_paginator("query").paginate(TableName="orders")
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
    const noBoto = {
      "app.py": `import re


def handler(event, context):
    return re.Scanner([]).scan(event["body"])
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: noBoto })).toEqual([]);
  });

  it("reports a scan in another local module (`from lib import repo`)", async () => {
    const files = {
      "app.py": `from lib import repo


def handler(event, context):
    return repo.list_all()
`,
      "lib/__init__.py": "",
      "lib/repo.py": `import boto3

table = boto3.resource("dynamodb").Table("orders")


def list_all():
    return table.scan()["Items"]
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "lib/repo.py", "table.scan()")]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line dynamodb-scan`, not by another id", async () => {
    const files = {
      "app.py": `import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    # lambda-optimizer-disable-next-line dynamodb-scan
    a = table.scan()
    # lambda-optimizer-disable-next-line dynamodb-no-projection
    b = table.scan(Limit=10)
    return a, b
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "table.scan(Limit=10)")]);
  });
});

describe("dynamodb-scan: more client shapes", () => {
  it("reports a v3 aggregated DynamoDBDocument scan", async () => {
    const files = {
      "index.ts": `import { DynamoDB } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
const docs = DynamoDBDocument.from(new DynamoDB({}));
export const handler = async (): Promise<unknown> => docs.scan({ TableName: "t" });
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "docs.scan(")]);
  });

  it("reports ScanCommand through a namespace import and a namespace require", async () => {
    const esm = {
      "index.mjs": `import * as ddb from "@aws-sdk/client-dynamodb";
const db = new ddb.DynamoDBClient({});
export const handler = async () => db.send(new ddb.ScanCommand({ TableName: "t" }));
`,
    };
    expect((await runCodeRule(rule, { files: esm })).map(place)).toEqual([
      at(esm, "index.mjs", "new ddb.ScanCommand("),
    ]);
    const cjs = {
      "index.js": `const ddb = require("@aws-sdk/client-dynamodb");
const db = new ddb.DynamoDBClient({});
exports.handler = async () => db.send(new ddb.ScanCommand({ TableName: "t" }));
`,
    };
    expect((await runCodeRule(rule, { files: cjs })).map(place)).toEqual([
      at(cjs, "index.js", "new ddb.ScanCommand("),
    ]);
  });

  it("reports a chained boto3 `dynamodb.Table('t').scan()`", async () => {
    const files = {
      "app.py": `import boto3

dynamodb = boto3.resource("dynamodb")


def handler(event, context):
    return dynamodb.Table("t").scan()
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'dynamodb.Table("t").scan()')]);
  });
});
