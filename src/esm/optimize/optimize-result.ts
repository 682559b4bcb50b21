/**
 * What `esm optimize` answers, as a zod schema: `esm optimize --json` prints
 * it, the MCP tool `esm_optimize` returns it, the reports render it. Settings
 * are keyed by their CloudFormation names (BatchSize,
 * MaximumBatchingWindowInSeconds, ParallelizationFactor,
 * ScalingConfig.MaximumConcurrency, the queue's VisibilityTimeout, MemorySize,
 * TumblingWindowInSeconds where a stream mapping has a window).
 */
import { z } from "zod";
import { EsmFindingSchema } from "../../audit/esm-check-report.js";
import { PricesUsedSchema } from "../../pricing/price-table.js";
import { ModelledFigureSchema } from "../simulation/simulation-result.js";

/** A mapping's settings, in CloudFormation's names; null where unset. */
export const CfnSettingsSchema = z.record(
  z.string(),
  z.union([z.number(), z.string(), z.boolean(), z.null()]),
);

/** What a simulated run of one setting predicts. */
export const PredictionSchema = z.object({
  ageP99Seconds: z.number().nonnegative(),
  maxAgeSeconds: z.number().nonnegative(),
  backlogEnd: z.number().int().nonnegative(),
  throttles: z.number().int().nonnegative(),
  concurrencyMax: z.number().int().nonnegative(),
  invocations: z.number().int().nonnegative(),
  periodUsd: z.number().nonnegative(),
  monthlyUsd: z.number().nonnegative(),
  /** Within the bound: p99 age under maxAgeSeconds, and no throttles unless allowed. */
  meetsBound: z.boolean(),
});
export type Prediction = z.infer<typeof PredictionSchema>;

export const MappingOptimizationSchema = z.object({
  /** The EventSourceMapping's logical id, "Function/Event" for a SAM event, or a deployed mapping's UUID. */
  id: z.string(),
  label: z.string(),
  eventSource: z.enum(["sqs", "kinesis", "dynamodb", "kafka"]),
  function: z.string().nullable(),
  /** The template line of the mapping (1-based); null for a deployed one. */
  line: z.number().nullable(),
  traffic: z.object({
    source: z.enum(["rate", "profile", "cloudwatch"]),
    meanPerSecond: z.number().nonnegative(),
    peakPerSecond: z.number().nonnegative(),
    periodSeconds: z.number().positive(),
    /** With aws: the oldest age CloudWatch measured under today's settings (ApproximateAgeOfOldestMessage, IteratorAge), beside predicted.current.maxAgeSeconds: a check of the model. */
    measuredMaxAgeSeconds: z.number().nonnegative().nullable().optional(),
  }),
  /** How long a batch of n records takes, and where that came from. */
  duration: z.object({
    overheadMs: z.number().nonnegative(),
    perRecordMs: z.number().nonnegative(),
    source: z.string(),
  }),
  current: CfnSettingsSchema,
  /** The cheapest setting within the bound; null when none of those searched meets it. */
  recommended: CfnSettingsSchema.nullable(),
  predicted: z.object({
    current: PredictionSchema,
    recommended: PredictionSchema.nullable(),
  }),
  /**
   * The recommended settings run again on more traffic (trafficFactor × every rate): whether they
   * would still meet the bound when the traffic grows. Null when nothing is recommended.
   */
  headroom: z
    .object({
      trafficFactor: z.number().positive(),
      ageP99Seconds: z.number().nonnegative(),
      backlogEnd: z.number().int().nonnegative(),
      /** How long the oldest record still waiting at the end has waited: past the bound when the setting falls behind. */
      oldestWaitingSeconds: z.number().nonnegative(),
      throttles: z.number().int().nonnegative(),
      meetsBound: z.boolean(),
    })
    .nullable(),
  /** Settings simulated in the search. */
  searched: z.number().int().nonnegative(),
  /** Why the recommendation, in sentences: the bound, the saving or the lag cut, the knob that mattered. */
  reasons: z.array(z.string()),
  /** The guide's fixed advice that applies (esm-config's findings): partial batch responses, on-failure destinations, bisect, MaximumConcurrency vs reserved concurrency. */
  advice: z.array(EsmFindingSchema),
});
export type MappingOptimization = z.infer<typeof MappingOptimizationSchema>;

export const EsmOptimizeResultSchema = z.object({
  source: z.enum(["template", "aws", "settings"]),
  /** The template read, or the deployed function. */
  origin: z.string(),
  maxAgeSeconds: z.number().positive(),
  allowThrottles: z.boolean(),
  mappings: z.array(MappingOptimizationSchema),
  prices: PricesUsedSchema,
  modelled: z.array(ModelledFigureSchema),
  notes: z.array(z.string()),
});
export type EsmOptimizeResult = z.infer<typeof EsmOptimizeResultSchema>;
