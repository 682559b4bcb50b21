/** A failed call to an AWS API, as one readable phrase for a message or a report. */

/** "AWS ServiceException: ...", "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9". */
export function describeFailure(cause: unknown): string {
  const error = cause as { name?: string; code?: string; message?: string; $metadata?: unknown };
  // A Node.js network error carries its errno code: the most telling part.
  if (error?.code) return `${error.code}: ${error.message ?? ""}`.trim();
  // An AWS SDK service error: its exception name says what the service refused.
  if (error && typeof error === "object" && "$metadata" in error)
    return `AWS ${error.name}: ${error.message}`;
  return error?.message ?? String(cause);
}
