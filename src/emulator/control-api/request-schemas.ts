/**
 * What the Lambda API accepts in each request the emulator serves: JSON
 * bodies, query parameters and Invoke's headers, as zod schemas whose
 * messages are Lambda's (request-validation.ts). Unknown members are ignored,
 * as the emulator has no use for them (Handler, Role, Layers, ...).
 */
import { z } from "zod";
import {
  EPHEMERAL_STORAGE_MB,
  isWithin,
  MEMORY_MB,
  type Range,
  TIMEOUT_SECONDS,
} from "../../lambda/limits.js";
import { ARCHITECTURES } from "../../pricing/price-table.js";
import { INVOCATION_TYPES } from "../emulator.js";
import type { ConfigurationPatch } from "../functions/function-registry.js";
import {
  constrainedMember,
  requestMember,
  requiredStringMember,
  stringMember,
} from "../request-validation.js";

const within = (range: Range, member: string) =>
  constrainedMember(
    z.number().refine((value) => isWithin(range, value)),
    member,
    `Member must have value between ${range.min} and ${range.max}`,
  );

/** Architectures: Lambda takes a list of exactly one. */
const Architectures = constrainedMember(
  z.tuple([z.enum(ARCHITECTURES)]).transform(([architecture]) => architecture),
  "architectures",
  `Member must have length 1 and one of [${ARCHITECTURES.join(", ")}]`,
);

const UpdateFunctionConfigurationInput = z.looseObject({
  MemorySize: within(MEMORY_MB, "memorySize").optional(),
  Timeout: within(TIMEOUT_SECONDS, "timeout").optional(),
  Architectures: Architectures.optional(),
  EphemeralStorage: z
    .object(
      { Size: within(EPHEMERAL_STORAGE_MB, "ephemeralStorage.size").optional() },
      { error: "EphemeralStorage must be an object: {Size}" },
    )
    .optional(),
  Environment: z
    .object(
      {
        Variables: requestMember(
          z.record(z.string(), z.string()),
          () => "Environment.Variables must map names to strings",
        ).optional(),
      },
      { error: "Environment must be an object: {Variables}" },
    )
    .optional(),
  Description: stringMember("Description"),
  RevisionId: stringMember("RevisionId"),
});

/** UpdateFunctionConfiguration (PUT /functions/{name}/configuration): the patch, and the RevisionId it expects. */
export const UpdateFunctionConfigurationSchema = UpdateFunctionConfigurationInput.transform(
  (input) => ({ patch: configurationPatch(input), revisionId: input.RevisionId }),
);

function configurationPatch(
  input: z.output<typeof UpdateFunctionConfigurationInput>,
): ConfigurationPatch {
  const environment = input.Environment?.Variables;
  const ephemeralStorageMb = input.EphemeralStorage?.Size;
  return {
    ...(input.MemorySize !== undefined ? { memoryMb: input.MemorySize } : {}),
    ...(input.Timeout !== undefined ? { timeoutSeconds: input.Timeout } : {}),
    ...(input.Architectures ? { architecture: input.Architectures } : {}),
    ...(ephemeralStorageMb !== undefined ? { ephemeralStorageMb } : {}),
    ...(environment !== undefined ? { environment } : {}),
    ...(input.Description !== undefined ? { description: input.Description } : {}),
  };
}

/** Where UpdateFunctionCode would take new code from: the emulator runs each function's own folder. */
const CODE_SOURCES = ["ZipFile", "S3Bucket", "S3Key", "ImageUri"] as const;

/**
 * UpdateFunctionCode (PUT /functions/{name}/code). Lambda changes a function's
 * architecture here; the emulator runs code from its local folder, so only
 * Architectures (and Publish) apply.
 */
export const UpdateFunctionCodeSchema = z
  .looseObject({
    Architectures: Architectures.optional(),
    Publish: requestMember(z.boolean(), () => "Publish must be true or false").optional(),
    RevisionId: stringMember("RevisionId"),
  })
  .superRefine((input, context) => {
    const codeSource = CODE_SOURCES.find((field) => input[field] !== undefined);
    if (codeSource) {
      context.addIssue({
        code: "custom",
        message: `${codeSource}: the emulator runs each function's code from its local folder; UpdateFunctionCode accepts Architectures and Publish only`,
      });
    }
  });

/** PublishVersion (POST /functions/{name}/versions). */
export const PublishVersionSchema = z.looseObject({
  Description: stringMember("Description"),
  RevisionId: stringMember("RevisionId"),
  CodeSha256: stringMember("CodeSha256"),
});

/** CreateAlias (POST /functions/{name}/aliases). */
export const CreateAliasSchema = z.looseObject({
  Name: requiredStringMember("Name"),
  FunctionVersion: requiredStringMember("FunctionVersion"),
  Description: stringMember("Description"),
});

/** UpdateAlias (PUT /functions/{name}/aliases/{alias}). */
export const UpdateAliasSchema = z.looseObject({
  FunctionVersion: stringMember("FunctionVersion"),
  Description: stringMember("Description"),
  RevisionId: stringMember("RevisionId"),
});

/** ?Qualifier= of Invoke, GetFunction, GetFunctionConfiguration and DeleteFunction. */
export const QualifierQuerySchema = z.looseObject({ Qualifier: z.string().optional() });

/** ?FunctionVersion= of ListAliases. */
export const ListAliasesQuerySchema = z.looseObject({ FunctionVersion: z.string().optional() });

/** Invoke's headers (lower-case, as Node.js gives them). */
export const InvokeHeadersSchema = z.looseObject({
  "x-amz-invocation-type": constrainedMember(
    z.enum(INVOCATION_TYPES),
    "invocationType",
    "Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
  ).default("RequestResponse"),
  "x-amz-log-type": constrainedMember(
    z.enum(["None", "Tail"]),
    "logType",
    "Member must satisfy enum value set: [Tail, None]",
  ).default("None"),
  /** Checked apart (client-context.ts): Lambda refuses it with another error type. */
  "x-amz-client-context": z.string().optional(),
});

/** InvokeWithResponseStream's invocation types: Lambda streams to a caller who waits, so no Event. */
export const STREAMING_INVOCATION_TYPES = ["RequestResponse", "DryRun"] as const;

/** InvokeWithResponseStream's headers: Invoke's, with its own invocation types. */
export const InvokeWithResponseStreamHeadersSchema = InvokeHeadersSchema.extend({
  "x-amz-invocation-type": constrainedMember(
    z.enum(STREAMING_INVOCATION_TYPES),
    "invocationType",
    "Member must satisfy enum value set: [RequestResponse, DryRun]",
  ).default("RequestResponse"),
});
