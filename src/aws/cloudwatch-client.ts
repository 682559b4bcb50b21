/** The CloudWatch (metrics) client (see client-config.ts for how every AWS client is made). */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { type AwsConnection, clientConfig } from "./client-config.js";

export function createCloudWatchClient(connection: AwsConnection): CloudWatchClient {
  return new CloudWatchClient(clientConfig(connection));
}
