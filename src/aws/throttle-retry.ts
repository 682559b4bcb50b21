/**
 * Retry a Lambda API call that was throttled (429 TooManyRequestsException,
 * or the SDK's throttling errors) with exponential backoff and full jitter,
 * as AWS's architecture guidance recommends. Other errors pass through.
 */
export interface RetryOptions {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each retry, for progress output and counts. */
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

const THROTTLING = new Set([
  "TooManyRequestsException",
  "ThrottlingException",
  "Throttling",
  "RequestLimitExceeded",
  "EC2ThrottledException",
]);

export function isThrottling(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(candidate?.name ?? "") || candidate?.$metadata?.httpStatusCode === 429;
}

export async function withThrottleRetry<T>(
  call: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= attempts) throw error;
      const delayMs = Math.round(random() * Math.min(cap, base * 2 ** (attempt - 1)));
      options.onRetry?.(attempt, delayMs, error);
      await sleep(delayMs);
    }
  }
}
