/**
 * The one place a CloudWatch (metrics) client is made, the same way as the
 * Lambda client: region, profile and endpoint as the AWS CLI takes them,
 * credentials from the SDK's default chain, one attempt per call because
 * throttling is retried by throttle-retry.ts.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { AwsConnection } from "./lambda-client.js";

export function createCloudWatchClient(connection: AwsConnection): CloudWatchClient {
  return new CloudWatchClient({
    region: connection.region,
    maxAttempts: 1,
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.anonymous
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
}
