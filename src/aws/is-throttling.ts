/** Whether an AWS error is throttling (429, TooManyRequestsException and its cousins). */
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
