/**
 * What `plan` answers, as a zod schema: `plan --json` prints it, the MCP tool
 * `plan_billing` returns it as structuredContent, the text and HTML reports
 * render it. Every figure that comes from a model rather than AWS's price
 * tables or the measured traffic is named in a `modelled` list.
 */
import { z } from "zod";
import { PricesUsedSchema } from "../pricing/price-table.js";

export const BILLING_MODELS = [
  "on-demand",
  "provisioned-concurrency",
  "snapstart",
  "managed-instances",
] as const;
export type BillingModel = (typeof BILLING_MODELS)[number];

/** The rows of the guide's decision table ("Cost Optimization → Decision Framework"). */
export const TRAFFIC_PATTERNS = [
  "unpredictable",
  "steady-baseline-spikes",
  "batch",
  "infrequent",
] as const;
export type TrafficPattern = (typeof TRAFFIC_PATTERNS)[number];

const usd = z.number();

/** One line of a model's bill: "allocation 14 envs × 1 GB × 730 h", 123.45. */
export const CostLineSchema = z.object({
  label: z.string(),
  usd,
  /** The arithmetic, in words a reader can redo with a calculator. */
  formula: z.string().optional(),
});
export type CostLine = z.infer<typeof CostLineSchema>;

/** The connections a model keeps to a database or other service it holds connections to (models/connections.ts). */
export const ConnectionsSchema = z.object({
  /** Held open at the busiest step: what a database's connection limit must allow. */
  peak: z.number().int().nonnegative(),
  /** Opened over the profile's period: each one a handshake. */
  opened: z.number().nonnegative(),
  /** How they are counted for this model, in words. */
  basis: z.string(),
});
export type Connections = z.infer<typeof ConnectionsSchema>;

export const BillingOptionSchema = z.object({
  model: z.enum(BILLING_MODELS),
  /** False when the model cannot run this function (a runtime without SnapStart, say); `reason` says why. */
  available: z.boolean(),
  reason: z.string().optional(),
  /** Cost over the profile's own period. */
  periodUsd: usd,
  /** The same scaled to a 730-hour month. */
  monthlyUsd: usd,
  /** Cold starts (init or SnapStart restore) over the profile's period. */
  coldStarts: z.number().nonnegative(),
  /** Cold starts as a share of invocations. */
  coldStartShare: z.number().min(0).max(1),
  /** Cold starts per 730-hour month. */
  monthlyColdStarts: z.number().nonnegative(),
  /** The bill, line by line, over the profile's period. */
  lines: z.array(CostLineSchema),
  /** Provisioned concurrency: the level (environments) priced. */
  provisionedConcurrency: z.number().int().nonnegative().optional(),
  /** Provisioned concurrency on a schedule: the level for each hour of the day, UTC (24 entries). */
  schedule: z.array(z.number().int().nonnegative()).length(24).optional(),
  /** Provisioned concurrency: the share of configured environment-time that served invocations. */
  utilisation: z.number().min(0).max(1).optional(),
  /** Provisioned concurrency: the utilisation above which it costs less than on-demand, for this memory and region. */
  breakEvenUtilisation: z.number().min(0).max(1).optional(),
  /** Managed Instances: the EC2 instance type priced, and how many run at the peak. */
  instanceType: z.string().optional(),
  instances: z.number().int().nonnegative().optional(),
  /** Managed Instances: the execution environments the peak needs, and the requests each serves at once. */
  environments: z.number().int().nonnegative().optional(),
  concurrencyPerEnvironment: z.number().int().positive().optional(),
  /** Available models: the connections it keeps to a database, at the peak and opened over the period. */
  connections: ConnectionsSchema.optional(),
  /** What a reader must know: a limit, a risk, a rule to check. */
  notes: z.array(z.string()),
  /** Figures of this option that are modelled, not priced from AWS's tables or measured. */
  modelled: z.array(z.string()),
});
export type BillingOption = z.infer<typeof BillingOptionSchema>;

export const TrafficShapeSchema = z.object({
  /** The row of the guide's decision table the traffic matches. */
  pattern: z.enum(TRAFFIC_PATTERNS),
  /** Why: the figures that put it in that row, in a sentence. */
  reason: z.string(),
  peakToMeanConcurrency: z.number().nonnegative(),
  /** Share of steps with no invocation. */
  idleStepShare: z.number().min(0).max(1),
  /** Coefficient of variation of invocations per step. */
  coefficientOfVariation: z.number().nonnegative(),
  meanConcurrency: z.number().nonnegative(),
  peakConcurrency: z.number().nonnegative(),
  /** The concurrency present in at least 95% of steps: the baseline a fixed level would serve. */
  baselineConcurrency: z.number().nonnegative(),
});
export type TrafficShape = z.infer<typeof TrafficShapeSchema>;

/** Each model's cost over the period with the traffic multiplied by a factor: where the lines cross is the answer. */
export const ScalingPointSchema = z.object({
  factor: z.number().positive(),
  /** Available models only: an unavailable one (SnapStart for Node.js, say) has no key. */
  periodUsd: z.partialRecord(z.enum(BILLING_MODELS), usd),
});

/** The profile thinned for a chart: at most a few hundred points, each a span of steps. */
export const TimelinePointSchema = z.object({
  /** The span's start, ISO 8601. */
  time: z.string(),
  invocations: z.number().nonnegative(),
  peakConcurrency: z.number().nonnegative(),
  /** Each available model's cost over the span (unavailable models have no key). */
  usd: z.partialRecord(z.enum(BILLING_MODELS), usd),
});

export const PlanResultSchema = z.object({
  function: z.object({
    name: z.string().optional(),
    memoryMb: z.number(),
    architecture: z.enum(["x86_64", "arm64"]),
    runtime: z.string().optional(),
    meanDurationMs: z.number().nonnegative(),
    initDurationMs: z.number().nonnegative().optional(),
    ephemeralStorageMb: z.number(),
    /** Where each fact came from: "option", "template", "logs", "cloudwatch", "profile", "default". */
    sources: z.record(z.string(), z.string()),
  }),
  profile: z.object({
    source: z.enum(["profile-file", "logs", "cloudwatch"]),
    origin: z.string(),
    start: z.string(),
    end: z.string(),
    stepSeconds: z.number().positive(),
    steps: z.number().int().nonnegative(),
    invocations: z.number().nonnegative(),
    concurrencyEstimated: z.boolean(),
  }),
  /** The profile's length in seconds: every `periodUsd` covers it. */
  periodSeconds: z.number().positive(),
  pricesUsed: PricesUsedSchema,
  shape: TrafficShapeSchema,
  options: z.array(BillingOptionSchema),
  recommendation: z.object({
    model: z.enum(BILLING_MODELS),
    /** The guide's reasoning with this traffic's figures. */
    reason: z.string(),
    monthlyUsd: usd,
    /** What it saves a month against on-demand (0 when it is on-demand). */
    monthlySavingUsd: usd,
    runnerUp: z
      .object({ model: z.enum(BILLING_MODELS), monthlyUsd: usd, monthlyDifferenceUsd: usd })
      .optional(),
    /** Models left out by maxColdStartShare or latencySensitive, each with why. */
    excluded: z.array(z.object({ model: z.enum(BILLING_MODELS), reason: z.string() })),
  }),
  scaling: z.array(ScalingPointSchema),
  timeline: z.array(TimelinePointSchema),
  /** Every modelled assumption the figures rest on, with its value: "idleReclaimMinutes = 10". */
  modelled: z.array(z.string()),
  /** Warnings about the input: an estimated concurrency, an assumed architecture. */
  notes: z.array(z.string()),
});
export type PlanResult = z.infer<typeof PlanResultSchema>;
