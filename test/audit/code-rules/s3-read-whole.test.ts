import { describe, expect, it } from "vitest";
import { s3ReadWhole } from "../../../src/audit/code-rules/s3-read-whole.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const rule = s3ReadWhole;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("s3-read-whole: Python (boto3)", () => {
  it("reports get_object()['Body'].read() directly and through variables, at the read", async () => {
    const files = {
      "app.py": `import csv
import io
import boto3

s3 = boto3.client("s3")


def handler(event, context):
    record = event["Records"][0]["s3"]
    bucket, key = record["bucket"]["name"], record["object"]["key"]
    manifest = s3.get_object(Bucket=bucket, Key="manifest.json")["Body"].read()
    response = s3.get_object(Bucket=bucket, Key=key)
    body = response["Body"]
    text = body.read().decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return {"rows": len(rows), "manifest": len(manifest)}
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 's3.get_object(Bucket=bucket, Key="manifest.json")'),
      at(files, "app.py", "body.read()"),
    ]);
    expect(findings[0]).toMatchObject({ ruleId: "s3-read-whole", severity: "info" });
    // No MemorySize in the template: Lambda's default.
    expect(findings[1]!.message).toBe(
      "body.read(…) reads an S3 object's whole body into memory: an object larger than the function's memory (128 MB) fails the invocation, and the lower the memory size, the smaller that object. Stream it instead.",
    );
    expect(findings[1]!.fix).toContain(
      "from aws_lambda_powertools.utilities.streaming import S3Object",
    );
  });

  it("reports the resource API, s3.Object(...).get()['Body'].read(), in a helper the handler calls", async () => {
    const files = {
      "app.py": `import json
import boto3

bucket = boto3.resource("s3").Bucket("exports")


def load(key):
    obj = bucket.Object(key)
    return json.loads(obj.get()["Body"].read())


def handler(event, context):
    return load(event["key"])
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'obj.get()["Body"].read()')]);
  });

  it("does not report a streamed body, a chunked read, a byte Range, or a read at init", async () => {
    const files = {
      "app.py": `import boto3
from aws_lambda_powertools.utilities.streaming import S3Object

s3 = boto3.client("s3")
SCHEMA = s3.get_object(Bucket="config", Key="schema.json")["Body"].read()


def handler(event, context):
    count = 0
    response = s3.get_object(Bucket=event["bucket"], Key=event["key"])
    for line in response["Body"].iter_lines():
        count += 1
    body = s3.get_object(Bucket=event["bucket"], Key=event["key"])["Body"]
    while chunk := body.read(1024 * 1024):
        count += len(chunk)
    header = s3.get_object(Bucket=event["bucket"], Key=event["key"], Range="bytes=0-1023")["Body"].read()
    for row in S3Object(bucket=event["bucket"], key=event["key"]):
        count += 1
    return {"count": count, "header": len(header)}
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("does not report read() on something that is no S3 body (a file, a urllib response)", async () => {
    const files = {
      "app.py": `import urllib.request
import boto3

s3 = boto3.client("s3")


def handler(event, context):
    with open("/tmp/data.bin", "rb") as handle:
        local = handle.read()
    remote = urllib.request.urlopen(event["url"]).read()
    head = s3.head_object(Bucket=event["bucket"], Key=event["key"])
    return len(local) + len(remote) + head["ContentLength"]
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });
});

describe("s3-read-whole: JavaScript and TypeScript (SDK v3)", () => {
  it("reports transformToString/transformToByteArray on a GetObject Body, directly, via a variable, destructured and via a command variable", async () => {
    const files = {
      "index.mjs": `import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
export const handler = async (event) => {
  const { bucket, key } = event;
  const text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body.transformToString();
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "b.bin" }));
  const bytes = await object.Body.transformToByteArray();
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "c.json" }));
  const json = JSON.parse(await Body.transformToString());
  const command = new GetObjectCommand({ Bucket: bucket, Key: "d.csv" });
  const csv = await (await s3.send(command)).Body?.transformToString("utf-8");
  return { size: text.length + bytes.length + csv.length, json };
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: { MemorySize: 1024 } });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))"),
      at(files, "index.mjs", "object.Body.transformToByteArray()"),
      at(files, "index.mjs", "Body.transformToString())"),
      at(files, "index.mjs", "(await s3.send(command))"),
    ]);
    expect(findings[1]!.message).toBe(
      "object.Body.transformToByteArray(…) reads an S3 object's whole body into memory: an object larger than the function's memory (1,024 MB) fails the invocation, and the lower the memory size, the smaller that object. Stream it instead.",
    );
    expect(findings[1]!.fix).toContain("node:readline");
    expect(findings[1]!.fix).toContain("node:stream/promises");
  });

  it("reports a TypeScript handler with the aggregated S3 client", async () => {
    const files = {
      "index.ts": `import { S3 } from "@aws-sdk/client-s3";
import type { S3Event } from "aws-lambda";

const s3 = new S3({});

export const handler = async (event: S3Event): Promise<number> => {
  const { bucket, object } = event.Records[0]!.s3;
  const result = await s3.getObject({ Bucket: bucket.name, Key: object.key });
  const body = (await result.Body!.transformToString()) as string;
  return body.split("\\n").length;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.ts", "result.Body!.transformToString()"),
    ]);
  });

  it("does not report a Body piped or read line by line, a byte Range, or another service's body", async () => {
    const files = {
      "index.mjs": `import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
import { BedrockRuntimeClient, InvokeModelCommand } from "@aws-sdk/client-bedrock-runtime";
const s3 = new S3Client({});
const bedrock = new BedrockRuntimeClient({});
export const handler = async (event) => {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
  let lines = 0;
  for await (const line of createInterface({ input: Body })) lines += line.length > 0 ? 1 : 0;
  const copy = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }));
  await pipeline(copy.Body, createWriteStream("/tmp/copy"));
  const head = await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key, Range: "bytes=0-1023" }));
  const magic = await head.Body.transformToByteArray();
  const reply = await bedrock.send(new InvokeModelCommand({ modelId: "m", body: "{}" }));
  const text = reply.body.transformToString();
  return { lines, magic: magic.length, text };
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("s3-read-whole: JavaScript (SDK v2)", () => {
  it("reports getObject(...).promise(), which buffers the whole body, and not createReadStream()", async () => {
    const files = {
      "index.js": `const AWS = require("aws-sdk");
const s3 = new AWS.S3();
exports.handler = async (event) => {
  const data = await s3.getObject({ Bucket: event.bucket, Key: event.key }).promise();
  const stream = s3.getObject({ Bucket: event.bucket, Key: "big.csv" }).createReadStream();
  stream.resume();
  return data.Body.toString("utf-8");
};
`,
    };
    const findings = await runCodeRule(rule, {
      files,
      handler: "index.handler",
      runtime: "nodejs18.x",
    });
    expect(findings.map(place)).toEqual([
      at(files, "index.js", "s3.getObject({ Bucket: event.bucket, Key: event.key })"),
    ]);
    expect(findings[0]!.message).toBe(
      "s3.getObject().promise(…) fetches an S3 object with SDK v2, which buffers the whole body in memory: an object larger than the function's memory (128 MB) fails the invocation, and the lower the memory size, the smaller that object. Stream it instead.",
    );
  });
});

describe("s3-read-whole: a plain folder", () => {
  it("reports a handler found by name in a folder without a template", async () => {
    const files = {
      "reader.py": `import boto3

s3 = boto3.client("s3")


def lambda_handler(event, context):
    return s3.get_object(**event["object"])["Body"].read()
`,
    };
    const findings = await runCodeRuleOnFolder(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "reader.py", 's3.get_object(**event["object"])', ""),
    ]);
    // No template: the memory size is not known, and not guessed.
    expect(findings[0]!.message).toContain(
      "larger than the function's memory fails the invocation",
    );
  });
});
