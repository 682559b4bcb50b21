/**
 * What CloudWatch and the Lambda API say about one deployed function over a
 * window: the figures only AWS has (exact invocation counts, throttles,
 * configuration, triggers). Statistics CloudWatch did not answer are null,
 * never zero: moto answers no percentiles, real CloudWatch does.
 */
import type { Architecture } from "../pricing/price-table.js";

export interface CloudWatchFigures {
  readonly invocations: number | null;
  readonly errors: number | null;
  readonly throttles: number | null;
  readonly durationMs: {
    readonly average: number | null;
    readonly maximum: number | null;
    readonly p50: number | null;
    readonly p90: number | null;
    readonly p99: number | null;
  };
  readonly concurrentExecutionsMax: number | null;
  readonly iteratorAgeMsMax: number | null;
}

export interface FunctionConfigurationFacts {
  readonly functionName: string;
  readonly functionArn: string;
  readonly runtime: string;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  readonly timeoutSeconds: number;
  readonly ephemeralStorageMb: number;
  readonly reservedConcurrency: number | null;
  /** Provisioned concurrency configured on any version or alias, summed. */
  readonly provisionedConcurrency: number;
  readonly packageType: string;
  /** Lambda's CodeSha256 of $LATEST's code: set beside a saved tune's, it tells whether the code changed since. */
  readonly codeSha256?: string;
  /** Event source mappings: SQS, Kinesis, DynamoDB Streams, Kafka, MQ (the ARN's service). */
  readonly eventSources: readonly {
    readonly service: string;
    readonly arn: string;
    readonly state: string;
  }[];
  /**
   * What calls it over HTTP (Function URL, API Gateway and load balancer permissions), as
   * `metrics` reads it (aws-http-callers.ts); absent where it was not read (other commands).
   */
  readonly httpCallers?: HttpCallers;
}

/** The function's callers over HTTP, and the reads that could not be made. */
export interface HttpCallers {
  /** "Function URL", "API Gateway permission", "load balancer permission": each kind once. */
  readonly callers: readonly string[];
  /** The reads refused or not answered ("GetPolicy: AccessDeniedException HTTP 403"): callers may be missing. */
  readonly unread: readonly string[];
}

export interface AwsFunctionObservations {
  readonly configuration: FunctionConfigurationFacts;
  readonly cloudWatch: CloudWatchFigures;
  /** REPORT lines read from CloudWatch Logs, and whether the --max-log-events cap cut the sample. */
  readonly logSample: { readonly events: number; readonly capped: boolean };
  readonly window: { readonly start: string; readonly end: string };
}
