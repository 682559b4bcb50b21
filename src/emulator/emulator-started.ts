/**
 * What a Lambda API server over the emulator serves, once it listens: where to
 * point the AWS SDK or CLI, and each function with what it runs on here.
 * `emulate --json` prints this document; the CLI only renders it.
 */
import { z } from "zod";
import type { Emulator } from "./emulator.js";
import { InterpreterReportSchema, interpreterReport } from "./runtimes/interpreter.js";
import { SandboxReportSchema } from "./sandbox/index.js";

export const EmulatorStartedSchema = z.object({
  /** The Lambda API's URL: give it as --endpoint-url. */
  endpoint: z.url(),
  /** The access token, only when one was generated (it is printed once, here). */
  authToken: z.string().optional(),
  /** The region functions see (AWS_REGION) and their ARNs carry. */
  region: z.string(),
  functions: z.array(
    z.object({
      name: z.string(),
      runtime: z.string(),
      memoryMb: z.number().int().positive(),
      /** The handler as Lambda reads it: "index.handler". */
      handler: z.string(),
      /** What the runtime runs on here, with a warning when it is not the declared version. */
      interpreter: InterpreterReportSchema,
      /** Its unqualified Function URL, when it has one (served on 127.0.0.1; docs/function-urls.md). */
      functionUrl: z
        .object({
          url: z.url(),
          invokeMode: z.enum(["BUFFERED", "RESPONSE_STREAM"]),
          authType: z.enum(["NONE", "AWS_IAM"]),
        })
        .optional(),
    }),
  ),
  sandbox: SandboxReportSchema,
});
export type EmulatorStarted = z.infer<typeof EmulatorStartedSchema>;

export interface EmulatorStartedOptions {
  readonly endpoint: string;
  /** An access token generated for this server (one the user chose is never repeated back). */
  readonly generatedAuthToken?: string;
}

/** The document for an emulator served at `endpoint`; resolves each function's interpreter (found once). */
export async function emulatorStarted(
  emulator: Emulator,
  options: EmulatorStartedOptions,
): Promise<EmulatorStarted> {
  const functions = await Promise.all(
    emulator.registry.list().map(async ({ definition }) => {
      const url = emulator.functionUrls
        .all()
        .find((config) => config.functionName === definition.name && !config.qualifier);
      return {
        name: definition.name,
        runtime: definition.runtime,
        memoryMb: definition.memoryMb,
        handler: definition.handler,
        interpreter: interpreterReport(await emulator.interpreter(definition.name)),
        ...(url
          ? {
              functionUrl: {
                url: url.url,
                invokeMode: url.settings.invokeMode,
                authType: url.settings.authType,
              },
            }
          : {}),
      };
    }),
  );
  return {
    endpoint: options.endpoint,
    ...(options.generatedAuthToken ? { authToken: options.generatedAuthToken } : {}),
    region: emulator.registry.region,
    functions,
    sandbox: await emulator.sandbox(),
  };
}
