/**
 * The result of a tuning run: what `tune --json` prints, what `--out` and
 * .lambda-optimizer/runs/ keep, and what `compare`, the HTML report and the
 * CSV read. The zod schema is the single source of truth for its shape
 * (docs/commands/tune.md).
 */
import { z } from "zod";
import { ARCHITECTURES, PricesUsedSchema } from "../pricing/price-table.js";

export const STRATEGIES = ["cost", "speed", "balanced", "slo"] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * What "fast" means to the strategies: the whole invocation's duration (the default), or the
 * time to the first byte of the answer (`--metric ttfb`), which is what a person waiting on a
 * streamed answer sees. Cost is priced on billed duration either way.
 */
export const METRICS = ["duration", "ttfb"] as const;
export type Metric = (typeof METRICS)[number];

const Architecture = z.enum(ARCHITECTURES);

/**
 * A duration, memory size, count or cost: finite (zod's numbers are) and never
 * negative, so a hand-edited or corrupt file is refused by name, not compared.
 */
const Measure = z.number().nonnegative();

/** Distribution of one measure over a configuration's samples, in ms. */
export const DistributionSchema = z.object({
  mean: Measure,
  /** Mean of the sorted samples after dropping floor(n × discard) from each end (Power Tuning's discardTopBottom). */
  trimmedMean: Measure,
  p50: Measure,
  p90: Measure,
  p95: Measure,
  p99: Measure,
  min: Measure,
  max: Measure,
});
export type Distribution = z.infer<typeof DistributionSchema>;

export const IntervalSchema = z.object({ low: Measure, high: Measure });
export type Interval = z.infer<typeof IntervalSchema>;

/** One measured invocation. */
export const SampleSchema = z.object({
  durationMs: Measure,
  billedDurationMs: Measure,
  initDurationMs: Measure.nullable(),
  /** A SnapStart restore's Restore Duration (null otherwise); absent in results saved before it existed. */
  restoreDurationMs: Measure.nullable().optional(),
  maxMemoryUsedMb: Measure,
  /**
   * ms from the invocation's start (a cold start's init included) to the first byte of the
   * answer: a streamed answer's first body byte, a buffered answer's whole answer. Null when no
   * byte came; absent where it was not measured (AWS, and results saved before it existed).
   */
  ttfbMs: Measure.nullable().optional(),
  costUsd: Measure,
  /** Set when the invocation failed with an error listed in --allowed-exceptions (it still counts). */
  errorType: z.string().nullable(),
});
export type Sample = z.infer<typeof SampleSchema>;

/** What a modelled configuration assumes, and which measured configuration it was priced from. */
export const ModelledSchema = z.object({
  /** How its durations were obtained, in words: "assumed equal (not measured on Graviton)". */
  duration: z.string(),
  /** The architecture whose measured samples were priced at this one's rates. */
  measuredOn: Architecture,
});
export type Modelled = z.infer<typeof ModelledSchema>;

export const ConfigurationResultSchema = z.object({
  memoryMb: Measure,
  architecture: Architecture,
  /** ok: every counted invocation succeeded; failed: left out of the choice, with `error`. */
  status: z.enum(["ok", "failed"]),
  error: z.object({ type: z.string(), message: z.string() }).nullable(),
  /** Invocations counted as samples. */
  invocations: Measure,
  /** Invocations that failed (not counted as samples unless allowed). */
  errors: Measure,
  /** Duration for speed: duration plus init (or a SnapStart restore) when the sample was a cold start. */
  durationMs: DistributionSchema,
  billedDurationMs: z.object({ mean: Measure }),
  /**
   * Time to first byte over the samples that measured it; null when none did, absent in results
   * saved before it existed.
   */
  ttfbMs: DistributionSchema.nullable().optional(),
  /** 95% bootstrap confidence interval of the median time to first byte (what --metric ttfb ranks by). */
  ttfbCi95: IntervalSchema.nullable().optional(),
  maxMemoryUsedMb: z.object({ max: Measure }),
  /** The warm-up invocation's cold start, kept out of the samples (null with --only-cold-starts). */
  coldStart: z
    .object({
      durationMs: Measure,
      initDurationMs: Measure.nullable(),
      billedDurationMs: Measure,
    })
    .nullable(),
  /** Mean cost of one invocation: billed duration + request, at this configuration's prices. */
  costPerInvocationUsd: Measure,
  costPer1MInvocationsUsd: Measure,
  /** 95% bootstrap confidence interval of the mean cost per invocation. */
  costCi95: IntervalSchema,
  /** 95% bootstrap confidence interval of the mean duration. */
  durationCi95: IntervalSchema,
  samples: z.array(SampleSchema),
  /**
   * Set when this configuration's durations were not measured on its own architecture. A local
   * run executes on this machine's CPU: it measures once and prices the same samples at the
   * other architecture, so the durations are equal by assumption, not by measurement. Null or
   * absent: measured (always so on AWS).
   */
  modelled: ModelledSchema.nullable().optional(),
});
export type ConfigurationResult = z.infer<typeof ConfigurationResultSchema>;

const ConfigurationKey = z.object({ memoryMb: Measure, architecture: Architecture });

export const RecommendationSchema = z.object({
  memoryMb: Measure,
  architecture: Architecture,
  strategy: z.enum(STRATEGIES),
  /** The speed the strategy ranked by; absent in results saved before it existed (duration). */
  metric: z.enum(METRICS).optional(),
  costPerInvocationUsd: Measure,
  durationMsP50: Measure,
  durationMsP95: Measure,
  /** The chosen configuration's time to first byte, where it was measured. */
  ttfbMsP50: Measure.nullable().optional(),
  ttfbMsP95: Measure.nullable().optional(),
  /** Why this configuration: one or two sentences a person can act on. */
  reason: z.string(),
  /** Configurations whose confidence interval overlaps the winner's: tied within noise. */
  tiedWith: z.array(ConfigurationKey),
  /** Against the original configuration, when the original was measured. */
  savingVsOriginal: z
    .object({ perInvocationUsd: z.number(), per1MInvocationsUsd: z.number(), percent: z.number() })
    .nullable(),
});
export type Recommendation = z.infer<typeof RecommendationSchema>;

/** A local function's code: its handler file, or its template and logical id. */
export const LocalSourceSchema = z.object({
  /**
   * The handler, relative to the folder the run started in: "examples/io-bound/handler.mjs:handler".
   * For a template's function: its code folder and Lambda's handler, "src/orders/index.handler".
   */
  handler: z.string(),
  /** The template file, for a template's function (relative to the folder the run started in). */
  template: z.string().nullable(),
  /** The template's logical id, for a template's function. */
  logicalId: z.string().nullable(),
});
export type LocalSource = z.infer<typeof LocalSourceSchema>;

/**
 * The code a run tuned, so a later `metrics` or `compare --max-age-days` can tell whether it
 * has changed since (the guide: re-tune after code changes).
 */
export const TunedCodeSchema = z.object({
  /**
   * code-sha256: the function's CodeSha256 as the Lambda API gave it (a deployed function);
   * folder: lambda-optimizer's hash of a local function's code folder (code-hash.ts).
   */
  kind: z.enum(["code-sha256", "folder"]),
  /** Base64 SHA-256, as Lambda writes CodeSha256. */
  sha256: z.string().min(1),
  /** folder: the code folder hashed, relative to the folder the run started in ("examples/io-bound"); null otherwise. */
  folder: z.string().nullable(),
});
export type TunedCode = z.infer<typeof TunedCodeSchema>;

export const WARNING_KINDS = [
  "host-busy",
  "cpu-steal",
  "wide-interval",
  "allowed-exceptions-only",
  "cpu-law-off",
] as const;

/**
 * The CPU law as checked on the host of a local run (the emulator's LawCheck, in brief): how
 * many times as long a CPU-bound function took at 128 MB as at 1,769 MB, against Lambda's 13.82.
 */
export const LawCheckSummarySchema = z.object({
  ratio: z.number(),
  law: z.number(),
  /** ratio / law - 1. */
  error: z.number(),
  withinTolerance: z.boolean(),
  /** When it was measured (ISO 8601). */
  checkedAt: z.string(),
  /** true: kept from an earlier check; false: measured just before this run. */
  cached: z.boolean(),
  /** Share of all CPU time other work took during the check (null where unknown): a busy host's check is not kept. */
  otherCpuShare: z.number().nullable().optional(),
});
export type LawCheckSummary = z.infer<typeof LawCheckSummarySchema>;

/** Whether the figures can be trusted, and why not when they cannot. */
export const VerdictSchema = z.object({
  /** trustworthy: nothing seen that would distort the figures; doubtful: see `warnings`. */
  status: z.enum(["trustworthy", "doubtful"]),
  /** One sentence: "results trustworthy" or "disturbed: the host was busy (load 1.9 on 2 cores); ...". */
  summary: z.string(),
  warnings: z.array(z.object({ kind: z.enum(WARNING_KINDS), message: z.string() })),
  /**
   * This machine's load around a local run (null on AWS, where the function runs elsewhere).
   * Each figure is null where it could not be read (no /proc on this system).
   */
  hostLoad: z
    .object({
      cpus: Measure,
      /** 1-minute load average before the first invocation and after the last. */
      loadBefore: Measure.nullable(),
      loadAfter: Measure.nullable(),
      /** Share of all CPUs' time that was busy (not idle) during the run, 0 to 1; ours included. */
      busyShare: Measure.nullable(),
      /** Share of CPU time the hypervisor gave to other guests during the run (steal), 0 to 1. */
      stealShare: Measure.nullable(),
      /**
       * Share of all CPUs' time taken by other work than this run: busy less an upper bound on
       * our own (this process, and each invocation's duration × its vCPU share), 0 to 1.
       */
      otherShare: Measure.nullable(),
    })
    .nullable(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const TuneResultSchema = z.object({
  schemaVersion: z.literal(1),
  createdAt: z.string(),
  target: z.object({
    kind: z.enum(["local", "aws"]),
    functionName: z.string(),
    functionArn: z.string(),
    region: z.string(),
    /** The Lambda API endpoint used (the embedded emulator's, or --endpoint-url); null for AWS itself. */
    endpoint: z.string().nullable(),
    /**
     * Local runs: where the function's code is, as a person names it. Null on AWS; absent in
     * results saved before it existed.
     */
    local: LocalSourceSchema.nullable().optional(),
  }),
  /**
   * The code as tuned (createdAt says when): null when it could not be hashed (a folder too
   * large, a Lambda API that gives no CodeSha256); absent in results saved before it existed.
   */
  code: TunedCodeSchema.nullable().optional(),
  settings: z.object({
    memoryMb: z.array(z.number()),
    architectures: z.array(Architecture),
    num: z.number(),
    strategy: z.enum(STRATEGIES),
    /** The speed the strategy ranked by; absent in results saved before it existed (duration). */
    metric: z.enum(METRICS).optional(),
    balancedWeight: z.number(),
    maxP95Ms: z.number().nullable(),
    maxP99Ms: z.number().nullable(),
    discard: z.number(),
    parallel: z.boolean(),
    concurrency: z.number(),
    onlyColdStarts: z.boolean(),
    allowedExceptions: z.array(z.string()),
    untilConfident: z.boolean(),
    maxNum: z.number(),
    payloads: z.number().describe("how many distinct payloads were used"),
  }),
  original: z.object({
    memoryMb: z.number(),
    architecture: Architecture,
    /** Measured cost per invocation at the original configuration, when it was among those tested. */
    costPerInvocationUsd: Measure.nullable(),
  }),
  results: z.array(ConfigurationResultSchema),
  /** null when every configuration failed, or when the SLO strategy found none that meets the bound. */
  recommendation: RecommendationSchema.nullable(),
  /** With the slo strategy and no configuration meeting the bound: the closest one. */
  closestToSlo: ConfigurationKey.extend({ percentileMs: z.number() }).nullable(),
  /** What the tuning run itself cost in invocations (all of them, warm-ups and failures included). */
  tuningCostUsd: Measure,
  prices: PricesUsedSchema,
  /** How the embedded emulator limited CPU (local runs only). */
  sandbox: z
    .object({
      mechanism: z.string(),
      memoryEnforcement: z.string(),
      hostCpus: z.number(),
      /**
       * How faithfully this mechanism gives CPU in proportion to memory on this host: the CPU
       * law check (`doctor --check`) the run used, cached or measured before it. null when it
       * could not be run; absent in results saved before it existed.
       */
      lawCheck: LawCheckSummarySchema.nullable().optional(),
    })
    .nullable(),
  /**
   * The interpreter a local run's function really ran on ("Node.js v22.23.5"),
   * with a warning when it is not the declared runtime's version. null for
   * AWS; absent in results saved before it existed.
   */
  runtime: z
    .object({
      declared: z.string(),
      ranOn: z.string().nullable(),
      source: z.string(),
      warning: z.string().nullable(),
    })
    .nullable()
    .optional(),
  applied: z
    .object({
      memoryMb: z.number(),
      architecture: Architecture,
      alias: z.string().nullable(),
      version: z.string().nullable(),
    })
    .nullable(),
  /**
   * Set when the run stopped before the end (an error, Ctrl-C): `results`
   * holds the configurations measured until then and nothing is recommended.
   * null for a complete run; absent in results saved before it existed.
   */
  partial: z.object({ reason: z.string() }).nullable().optional(),
  /**
   * Whether the run can be trusted: a busy host, CPU steal, intervals still wide at --num, or
   * only allowed exceptions measured. Absent in results saved before it existed.
   */
  verdict: VerdictSchema.nullable().optional(),
});
export type TuneResult = z.infer<typeof TuneResultSchema>;

/**
 * The function a run measured, as people name it: a local run's template logical id or handler
 * path ("examples/io-bound/handler.mjs:handler"), else the function's name or ARN. Reports use
 * it as their title, and `compare` refuses two runs where it differs.
 */
export function measuredFunction(result: TuneResult): string {
  const local = result.target.local;
  return local?.logicalId ?? local?.handler ?? result.target.functionName;
}
