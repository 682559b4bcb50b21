/**
 * What checkEventSourceMappings reports: each event source mapping with the
 * settings it was read with and esm-config's findings on it, with their
 * reasons and fixes. The esm_optimize MCP tool returns this.
 */
import { z } from "zod";

/** Where computed figures come from: this report checks settings; the simulator predicts what they do. */
export const PREDICTIONS_NOTE =
  "These are the checks of audit's esm-config rule. For the settings that keep the lag under a bound at the least cost, with the predicted lag and cost of today's and the recommended ones, give the traffic (rate or rateProfile), the function's duration per batch (batchMs, or recordMs with overheadMs) and maxAgeSeconds to esm_optimize, or run `lambda-optimizer esm optimize`.";

export const EsmFindingSchema = z.object({
  ruleId: z.literal("esm-config"),
  severity: z.enum(["error", "warning"]),
  /** The mapping's (or SAM function's) logical id; the queue's for its VisibilityTimeout; "settings" for given settings. */
  resource: z.string(),
  /** The property to change, as a path in the mapping's properties ("ScalingConfig.MaximumConcurrency"), or the queue's "VisibilityTimeout". */
  property: z.string(),
  /** What is wrong and what it costs. */
  message: z.string(),
  fix: z.string(),
  /** The template line to change (1-based); null for given settings. */
  line: z.number().nullable(),
});
export type EsmFinding = z.infer<typeof EsmFindingSchema>;

/** The settings as written; null where unset (Lambda's default applies). */
export const MappingSettingsSchema = z.object({
  batchSize: z.number().nullable(),
  maximumBatchingWindowInSeconds: z.number().nullable(),
  maximumConcurrency: z.number().nullable(),
  parallelizationFactor: z.number().nullable(),
  tumblingWindowInSeconds: z.number().nullable(),
  maximumRetryAttempts: z.number().nullable(),
  maximumRecordAgeInSeconds: z.number().nullable(),
  bisectBatchOnFunctionError: z.boolean().nullable(),
  functionResponseTypes: z.array(z.string()),
  onFailureDestination: z.string().nullable(),
  startingPosition: z.string().nullable(),
  filterCriteria: z.boolean(),
  fifo: z.boolean(),
});

export const EsmMappingCheckSchema = z.object({
  /** The EventSourceMapping's logical id, "Function/Event" for a SAM event, "settings" for given settings. */
  id: z.string(),
  /** How the findings' reader knows it: "EventSourceMapping X", "Fn's SQS event Jobs". */
  label: z.string(),
  eventSource: z.enum(["sqs", "kinesis", "dynamodb", "kafka", "other"]),
  /** The function's logical id, when the template has it. */
  function: z.string().nullable(),
  line: z.number().nullable(),
  settings: MappingSettingsSchema,
  findings: z.array(EsmFindingSchema),
});
export type EsmMappingCheck = z.infer<typeof EsmMappingCheckSchema>;

export const EsmCheckReportSchema = z.object({
  /** What was checked: a template's mappings, or settings given as they are. */
  source: z.enum(["template", "settings"]),
  /** The template, as findings show it (relative to cwd); null for given settings. */
  template: z.string().nullable(),
  mappings: z.array(EsmMappingCheckSchema),
  summary: z.object({ mappings: z.number(), error: z.number(), warning: z.number() }),
  /** Where the predicted lag and cost are (or how to ask for them). */
  predictions: z.string(),
});
export type EsmCheckReport = z.infer<typeof EsmCheckReportSchema>;
