/**
 * What one simulated run of an event source mapping answers, as a zod schema:
 * `esm simulate --json` prints it, the MCP tool `esm_simulate` returns it, the
 * optimizer compares them. Ages are in seconds from a record's arrival to the
 * start of the invocation that processed it successfully.
 */
import { z } from "zod";
import { ESM_EVENT_SOURCES } from "../../audit/esm-check-options.js";
import { CostLineSchema } from "../../planning/plan-result.js";
import { PricesUsedSchema } from "../../pricing/price-table.js";

/** A figure the run rests on that is modelled rather than documented by AWS or given: its value and why. */
export const ModelledFigureSchema = z.object({
  name: z.string(),
  value: z.union([z.number(), z.string(), z.boolean()]),
  why: z.string(),
});
export type ModelledFigure = z.infer<typeof ModelledFigureSchema>;

/** One point of the run over time: the state at `atSeconds`, and what happened since the previous point. */
export const SimulationPointSchema = z.object({
  atSeconds: z.number().nonnegative(),
  /** Records arrived and not yet processed (in the queue or stream, in flight, or waiting to be retried). */
  backlog: z.number().int().nonnegative(),
  /** Age of the oldest record not yet processed (ApproximateAgeOfOldestMessage, IteratorAge). */
  oldestAgeSeconds: z.number().nonnegative(),
  /** Invocations running at once, the most since the previous point. */
  concurrency: z.number().int().nonnegative(),
  processed: z.number().int().nonnegative(),
  throttles: z.number().int().nonnegative(),
});
export type SimulationPoint = z.infer<typeof SimulationPointSchema>;

export const EsmSimulationResultSchema = z.object({
  source: z.enum(ESM_EVENT_SOURCES),
  /** The settings the run used, in CloudFormation's names (BatchSize, MaximumBatchingWindowInSeconds, ...) and the function's. */
  settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  seed: z.number().int(),
  periodSeconds: z.number().positive(),
  /** Records that arrived during the run. */
  arrived: z.number().int().nonnegative(),
  /** Records processed successfully. */
  processed: z.number().int().nonnegative(),
  /** Records not processed when the run ended. */
  backlogEnd: z.number().int().nonnegative(),
  /** Records given up on: dead-lettered (maxReceiveCount), past MaximumRecordAgeInSeconds or retries, or expired. */
  discarded: z.number().int().nonnegative(),
  invocations: z.number().int().nonnegative(),
  /** Mean records per invocation. */
  meanBatchSize: z.number().nonnegative(),
  ageP50Seconds: z.number().nonnegative(),
  ageP99Seconds: z.number().nonnegative(),
  maxAgeSeconds: z.number().nonnegative(),
  concurrencyMax: z.number().int().nonnegative(),
  /** Invocations refused for want of concurrency (reserved concurrency, or the account's). */
  throttles: z.number().int().nonnegative(),
  /** Batches (or records, with ReportBatchItemFailures) processed again after a failure or a throttle. */
  retries: z.number().int().nonnegative(),
  /** The function's cost over the run (requests and duration), line by line. */
  periodUsd: z.number().nonnegative(),
  /** The same over a 730-hour month. */
  monthlyUsd: z.number().nonnegative(),
  lines: z.array(CostLineSchema),
  prices: PricesUsedSchema,
  /** The run over time, thinned to a few hundred points. */
  timeline: z.array(SimulationPointSchema),
  /** Events the run took (arrivals, polls, invocations, ends). */
  events: z.number().int().nonnegative(),
  modelled: z.array(ModelledFigureSchema),
  notes: z.array(z.string()),
});
export type EsmSimulationResult = z.infer<typeof EsmSimulationResultSchema>;
