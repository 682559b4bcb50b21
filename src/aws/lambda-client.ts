/**
 * The one place a Lambda API client is made: region, profile and endpoint as
 * the AWS CLI takes them, credentials from the SDK's default chain. Retries
 * are ours (see throttle-retry.ts), so the SDK makes one attempt per call.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";

export interface AwsConnection {
  readonly region: string;
  readonly profile?: string;
  /** Another Lambda API: the embedded emulator, `lambda-optimizer emulate`, LocalStack. */
  readonly endpointUrl?: string;
  /** Static credentials, for endpoints that ignore them (the embedded emulator). */
  readonly anonymous?: boolean;
}

export function createLambdaClient(connection: AwsConnection): LambdaClient {
  return new LambdaClient({
    region: connection.region,
    maxAttempts: 1,
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.anonymous
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
}
