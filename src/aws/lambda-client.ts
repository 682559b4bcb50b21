/** The Lambda API client (see client-config.ts for how every AWS client is made). */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { type AwsConnection, clientConfig } from "./client-config.js";

export type { AwsConnection } from "./client-config.js";

export function createLambdaClient(connection: AwsConnection): LambdaClient {
  return new LambdaClient(clientConfig(connection));
}
