/**
 * What `esm optimize` (and the MCP tool `esm_optimize`) can be asked, as a zod
 * schema. The mappings come from a template, a deployed function, or one
 * mapping's settings given as the Lambda API names them; the
 * traffic is given (a rate or a profile) or measured in CloudWatch; the
 * function's speed is given, or read from a tune result or REPORT lines.
 */
import { z } from "zod";
import { EsmCheckOptionsFields } from "../../audit/esm-check-options.js";
import { environmentRegion } from "../../aws/environment-region.js";
import {
  ESM_SIMULATE_DEFAULTS,
  EsmFunctionFields,
  EsmMappingSettingsFields,
  EsmSimulateOptionsFields,
  EsmTrafficFields,
} from "../simulation/simulate-options.js";

export const ESM_OPTIMIZE_DEFAULTS = {
  /** Days of CloudWatch data for a deployed function's traffic. */
  days: 14,
} as const;

const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, `expected ${what}`);

export const EsmOptimizeOptionsFields = z.strictObject({
  template: text("a SAM or CloudFormation template file")
    .optional()
    .describe("a template whose event source mappings are optimized"),
  aws: z
    .boolean({ error: "expected true or false" })
    .default(false)
    .describe("optimize a deployed function's mappings (ListEventSourceMappings; give function)"),
  function: text("a function name")
    .optional()
    .describe(
      "with template: only this function's mappings (logical id); with aws: the deployed function",
    ),
  mapping: text("a mapping's logical id, SAM event name or UUID")
    .optional()
    .describe("only this mapping"),
  settings: EsmCheckOptionsFields.shape.settings.describe(
    "one mapping's settings as the Lambda API names them (BatchSize, MaximumBatchingWindowInSeconds, ScalingConfig, ...), instead of template or aws",
  ),
  eventSource: EsmCheckOptionsFields.shape.eventSource.describe(
    "with settings: what feeds the mapping (default: the service of settings.EventSourceArn)",
  ),
  fifo: EsmCheckOptionsFields.shape.fifo.describe(
    "with settings: the queue is FIFO (default: whether settings.EventSourceArn ends in .fifo)",
  ),
  ...EsmTrafficFields,
  ...EsmFunctionFields,
  shards: EsmMappingSettingsFields.shards.describe(
    "Kinesis, DynamoDB Streams: the stream's shards, where the template or AWS does not say (default 1, modelled)",
  ),
  partitions: EsmMappingSettingsFields.partitions.describe(
    "Kafka: the topic's partitions (default 1, modelled)",
  ),
  maxAgeSeconds: z
    .number({ error: "expected seconds above 0" })
    .positive("expected seconds above 0")
    .describe("the bound: the simulated p99 age of a record when processed must stay under it"),
  allowThrottles: z
    .boolean({ error: "expected true or false" })
    .default(false)
    .describe("accept settings under which the function throttles"),
  searchMemory: z
    .boolean({ error: "expected true or false" })
    .default(false)
    .describe("with tuneFile: search the memory sizes it measured too"),
  days: z
    .number({ error: "expected a whole number of days from 1 to 455" })
    .int("expected a whole number of days from 1 to 455")
    .min(1, "expected a whole number of days from 1 to 455")
    .max(455, "expected a whole number of days from 1 to 455")
    .default(ESM_OPTIMIZE_DEFAULTS.days)
    .describe("with aws: days of CloudWatch data for the traffic"),
  seconds: z
    .number({ error: "expected seconds above 0" })
    .positive("expected seconds above 0")
    .optional()
    .describe(
      `how long each candidate is simulated (default: the profile's length, else ${ESM_SIMULATE_DEFAULTS.seconds})`,
    ),
  // The same checks as esm simulate's, defined once there.
  seed: EsmSimulateOptionsFields.shape.seed,
  maxEvents: EsmSimulateOptionsFields.shape.maxEvents,
  region: text("a region such as us-east-1")
    .default(() => environmentRegion() ?? "us-east-1")
    .describe("the region whose prices apply, and with aws the region to read"),
  priceFile: EsmSimulateOptionsFields.shape.priceFile,
  profile: text("a profile name").optional().describe("with aws: an AWS profile"),
  endpointUrl: z
    .url({ error: "expected a URL such as http://127.0.0.1:5000" })
    .optional()
    .describe("with aws: another AWS endpoint (moto_server, LocalStack)"),
  cwd: EsmSimulateOptionsFields.shape.cwd,
});

/** Exactly one place the mappings come from, and the options that go with it. */
function sourceProblem(options: z.output<typeof EsmOptimizeOptionsFields>): string | undefined {
  const places = [options.template !== undefined, options.aws, options.settings !== undefined];
  if (places.filter(Boolean).length > 1)
    return "give {template}, {aws} or {settings}: one place the mappings come from";
  if (!places.some(Boolean))
    return "give the mappings: {template} (a SAM or CloudFormation template), {aws} with {function}, or one mapping's {settings}";
  if (options.aws && options.function === undefined)
    return "{aws} needs {function}: the deployed function";
  if (!options.aws && (options.profile !== undefined || options.endpointUrl !== undefined))
    return "{profile} and {endpointUrl} go with {aws}";
  if (
    options.settings === undefined &&
    (options.eventSource !== undefined || options.fifo !== undefined)
  )
    return "{eventSource} and {fifo} go with {settings}: a template's or a deployed function's mappings are read with their sources";
  if (
    options.settings !== undefined &&
    (options.function !== undefined || options.mapping !== undefined)
  )
    return "{function} and {mapping} pick among a template's or a deployed function's mappings: leave them out with {settings}";
  if (options.rate !== undefined && options.rateProfile !== undefined)
    return "give {rate} or {rateProfile}, not both";
  if (!options.aws && options.rate === undefined && options.rateProfile === undefined)
    return "give the traffic: {rate} or {rateProfile} (with {aws} it is read from CloudWatch)";
  return undefined;
}

export const EsmOptimizeOptionsSchema = EsmOptimizeOptionsFields.superRefine((options, context) => {
  const problem = sourceProblem(options);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

export type EsmOptimizeOptionsInput = z.input<typeof EsmOptimizeOptionsSchema>;
export type EsmOptimizeOptions = z.output<typeof EsmOptimizeOptionsSchema>;
