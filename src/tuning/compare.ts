/**
 * Compare two tuning runs of a function — before and after a code change —
 * configuration by configuration (matched by memory and architecture), and
 * decide whether the change is a regression: the cost and latency gate that
 * `lambda-optimizer compare` runs in CI. Its result is `compare --json`.
 */
import { z } from "zod";
import { ARCHITECTURES } from "../pricing/price-table.js";
import {
  type ConfigurationKey,
  compareConfigurations,
  intervalsOverlap,
  keyOf,
  sameConfiguration,
} from "./configuration-key.js";
import { SavedRunFreshnessSchema } from "./tune-freshness.js";
import {
  type ConfigurationResult,
  measuredFunction,
  STRATEGIES,
  type TuneResult,
} from "./tune-result.js";

const Architecture = z.enum(ARCHITECTURES);
const ConfigurationKeySchema = z.object({ memoryMb: z.number(), architecture: Architecture });

/** One measure in both runs. `relative` is a fraction (0.05 = 5% more); from a `before` of 0 it is 1 for any rise and 0 for none. */
export const ChangeSchema = z.object({
  before: z.number(),
  after: z.number(),
  absolute: z.number(),
  relative: z.number(),
});
export type Change = z.infer<typeof ChangeSchema>;

export const BREACHES = ["cost", "p95", "failed"] as const;
export type Breach = (typeof BREACHES)[number];

export const ConfigurationChangeSchema = ConfigurationKeySchema.extend({
  statusBefore: z.enum(["ok", "failed"]),
  statusAfter: z.enum(["ok", "failed"]),
  /** Mean cost per invocation; null unless the configuration is ok in both runs. */
  costPerInvocationUsd: ChangeSchema.nullable(),
  /** p95 duration in ms; null unless the configuration is ok in both runs. */
  durationMsP95: ChangeSchema.nullable(),
  /** The two runs' 95% cost intervals overlap: the cost change may be noise. Null unless ok in both. */
  costWithinNoise: z.boolean().nullable(),
  /** Gates this configuration fails: cost or p95 rose by more than allowed, or it was ok and now fails. */
  breaches: z.array(z.enum(BREACHES)),
});
export type ConfigurationChange = z.infer<typeof ConfigurationChangeSchema>;

const RecommendationSummarySchema = ConfigurationKeySchema.extend({
  strategy: z.enum(STRATEGIES),
  costPerInvocationUsd: z.number(),
  durationMsP95: z.number(),
});

const RunSummarySchema = z.object({
  createdAt: z.string(),
  functionName: z.string(),
  region: z.string(),
  pricesDate: z.string(),
});

export const GatesSchema = z.object({
  /** Largest allowed rise in cost per invocation, as a fraction (0.05 = 5%). */
  maxCostIncrease: z.number().nonnegative(),
  /** Largest allowed rise in p95 duration, as a fraction. */
  maxP95Increase: z.number().nonnegative(),
});
export type Gates = z.infer<typeof GatesSchema>;

export const ComparisonSchema = z.object({
  before: RunSummarySchema,
  after: RunSummarySchema,
  gates: GatesSchema,
  /** Configurations measured in both runs, in memory then architecture order. */
  configurations: z.array(ConfigurationChangeSchema),
  /** Measured only in the first run, or only in the second: reported, never a regression. */
  onlyBefore: z.array(ConfigurationKeySchema),
  onlyAfter: z.array(ConfigurationKeySchema),
  recommendation: z.object({
    before: RecommendationSummarySchema.nullable(),
    after: RecommendationSummarySchema.nullable(),
    /** A different configuration is recommended, or one is recommended in only one run. */
    changed: z.boolean(),
    /** The first run recommended a configuration and the second recommends none. */
    lost: z.boolean(),
  }),
  /** Differences between the runs that make the comparison less like for like. */
  notes: z.array(z.string()),
  /** Some configuration breaches a gate, or the recommendation was lost: exit code 1. */
  regression: z.boolean(),
  /**
   * With --max-age-days: whether the newer run still describes its function (tune-freshness.ts).
   * Stale (too old, or tuned on other code than the function's now) is exit code 1 too. Null
   * without the gate; absent in comparisons made before it existed.
   */
  freshness: SavedRunFreshnessSchema.extend({
    // file: the run judged, the newer one, as its file was found
    stale: z.boolean(),
    /** One line naming the run, its date and its age, and what is wrong with it, if anything. */
    message: z.string(),
  })
    .nullable()
    .optional(),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/**
 * How far past a gate floating-point rounding may put an exactly-at-the-gate
 * change: 1.05 against 1 is +5.0000000000000044%, which must pass a 5% gate.
 */
const ROUNDING_TOLERANCE = 1e-9;

/**
 * Set when two runs measured different functions (by measuredFunction): comparing them would
 * gate one function's cost against another's. `compare` refuses them unless told to go on.
 */
export function differentFunctions(
  before: TuneResult,
  after: TuneResult,
): { readonly before: string; readonly after: string } | null {
  const names = { before: measuredFunction(before), after: measuredFunction(after) };
  return names.before === names.after ? null : names;
}

export function compareRuns(before: TuneResult, after: TuneResult, gates: Gates): Comparison {
  GatesSchema.parse(gates);
  const configurations: ConfigurationChange[] = [];
  for (const earlier of before.results) {
    const later = after.results.find((result) => sameConfiguration(result, earlier));
    if (later) configurations.push(compareConfiguration(earlier, later, gates));
  }
  const missingFrom = (run: TuneResult, other: TuneResult): ConfigurationKey[] =>
    run.results
      .filter((result) => !other.results.some((candidate) => sameConfiguration(candidate, result)))
      .map(keyOf)
      .sort(compareConfigurations);

  const recommendationBefore = summarizeRecommendation(before);
  const recommendationAfter = summarizeRecommendation(after);
  const lost = recommendationBefore !== null && recommendationAfter === null;
  return {
    before: summarizeRun(before),
    after: summarizeRun(after),
    gates: { ...gates },
    configurations: configurations.sort(compareConfigurations),
    onlyBefore: missingFrom(before, after),
    onlyAfter: missingFrom(after, before),
    recommendation: {
      before: recommendationBefore,
      after: recommendationAfter,
      changed:
        recommendationBefore === null || recommendationAfter === null
          ? recommendationBefore !== recommendationAfter
          : !sameConfiguration(recommendationBefore, recommendationAfter),
      lost,
    },
    notes: [
      ...notesOn(before, after),
      ...(configurations.length === 0
        ? ["No configuration was measured in both runs, so none was gated."]
        : []),
    ],
    regression: lost || configurations.some((change) => change.breaches.length > 0),
    freshness: null,
  };
}

function compareConfiguration(
  before: ConfigurationResult,
  after: ConfigurationResult,
  gates: Gates,
): ConfigurationChange {
  const bothOk = before.status === "ok" && after.status === "ok";
  const cost = bothOk ? change(before.costPerInvocationUsd, after.costPerInvocationUsd) : null;
  const p95 = bothOk ? change(before.durationMs.p95, after.durationMs.p95) : null;
  const breaches: Breach[] = [];
  if (before.status === "ok" && after.status === "failed") breaches.push("failed");
  if (cost && exceeds(cost, gates.maxCostIncrease)) breaches.push("cost");
  if (p95 && exceeds(p95, gates.maxP95Increase)) breaches.push("p95");
  return {
    ...keyOf(before),
    statusBefore: before.status,
    statusAfter: after.status,
    costPerInvocationUsd: cost,
    durationMsP95: p95,
    costWithinNoise: bothOk ? intervalsOverlap(before.costCi95, after.costCi95) : null,
    breaches,
  };
}

export function change(before: number, after: number): Change {
  const absolute = after - before;
  return {
    before,
    after,
    absolute,
    // From 0, any rise counts as a full one (1 = +100%): the fraction itself is unbounded.
    relative: before !== 0 ? absolute / before : Math.sign(absolute),
  };
}

/** A rise by more than the allowed fraction; from 0 to anything above 0 is always more. */
function exceeds(measured: Change, allowedIncrease: number): boolean {
  if (measured.before === 0) return measured.absolute > 0;
  return measured.relative > allowedIncrease + ROUNDING_TOLERANCE;
}

function summarizeRun(run: TuneResult): Comparison["before"] {
  return {
    createdAt: run.createdAt,
    functionName: run.target.functionName,
    region: run.target.region,
    pricesDate: run.prices.date,
  };
}

function summarizeRecommendation(run: TuneResult): Comparison["recommendation"]["before"] {
  const { recommendation } = run;
  if (!recommendation) return null;
  return {
    ...keyOf(recommendation),
    strategy: recommendation.strategy,
    costPerInvocationUsd: recommendation.costPerInvocationUsd,
    durationMsP95: recommendation.durationMsP95,
  };
}

function notesOn(before: TuneResult, after: TuneResult): string[] {
  const notes: string[] = [];
  const differs = (what: string, a: string | number, b: string | number) => {
    if (a !== b) notes.push(`The runs differ in ${what}: ${a} before, ${b} after.`);
  };
  differs("function", measuredFunction(before), measuredFunction(after));
  differs("region", before.target.region, after.target.region);
  differs("price table date", before.prices.date, after.prices.date);
  differs("strategy", before.settings.strategy, after.settings.strategy);
  differs("invocations per configuration (--num)", before.settings.num, after.settings.num);
  differs("target kind", before.target.kind, after.target.kind);
  return notes;
}
