/**
 * Errors in the Lambda API's own shape: the status code, the error type in
 * the X-Amzn-ErrorType header, and {"Type","message"} in the body — what
 * @aws-sdk/client-lambda and the AWS CLI expect.
 */
export class LambdaApiError extends Error {
  override readonly name: string;
  constructor(
    readonly errorType: string,
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = errorType;
  }
}

export const notFound = (message: string) =>
  new LambdaApiError("ResourceNotFoundException", 404, message);
export const invalidParameter = (message: string) =>
  new LambdaApiError("InvalidParameterValueException", 400, message);
export const conflict = (message: string) =>
  new LambdaApiError("ResourceConflictException", 409, message);
export const tooManyRequests = (message: string, reason: string) =>
  new LambdaApiError("TooManyRequestsException", 429, message, { Reason: reason });
export const preconditionFailed = (message: string) =>
  new LambdaApiError("PreconditionFailedException", 412, message);
