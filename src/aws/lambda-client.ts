/** The Lambda API client (see client-config.ts for how every AWS client is made). */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { type AwsConnection, clientConfig } from "./client-config.js";
import { reportRetries } from "./retry-reporting.js";

export type { AwsConnection } from "./client-config.js";

export function createLambdaClient(connection: AwsConnection): LambdaClient {
  const client = new LambdaClient(clientConfig(connection));
  return connection.onRetry ? reportRetries(client, connection.onRetry) : client;
}
