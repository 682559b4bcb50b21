/**
 * `esm optimize` on a deployed function, against a real AWS-API server (moto
 * 5) through the real SDK over HTTP: an SQS queue (with a dead-letter queue),
 * a function and its event source mapping are created, a busy hour of the
 * queue's and the function's metrics put with PutMetricData, then
 * optimizeEventSourceMappings reads the mapping's settings, the queue's
 * attributes, the traffic and the duration, and recommends with the real
 * simulator. A Kinesis stream
 * too (created with a raw JSON call: no Kinesis client is a dependency), its
 * IncomingRecords and the function's IteratorAge.
 */
import {
  CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { CreateEventSourceMappingCommand } from "@aws-sdk/client-lambda";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { optimizeEventSourceMappings } from "../../../src/esm/optimize/optimize-mappings.js";
import { EsmOptimizeResultSchema } from "../../../src/esm/optimize/optimize-result.js";
import { measuredTraffic } from "../../../src/esm/sources/cloudwatch-traffic.js";
import {
  createFunction,
  createRole,
  motoClients,
  REGION,
} from "../../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../../setup/moto-server.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE + 20_000);
const lastWholeMinute = Math.floor(now.getTime() / MINUTE) * MINUTE;
/** The queue's busy hour: 3 hours before the window's end. */
const busyStart = lastWholeMinute - 3 * HOUR;
const RECORDS_PER_MINUTE = 1_800; // 30 records/s
const INVOCATIONS_PER_MINUTE = 300; // 6 records a batch
const DURATION_MS = 400;

let moto: MotoServer;
let mappingUuid: string;
let streamMappingUuid: string;
let tableMappingUuid: string;
let streamLabel: string;
let countedMappingUuid: string;
const KAFKA_MAPPING_UUID = "6b9f3c1e-0000-4000-8000-00000000cafe";

/** A Kinesis or DynamoDB API call without an SDK client (neither is a dependency): moto does not check signatures. */
async function jsonCall(target: string, body: object): Promise<Record<string, unknown>> {
  const service = target.startsWith("Kinesis") ? "kinesis" : "dynamodb";
  const response = await fetch(`${moto.endpoint}/`, {
    method: "POST",
    headers: {
      "content-type": `application/x-amz-json-${service === "kinesis" ? "1.1" : "1.0"}`,
      "x-amz-target": target,
      authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

const config = () => ({
  region: REGION,
  endpoint: moto.endpoint,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

async function putMetrics(
  cloudwatch: CloudWatchClient,
  namespace: string,
  dimension: { Name: string; Value: string } | { Name: string; Value: string }[],
  data: readonly Omit<MetricDatum, "Dimensions">[],
): Promise<void> {
  // Twenty datapoints a call: moto answers a much larger PutMetricData with an HTML error page.
  for (let index = 0; index < data.length; index += 20)
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: namespace,
        MetricData: data
          .slice(index, index + 20)
          .map((datum) => ({ ...datum, Dimensions: [dimension].flat() })),
      }),
    );
}

beforeAll(async () => {
  moto = await startMotoServer();
  const { lambda } = motoClients(moto.endpoint);
  const sqs = new SQSClient(config());
  const cloudwatch = new CloudWatchClient(config());
  await createRole(moto.endpoint);
  const deadLetters = await sqs.send(new CreateQueueCommand({ QueueName: "orders-dlq" }));
  const dlqArn = (
    await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: deadLetters.QueueUrl,
        AttributeNames: ["QueueArn"],
      }),
    )
  ).Attributes!.QueueArn!;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: "orders",
      Attributes: {
        VisibilityTimeout: "20",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }),
      },
    }),
  );
  const queueArn = (
    await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ["QueueArn"] }),
    )
  ).Attributes!.QueueArn!;
  await createFunction(lambda, { FunctionName: "order-worker", MemorySize: 512, Timeout: 10 });
  await createFunction(lambda, { FunctionName: "idle" });
  const mapping = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: "order-worker",
      EventSourceArn: queueArn,
      BatchSize: 10,
    }),
  );
  mappingUuid = mapping.UUID!;
  const minutes = Array.from({ length: 60 }, (_, minute) => busyStart + minute * MINUTE);
  await putMetrics(
    cloudwatch,
    "AWS/SQS",
    { Name: "QueueName", Value: "orders" },
    minutes.flatMap((at, minute) => [
      {
        MetricName: "NumberOfMessagesSent",
        Value: RECORDS_PER_MINUTE,
        Unit: "Count",
        Timestamp: new Date(at + 5_000),
      },
      {
        MetricName: "ApproximateAgeOfOldestMessage",
        Value: 2 + (minute % 10),
        Unit: "Seconds",
        Timestamp: new Date(at + 5_000),
      },
    ]),
  );
  await putMetrics(
    cloudwatch,
    "AWS/Lambda",
    { Name: "FunctionName", Value: "order-worker" },
    minutes.flatMap((at) => [
      {
        MetricName: "Invocations",
        Value: INVOCATIONS_PER_MINUTE,
        Unit: "Count",
        Timestamp: new Date(at + 5_000),
      },
      {
        MetricName: "Duration",
        StatisticValues: {
          SampleCount: INVOCATIONS_PER_MINUTE,
          Sum: INVOCATIONS_PER_MINUTE * DURATION_MS,
          Minimum: DURATION_MS - 100,
          Maximum: DURATION_MS + 100,
        },
        Unit: "Milliseconds",
        Timestamp: new Date(at + 30_000),
      },
    ]),
  );
  // A Kinesis stream of two shards read with ParallelizationFactor 2: 120 records/s in the busy hour.
  await jsonCall("Kinesis_20131202.CreateStream", { StreamName: "clicks", ShardCount: 2 });
  const summary = (await jsonCall("Kinesis_20131202.DescribeStreamSummary", {
    StreamName: "clicks",
  })) as {
    StreamDescriptionSummary: { StreamARN: string };
  };
  await createFunction(lambda, { FunctionName: "click-consumer", MemorySize: 1024, Timeout: 60 });
  const streamMapping = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: "click-consumer",
      EventSourceArn: summary.StreamDescriptionSummary.StreamARN,
      StartingPosition: "LATEST",
      BatchSize: 100,
      ParallelizationFactor: 2,
    }),
  );
  streamMappingUuid = streamMapping.UUID!;
  await putMetrics(
    cloudwatch,
    "AWS/Kinesis",
    { Name: "StreamName", Value: "clicks" },
    minutes.map((at) => ({
      MetricName: "IncomingRecords",
      Value: 7_200,
      Unit: "Count",
      Timestamp: new Date(at + 5_000),
    })),
  );
  await putMetrics(
    cloudwatch,
    "AWS/Lambda",
    { Name: "FunctionName", Value: "click-consumer" },
    minutes.flatMap((at, minute) => [
      { MetricName: "Invocations", Value: 144, Unit: "Count", Timestamp: new Date(at + 5_000) },
      { MetricName: "Duration", Value: 250, Unit: "Milliseconds", Timestamp: new Date(at + 5_000) },
      {
        MetricName: "IteratorAge",
        Value: 1_000 + 100 * (minute % 20),
        Unit: "Milliseconds",
        Timestamp: new Date(at + 5_000),
      },
    ]),
  );
  // A DynamoDB table's stream: 20 records/s returned by GetRecords in the busy hour.
  const table = (await jsonCall("DynamoDB_20120810.CreateTable", {
    TableName: "accounts",
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
  })) as { TableDescription: { LatestStreamArn: string } };
  const streamArn = table.TableDescription.LatestStreamArn;
  streamLabel = streamArn.split("/stream/")[1]!;
  await createFunction(lambda, { FunctionName: "account-audit", MemorySize: 256, Timeout: 30 });
  const tableMapping = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: "account-audit",
      EventSourceArn: streamArn,
      StartingPosition: "LATEST",
      BatchSize: 100,
    }),
  );
  tableMappingUuid = tableMapping.UUID!;
  await putMetrics(
    cloudwatch,
    "AWS/DynamoDB",
    [
      { Name: "Operation", Value: "GetRecords" },
      { Name: "StreamLabel", Value: streamLabel },
      { Name: "TableName", Value: "accounts" },
    ],
    minutes.map((at) => ({
      MetricName: "ReturnedRecordsCount",
      Value: 1_200,
      Unit: "Count",
      Timestamp: new Date(at + 5_000),
    })),
  );
  await putMetrics(
    cloudwatch,
    "AWS/Lambda",
    { Name: "FunctionName", Value: "account-audit" },
    minutes.flatMap((at) => [
      { MetricName: "Invocations", Value: 60, Unit: "Count", Timestamp: new Date(at + 5_000) },
      { MetricName: "Duration", Value: 80, Unit: "Milliseconds", Timestamp: new Date(at + 5_000) },
      {
        MetricName: "IteratorAge",
        Value: 600,
        Unit: "Milliseconds",
        Timestamp: new Date(at + 5_000),
      },
    ]),
  );
  // A second reader of the same stream that publishes its own event counts: 10 records/s polled,
  // while the table's ReturnedRecordsCount (every reader's) stays at 20.
  await createFunction(lambda, { FunctionName: "account-search", MemorySize: 256, Timeout: 30 });
  const countedMapping = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: "account-search",
      EventSourceArn: streamArn,
      StartingPosition: "LATEST",
      BatchSize: 100,
      MetricsConfig: { Metrics: ["EventCount"] },
    }),
  );
  countedMappingUuid = countedMapping.UUID!;
  await putMetrics(
    cloudwatch,
    "AWS/Lambda",
    { Name: "EventSourceMappingUUID", Value: countedMappingUuid },
    minutes.map((at) => ({
      MetricName: "PolledEventCount",
      Value: 600,
      Unit: "Count",
      Timestamp: new Date(at + 5_000),
    })),
  );
  await putMetrics(
    cloudwatch,
    "AWS/Lambda",
    { Name: "FunctionName", Value: "account-search" },
    minutes.flatMap((at) => [
      { MetricName: "Invocations", Value: 30, Unit: "Count", Timestamp: new Date(at + 5_000) },
      { MetricName: "Duration", Value: 60, Unit: "Milliseconds", Timestamp: new Date(at + 5_000) },
    ]),
  );
  // A Kafka mapping's PolledEventCount (moto's Lambda takes no Kafka source: its facts are made below).
  await putMetrics(
    cloudwatch,
    "AWS/Lambda",
    { Name: "EventSourceMappingUUID", Value: KAFKA_MAPPING_UUID },
    minutes.map((at) => ({
      MetricName: "PolledEventCount",
      Value: 3_000,
      Unit: "Count",
      Timestamp: new Date(at + 5_000),
    })),
  );
  sqs.destroy();
  cloudwatch.destroy();
  lambda.destroy();
  vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await moto?.stop();
});

const awsInput = () => ({
  aws: true,
  function: "order-worker",
  region: REGION,
  endpointUrl: moto.endpoint,
  days: 1,
  maxAgeSeconds: 60,
  arrival: "constant" as const,
});

describe("optimizeEventSourceMappings with aws (moto)", () => {
  it("reads the mapping, the queue, a day of CloudWatch traffic and the duration, and recommends", async () => {
    const progress: string[] = [];
    const result = await optimizeEventSourceMappings(awsInput(), undefined, {
      now,
      onProgress: (message) => progress.push(message),
    });
    expect(EsmOptimizeResultSchema.parse(result)).toEqual(result);
    expect(result.source).toBe("aws");
    expect(result.origin).toBe("order-worker");
    expect(progress[0]).toBe("reading the event source mappings of order-worker");
    expect(progress).toContain(
      `reading CloudWatch metrics for event source mapping ${mappingUuid} (SQS queue orders), 1 day`,
    );
    const [mapping] = result.mappings;
    expect(mapping!.id).toBe(mappingUuid);
    expect(mapping!.eventSource).toBe("sqs");
    expect(mapping!.function).toBe("order-worker");
    // Today's settings: the mapping's BatchSize, the queue's VisibilityTimeout.
    expect(mapping!.current).toEqual({
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      "ScalingConfig.MaximumConcurrency": null,
      VisibilityTimeout: 20,
    });
    // The busy hour of NumberOfMessagesSent: 1,800 a minute = 30 records/s.
    expect(mapping!.traffic).toEqual({
      source: "cloudwatch",
      meanPerSecond: 30,
      peakPerSecond: 30,
      periodSeconds: 3600,
      measuredMaxAgeSeconds: 11,
    });
    // CloudWatch's 400 ms mean at 6 records a batch (1,800 records ÷ 300 invocations), split half and half.
    expect(mapping!.duration).toEqual({
      overheadMs: 200,
      perRecordMs: 200 / 6,
      source: "CloudWatch Duration (400 ms mean)",
    });
    expect(result.modelled.map((figure) => figure.name)).toContain("overheadMs / perRecordMs");
    expect(mapping!.recommended).not.toBeNull();
    expect(mapping!.recommended!.VisibilityTimeout as number).toBeGreaterThanOrEqual(60);
    expect(mapping!.predicted.recommended!.ageP99Seconds).toBeLessThan(60);
    expect(mapping!.predicted.recommended!.monthlyUsd).toBeLessThanOrEqual(
      mapping!.predicted.current.monthlyUsd,
    );
    const reasons = mapping!.reasons.join("\n");
    expect(reasons).toContain(
      "The queue's VisibilityTimeout of 20 s is under 6× the function's 10 s timeout",
    );
    expect(reasons).toMatch(
      /CloudWatch measured the oldest record at 11 s \(AWS\/SQS ApproximateAgeOfOldestMessage, maximum over 1 days\); the model predicts [\d.]+ s at most for today's settings/,
    );
    // esm-config's advice on the mapping's settings as the Lambda API gives them.
    expect(mapping!.advice.map((finding) => finding.property)).toEqual(["FunctionResponseTypes"]);
    expect(result.notes.join("\n")).toContain("NumberOfMessagesSent: the busiest 60 steps of 60 s");
  });

  it("reads a Kinesis mapping's IncomingRecords and IteratorAge, the shards given", async () => {
    const result = await optimizeEventSourceMappings(
      { ...awsInput(), function: "click-consumer", shards: 2 },
      undefined,
      { now },
    );
    const [mapping] = result.mappings;
    expect(mapping!.id).toBe(streamMappingUuid);
    expect(mapping!.eventSource).toBe("kinesis");
    expect(mapping!.current).toEqual({
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 2,
    });
    // 7,200 IncomingRecords a minute; IteratorAge at most 2,900 ms.
    expect(mapping!.traffic).toMatchObject({
      source: "cloudwatch",
      meanPerSecond: 120,
      measuredMaxAgeSeconds: 2.9,
    });
    // 250 ms at 50 records a batch (7,200 ÷ 144 invocations).
    expect(mapping!.duration).toMatchObject({ overheadMs: 125, perRecordMs: 2.5 });
    expect(mapping!.reasons.join("\n")).toContain("(AWS/Lambda IteratorAge, maximum over 1 days)");
    expect(result.modelled.map((figure) => figure.name)).not.toContain(
      `${streamMappingUuid}: shards`,
    );
    expect(mapping!.advice.map((finding) => finding.property).sort()).toEqual([
      "DestinationConfig",
      "FunctionResponseTypes",
    ]);
    const unsaid = await optimizeEventSourceMappings(
      { ...awsInput(), function: "click-consumer" },
      undefined,
      { now },
    );
    expect(
      unsaid.modelled.find((figure) => figure.name === `${streamMappingUuid}: shards`),
    ).toEqual({
      name: `${streamMappingUuid}: shards`,
      value: 1,
      why: "the stream's shards are not read (no Kinesis client): give shards",
    });
  });

  it("reads a DynamoDB stream's ReturnedRecordsCount (GetRecords) by table and stream label", async () => {
    const result = await optimizeEventSourceMappings(
      { ...awsInput(), function: "account-audit" },
      undefined,
      { now },
    );
    const [mapping] = result.mappings;
    expect(mapping!.id).toBe(tableMappingUuid);
    expect(mapping!.eventSource).toBe("dynamodb");
    expect(mapping!.label).toBe(
      `event source mapping ${tableMappingUuid} (DynamoDB stream table/accounts/stream/${streamLabel})`,
    );
    expect(mapping!.traffic).toMatchObject({
      source: "cloudwatch",
      meanPerSecond: 20,
      measuredMaxAgeSeconds: 0.6,
    });
    // 80 ms at 20 records a batch (1,200 ÷ 60 invocations).
    expect(mapping!.duration).toMatchObject({ overheadMs: 40, perRecordMs: 2 });
    expect(result.notes.join("\n")).toContain(
      "AWS/DynamoDB ReturnedRecordsCount (GetRecords): the busiest 60 steps",
    );
    // What that count is when several read the stream, and how to get the mapping's own.
    expect(result.notes).toContain(
      `${mapping!.label}: AWS/DynamoDB ReturnedRecordsCount counts what every reader of the stream got: with several readers (another function, a Kinesis adapter) it is a multiple of the records arriving. Turn on the mapping's event counts (MetricsConfig: Metrics: [EventCount]) to read its own PolledEventCount, or give the rate`,
    );
  });

  it("reads a mapping's own PolledEventCount where it publishes its event counts, not the stream's every-reader count", async () => {
    const result = await optimizeEventSourceMappings(
      { ...awsInput(), function: "account-search" },
      undefined,
      { now },
    );
    const [mapping] = result.mappings;
    expect(mapping!.id).toBe(countedMappingUuid);
    // 600 a minute of its own, not the table's 1,200 (which another reader shares).
    expect(mapping!.traffic).toMatchObject({ source: "cloudwatch", meanPerSecond: 10 });
    expect(result.notes.join("\n")).toContain(
      "AWS/Lambda PolledEventCount (this mapping's): the busiest 60 steps",
    );
    expect(result.notes.join("\n")).not.toContain("ReturnedRecordsCount");
  });

  it("reads a Kafka mapping's PolledEventCount by its UUID, and says what is missing without it", async () => {
    const cloudwatch = new CloudWatchClient(config());
    const facts = {
      id: KAFKA_MAPPING_UUID,
      label: `event source mapping ${KAFKA_MAPPING_UUID} (Kafka topic orders)`,
      eventSource: "kafka" as const,
      function: "order-stream",
      line: null,
      mapping: {
        source: "kafka" as const,
        partitions: 4,
        pollers: undefined,
        batchSize: 100,
        windowSeconds: 0.5,
      },
      fn: {
        name: "order-stream",
        memoryMb: 512,
        architecture: "x86_64" as const,
        timeoutSeconds: 30,
        reservedConcurrency: undefined,
        ephemeralStorageMb: 512,
      },
      advice: [],
      names: { functionName: "order-stream", mappingUuid: KAFKA_MAPPING_UUID },
      modelled: [],
      notes: [],
    };
    try {
      const measured = await measuredTraffic(cloudwatch, facts, { days: 1, now });
      if ("missing" in measured) throw new Error(measured.missing);
      expect(measured.metric).toBe("AWS/Lambda PolledEventCount (this mapping's)");
      expect(measured.records.reduce((total, value) => total + value, 0)).toBe(60 * 3_000);
      // Kafka has no age in seconds in CloudWatch (OffsetLag counts records).
      expect(measured).toMatchObject({ maxAgeSeconds: null, ageMetric: null, caveat: null });
      const without = await measuredTraffic(
        cloudwatch,
        { ...facts, names: { functionName: "order-stream" } },
        { days: 1, now },
      );
      expect(without).toEqual({
        missing:
          "a count of the topic's records: CloudWatch has one for a Kafka mapping only when it publishes its event counts (MetricsConfig: Metrics: [EventCount], then PolledEventCount)",
      });
    } finally {
      cloudwatch.destroy();
    }
  });

  it("takes the traffic given instead of CloudWatch's, and still reads the duration there", async () => {
    const result = await optimizeEventSourceMappings({ ...awsInput(), rate: 5 }, undefined, {
      now,
    });
    expect(result.mappings[0]!.traffic.source).toBe("rate");
    expect(result.mappings[0]!.traffic.meanPerSecond).toBe(5);
    expect(result.mappings[0]!.duration.source).toBe("CloudWatch Duration (400 ms mean)");
  });

  it("refuses a function with no mapping, and one the account lacks", async () => {
    await expect(
      optimizeEventSourceMappings({ ...awsInput(), function: "idle" }, undefined, {
        now,
      }),
    ).rejects.toThrow("function idle has no event source mapping: nothing to optimize");
    const missing = optimizeEventSourceMappings({ ...awsInput(), function: "nope" }, undefined, {
      now,
    });
    await expect(missing).rejects.toBeInstanceOf(UsageError);
    await expect(missing).rejects.toThrow("function nope not found");
  });
});
