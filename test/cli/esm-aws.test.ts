/**
 * `lambda-optimizer esm optimize FUNCTION --aws` against moto_server through the CLI: an SQS
 * queue, a function and its event source mapping created through the SDK, an hour of the
 * queue's and the function's metrics put with PutMetricData; the mapping is read, optimized and
 * printed, with progress on stderr (none with --quiet), and a function that is not there exits 2.
 */

import { type MetricDatum, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateEventSourceMappingCommand } from "@aws-sdk/client-lambda";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EsmOptimizeResultSchema } from "../../src/esm/optimize/optimize-result.js";
import {
  createFunction,
  createRole,
  motoClients,
  REGION,
} from "../metrics/sources/moto-fixtures.js";
import { type MotoServer, startMotoServer } from "../setup/moto-server.js";
import { startCli } from "./run-cli.js";

const MINUTE = 60_000;

describe("lambda-optimizer esm optimize FUNCTION --aws against moto_server", () => {
  let moto: MotoServer;
  let uuid: string;
  beforeAll(async () => {
    moto = await startMotoServer();
    const { lambda, cloudwatch } = motoClients(moto.endpoint);
    const sqs = new SQSClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    await createRole(moto.endpoint);
    const queue = await sqs.send(
      new CreateQueueCommand({ QueueName: "jobs", Attributes: { VisibilityTimeout: "20" } }),
    );
    const queueArn = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes!.QueueArn!;
    await createFunction(lambda, { FunctionName: "job-worker", MemorySize: 512, Timeout: 10 });
    const mapping = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: "job-worker",
        EventSourceArn: queueArn,
        BatchSize: 5,
      }),
    );
    uuid = mapping.UUID!;
    // An hour, three hours ago: 20 messages a second, 240 invocations a minute of 300 ms.
    const start = Math.floor((Date.now() - 3 * 3_600_000) / MINUTE) * MINUTE;
    const put = async (
      namespace: string,
      name: string,
      value: string,
      data: Omit<MetricDatum, "Dimensions">[],
    ) => {
      // Twenty datapoints a call: moto answers a much larger PutMetricData with an HTML error page.
      for (let index = 0; index < data.length; index += 20)
        await cloudwatch.send(
          new PutMetricDataCommand({
            Namespace: namespace,
            MetricData: data
              .slice(index, index + 20)
              .map((datum) => ({ ...datum, Dimensions: [{ Name: name, Value: value }] })),
          }),
        );
    };
    const minutes = Array.from(
      { length: 60 },
      (_, index) => new Date(start + index * MINUTE + 5_000),
    );
    await put(
      "AWS/SQS",
      "QueueName",
      "jobs",
      minutes.flatMap((at) => [
        { MetricName: "NumberOfMessagesSent", Value: 1_200, Unit: "Count" as const, Timestamp: at },
        {
          MetricName: "ApproximateAgeOfOldestMessage",
          Value: 3,
          Unit: "Seconds" as const,
          Timestamp: at,
        },
      ]),
    );
    await put(
      "AWS/Lambda",
      "FunctionName",
      "job-worker",
      minutes.flatMap((at) => [
        { MetricName: "Invocations", Value: 240, Unit: "Count" as const, Timestamp: at },
        { MetricName: "Duration", Value: 300, Unit: "Milliseconds" as const, Timestamp: at },
      ]),
    );
  });
  afterAll(() => moto?.stop());

  const optimize = (args: string[]) =>
    startCli(
      [
        "esm",
        "optimize",
        ...args,
        "--aws",
        "--days",
        "1",
        "--endpoint-url",
        moto.endpoint,
        "--region",
        REGION,
      ],
      { env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" } },
    ).finished;

  it("reads the deployed mapping and its traffic from CloudWatch, and recommends, with progress on stderr", async () => {
    const result = await optimize(["job-worker", "--max-age-s", "60", "--json"]);
    const label = `event source mapping ${uuid} (SQS queue jobs)`;
    expect(result.stderr).toBe(
      `reading the event source mappings of job-worker\nreading CloudWatch metrics for ${label}, 1 day\nsearching the settings of ${label}\n`,
    );
    expect(result.code, result.stderr).toBe(0);
    const answer = EsmOptimizeResultSchema.parse(JSON.parse(result.stdout));
    expect(answer).toMatchObject({ source: "aws", origin: "job-worker", maxAgeSeconds: 60 });
    const [mapping] = answer.mappings;
    expect(mapping).toMatchObject({ id: uuid, eventSource: "sqs", line: null });
    expect(mapping!.traffic).toMatchObject({ source: "cloudwatch", peakPerSecond: 20 });
    expect(mapping!.current).toMatchObject({ BatchSize: 5, VisibilityTimeout: 20 });
    expect(mapping!.predicted.recommended?.meetsBound).toBe(true);

    const text = await optimize(["job-worker", "--max-age-s", "60", "--quiet"]);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe("");
    expect(text.stdout.split("\n")[0]).toBe(
      "1 event source mapping of the deployed function job-worker; the bound: p99 age under 60 s, without throttles.",
    );
    expect(text.stdout).toContain(`${uuid} (SQS, function job-worker)`);
  });

  it("names a function that is not there (exit 2)", async () => {
    const result = await optimize(["no-such-function", "--max-age-s", "60", "--quiet"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^lambda-optimizer: function no-such-function not found in us-east-1: check the name or ARN/,
    );
    expect(result.stderr.split("\n")).toHaveLength(2);
  });
});
