/**
 * The `power_tune` tool: `tune` for an agent. It takes the library's tune
 * options by their own names (target, memorySizes, num, strategy...), and
 * also the fields of AWS Lambda Power Tuning's execution input that the
 * optimization guide hands an agent (lambdaARN, powerValues, num, payload,
 * strategy, balancedWeight, parallelInvocation, onlyColdStarts), read by the
 * same mapping as `tune --input` (src/api/power-tuning-input.ts).
 *
 * Tuning a deployed function changes its memory while it runs (and `apply`
 * for good), so it needs a server started with --allow-write; a local
 * function runs on a fresh embedded emulator and is always allowed. Each
 * configuration is a progress notification; a cancelled call stops the run,
 * which puts the function back before the tool returns.
 */
import { z } from "zod";
import {
  mapPowerTuningInput,
  type PowerTuningField,
  powerTuningFieldSchema,
} from "../../api/power-tuning-input.js";
import { TargetOptionsSchema } from "../../api/target-options.js";
import { tuneChecked } from "../../api/tune.js";
import {
  type TuningOptions,
  type TuningOptionsInput,
  TuningOptionsSchema,
} from "../../api/tuning-options.js";
import { describeFailure } from "../../aws/failure-description.js";
import { UsageError } from "../../errors.js";
import { formatMs, formatUsd } from "../../format.js";
import { fieldName, parseOptions } from "../../options.js";
import { BUNDLED_PRICE_TABLE, knownRegions, PriceTableError } from "../../pricing/price-table.js";
import { renderRecommendation } from "../../report/terminal.js";
import { describeConfiguration } from "../../tuning/configuration-key.js";
import { newRunId } from "../../tuning/run-id.js";
import { TuningAborted, TuningFailed } from "../../tuning/run-tuning.js";
import { savePartialTuneResult, saveTuneResult } from "../../tuning/saved-runs.js";
import { type TuneResult, TuneResultSchema } from "../../tuning/tune-result.js";
import { defineTool, requireWrite, type ToolContext } from "../tool.js";

/** Where mapPowerTuningInput's messages say the fields came from. */
const SOURCE = "power_tune";

/**
 * A library field as an argument: its own checks, its default shown in the
 * listing but not applied here, so the call says what it gave (powerValues
 * and memorySizes both given is a contradiction; one given and the other
 * defaulted is not). TuningOptionsSchema applies the defaults afterwards.
 */
function givenOnly<Schema extends z.ZodType>(schema: Schema): z.ZodOptional<z.ZodType> {
  if (schema instanceof z.ZodDefault) {
    const fallback = schema.def.defaultValue;
    return (schema.unwrap() as z.ZodType).optional().meta({ default: fallback });
  }
  return (schema as z.ZodType).optional();
}

const LIBRARY_FIELDS = TuningOptionsSchema.in.shape;

/** The library's options, none defaulted yet; `payload` and `onlyColdStarts` are Power Tuning's (below). */
const libraryArguments = Object.fromEntries(
  Object.entries(LIBRARY_FIELDS)
    .filter(([name]) => name !== "target" && name !== "payload" && name !== "onlyColdStarts")
    .map(([name, schema]) => [name, givenOnly(schema as z.ZodType)]),
) as unknown as Record<
  Exclude<keyof typeof LIBRARY_FIELDS, "target" | "payload" | "onlyColdStarts">,
  z.ZodOptional<z.ZodType>
>;

/** A Power Tuning field as an argument, with the mapping's own check and an agent's description. */
const powerTuning = (field: PowerTuningField, description: string) =>
  powerTuningFieldSchema(field).optional().describe(description);

const PowerTuneArguments = z.strictObject({
  // The target's own fields, checked together once the call is read (lambdaARN may give the function).
  target: z
    .strictObject(TargetOptionsSchema.in.shape)
    .optional()
    .describe(
      "The function: {handler: 'src/app.mjs:handler'} or {template: 'template.yaml', function: 'Orders'} " +
        "run on the embedded emulator on this machine (always allowed); {functionName: NAME or ARN} " +
        "is a deployed function (needs the server's --allow-write), with region, profile, endpointUrl.",
    ),
  ...libraryArguments,
  lambdaARN: powerTuning(
    "lambdaARN",
    "Power Tuning's name: the deployed function's ARN, as target.functionName (needs --allow-write). " +
      "target may still give endpointUrl or profile.",
  ),
  powerValues: powerTuning(
    "powerValues",
    'Power Tuning\'s name for memorySizes: the sizes in MB to try, or "ALL" (every 64 MB step from 128 to 3,008).',
  ),
  payload: powerTuning(
    "payload",
    "The event every invocation gets, as Power Tuning reads it: any JSON (a string holding JSON is " +
      "sent as that JSON); a list of {payload, weight} shares the invocations out by weight. Default {}.",
  ),
  parallelInvocation: powerTuning(
    "parallelInvocation",
    "Power Tuning's name for parallel: invoke each configuration's num invocations at once.",
  ),
  onlyColdStarts: powerTuning(
    "onlyColdStarts",
    "A new execution environment for every invocation: measure cold starts only. As in Power Tuning, " +
      "every cold start counts (discard 0) unless discard is given. Default false.",
  ),
});

type PowerTuneArguments = z.output<typeof PowerTuneArguments>;

/** The Power Tuning fields this tool takes; each goes through mapPowerTuningInput. */
const POWER_TUNING_ARGUMENTS = [
  "lambdaARN",
  "powerValues",
  "payload",
  "parallelInvocation",
  "onlyColdStarts",
] as const;

/** Two names for one thing: giving both is a contradiction, refused rather than one silently winning. */
const SYNONYMS = [
  ["powerValues", "memorySizes"],
  ["parallelInvocation", "parallel"],
  ["payload", "payloads"],
] as const;

export const powerTuneTool = defineTool({
  name: "power_tune",
  title: "Power-tune a Lambda function: the best memory size by measured cost and speed",
  description:
    "Find the memory size (and architecture) a Lambda function should have: invoke it num times at " +
    "each memory size, read every REPORT line, price each run, and recommend by strategy (cost, " +
    "speed, balanced, or slo with maxP95Ms/maxP99Ms), with 95% confidence intervals and the saving " +
    "against the original. Use it after get_metrics and audit (the guide's Power Tuning step), " +
    "before estimate_cost. Give a local handler or template function: it runs on the embedded " +
    "emulator with CPU in proportion to memory, as on Lambda, and changes nothing. Or a deployed " +
    "function (target.functionName, or Power Tuning's lambdaARN): its memory changes while the run " +
    "lasts and is put back after, even when the call is cancelled; apply sets the winner for good. " +
    "Both need the server started with --allow-write. Takes Power Tuning's input fields too: " +
    "lambdaARN, powerValues, num, payload, strategy, balancedWeight, parallelInvocation, " +
    "onlyColdStarts. Reports progress per configuration and per invocation. Keep num small (5-10) locally; 50+ on AWS " +
    "for stable figures.",
  input: PowerTuneArguments,
  output: TuneResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  async run(args, context) {
    const { options, notes } = tuningOptions(args);
    if (options.target.kind === "aws")
      requireWrite(
        context,
        options.apply
          ? "tuning a deployed function changes its memory while it runs, and apply sets the winner for good"
          : "tuning a deployed function changes its memory while it runs",
      );
    for (const note of notes) await context.log("warning", note);
    const runId = newRunId();
    const result = await tuneReporting(options, runId, context);
    // Kept as `tune` keeps every run: for compare_runs, the audit and the server's resources.
    const saved = saveTuneResult(result, runId);
    return { structured: result, summary: `${summarize(result)}\nSaved ${saved}` };
  },
});

/**
 * The call's arguments as the library's options: Power Tuning's fields mapped
 * by mapPowerTuningInput, laid under the library's own, and the whole checked
 * by TuningOptionsSchema (its defaults, its one-sentence mistakes).
 */
function tuningOptions(args: PowerTuneArguments): {
  options: TuningOptions;
  notes: readonly string[];
} {
  for (const [theirs, ours] of SYNONYMS)
    if (args[theirs] !== undefined && args[ours] !== undefined)
      throw new UsageError(`give ${theirs} (Power Tuning's name) or ${ours}, not both`);
  const { target, ...rest } = args;
  const fields: Record<string, unknown> = {};
  const library: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if ((POWER_TUNING_ARGUMENTS as readonly string[]).includes(name)) fields[name] = value;
    else library[name] = value;
  }
  const mapping = mapPowerTuningInput(fields, SOURCE);
  // Power Tuning sends null when no payload is given; this tool's default is {} (TuningOptionsSchema's).
  const { payload, payloads, ...mapped } = mapping.options;
  const events = fields.payload === undefined ? {} : payloads ? { payloads } : { payload };
  const input = {
    ...mapped,
    ...events,
    ...library,
    target: targetOf(target, mapping.target),
  } as TuningOptionsInput;
  return { options: parseOptions(TuningOptionsSchema, input, fieldName), notes: mapping.notes };
}

/** `target`, or lambdaARN as its functionName (with target's endpointUrl, profile or region beside it). */
function targetOf(
  target: PowerTuneArguments["target"],
  lambdaArn: string | undefined,
): Record<string, unknown> {
  if (lambdaArn === undefined) {
    if (target === undefined)
      throw new UsageError(
        "give the function to tune: target (handler, template or functionName), or lambdaARN",
      );
    return target;
  }
  const named = (["functionName", "handler", "template"] as const).find(
    (key) => target?.[key] !== undefined,
  );
  if (named)
    throw new UsageError(
      `give lambdaARN (Power Tuning's name for a deployed function) or target.${named}, not both`,
    );
  return { ...target, functionName: lambdaArn };
}

/** Tune, telling the client each configuration as it starts; what stops the run becomes one sentence. */
async function tuneReporting(
  options: TuningOptions,
  runId: string,
  context: ToolContext,
): Promise<TuneResult> {
  const tell = (promise: Promise<void>) => {
    // A notification that cannot be sent (the client gone) must not stop the run: the run restores.
    promise.catch(() => undefined);
  };
  let configurations = 0;
  let plannedInvocations = 0;
  // Within a configuration, each invocation moves progress on by a share of it (never to the
  // next whole number, which is the next configuration's): a client that times a call out
  // unless it hears progress keeps hearing it through a long configuration on AWS.
  let current = { index: 0, invocations: 0, message: "" };
  try {
    return await tuneChecked(options, {
      runId,
      signal: context.signal,
      onWarning: (warning) => tell(context.log("warning", warning)),
      onEmulatorProgress: (line) => tell(context.log("info", line)),
      onProgress: (event) => {
        if (event.kind === "start") plannedInvocations = event.totalInvocations;
        else if (event.kind === "configuration") {
          configurations = event.count;
          current = {
            index: event.index,
            invocations: 0,
            message: `measuring ${describeConfiguration(event)} (${event.index + 1} of ${event.count})`,
          };
          tell(context.progress(event.index, event.count, current.message));
        } else if (event.kind === "invocation" && configurations > 0) {
          current.invocations += 1;
          const perConfiguration = Math.max(1, plannedInvocations / configurations);
          const share = Math.min(0.99, current.invocations / (perConfiguration + 1));
          tell(
            context.progress(
              current.index + share,
              configurations,
              `${current.message}: ${current.invocations} invocations`,
            ),
          );
        } else if (event.kind === "restoring") {
          tell(
            context.progress(
              configurations,
              configurations,
              "measured; putting the function back as it was",
            ),
          );
        }
      },
    });
  } catch (error) {
    if (error instanceof TuningAborted)
      throw new Error(
        `tuning was cancelled; the function is as it was${savePartial(error.partial, runId)}`,
      );
    if (error instanceof TuningFailed)
      throw new Error(
        error.unrestoredJournal
          ? `${describeFailure(error.cause)}, and the function could not be put back${savePartial(error.partial, runId)}: once its Lambda API answers again, run lambda-optimizer tune --recover ${error.unrestoredJournal} in the server's folder`
          : `${describeFailure(error.cause)}; the function is as it was${savePartial(error.partial, runId)}`,
      );
    if (error instanceof PriceTableError)
      throw new UsageError(
        `${error.message}: tune in one of ${knownRegions(BUNDLED_PRICE_TABLE).join(", ")}`,
      );
    throw error;
  }
}

/** A stopped run's measurements, kept as `tune` keeps them: " (what was measured: FILE)", or nothing. */
function savePartial(partial: TuneResult | undefined, runId: string): string {
  const saved = savePartialTuneResult(partial, runId);
  return saved === undefined ? "" : ` (what was measured: ${saved})`;
}

/** The recommendation as `tune` prints it, then a line per configuration: memory, p95, cost per invocation. */
function summarize(result: TuneResult): string {
  const lines = result.results.map((configuration) => {
    const what = describeConfiguration(configuration);
    if (configuration.status === "failed")
      return `  ${what}: failed (${configuration.error?.type ?? "error"}: ${configuration.error?.message ?? ""})`;
    return (
      `  ${what}: p95 ${formatMs(configuration.durationMs.p95)} ms, ` +
      `${formatUsd(configuration.costPerInvocationUsd)} per invocation ` +
      `(${configuration.invocations} invocations)`
    );
  });
  return [renderRecommendation(result), "Configurations:", ...lines].join("\n");
}
