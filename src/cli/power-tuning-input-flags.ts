/**
 * `tune --input FILE`: AWS Lambda Power Tuning's execution input, read by the
 * library (src/tuning/power-tuning-input.ts) and laid under the flags. A flag
 * given on the command line wins over the input's field for the same thing,
 * with a note on stderr; the input fills in everything else.
 */
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import {
  mapPowerTuningInput,
  type PowerTuningOptionKey,
  type PowerTuningOptions,
} from "../tuning/power-tuning-input.js";
import type { TuneFlags } from "./tune-options.js";

/** The flag each option stands for, for notes. */
const FLAG_OF: Readonly<Record<PowerTuningOptionKey, string>> = {
  memory: "--memory",
  num: "--num",
  payload: "--payload",
  weightedPayloads: "--payloads",
  parallel: "--parallel",
  strategy: "--strategy",
  balancedWeight: "--balanced-weight",
  discard: "--discard",
  onlyColdStarts: "--only-cold-starts",
  sleepBetweenMs: "--sleep-between-ms",
  dryRun: "--dry-run",
  apply: "--apply",
  alias: "--alias",
  allowedExceptions: "--allowed-exceptions",
};

/** The event is one thing however it is given: any of these flags replaces the input's payload. */
const PAYLOAD_FLAGS = ["payload", "payloadFile", "payloads"] as const;

export interface MergedInput<Flags extends TuneFlags> {
  readonly target: string | undefined;
  readonly flags: Flags;
  readonly includeOutputResults: boolean;
  readonly notes: readonly string[];
}

/**
 * Read FILE and merge it under `flags`. `givenOnCommandLine(key)` tells a flag
 * the user typed from one left at its default. `target` (a handler, a template
 * logical id, an ARN) or --template, when given, replaces lambdaARN: that is
 * how a Power Tuning input runs against a local handler.
 */
export function mergePowerTuningInput<Flags extends TuneFlags & { template?: string }>(
  file: string,
  target: string | undefined,
  flags: Flags,
  givenOnCommandLine: (key: string) => boolean,
): MergedInput<Flags> {
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
  if (target !== undefined || flags.template !== undefined) {
    if (mapping.target !== undefined)
      notes.push(
        `${source}: lambdaARN ${mapping.target} is replaced by ${target ?? `--template ${flags.template}`} from the command line`,
      );
  } else if (mapping.target !== undefined) {
    chosenTarget = mapping.target;
  } else {
    throw new UsageError(
      `${source}: lambdaARN is missing: give it in the input, or a handler (app.mjs:handler) on the command line`,
    );
  }

  const merged = { ...flags } as Record<string, unknown>;
  const payloadGiven = PAYLOAD_FLAGS.some((key) => givenOnCommandLine(key));
  for (const [key, value] of Object.entries(mapping.options) as [
    PowerTuningOptionKey,
    PowerTuningOptions[PowerTuningOptionKey],
  ][]) {
    const given =
      key === "payload" || key === "weightedPayloads" ? payloadGiven : givenOnCommandLine(key);
    if (given) {
      notes.push(
        `${source}: ${mapping.fieldOf[key]} is replaced by ${key === "payload" || key === "weightedPayloads" ? "the payload flag" : FLAG_OF[key]} from the command line`,
      );
      continue;
    }
    merged[key] = value;
  }
  return {
    target: chosenTarget,
    flags: merged as Flags,
    includeOutputResults: mapping.includeOutputResults,
    notes,
  };
}
