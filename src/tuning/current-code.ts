/**
 * The code a tuned function has now, hashed the way its run recorded the code it tuned
 * (tune-result.ts, TunedCode): a local function's code folder hashed again, or a deployed
 * function's CodeSha256 asked of the Lambda API. `compare --max-age-days` sets one beside the
 * other (tune-freshness.ts).
 */
import { resolve } from "node:path";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import type { AwsRetry } from "../aws/client-config.js";
import { createLambdaClient } from "../aws/lambda-client.js";
import { hashCodeFolder } from "./code-hash.js";
import type { TunedCode, TuneResult } from "./tune-result.js";

export interface CurrentCodeOptions {
  /** The folder the run started in, which a local run's code folder is relative to. */
  readonly cwd: string;
  /** A deployed function: the profile to ask the Lambda API with (default: the SDK's chain). */
  readonly profile?: string;
  /** A deployed function: the Lambda API to ask (default: the one the run used, else AWS). */
  readonly endpointUrl?: string;
  readonly onRetry?: (retry: AwsRetry) => void;
}

/** A local run's code folder hashed again; undefined when it is gone or cannot be hashed. */
export function currentFolderSha256(code: TunedCode, cwd: string): string | undefined {
  if (code.kind !== "folder" || code.folder === null) return undefined;
  return hashCodeFolder(resolve(cwd, code.folder))?.sha256;
}

/**
 * The hash to set beside `run.code`; undefined when the run records no code. A deployed
 * function's CodeSha256 comes from GetFunctionConfiguration: an error there (no credentials,
 * the function gone) is thrown, as every AWS error is, for the caller to report.
 */
export async function currentCodeSha256(
  run: TuneResult,
  options: CurrentCodeOptions,
): Promise<string | undefined> {
  const code = run.code;
  if (!code) return undefined;
  if (code.kind === "folder") return currentFolderSha256(code, options.cwd);
  const endpointUrl = options.endpointUrl ?? run.target.endpoint ?? undefined;
  const client = createLambdaClient({
    region: run.target.region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpointUrl ? { endpointUrl } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
  try {
    const configuration = await client.send(
      new GetFunctionConfigurationCommand({
        FunctionName: run.target.functionArn || run.target.functionName,
      }),
    );
    return configuration.CodeSha256 || undefined;
  } finally {
    client.destroy();
  }
}
