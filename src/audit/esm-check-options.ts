/**
 * What the event source mapping checks (checkEventSourceMappings) can be
 * asked: a template's mappings (all, one function's, or one mapping), or one
 * mapping's settings given as the Lambda API names them, with the kind of
 * source. Checked through parseOptions like every command's options.
 */
import { z } from "zod";

/** The sources an agent may name, as AWS's own MCP server names them. */
export const ESM_EVENT_SOURCES = ["sqs", "kinesis", "dynamodb", "kafka"] as const;
export type EsmEventSource = (typeof ESM_EVENT_SOURCES)[number];

const text = (allowed: string) =>
  z.string({ error: `expected ${allowed}` }).min(1, `expected ${allowed}`);

/** The options' fields, before the checks across them (checkEsmCheckOptions). */
export const EsmCheckOptionsFields = z.strictObject({
  /** A SAM or CloudFormation template whose event source mappings are checked. */
  template: text("a SAM or CloudFormation template file").optional(),
  /** With `template`: only the mappings of this function (logical id or FunctionName). */
  function: text("a function's logical id or FunctionName").optional(),
  /** With `template`: only this mapping (an EventSourceMapping's logical id, or a SAM event's name). */
  mapping: text("an EventSourceMapping's logical id or a SAM event's name").optional(),
  /** One mapping's settings, in the Lambda API's names: BatchSize, MaximumBatchingWindowInSeconds, ScalingConfig... */
  settings: z
    .record(z.string(), z.json(), {
      error:
        "expected an object of event source mapping settings as the Lambda API names them (BatchSize, MaximumBatchingWindowInSeconds, ...)",
    })
    .optional(),
  /** With `settings`: what feeds the mapping (default: the service of settings.EventSourceArn). */
  eventSource: z
    .enum(ESM_EVENT_SOURCES, { error: `expected ${ESM_EVENT_SOURCES.join(", ")}` })
    .optional(),
  /** With `settings`: the queue is FIFO (default: whether settings.EventSourceArn ends in .fifo). */
  fifo: z.boolean({ error: "expected true or false" }).optional(),
  /** The folder `template` is relative to and findings are shown from (default: the current folder). */
  cwd: text("a folder").optional(),
});

/** Which of template and settings, and the options that go with each. */
export function checkEsmCheckOptions(
  options: z.output<typeof EsmCheckOptionsFields>,
  context: z.RefinementCtx,
): void {
  const message = problemOf(options);
  if (message !== undefined) context.addIssue({ code: "custom", message });
}

function problemOf(options: z.output<typeof EsmCheckOptionsFields>): string | undefined {
  if (options.template !== undefined && options.settings !== undefined)
    return "give {template} or {settings}, not both";
  if (options.template === undefined && options.settings === undefined)
    return "give {template} (a SAM or CloudFormation template) or {settings} (one event source mapping's settings, with {eventSource})";
  const keys =
    options.settings !== undefined
      ? (["function", "mapping"] as const)
      : (["eventSource", "fifo"] as const);
  const misplaced = keys.find((key) => options[key] !== undefined);
  if (misplaced === undefined) return undefined;
  return options.settings !== undefined
    ? `{${misplaced}} picks mappings in {template}: leave it out with {settings}`
    : `{${misplaced}} goes with {settings}: a template's mappings are read with their sources`;
}

export const EsmCheckOptionsSchema = EsmCheckOptionsFields.superRefine(checkEsmCheckOptions);

export type EsmCheckOptionsInput = z.input<typeof EsmCheckOptionsSchema>;
export type EsmCheckOptions = z.output<typeof EsmCheckOptionsSchema>;
