/**
 * How every AWS client is made: region, profile and endpoint as the AWS CLI
 * takes them, credentials from the SDK's default chain, and the SDK's own
 * standard retry strategy (exponential backoff with jitter and a retry
 * quota), which retries throttling, 5xx answers and dropped connections.
 * AWS_MAX_ATTEMPTS and AWS_RETRY_MODE still override it, as for the AWS CLI.
 */
export interface AwsConnection {
  readonly region: string;
  readonly profile?: string;
  /** Another API endpoint: the embedded emulator, `lambda-optimizer emulate`, moto_server, LocalStack. */
  readonly endpointUrl?: string;
  /** Static credentials, for endpoints that ignore them (the embedded emulator). */
  readonly anonymous?: boolean;
  /** Told as each retry begins, for the progress line. */
  readonly onRetry?: (retry: AwsRetry) => void;
}

/** One retry the SDK is about to make. */
export interface AwsRetry {
  /** The command, e.g. "InvokeCommand". */
  readonly operation: string;
  /** The attempt about to start: 2 for the first retry. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** What went wrong with the previous attempt, in a few words. */
  readonly reason: string;
}

/**
 * A 20-minute tune makes thousands of calls: at the SDK's default of 3
 * attempts, a bad minute of 5xx or resets would still end it.
 */
export const DEFAULT_MAX_ATTEMPTS = 6;

export function clientConfig(connection: AwsConnection) {
  return {
    region: connection.region,
    ...(process.env.AWS_RETRY_MODE ? {} : { retryMode: "standard" }),
    ...(process.env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: DEFAULT_MAX_ATTEMPTS }),
    ...(connection.profile ? { profile: connection.profile } : {}),
    ...(connection.endpointUrl ? { endpoint: connection.endpointUrl } : {}),
    ...(connection.anonymous
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  };
}
