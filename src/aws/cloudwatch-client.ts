/** The CloudWatch (metrics) client (see client-config.ts for how every AWS client is made). */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { type AwsConnection, clientConfig } from "./client-config.js";
import { reportRetries } from "./retry-reporting.js";

export function createCloudWatchClient(connection: AwsConnection): CloudWatchClient {
  const client = new CloudWatchClient(clientConfig(connection));
  return connection.onRetry ? reportRetries(client, connection.onRetry) : client;
}
