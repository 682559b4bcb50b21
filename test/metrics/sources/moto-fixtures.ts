/**
 * Seeding a moto server with what a deployed function leaves behind: the
 * function itself (with the IAM role CreateFunction insists on), its metrics
 * and its log lines, all through the real SDK except IAM and SQS, whose
 * clients are not dependencies (moto takes their Query-protocol calls raw).
 */
import {
  CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateFunctionCommand,
  type CreateFunctionCommandInput,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import type { AwsConnection } from "../../../src/aws/lambda-client.js";
import type { Report } from "../../../src/lambda/report-line.js";
import { motoQueryAction } from "../../setup/moto-server.js";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/lambda-optimizer-test`;

/** An empty zip archive: moto stores code without looking at it when Docker is off. */
const EMPTY_ZIP = Buffer.from("UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==", "base64");

export function motoConnection(endpoint: string): AwsConnection {
  return { region: REGION, endpointUrl: endpoint, anonymous: true };
}

const clientConfig = (endpoint: string) => ({
  region: REGION,
  endpoint,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

export function motoClients(endpoint: string) {
  return {
    lambda: new LambdaClient(clientConfig(endpoint)),
    cloudwatch: new CloudWatchClient(clientConfig(endpoint)),
    logs: new CloudWatchLogsClient(clientConfig(endpoint)),
  };
}

/** moto's CreateFunction refuses a role that its IAM does not hold. */
export async function createRole(endpoint: string): Promise<void> {
  await motoQueryAction(endpoint, "iam", {
    Action: "CreateRole",
    Version: "2010-05-08",
    RoleName: "lambda-optimizer-test",
    AssumeRolePolicyDocument: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    }),
  });
}

/** moto's CreateEventSourceMapping refuses an SQS ARN whose queue does not exist. */
export async function createQueue(endpoint: string, name: string): Promise<string> {
  await motoQueryAction(endpoint, "sqs", {
    Action: "CreateQueue",
    Version: "2012-11-05",
    QueueName: name,
  });
  return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
}

export async function createFunction(
  lambda: LambdaClient,
  input: Partial<CreateFunctionCommandInput> & { FunctionName: string },
): Promise<void> {
  await lambda.send(
    new CreateFunctionCommand({
      Runtime: "nodejs20.x",
      Role: ROLE_ARN,
      Handler: "index.handler",
      Code: { ZipFile: EMPTY_ZIP },
      ...input,
    }),
  );
}

export async function putLambdaMetrics(
  cloudwatch: CloudWatchClient,
  functionName: string,
  data: readonly Omit<MetricDatum, "Dimensions">[],
): Promise<void> {
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: "AWS/Lambda",
      MetricData: data.map((datum) => ({
        ...datum,
        Dimensions: [{ Name: "FunctionName", Value: functionName }],
      })),
    }),
  );
}

export async function putLogLines(
  logs: CloudWatchLogsClient,
  logGroupName: string,
  logStreamName: string,
  events: readonly { timestamp: number; message: string }[],
): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName })).catch((error: Error) => {
    if (error.name !== "ResourceAlreadyExistsException") throw error;
  });
  await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName,
      logEvents: [...events].sort((a, b) => a.timestamp - b.timestamp),
    }),
  );
}

/** An ObservationSink that keeps everything it is handed. */
export function recordingSink() {
  const reports: { functionName: string; report: Report; timestampMs?: number }[] = [];
  const timeouts: { functionName: string; timestampMs?: number }[] = [];
  let skipped = 0;
  return {
    reports,
    timeouts,
    get skippedCount() {
      return skipped;
    },
    report(functionName: string, report: Report, timestampMs?: number) {
      reports.push({ functionName, report, timestampMs });
    },
    timeout(functionName: string, timestampMs?: number) {
      timeouts.push({ functionName, timestampMs });
    },
    skipped(count = 1) {
      skipped += count;
    },
  };
}
