/**
 * The one place a CloudWatch Logs client is made, the same way as the Lambda
 * client: region, profile and endpoint as the AWS CLI takes them, credentials
 * from the SDK's default chain, one attempt per call because throttling is
 * retried by throttle-retry.ts.
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { AwsConnection } from "./lambda-client.js";

export function createLogsClient(connection: AwsConnection): CloudWatchLogsClient {
  return new CloudWatchLogsClient({
    region: connection.region,
    maxAttempts: 1,
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.anonymous
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
}
