/** The CloudWatch Logs client (see client-config.ts for how every AWS client is made). */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { type AwsConnection, clientConfig } from "./client-config.js";
import { reportRetries } from "./retry-reporting.js";

export function createLogsClient(connection: AwsConnection): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient(clientConfig(connection));
  return connection.onRetry ? reportRetries(client, connection.onRetry) : client;
}
