/**
 * What one local invocation (invokeLocal) is asked: the function on the
 * embedded emulator (a handler or a template's function, as a local tune
 * takes it: target-options.ts), the event, and the memory and timeout to run
 * it with. The CLI's `invoke`, a library caller and the MCP invoke_local tool
 * all check it through parseOptions.
 */
import { z } from "zod";
import { describeRange, TIMEOUT_SECONDS } from "../lambda/limits.js";
import { type LocalTargetOptions, TargetOptionsSchema } from "./target-options.js";
import { EventSchema, MemorySizeSchema } from "./tuning-options.js";

const TIMEOUT_EXPECTED = `expected ${describeRange(TIMEOUT_SECONDS)}`;

export const InvokeLocalOptionsSchema = z
  .strictObject({
    /** The function: { handler } or { template, function }, with sandbox, awsAccess, env and region. */
    target: TargetOptionsSchema,
    /** The event: any JSON value, or its JSON text as bytes (default {}). */
    payload: EventSchema.optional(),
    /** The event, read from a JSON file (relative to the current folder). */
    payloadFile: z
      .string({ error: "expected a file name" })
      .min(1, "expected a file name")
      .optional(),
    /** Memory size in MB (default: the template's, else 128); CPU follows it, 1,769 MB = one vCPU. */
    memoryMb: MemorySizeSchema.optional(),
    /** Timeout in seconds (default: the template's, else 3). */
    timeoutSeconds: z
      .number({ error: TIMEOUT_EXPECTED })
      .int(TIMEOUT_EXPECTED)
      .min(TIMEOUT_SECONDS.min, TIMEOUT_EXPECTED)
      .max(TIMEOUT_SECONDS.max, TIMEOUT_EXPECTED)
      .optional(),
    /** Limit CPU during init too (Lambda runs init at full speed). */
    throttleInit: z.boolean({ error: "expected true or false" }).default(false),
  })
  .superRefine((options, context) => {
    const problem = (message: string) => context.addIssue({ code: "custom", message });
    if (options.target.kind === "aws")
      problem(
        "{target.functionName} is a deployed function: a local invocation runs {target.handler} or {target.template}'s function on the embedded emulator",
      );
    else if (options.payload !== undefined && options.payloadFile !== undefined)
      problem("give {payload} or {payloadFile}, not both");
  })
  .transform(({ target, ...rest }) => ({ ...rest, target: target as LocalTargetOptions }));

export type InvokeLocalOptionsInput = z.input<typeof InvokeLocalOptionsSchema>;
export type InvokeLocalOptions = z.output<typeof InvokeLocalOptionsSchema>;
