/** The CloudWatch Logs client (see client-config.ts for how every AWS client is made). */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { type AwsConnection, clientConfig } from "./client-config.js";

export function createLogsClient(connection: AwsConnection): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientConfig(connection));
}
