/**
 * What the Lambda API says about deployed functions: which exist in a region,
 * and how each is configured (memory, architecture, timeout, concurrency,
 * triggers). The SDK retries throttling (`--all` in a busy account runs into
 * Lambda's control-plane rate limits), 5xx answers and dropped connections.
 */

import {
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
  type LambdaClient,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  ListProvisionedConcurrencyConfigsCommand,
} from "@aws-sdk/client-lambda";
import { parseArn } from "../../aws/arn.js";
import type { FunctionConfigurationFacts } from "../aws-observations.js";

/** The part of a Lambda client these functions use, so tests can page by hand. */
export type LambdaSender = Pick<LambdaClient, "send">;

/** A function the user named that the Lambda API does not know. The CLI exits 2 on it. */
export class UnknownFunctionError extends Error {
  override readonly name = "UnknownFunctionError";
  constructor(
    readonly functionName: string,
    readonly region?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `function ${functionName} not found${region ? ` in ${region}` : ""}: check the name or ARN, the region and the AWS profile`,
      options,
    );
  }
}

export interface LambdaCallOptions {
  /** Something worth telling the user that does not stop the run (an API this endpoint lacks). */
  readonly onNote?: (message: string) => void;
  /** Named in the UnknownFunctionError message. */
  readonly region?: string;
}

/** Every function name in the region, paging through ListFunctions. */
export async function listFunctionNames(
  lambda: LambdaSender,
  options: LambdaCallOptions & { readonly pageSize?: number } = {},
): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new ListFunctionsCommand({ Marker: marker, MaxItems: options.pageSize }),
    );
    for (const fn of page.Functions ?? []) if (fn.FunctionName) names.push(fn.FunctionName);
    marker = page.NextMarker || undefined;
  } while (marker);
  return names;
}

/** Where a function writes its logs, which FunctionConfigurationFacts does not carry. */
export interface FunctionLogging {
  /** `/aws/lambda/NAME` unless LoggingConfig names another group. */
  readonly logGroupName: string;
  readonly logFormat: "Text" | "JSON";
}

/** The configuration facts of one function, by name or ARN. */
export async function functionConfigurationFacts(
  lambda: LambdaSender,
  nameOrArn: string,
  options: LambdaCallOptions = {},
): Promise<FunctionConfigurationFacts> {
  return (await describeFunction(lambda, nameOrArn, options)).facts;
}

/** The configuration facts and the logging settings of one function, by name or ARN. */
export async function describeFunction(
  lambda: LambdaSender,
  nameOrArn: string,
  options: LambdaCallOptions = {},
): Promise<{ facts: FunctionConfigurationFacts; logging: FunctionLogging }> {
  const configuration = await getConfiguration(lambda, nameOrArn, options);
  // The plain name from here on: moto (and any exact-match implementation)
  // filters event source mappings by the string it was given.
  const functionName = configuration.FunctionName ?? nameOrArn;
  const [reservedConcurrency, provisionedConcurrency, eventSources] = await Promise.all([
    reservedConcurrencyOf(lambda, functionName),
    provisionedConcurrencyOf(lambda, functionName, options),
    eventSourcesOf(lambda, functionName),
  ]);
  const facts: FunctionConfigurationFacts = {
    functionName,
    functionArn: configuration.FunctionArn ?? "",
    // A container image function has no runtime: say so rather than leave it blank.
    runtime: configuration.Runtime ?? (configuration.PackageType === "Image" ? "image" : "unknown"),
    memoryMb: configuration.MemorySize ?? 128,
    architecture: configuration.Architectures?.[0] === "arm64" ? "arm64" : "x86_64",
    timeoutSeconds: configuration.Timeout ?? 3,
    ephemeralStorageMb: configuration.EphemeralStorage?.Size ?? 512,
    reservedConcurrency,
    provisionedConcurrency,
    packageType: configuration.PackageType ?? "Zip",
    ...(configuration.CodeSha256 ? { codeSha256: configuration.CodeSha256 } : {}),
    eventSources,
  };
  const logging: FunctionLogging = {
    logGroupName: configuration.LoggingConfig?.LogGroup ?? `/aws/lambda/${functionName}`,
    logFormat: configuration.LoggingConfig?.LogFormat === "JSON" ? "JSON" : "Text",
  };
  return { facts, logging };
}

async function getConfiguration(
  lambda: LambdaSender,
  nameOrArn: string,
  options: LambdaCallOptions,
): Promise<GetFunctionConfigurationCommandOutput> {
  try {
    return await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: nameOrArn }));
  } catch (error) {
    if (isNotFound(error))
      throw new UnknownFunctionError(nameOrArn, options.region, { cause: error });
    throw error;
  }
}

async function reservedConcurrencyOf(
  lambda: LambdaSender,
  functionName: string,
): Promise<number | null> {
  const answer = await lambda.send(
    new GetFunctionConcurrencyCommand({ FunctionName: functionName }),
  );
  return answer.ReservedConcurrentExecutions ?? null;
}

/**
 * Provisioned concurrency on every version and alias, summed: each is billed.
 * An endpoint that does not implement the call (moto answers 404 with an HTML
 * page) counts as none, with a note, so the rest of the function's facts stand.
 */
async function provisionedConcurrencyOf(
  lambda: LambdaSender,
  functionName: string,
  options: LambdaCallOptions,
): Promise<number> {
  let total = 0;
  let marker: string | undefined;
  try {
    do {
      const page = await lambda.send(
        new ListProvisionedConcurrencyConfigsCommand({
          FunctionName: functionName,
          Marker: marker,
        }),
      );
      for (const config of page.ProvisionedConcurrencyConfigs ?? []) {
        total += config.RequestedProvisionedConcurrentExecutions ?? 0;
      }
      marker = page.NextMarker || undefined;
    } while (marker);
  } catch (error) {
    if (!isUnsupported(error)) throw error;
    options.onNote?.(
      `${functionName}: this endpoint does not answer ListProvisionedConcurrencyConfigs (${describe(error)}); provisioned concurrency counted as 0`,
    );
    return 0;
  }
  return total;
}

async function eventSourcesOf(
  lambda: LambdaSender,
  functionName: string,
): Promise<FunctionConfigurationFacts["eventSources"]> {
  const sources: { service: string; arn: string; state: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(
      new ListEventSourceMappingsCommand({ FunctionName: functionName, Marker: marker }),
    );
    for (const mapping of page.EventSourceMappings ?? []) {
      const arn = mapping.EventSourceArn ?? "";
      sources.push({
        service: eventSourceService(mapping.EventSourceArn, mapping.SelfManagedEventSource),
        arn,
        state: mapping.State ?? "Unknown",
      });
    }
    marker = page.NextMarker || undefined;
  } while (marker);
  return sources;
}

/**
 * The service an event source mapping reads: the ARN's service field
 * (`sqs`, `kinesis`, `dynamodb`, `kafka`, `mq`, `docdb`), or `kafka` for a
 * self-managed Kafka cluster, which has broker endpoints instead of an ARN.
 */
export function eventSourceService(arn: string | undefined, selfManaged?: unknown): string {
  if (!arn) return selfManaged ? "kafka" : "unknown";
  return parseArn(arn)?.service ?? "unknown";
}

function isNotFound(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    candidate?.name === "ResourceNotFoundException" || candidate?.$metadata?.httpStatusCode === 404
  );
}

/** Not implemented, or a server error: the endpoint cannot answer this call. */
function isUnsupported(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (candidate?.name === "ResourceNotFoundException") return false; // the function went away
  const status = candidate?.$metadata?.httpStatusCode;
  return status === 404 || (status !== undefined && status >= 500);
}

function describe(error: unknown): string {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = candidate?.$metadata?.httpStatusCode;
  return `${candidate?.name ?? "error"}${status ? ` HTTP ${status}` : ""}`;
}
