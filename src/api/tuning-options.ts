/**
 * Everything a tune is asked to do, checked and defaulted in one place. The
 * CLI (its flags turned into typed values), a library caller and the MCP
 * server all go through TuningOptionsSchema with parseOptions (src/options.ts),
 * so they get the same defaults and the same checks, and a mistake is named in
 * the caller's own words: `--max-p95-ms` on the command line, `maxP95Ms` here.
 *
 * The defaults are AWS Lambda Power Tuning's where it has one (num 10, the cost
 * strategy, balancedWeight 0.5, discardTopBottom 0.2).
 */
import { z } from "zod";
import { describeRange, MEMORY_MB } from "../lambda/limits.js";
import { ARCHITECTURES } from "../pricing/price-table.js";
import { MAX_DISCARD } from "../statistics.js";
import { MAX_MEMORY_SIZES, tooManyMemorySizes } from "../tuning/memory-sizes.js";
import { PayloadWeightError, payloadSlots, type WeightedPayload } from "../tuning/payloads.js";
import type { TuningSettings } from "../tuning/settings.js";
import { METRICS, STRATEGIES } from "../tuning/tune-result.js";
import { type TargetOptions, TargetOptionsSchema } from "./target-options.js";

/** The defaults a surface may show (`--help`); the schema applies them. */
export const TUNING_DEFAULTS = {
  /** Sizes around the CPU steps that matter: 1,769 MB is one full vCPU. */
  memorySizes: [128, 256, 512, 1024, 1769, 3008] as readonly number[],
  num: 10,
  strategy: "cost",
  metric: "duration",
  balancedWeight: 0.5,
  discard: 0.2,
  sleepBetweenMs: 0,
} as const;

/** Lambda's rule for an alias name: letters, digits, - and _, up to 128, not only digits. */
export const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;

/** The most invocations per configuration; the most --until-confident may go to. */
const MAX_NUM = 10_000;
const MAX_MAX_NUM = 100_000;
const MAX_CONCURRENCY = 1000;

const format = (number: number) => number.toLocaleString("en-US");

function wholeNumber(min: number, max: number) {
  const allowed = `expected a whole number from ${format(min)} to ${format(max)}`;
  return z.number({ error: allowed }).int(allowed).min(min, allowed).max(max, allowed);
}

function nonNegative(allowed: string) {
  return z.number({ error: `expected ${allowed}` }).min(0, `expected ${allowed}`);
}

const flag = z.boolean({ error: "expected true or false" });

/** One memory size in MB, within Lambda's limits. */
export const MemorySizeSchema = z
  .number({ error: `expected ${describeRange(MEMORY_MB)}` })
  .int(`expected ${describeRange(MEMORY_MB)}`)
  .min(MEMORY_MB.min, `expected ${describeRange(MEMORY_MB)}`)
  .max(MEMORY_MB.max, `expected ${describeRange(MEMORY_MB)}`);

/** Sizes in MB, each Lambda's, sorted and without repeats, at most MAX_MEMORY_SIZES of them. */
const MemorySizesSchema = z
  .array(MemorySizeSchema, { error: "expected a list of memory sizes in MB" })
  .min(1, "expected at least one memory size")
  .transform((sizes, context) => {
    const unique = [...new Set(sizes)].sort((a, b) => a - b);
    if (unique.length > MAX_MEMORY_SIZES)
      context.issues.push({
        code: "custom",
        message: `{memorySizes}: ${tooManyMemorySizes(unique.length)}`,
        input: sizes,
      });
    return unique;
  });

const isJsonText = (bytes: Uint8Array) => {
  try {
    JSON.parse(Buffer.from(bytes).toString("utf8"));
    return true;
  } catch {
    return false;
  }
};

/**
 * One event: any JSON value, or its JSON text as bytes (sent exactly as it is:
 * an event file's own text, a Power Tuning payload string).
 */
export const EventSchema = z
  .union(
    [z.custom<Uint8Array>((value) => value instanceof Uint8Array && isJsonText(value)), z.json()],
    {
      error: "expected the event: a JSON value, or its JSON text as bytes",
    },
  )
  .transform(
    (event): Uint8Array =>
      event instanceof Uint8Array ? event : Buffer.from(JSON.stringify(event)),
  );

// Keys beside payload and weight are ignored, as Power Tuning ignores them.
const WeightedPayloadSchema = z.object(
  {
    payload: EventSchema,
    weight: z.number({ error: "expected a number above 0" }).positive("expected a number above 0"),
  },
  { error: "expected {payload, weight}" },
);

export const TuningOptionsSchema = z
  .strictObject({
    /** The function to tune (target-options.ts). */
    target: TargetOptionsSchema,
    /** Memory sizes to try, in MB. */
    memorySizes: MemorySizesSchema.default([...TUNING_DEFAULTS.memorySizes]),
    /** Architectures to try; none: the function's own. */
    architectures: z
      .array(z.enum(ARCHITECTURES, { error: `expected one of ${ARCHITECTURES.join(", ")}` }), {
        error: `expected a list of architectures (${ARCHITECTURES.join(", ")})`,
      })
      .transform((architectures) => [...new Set(architectures)])
      .default([]),
    /** Invocations per configuration, after the warm-up. */
    num: wholeNumber(1, MAX_NUM).default(TUNING_DEFAULTS.num),
    /** The event every invocation gets (default `{}`). */
    payload: EventSchema.optional(),
    /** Events shared out over the `num` invocations in proportion to their weights, as Power Tuning does. */
    payloads: z
      .array(WeightedPayloadSchema, { error: "expected a list of {payload, weight}" })
      .min(1, "expected a list of {payload, weight}")
      .optional(),
    strategy: z
      .enum(STRATEGIES, { error: `expected one of ${STRATEGIES.join(", ")}` })
      .default(TUNING_DEFAULTS.strategy),
    /** What the strategy ranks speed by: the duration, or the time to first byte (ttfb). */
    metric: z
      .enum(METRICS, { error: `expected one of ${METRICS.join(", ")}` })
      .default(TUNING_DEFAULTS.metric),
    /** balanced: the weight of cost against speed, 0 to 1. */
    balancedWeight: z
      .number({ error: "expected a share from 0 to 1" })
      .min(0, "expected a share from 0 to 1")
      .max(1, "expected a share from 0 to 1")
      .default(TUNING_DEFAULTS.balancedWeight),
    /** slo: the bound on the 95th percentile duration, in ms. */
    maxP95Ms: nonNegative("a number of milliseconds ≥ 0").optional(),
    /** slo: the bound on the 99th percentile duration, in ms. */
    maxP99Ms: nonNegative("a number of milliseconds ≥ 0").optional(),
    /** Share of samples the trimmed mean leaves out. */
    discard: z
      .number({ error: `expected a share from 0 to below ${MAX_DISCARD}` })
      .min(0, `expected a share from 0 to below ${MAX_DISCARD}`)
      .lt(MAX_DISCARD, `expected a share from 0 to below ${MAX_DISCARD}`)
      .default(TUNING_DEFAULTS.discard),
    /** Invoke each configuration's `num` invocations concurrently. */
    parallel: flag.default(false),
    /** With `parallel`: at most this many at once (default: `num`). */
    concurrency: wholeNumber(1, MAX_CONCURRENCY).optional(),
    /** A new execution environment for every invocation: measure cold starts only. */
    onlyColdStarts: flag.default(false),
    /** Function error types that still count as samples. */
    allowedExceptions: z
      .array(z.string().min(1, "expected an error type"), {
        error: 'expected a list of error types such as ["HandledError"]',
      })
      .default([]),
    /** Pause between serial invocations, in ms. */
    sleepBetweenMs: nonNegative("a number of milliseconds ≥ 0").default(
      TUNING_DEFAULTS.sleepBetweenMs,
    ),
    /** Keep sampling until the cost interval is within ±5% of its mean, up to `maxNum`. */
    untilConfident: flag.default(false),
    /** With `untilConfident`: at most this many invocations per configuration (default: 50, or `num` if more). */
    maxNum: wholeNumber(1, MAX_MAX_NUM).optional(),
    /** Invoke once per configuration to check the setup; recommends nothing to trust. */
    dryRun: flag.default(false),
    /** Set the winner when done: on $LATEST, or behind `alias`. */
    apply: flag.default(false),
    /** With `apply`: publish the winner and point this alias at it. */
    alias: z
      .string({ error: "expected an alias name" })
      .regex(ALIAS_NAME, "expected an alias name: letters, digits, - and _, not only digits")
      .optional(),
  })
  .superRefine((options, context) => {
    const problem = (message: string) => context.addIssue({ code: "custom", message });
    if (options.maxP95Ms !== undefined && options.maxP99Ms !== undefined)
      return problem("give {maxP95Ms} or {maxP99Ms}, not both");
    if (
      options.strategy === "slo" &&
      options.maxP95Ms === undefined &&
      options.maxP99Ms === undefined
    )
      return problem("{strategy} slo needs a bound: {maxP95Ms} or {maxP99Ms}, in milliseconds");
    if (options.payload !== undefined && options.payloads !== undefined)
      return problem("give {payloads} or {payload}, not both");
    if (options.payloads !== undefined) {
      try {
        payloadSlots(options.payloads, options.num, "{num}");
      } catch (error) {
        if (!(error instanceof PayloadWeightError)) throw error;
        return problem(`{payloads}: ${error.message}`);
      }
    }
    if (options.maxNum !== undefined && options.maxNum < options.num)
      return problem(
        `{maxNum} ${options.maxNum} is below {num} ${options.num}: expected a whole number from ${format(options.num)} to ${format(MAX_MAX_NUM)}`,
      );
    if (options.alias !== undefined && !options.apply) return problem("{alias} goes with {apply}");
    if (options.apply && options.dryRun)
      return problem("{apply} and {dryRun} contradict each other: pick one");
  })
  .transform(
    ({ target, payload, payloads, concurrency, maxNum, apply, alias, ...rest }): TuningOptions => ({
      ...rest,
      target,
      payloads: weightedPayloads(payload, payloads),
      concurrency: concurrency ?? rest.num,
      maxNum: maxNum ?? Math.max(50, rest.num),
      apply: apply ? (alias !== undefined ? { alias } : {}) : false,
    }),
  );

/** Options as a caller gives them: everything but `target` may be left out. */
export type TuningOptionsInput = z.input<typeof TuningOptionsSchema>;

/** Options checked and defaulted: the settings runTuning takes, and the target to open. */
export interface TuningOptions extends TuningSettings {
  readonly target: TargetOptions;
}

/** One payload (the event, `{}` by default) sent every time, or the weighted ones. */
function weightedPayloads(
  payload: Uint8Array | undefined,
  payloads: readonly { payload: Uint8Array; weight: number }[] | undefined,
): WeightedPayload[] {
  if (payloads !== undefined) return [...payloads];
  return [{ payload: payload ?? Buffer.from("{}"), weight: 1 }];
}
