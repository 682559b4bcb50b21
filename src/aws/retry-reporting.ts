/**
 * Tell the caller as each SDK retry begins. A middleware placed just inside
 * the SDK's retry middleware sees every attempt of a call: it remembers why
 * an attempt failed and, when the next attempt of the same request starts
 * (the SDK numbers them in the amz-sdk-request header), reports the retry.
 */
import type { AwsRetry } from "./client-config.js";

const ATTEMPT_HEADER = "amz-sdk-request";

interface AttemptArgs {
  readonly request?: { headers?: Record<string, string> };
}
type Next = (args: AttemptArgs) => Promise<unknown>;
interface MiddlewareContext {
  readonly commandName?: string;
}

/** Any SDK v3 client: only its middleware stack is used. */
export interface ClientWithMiddleware {
  readonly middlewareStack: { addRelativeTo(middleware: never, options: never): void };
}

export function reportRetries<Client extends ClientWithMiddleware>(
  client: Client,
  onRetry: (retry: AwsRetry) => void,
): Client {
  const lastFailure = new WeakMap<object, string>();
  const middleware = (next: Next, context: MiddlewareContext) => async (args: AttemptArgs) => {
    const header = args.request?.headers?.[ATTEMPT_HEADER] ?? "";
    const attempt = Number(/attempt=(\d+)/.exec(header)?.[1] ?? 1);
    const maxAttempts = Number(/max=(\d+)/.exec(header)?.[1] ?? attempt);
    if (attempt > 1) {
      onRetry({
        operation: context.commandName ?? "AWS call",
        attempt,
        maxAttempts,
        reason: lastFailure.get(args) ?? "unknown error",
      });
    }
    try {
      return await next(args);
    } catch (error) {
      lastFailure.set(args, failureReason(error));
      throw error;
    }
  };
  client.middlewareStack.addRelativeTo(
    middleware as never,
    {
      name: "lambdaOptimizerRetryReporting",
      relation: "after",
      toMiddleware: "retryMiddleware",
    } as never,
  );
  return client;
}

/** "HTTP 500", "ECONNRESET", "TooManyRequestsException": enough to tell the weather. */
export function failureReason(error: unknown): string {
  const candidate = error as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = candidate?.$metadata?.httpStatusCode;
  if (candidate?.code)
    return `${candidate.code}${candidate.message ? ` (${candidate.message})` : ""}`;
  if (status !== undefined && (!candidate.name || /^(Unknown|Error)$/.test(candidate.name)))
    return `HTTP ${status}`;
  if (status !== undefined) return `${candidate.name} (HTTP ${status})`;
  return candidate?.name ?? String(error);
}
