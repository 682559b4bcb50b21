/** The emulator flags `invoke`, `tune` (local runs) and `emulate` share. */
import type { Command } from "commander";
import {
  type FunctionAwsAccess,
  isMissingCredentialsError,
  parseFunctionAwsAccess,
} from "../emulator/function-aws-access.js";
import { type ForcedMechanism, ForcedMechanismSchema } from "../emulator/sandbox/index.js";
import { FORCEABLE_LIST } from "../emulator/sandbox/mechanism-choice.js";
import { collect, invalid } from "./option-parsers.js";

export const SANDBOX_FLAG_HELP = `CPU/memory limiting: ${FORCEABLE_LIST} (default: cgroup where this process may create one, else the duty cycle; portable reads processes through ps, as on macOS)`;

export function parseSandboxMechanism(value: string | undefined): ForcedMechanism | undefined {
  if (value === undefined) return undefined;
  const parsed = ForcedMechanismSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalid("--sandbox", value, FORCEABLE_LIST);
}

const ENV_FLAG_HELP =
  "set an environment variable for the function, over its template's (repeatable): a value only known once deployed, or a setting to try";

/** --sandbox, --aws-endpoint-url, --pass-aws-credentials and --env, declared once for the three commands. */
export function withLocalRunFlags(command: Command): Command {
  return command
    .option("--sandbox <mechanism>", SANDBOX_FLAG_HELP)
    .option("--aws-endpoint-url <url>", AWS_ENDPOINT_URL_FLAG_HELP)
    .option("--pass-aws-credentials", PASS_AWS_CREDENTIALS_FLAG_HELP)
    .option("--env <NAME=VALUE>", ENV_FLAG_HELP, collect);
}

const AWS_ENDPOINT_URL_FLAG_HELP =
  "AWS_ENDPOINT_URL for the function: its AWS SDK clients call this endpoint (moto_server, LocalStack) with placeholder credentials";
const PASS_AWS_CREDENTIALS_FLAG_HELP =
  "give the function your AWS credentials (environment, AWS_PROFILE, ~/.aws); by default it gets none, so a local run cannot change a real account";

export interface FunctionAwsFlags {
  awsEndpointUrl?: string;
  passAwsCredentials?: boolean;
}

/** --aws-endpoint-url and --pass-aws-credentials, checked by the library's schema. */
export function parseFunctionAwsFlags(flags: FunctionAwsFlags): FunctionAwsAccess {
  return parseFunctionAwsAccess(
    {
      ...(flags.awsEndpointUrl !== undefined ? { endpointUrl: flags.awsEndpointUrl } : {}),
      passCredentials: flags.passAwsCredentials === true,
    },
    { endpointUrl: "--aws-endpoint-url", passCredentials: "--pass-aws-credentials" },
  );
}

/** A note for stderr when a function with no AWS access failed for want of credentials, else undefined. */
export function missingCredentialsNote(
  access: FunctionAwsAccess,
  errorType: unknown,
): string | undefined {
  if (access.endpointUrl !== undefined || access.passCredentials) return undefined;
  if (!isMissingCredentialsError(errorType)) return undefined;
  return (
    "note: the function ran without AWS credentials: local runs never get yours by default, so a tune cannot write to a real account hundreds of times.\n" +
    "  Point its SDK at a local endpoint with --aws-endpoint-url URL (moto_server, LocalStack), or give it your credentials with --pass-aws-credentials.\n"
  );
}
