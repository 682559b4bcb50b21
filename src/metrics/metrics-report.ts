/**
 * What `lambda-optimizer metrics` reports: per function, what it did over the
 * window and what to change. The zod schema is the shape of `metrics --json`
 * (docs/commands/metrics.md).
 */
import { z } from "zod";
import { ARCHITECTURES, PricesUsedSchema } from "../pricing/price-table.js";
import { SavedRunFreshnessSchema } from "../tuning/tune-freshness.js";

const Maybe = z.number().nullable();
const Histogram = z.object({ edges: z.array(z.number()), counts: z.array(z.number()) });

export const RecommendationSchema = z.object({
  /** Stable id of the rule (docs/metrics-rules.md). */
  id: z.string(),
  severity: z.enum(["warning", "info"]),
  message: z.string(),
  /** The figures the recommendation rests on. */
  evidence: z.string(),
  /** Money a month this change saves (a model: same durations assumed unless said); null when it saves none. */
  monthlySavingsUsd: Maybe,
  /** What the change itself costs a month (provisioned concurrency, SnapStart), when it costs. */
  monthlyCostUsd: Maybe,
});
export type MetricsRecommendation = z.infer<typeof RecommendationSchema>;

/**
 * The function's newest tune saved in the project (.lambda-optimizer/runs/), judged as the
 * guide asks: re-tune quarterly, and after code changes (tuning/tune-freshness.ts).
 */
export const LastTuneSchema = SavedRunFreshnessSchema;
export type LastTune = z.infer<typeof LastTuneSchema>;

export const FunctionMetricsSchema = z.object({
  name: z.string(),
  /** From CloudWatch on AWS (exact), else the REPORT lines counted. */
  invocations: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  /** Only CloudWatch knows throttles: null from log files. */
  throttles: Maybe,
  /** REPORT lines read (on AWS: the sample), from which the distributions come. */
  reportLines: z.number(),
  /** Invocations that started an environment: inits (Init Duration) and SnapStart restores (Restore Duration). */
  coldStarts: z.number(),
  /** The cold starts that were SnapStart restores. */
  restores: z.number(),
  /** Cold starts (inits and restores) per REPORT line read. */
  coldStartRate: z.number(),
  durationMs: z.object({
    mean: Maybe,
    p50: Maybe,
    p90: Maybe,
    p99: Maybe,
    p999: Maybe,
    max: Maybe,
  }),
  billedDurationMs: z.object({ mean: Maybe }),
  /** Init Duration of the cold starts that ran init; null without any. */
  initDurationMs: z.object({ p50: Maybe, p99: Maybe }),
  /** Restore Duration of the SnapStart restores; null without any. */
  restoreDurationMs: z.object({ p50: Maybe, p99: Maybe }),
  /**
   * What the JSON log format's platform.runtimeDone events say of the responses (Lambda writes
   * them for a streamed response, and for others): time to first byte (responseLatency, from the
   * invoke phase's start), time from first byte to last (responseDuration) and bytes
   * (producedBytes). Null when the logs hold none; absent in reports made before it existed.
   */
  responses: z
    .object({
      /** platform.runtimeDone events read. */
      count: z.number(),
      ttfbMs: z.object({ p50: Maybe, p95: Maybe, max: Maybe }),
      sendMs: z.object({ p50: Maybe, p95: Maybe }),
      bytes: z.object({
        mean: Maybe,
        max: Maybe,
        total: z.number(),
        /** Bytes beyond the first 6 MB of each response: what the response-streaming charge bills. */
        beyondFreeTotal: z.number(),
      }),
    })
    .nullable()
    .optional(),
  memorySizeMb: Maybe,
  maxMemoryUsedMb: z.object({ max: Maybe, p99: Maybe }),
  memoryUtilization: z.object({ max: Maybe, p99: Maybe }),
  architecture: z.enum(ARCHITECTURES),
  /** Whether the architecture is known (AWS, --arch) or assumed (x86_64, Lambda's default). */
  architectureKnown: z.boolean(),
  /** Cost of the window: mean cost per REPORT line read × invocations. */
  costUsd: z.number(),
  /** The window's cost projected to a 730-hour month; null when the window's length is unknown. */
  monthlyCostUsd: Maybe,
  /** True when a distribution switched to the t-digest sketch (more than 2M values). */
  approximate: z.boolean(),
  configuration: z
    .object({
      runtime: z.string(),
      timeoutSeconds: z.number(),
      reservedConcurrency: Maybe,
      provisionedConcurrency: z.number(),
      eventSources: z.array(z.object({ service: z.string(), arn: z.string(), state: z.string() })),
      /** Function URL, API Gateway and load balancer permissions; the reads refused; absent in reports made before it existed. */
      httpCallers: z
        .object({ callers: z.array(z.string()), unread: z.array(z.string()) })
        .optional(),
    })
    .nullable(),
  cloudWatch: z
    .object({
      durationMs: z.object({ average: Maybe, maximum: Maybe, p50: Maybe, p90: Maybe, p99: Maybe }),
      concurrentExecutionsMax: Maybe,
      iteratorAgeMsMax: Maybe,
    })
    .nullable(),
  logSample: z.object({ events: z.number(), capped: z.boolean() }).nullable(),
  /** Equal-width histograms of the REPORT lines read, for the HTML report; null without any. */
  histograms: z.object({ durationMs: Histogram, maxMemoryUsedMb: Histogram }).nullable(),
  /** The newest tune of it saved in the project; null when none is; absent in reports made before it existed. */
  lastTune: LastTuneSchema.nullable().optional(),
  recommendations: z.array(RecommendationSchema),
});
export type FunctionMetrics = z.infer<typeof FunctionMetricsSchema>;

export const MetricsReportSchema = z.object({
  schemaVersion: z.literal(1),
  createdAt: z.string(),
  source: z.object({
    kind: z.enum(["files", "local", "aws"]),
    inputs: z.array(z.string()),
    region: z.string(),
  }),
  window: z.object({ start: z.string(), end: z.string(), days: z.number() }).nullable(),
  prices: PricesUsedSchema,
  functions: z.array(FunctionMetricsSchema),
  /** Lines that were not Lambda log lines this tool reads: skipped and counted, never fatal. */
  skippedLines: z.number(),
  problems: z.array(
    z.object({
      source: z.string(),
      message: z.string(),
      bytesRead: z.number(),
      linesRead: z.number(),
    }),
  ),
  notes: z.array(z.string()),
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;
