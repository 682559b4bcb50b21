/**
 * AWS Lambda Power Tuning's state machine execution input, read as `tune
 * --input FILE` so its users switch in one step. Each field is checked here by
 * its own name (a zod schema per field, so a mistake is reported as
 * "num 2.5 is not valid: expected ...", not as a flag the user never typed),
 * then turned into the tune option it stands for, as TuningOptionsSchema takes
 * it. The caller lays those options under its own (the CLI's flags win) and
 * checks the whole with TuningOptionsSchema, so the two paths share every rule.
 *
 * Fields and their meanings: Power Tuning's README-INPUT-OUTPUT.md and
 * lambda/executor.js (github.com/alexcasalboni/aws-lambda-power-tuning). The
 * mapping table is in docs/commands/tune.md.
 */
import { z } from "zod";
import { UsageError } from "../errors.js";
import { describeRange, MEMORY_MB } from "../lambda/limits.js";
import { isPlainObject } from "../plain-object.js";
import { memorySizeRange } from "../tuning/memory-sizes.js";
import type { WeightedPayload } from "../tuning/payloads.js";
import { ALIAS_NAME, type TuningOptionsInput } from "./tuning-options.js";

/**
 * The tune options an input can set, as TuningOptionsSchema takes them: the
 * caller lays them under its own options and checks the whole with the schema.
 */
export type PowerTuningOptions = Partial<
  Pick<
    TuningOptionsInput,
    | "memorySizes"
    | "num"
    | "payload"
    | "payloads"
    | "parallel"
    | "strategy"
    | "balancedWeight"
    | "discard"
    | "onlyColdStarts"
    | "sleepBetweenMs"
    | "dryRun"
    | "apply"
    | "alias"
    | "allowedExceptions"
  >
>;

export type PowerTuningOptionKey = keyof PowerTuningOptions;

export interface PowerTuningMapping {
  /** lambdaARN: the function to tune, when the input names one. */
  readonly target?: string;
  readonly options: PowerTuningOptions;
  /** Which input field set each option (for "--num replaces the input's num" notes). */
  readonly fieldOf: Readonly<Partial<Record<PowerTuningOptionKey, string>>>;
  /** includeOutputResults: whether `--format power-tuning` lists every configuration in `stats`. */
  readonly includeOutputResults: boolean;
  /** What the input says that has no effect here, one line each (for stderr). */
  readonly notes: readonly string[];
}

/** Power Tuning's strategies (ours adds slo, which it does not have). */
export const POWER_TUNING_STRATEGIES = ["cost", "speed", "balanced"] as const;

/**
 * powerValues "ALL" in Power Tuning: every 64 MB step from 128 to 3,008 MB
 * (utils.allPowerValues). Our own `--memory ALL` goes on to 10,240 MB; the
 * input keeps Power Tuning's meaning.
 */
export const POWER_TUNING_ALL: readonly number[] = memorySizeRange(128, 3008, 64);

/** Power Tuning's discardTopBottom range (it clamps to it; we refuse outside it). */
const MAX_DISCARD_TOP_BOTTOM = 0.4;

interface FieldRule {
  /** Checks the value; a mistake's message is "expected " + allowed. */
  readonly schema: z.ZodType;
  /** What is allowed, for the one-line message. */
  readonly allowed: string;
}

/** A rule whose schema says `expected <allowed>` for any mistake, as every option's schema does. */
function rule(allowed: string, schema: (error: string) => z.ZodType): FieldRule {
  return { schema: schema(`expected ${allowed}`), allowed };
}

const wholeNumber = (min: number, max: number): FieldRule =>
  rule(`a whole number from ${min} to ${max}`, (error) =>
    z.number({ error }).int(error).min(min, error).max(max, error),
  );
const boolean = rule("true or false", (error) => z.boolean({ error }));
/** A size in MB, as a number or its digits (Power Tuning reads both). */
const memorySize = (error: string) =>
  z.union(
    [
      z.number({ error }).int(error).min(MEMORY_MB.min, error).max(MEMORY_MB.max, error),
      z
        .string({ error })
        .regex(/^\d+$/, error)
        .refine((text) => Number(text) >= MEMORY_MB.min && Number(text) <= MEMORY_MB.max, error),
    ],
    { error },
  );
/** Read here only to refuse it by name (REFUSED). */
const refusedField: FieldRule = { schema: z.unknown(), allowed: "" };

/** Every field Power Tuning's execution input has, and what each may hold. */
const FIELDS = {
  lambdaARN: rule("a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)", (error) =>
    z.string({ error }).startsWith("arn:", error),
  ),
  powerValues: rule(`"ALL" or a list of memory sizes, each ${describeRange(MEMORY_MB)}`, (error) =>
    z.union([z.literal("ALL"), z.array(memorySize(error), { error })], { error }),
  ),
  num: wholeNumber(1, 10_000),
  payload: { schema: z.unknown(), allowed: "any JSON" },
  payloadS3: refusedField,
  parallelInvocation: boolean,
  strategy: rule(`one of ${POWER_TUNING_STRATEGIES.join(", ")}`, (error) =>
    z.enum(POWER_TUNING_STRATEGIES, { error }),
  ),
  balancedWeight: rule("a number from 0 to 1", (error) =>
    z.number({ error }).min(0, error).max(1, error),
  ),
  autoOptimize: boolean,
  autoOptimizeAlias: rule("an alias name: letters, digits, - and _, not only digits", (error) =>
    z.string({ error }).regex(ALIAS_NAME, error),
  ),
  dryRun: boolean,
  preProcessorARN: refusedField,
  postProcessorARN: refusedField,
  discardTopBottom: rule(`a number from 0 to ${MAX_DISCARD_TOP_BOTTOM}`, (error) =>
    z.number({ error }).min(0, error).max(MAX_DISCARD_TOP_BOTTOM, error),
  ),
  sleepBetweenRunsMs: wholeNumber(0, 900_000),
  onlyColdStarts: boolean,
  includeOutputResults: boolean,
  disablePayloadLogs: boolean,
  allowedExceptions: rule('a list of error types, e.g. ["HandledError"]', (error) =>
    z.array(z.string().min(1), { error }),
  ),
} satisfies Readonly<Record<string, FieldRule>>;

export type PowerTuningField = keyof typeof FIELDS;

/**
 * One field's schema, for a surface that takes Power Tuning's fields among its
 * own arguments (the MCP tool power_tune): the same check this mapping makes,
 * a mistake reading "expected ..." as every option's does.
 */
export function powerTuningFieldSchema(field: PowerTuningField): z.ZodType {
  return FIELDS[field].schema;
}

/** The fields Power Tuning's input has, in its README's order. */
export const POWER_TUNING_FIELDS: readonly string[] = Object.keys(FIELDS);

/** Names older Power Tuning samples used, and what the field is called now. */
const RENAMED: Readonly<Record<string, string>> = { enableParallel: "parallelInvocation" };

/** Fields we read but cannot honour yet: refused by name rather than silently skipped. */
const REFUSED: Readonly<Record<string, (value: unknown) => string>> = {
  payloadS3: (value) =>
    `payloadS3 ${JSON.stringify(value)}: reading the payload from S3 is not supported; download the object and give its content as payload (or --payload-file FILE)`,
  preProcessorARN: () =>
    "preProcessorARN: pre-processor functions are not supported yet; prepare the payload beforehand and give it as payload",
  postProcessorARN: () =>
    "postProcessorARN: post-processor functions are not supported yet; clean up after the run instead",
};

/**
 * Read a parsed execution input. `source` names it in messages
 * (`--input pt.json`). Throws UsageError: one line naming the field, the value
 * and what is allowed.
 */
export function mapPowerTuningInput(input: unknown, source: string): PowerTuningMapping {
  if (!isPlainObject(input)) {
    throw new UsageError(
      `${source}: expected a JSON object (Power Tuning's execution input), got ${describeJsonType(input)}`,
    );
  }
  const fields = input;
  for (const [name, value] of Object.entries(fields)) {
    const rule = (FIELDS as Readonly<Record<string, FieldRule>>)[name];
    if (!rule) {
      const renamed = RENAMED[name];
      throw new UsageError(
        renamed
          ? `${source}: unknown field "${name}": Power Tuning calls it ${renamed}`
          : `${source}: unknown field "${name}": not one of Power Tuning's input fields (${POWER_TUNING_FIELDS.join(", ")})`,
      );
    }
    const refused = REFUSED[name];
    if (refused) throw new UsageError(`${source}: ${refused(value)}`);
    if (!rule.schema.safeParse(value).success) {
      throw new UsageError(
        `${source}: ${name} ${JSON.stringify(value)} is not valid: expected ${rule.allowed}`,
      );
    }
  }

  const options: PowerTuningOptions = {};
  const fieldOf: Partial<Record<PowerTuningOptionKey, string>> = {};
  const notes: string[] = [];
  const set = <K extends PowerTuningOptionKey>(
    key: K,
    value: PowerTuningOptions[K],
    field: string,
  ) => {
    options[key] = value;
    fieldOf[key] = field;
  };

  const { powerValues } = fields;
  if (powerValues === "ALL") set("memorySizes", [...POWER_TUNING_ALL], "powerValues");
  // An empty list means "the defaults" to Power Tuning: ours, here.
  else if (Array.isArray(powerValues) && powerValues.length > 0)
    set("memorySizes", powerValues.map(Number), "powerValues");
  if (fields.num !== undefined) set("num", fields.num as number, "num");

  const payload = payloadOf(fields.payload, source);
  if (payload.weighted) set("payloads", payload.weighted, "payload");
  else set("payload", Buffer.from(payload.text), "payload");

  if (fields.parallelInvocation === true) set("parallel", true, "parallelInvocation");
  if (fields.strategy !== undefined)
    set("strategy", fields.strategy as (typeof POWER_TUNING_STRATEGIES)[number], "strategy");
  if (fields.balancedWeight !== undefined)
    set("balancedWeight", fields.balancedWeight as number, "balancedWeight");

  if (fields.onlyColdStarts === true) {
    set("onlyColdStarts", true, "onlyColdStarts");
    // Power Tuning counts every cold start: it sets discardTopBottom to 0 whatever the input says.
    set("discard", 0, "onlyColdStarts");
    if (typeof fields.discardTopBottom === "number" && fields.discardTopBottom > 0)
      notes.push(
        `${source}: discardTopBottom ${fields.discardTopBottom} is not used with onlyColdStarts (every cold start counts), as in Power Tuning`,
      );
  } else if (fields.discardTopBottom !== undefined) {
    set("discard", fields.discardTopBottom as number, "discardTopBottom");
  }

  if (fields.sleepBetweenRunsMs !== undefined)
    set("sleepBetweenMs", fields.sleepBetweenRunsMs as number, "sleepBetweenRunsMs");
  if (fields.dryRun === true) set("dryRun", true, "dryRun");
  if (fields.autoOptimize === true && fields.dryRun === true) {
    // A dry run analyses nothing, so Power Tuning has nothing to apply either.
    notes.push(`${source}: autoOptimize is not applied in a dry run (nor is it in Power Tuning)`);
  } else if (fields.autoOptimize === true) {
    set("apply", true, "autoOptimize");
    if (fields.autoOptimizeAlias !== undefined)
      set("alias", fields.autoOptimizeAlias as string, "autoOptimizeAlias");
  } else if (fields.autoOptimizeAlias !== undefined) {
    notes.push(
      `${source}: autoOptimizeAlias ${JSON.stringify(fields.autoOptimizeAlias)} is ignored: autoOptimize is not true (Power Tuning ignores it too)`,
    );
  }
  const allowedExceptions = fields.allowedExceptions as string[] | undefined;
  if (allowedExceptions && allowedExceptions.length > 0)
    set("allowedExceptions", allowedExceptions, "allowedExceptions");

  return {
    ...(fields.lambdaARN !== undefined ? { target: fields.lambdaARN as string } : {}),
    options,
    fieldOf,
    includeOutputResults: fields.includeOutputResults === true,
    notes,
  };
}

/**
 * The event(s) Power Tuning would send for `payload`:
 * - absent or falsy (null, false, 0, ""): the JSON `null` (its executor falls back to null);
 * - a string holding JSON: that text as it is; any other string: JSON-encoded ("abc" -> "\"abc\"");
 * - a non-empty list whose every entry has a truthy `payload` and `weight`: weighted payloads;
 * - anything else (an object, a number, a list of other things): its JSON.
 */
function payloadOf(
  payload: unknown,
  source: string,
): { text: string; weighted?: undefined } | { weighted: WeightedPayload[] } {
  if (isWeightedList(payload)) {
    return {
      weighted: payload.map((entry, index) => {
        if (
          typeof entry.weight !== "number" ||
          !(entry.weight > 0) ||
          !Number.isFinite(entry.weight)
        )
          throw new UsageError(
            `${source}: payload entry ${index + 1} has weight ${JSON.stringify(entry.weight)}: expected a number above 0`,
          );
        return { payload: Buffer.from(eventText(entry.payload)), weight: entry.weight };
      }),
    };
  }
  return { text: payload ? eventText(payload) : "null" };
}

function isWeightedList(payload: unknown): payload is { payload: unknown; weight: unknown }[] {
  return (
    Array.isArray(payload) &&
    payload.length > 0 &&
    payload.every(
      (entry) =>
        typeof entry === "object" &&
        entry !== null &&
        Boolean((entry as { payload?: unknown }).payload) &&
        Boolean((entry as { weight?: unknown }).weight),
    )
  );
}

/** A payload as the JSON text of the event: a string that already is JSON stays as it is. */
function eventText(payload: unknown): string {
  if (typeof payload === "string") {
    try {
      JSON.parse(payload);
      return payload;
    } catch {
      return JSON.stringify(payload);
    }
  }
  return JSON.stringify(payload);
}

function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}
