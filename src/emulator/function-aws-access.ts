/**
 * Which AWS a function running in the emulator may reach, and with whose
 * credentials. A local run repeats the function's code hundreds of times (a
 * tune does), so it never gets the user's real credentials by accident:
 *
 * - by default the function gets no credentials at all, and the SDKs cannot
 *   find any (no shared config files, no profile, no instance metadata), so
 *   its first AWS call fails at once with a credentials error instead of
 *   writing to a real account;
 * - with an endpoint (moto_server, LocalStack) it gets AWS_ENDPOINT_URL and
 *   placeholder credentials such local endpoints accept;
 * - with `passCredentials` it gets the user's own, as the AWS CLI would find
 *   them (the environment's keys, AWS_PROFILE and the shared files).
 */
import { z } from "zod";
import { fieldName, parseOptions } from "../options.js";

/** What local AWS endpoints accept as credentials (moto's and LocalStack's documentation use these). */
export const PLACEHOLDER_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
} as const;

/** Lambda reserves these: a function's configuration cannot set them, only the platform does. */
const RESERVED_CREDENTIAL_VARIABLES = new Set([
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
]);

/** The function's own variables without the credentials Lambda reserves (a template cannot deploy them). */
export function withoutReservedCredentials(
  variables: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).filter(([name]) => !RESERVED_CREDENTIAL_VARIABLES.has(name)),
  );
}

/** A path that cannot exist, for the SDKs' shared config and credentials files. */
export const NO_SHARED_AWS_FILE = "/dev/null/lambda-optimizer-no-aws-file";

const HOST_CREDENTIAL_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
] as const;

export const FunctionAwsAccessSchema = z
  .object({
    /** AWS_ENDPOINT_URL for the function: every SDK client it makes talks to this endpoint. */
    endpointUrl: z
      .url({
        protocol: /^https?$/,
        hostname: /^.+$/,
        error: "expected an http:// or https:// URL such as http://127.0.0.1:5000",
      })
      .optional(),
    /** Hand the function the credentials of the user running lambda-optimizer. */
    passCredentials: z.boolean({ error: "expected true or false" }).default(false),
  })
  .strict();

export type FunctionAwsAccess = z.output<typeof FunctionAwsAccessSchema>;
export type FunctionAwsAccessInput = z.input<typeof FunctionAwsAccessSchema>;

/** No endpoint and no credentials: what a function gets unless told otherwise. */
export const NO_AWS_ACCESS: FunctionAwsAccess = FunctionAwsAccessSchema.parse({});

/**
 * Checked and defaulted access. A bad value is a UsageError naming the
 * option as the caller knows it (a CLI flag, an MCP argument).
 */
export function parseFunctionAwsAccess(
  input: FunctionAwsAccessInput,
  names: Partial<Record<keyof FunctionAwsAccessInput, string>> = {},
): FunctionAwsAccess {
  return parseOptions(FunctionAwsAccessSchema, input, (path) => {
    const key = path[0] as keyof FunctionAwsAccessInput;
    return names[key] ?? fieldName(path);
  });
}

/**
 * The AWS variables of the function's environment. They go after the
 * function's own variables: like Lambda's reserved ones, the credentials
 * cannot be set by the function's configuration.
 */
export function awsAccessEnvironment(
  access: FunctionAwsAccess,
  host: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const environment: Record<string, string> = {
    // Instance metadata is no source of credentials on this machine, and probing it takes seconds.
    AWS_EC2_METADATA_DISABLED: "true",
  };
  if (access.endpointUrl !== undefined) environment.AWS_ENDPOINT_URL = access.endpointUrl;
  if (access.passCredentials) {
    for (const name of HOST_CREDENTIAL_VARIABLES) {
      const value = host[name];
      if (value !== undefined) environment[name] = value;
    }
    return environment;
  }
  // HOME is the function's too: without these, the SDKs would read ~/.aws/credentials.
  environment.AWS_SHARED_CREDENTIALS_FILE = NO_SHARED_AWS_FILE;
  environment.AWS_CONFIG_FILE = NO_SHARED_AWS_FILE;
  if (access.endpointUrl !== undefined) Object.assign(environment, PLACEHOLDER_CREDENTIALS);
  return environment;
}

/** The error types the AWS SDKs raise when they find no credentials: JavaScript v3's, then botocore's. */
const MISSING_CREDENTIALS_ERRORS = new Set(["CredentialsProviderError", "NoCredentialsError"]);

/** Whether a function's error is its SDK finding no credentials (what a function with no access gets). */
export function isMissingCredentialsError(errorType: unknown): boolean {
  return typeof errorType === "string" && MISSING_CREDENTIALS_ERRORS.has(errorType);
}
