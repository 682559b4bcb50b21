/**
 * How every AWS client is made: region, profile and endpoint as the AWS CLI
 * takes them, credentials from the SDK's default chain, and one attempt per
 * call, because throttling is retried by throttle-retry.ts.
 */
export interface AwsConnection {
  readonly region: string;
  readonly profile?: string;
  /** Another API endpoint: the embedded emulator, `lambda-optimizer emulate`, moto_server, LocalStack. */
  readonly endpointUrl?: string;
  /** Static credentials, for endpoints that ignore them (the embedded emulator). */
  readonly anonymous?: boolean;
}

export function clientConfig(connection: AwsConnection) {
  return {
    region: connection.region,
    maxAttempts: 1,
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.anonymous
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  };
}
