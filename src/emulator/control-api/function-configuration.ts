/** The FunctionConfiguration and AliasConfiguration documents of the Lambda API. */
import type {
  Alias,
  FunctionRegistry,
  PublishedConfiguration,
} from "../functions/function-registry.js";

export function functionConfiguration(
  registry: FunctionRegistry,
  configuration: PublishedConfiguration,
) {
  const fn = configuration.definition;
  const qualifier = configuration.version === "$LATEST" ? undefined : configuration.version;
  return {
    FunctionName: fn.name,
    FunctionArn: registry.functionArn(fn.name, qualifier),
    Runtime: fn.runtime,
    Role: `arn:${registry.partition}:iam::${registry.accountId}:role/lambda-optimizer-emulator`,
    Handler: fn.handler,
    CodeSize: 0,
    Description: fn.description,
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: configuration.lastModified,
    CodeSha256: configuration.codeSha256,
    Version: configuration.version,
    Environment: { Variables: { ...fn.environment } },
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: configuration.revisionId,
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: [fn.architecture],
    EphemeralStorage: { Size: fn.ephemeralStorageMb },
    LoggingConfig: { LogFormat: fn.logFormat, LogGroup: `/aws/lambda/${fn.name}` },
    SnapStart: { ApplyOn: "None", OptimizationStatus: "Off" },
  };
}

export function aliasConfiguration(registry: FunctionRegistry, functionName: string, alias: Alias) {
  return {
    AliasArn: registry.functionArn(functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
  };
}
