/**
 * `tune --input FILE`: AWS Lambda Power Tuning's execution input, read by the
 * library (src/api/power-tuning-input.ts) as tune options and laid under
 * the options the flags give. A flag given on the command line wins over the
 * input's field for the same thing, with a note on stderr; the input fills in
 * everything else, and TuningOptionsSchema checks the whole.
 */
import { readFileSync } from "node:fs";
import { mapPowerTuningInput, type PowerTuningOptionKey } from "../api/power-tuning-input.js";
import { UsageError } from "../errors.js";
import type { TuneFlagOptions } from "./tune-options.js";

/** The flag (its commander key) that gives each option, for "given on the command line" and notes. */
const FLAG_OF: Readonly<Record<PowerTuningOptionKey, { key: string; flag: string }>> = {
  memorySizes: { key: "memory", flag: "--memory" },
  num: { key: "num", flag: "--num" },
  payload: { key: "payload", flag: "the payload flag" },
  payloads: { key: "payloads", flag: "the payload flag" },
  parallel: { key: "parallel", flag: "--parallel" },
  strategy: { key: "strategy", flag: "--strategy" },
  balancedWeight: { key: "balancedWeight", flag: "--balanced-weight" },
  discard: { key: "discard", flag: "--discard" },
  onlyColdStarts: { key: "onlyColdStarts", flag: "--only-cold-starts" },
  sleepBetweenMs: { key: "sleepBetweenMs", flag: "--sleep-between-ms" },
  dryRun: { key: "dryRun", flag: "--dry-run" },
  apply: { key: "apply", flag: "--apply" },
  alias: { key: "alias", flag: "--alias" },
  allowedExceptions: { key: "allowedExceptions", flag: "--allowed-exceptions" },
};

/** The event is one thing however it is given: any of these flags replaces the input's payload. */
const PAYLOAD_FLAGS = ["payload", "payloadFile", "payloads"] as const;

export interface MergedInput {
  readonly target: string | undefined;
  readonly options: TuneFlagOptions;
  /** Whether the weighted payloads are the input's (for naming them in a message). */
  readonly weightedPayloadsFromInput: boolean;
  readonly includeOutputResults: boolean;
  readonly notes: readonly string[];
}

/**
 * Read FILE and lay it under `options` (what the flags give).
 * `givenOnCommandLine(key)` tells a flag the user typed. `target` (a handler,
 * a template logical id, an ARN) or `template`, when given, replaces
 * lambdaARN: that is how a Power Tuning input runs against a local handler.
 */
export function mergePowerTuningInput(
  file: string,
  target: string | undefined,
  template: string | undefined,
  options: TuneFlagOptions,
  givenOnCommandLine: (key: string) => boolean,
): MergedInput {
  const source = `--input ${file}`;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`${source}: cannot read it (${reason})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not JSON (${(error as Error).message})`);
  }
  const mapping = mapPowerTuningInput(parsed, source);
  const notes = [...mapping.notes];

  let chosenTarget = target;
  if (target !== undefined || template !== undefined) {
    if (mapping.target !== undefined)
      notes.push(
        `${source}: lambdaARN ${mapping.target} is replaced by ${target ?? `--template ${template}`} from the command line`,
      );
  } else if (mapping.target !== undefined) {
    chosenTarget = mapping.target;
  } else {
    throw new UsageError(
      `${source}: lambdaARN is missing: give it in the input, or a handler (app.mjs:handler) on the command line`,
    );
  }

  const merged: TuneFlagOptions = { ...options };
  const payloadGiven = PAYLOAD_FLAGS.some((key) => givenOnCommandLine(key));
  let weightedPayloadsFromInput = false;
  for (const [key, value] of Object.entries(mapping.options) as [PowerTuningOptionKey, unknown][]) {
    const isPayload = key === "payload" || key === "payloads";
    if (isPayload ? payloadGiven : givenOnCommandLine(FLAG_OF[key].key)) {
      notes.push(
        `${source}: ${mapping.fieldOf[key]} is replaced by ${FLAG_OF[key].flag} from the command line`,
      );
      continue;
    }
    merged[key] = value;
    if (key === "payloads") weightedPayloadsFromInput = true;
  }
  return {
    target: chosenTarget,
    options: merged,
    weightedPayloadsFromInput,
    includeOutputResults: mapping.includeOutputResults,
    notes,
  };
}
