/**
 * The environment variables Lambda itself sets in every execution environment, from AWS's
 * "Defined runtime environment variables"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * The reserved ones a function cannot set (the emulator refuses them as `--env`); the others it
 * may extend or replace. Either way its code can read them without the template setting them.
 */

/** Reserved: a function's configuration cannot set them. */
export const RESERVED_VARIABLES: ReadonlySet<string> = new Set([
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
]);

/**
 * Everything Lambda sets: the reserved ones, the unreserved ones (locale, paths, X-Ray), the
 * concurrency of a Managed Instances environment, and the credentials SnapStart functions get
 * instead of access keys.
 */
export const LAMBDA_SET_VARIABLES: ReadonlySet<string> = new Set([
  ...RESERVED_VARIABLES,
  "AWS_LAMBDA_MAX_CONCURRENCY",
  "TZ",
  "LANG",
  "PATH",
  "LD_LIBRARY_PATH",
  "NODE_PATH",
  "PYTHONPATH",
  "AWS_XRAY_CONTEXT_MISSING",
  "AWS_XRAY_DAEMON_ADDRESS",
  "_AWS_XRAY_DAEMON_ADDRESS",
  "_AWS_XRAY_DAEMON_PORT",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
]);
