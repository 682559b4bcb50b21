/**
 * The region the environment names, as the AWS SDK reads it: AWS_REGION, else
 * AWS_DEFAULT_REGION (the AWS CLI's). An empty variable names no region, so
 * `AWS_REGION=` in a shell does not become a region called "".
 */
export function environmentRegion(): string | undefined {
  return process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
}
