/**
 * `tune`'s flags as the library's options. Only the flags' syntax is read
 * here: a memory range ("128..3008:128", ALL), a share ("5%"), numbers, lists
 * and files. Every check and default is TuningOptionsSchema's
 * (src/api/tuning-options.ts); `tuneFlagName` names its mistakes as flags.
 */
import { readFileSync } from "node:fs";
import type { TuningOptionsInput } from "../api/tuning-options.js";
import { UsageError } from "../errors.js";
import { MEMORY_MB } from "../lambda/limits.js";
import { flagName, type OptionName } from "../options.js";
import {
  ALL_MEMORY_SIZES,
  MAX_MEMORY_SIZES,
  memorySizeRange,
  tooManyMemorySizes,
} from "../tuning/memory-sizes.js";
import { readPayload } from "./function-source.js";
import { invalid } from "./option-parsers.js";

export interface TuneFlags {
  memory?: string;
  num?: string;
  payload?: string;
  payloadFile?: string;
  payloads?: string;
  parallel?: boolean;
  concurrency?: string;
  strategy?: string;
  metric?: string;
  balancedWeight?: string;
  maxP95Ms?: string;
  maxP99Ms?: string;
  discard?: string;
  arch?: string;
  onlyColdStarts?: boolean;
  allowedExceptions?: string;
  sleepBetweenMs?: string;
  untilConfident?: boolean;
  maxNum?: string;
  apply?: boolean;
  alias?: string;
  dryRun?: boolean;
}

/**
 * The options flags stand for, as typed values; a text the flag's syntax
 * cannot read is left as it is, for the schema to refuse with what is allowed.
 */
export type TuneFlagOptions = {
  -readonly [Key in Exclude<keyof TuningOptionsInput, "target">]?: unknown;
};

/** "128,256,512", "128..3008:128", or ALL: 128 to 10,240 MB in 64 MB steps. */
export function parseMemorySizes(value: string): (number | string)[] {
  const trimmed = value.trim();
  if (trimmed.toUpperCase() === "ALL") return [...ALL_MEMORY_SIZES];
  if (!trimmed.includes("..")) return trimmed.split(",").map((part) => numberOrText(part));
  const allowed = `sizes such as 128,256,512, a range such as 128..3008:128, or ALL (${MEMORY_MB.min} to ${MEMORY_MB.max.toLocaleString("en-US")} MB)`;
  const match = /^(\d+)\.\.(\d+):(\d+)$/.exec(trimmed);
  if (!match) throw invalid("--memory", value, allowed);
  const [from, to, step] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (step < 1 || from > to) throw invalid("--memory", value, allowed);
  // Counted before the list is built: 1..1e15:1 must not be built to be refused.
  const count = Math.floor((to - from) / step) + 1;
  if (count > MAX_MEMORY_SIZES) {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    throw new UsageError(`--memory ${shown}: ${tooManyMemorySizes(count)}`);
  }
  return memorySizeRange(from, to, step);
}

const PLAIN_NUMBER = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A plain decimal number, or the text as it is. */
function numberOrText(value: string): number | string {
  const trimmed = value.trim();
  return PLAIN_NUMBER.test(trimmed) ? Number(trimmed) : value;
}

/** A share given as a fraction (0.05) or a percentage (5%), or the text as it is. */
function shareOrText(value: string): number | string {
  const trimmed = value.trim();
  if (!trimmed.endsWith("%")) return numberOrText(value);
  const percent = numberOrText(trimmed.slice(0, -1));
  return typeof percent === "number" ? percent / 100 : value;
}

const list = (value: string) =>
  value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

/** --payloads FILE: its JSON, for the schema to check as a list of {payload, weight}. */
function readWeightedPayloads(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`--payloads ${file}: cannot read it as JSON (${reason})`);
  }
}

/** The options the flags given stand for; a flag left out is left out, and the library defaults it. */
export function tuneOptionsFromFlags(flags: TuneFlags): TuneFlagOptions {
  const options: TuneFlagOptions = {};
  const number = (value: string | undefined) =>
    value === undefined ? undefined : numberOrText(value);
  const share = (value: string | undefined) =>
    value === undefined ? undefined : shareOrText(value);
  const given = {
    memorySizes: flags.memory === undefined ? undefined : parseMemorySizes(flags.memory),
    architectures: flags.arch === undefined ? undefined : list(flags.arch),
    num: number(flags.num),
    payload:
      flags.payload !== undefined || flags.payloadFile !== undefined
        ? readPayload(flags)
        : undefined,
    payloads: flags.payloads === undefined ? undefined : readWeightedPayloads(flags.payloads),
    strategy: flags.strategy,
    metric: flags.metric,
    balancedWeight: share(flags.balancedWeight),
    maxP95Ms: number(flags.maxP95Ms),
    maxP99Ms: number(flags.maxP99Ms),
    discard: share(flags.discard),
    parallel: flags.parallel,
    concurrency: number(flags.concurrency),
    onlyColdStarts: flags.onlyColdStarts,
    allowedExceptions:
      flags.allowedExceptions === undefined ? undefined : list(flags.allowedExceptions),
    sleepBetweenMs: number(flags.sleepBetweenMs),
    untilConfident: flags.untilConfident,
    maxNum: number(flags.maxNum),
    dryRun: flags.dryRun,
    apply: flags.apply,
    alias: flags.alias,
  } satisfies TuneFlagOptions;
  for (const [key, value] of Object.entries(given))
    if (value !== undefined) options[key as keyof TuneFlagOptions] = value;
  return options;
}

/** Where the CLI's options came from, for naming them as the user gave them. */
export interface TuneFlagSources {
  readonly flags: TuneFlags & { aws?: boolean };
  /** The positional target as typed (a handler, a logical id, a name or an ARN). */
  readonly target?: string;
  /** The --input file, when the weighted payloads are its. */
  readonly weightedPayloadsFrom?: string;
}

/** Options whose flag is not their own name in kebab case. */
const FLAG_OF: Readonly<Record<string, string>> = {
  memorySizes: "--memory",
  architectures: "--arch",
  "target.awsAccess.endpointUrl": "--aws-endpoint-url",
  "target.awsAccess.passCredentials": "--pass-aws-credentials",
  "target.env": "--env",
  "target.handler": "the handler",
  "target.function": "the function's logical id",
};

/**
 * Names tune's options as the flags that give them: `--max-p95-ms`, `--memory`
 * for memorySizes, `--payloads FILE` for the weighted payloads, and a deployed
 * function as the user names it (`--aws`, or the ARN).
 */
export function tuneFlagName({ flags, target, weightedPayloadsFrom }: TuneFlagSources): OptionName {
  return (path) => {
    const keys = path.filter((key) => typeof key !== "number").map(String);
    const dotted = keys.join(".");
    if (keys[0] === "payloads") {
      const entry = path.find((key) => typeof key === "number");
      const base =
        weightedPayloadsFrom !== undefined
          ? "the --input's weighted payload"
          : `--payloads ${flags.payloads}`;
      return `${base}${entry === undefined ? "" : ` entry ${Number(entry) + 1}`}${keys.length > 1 ? ` ${keys.slice(1).join(".")}` : ""}`;
    }
    if (dotted === "payload")
      return flags.payloadFile !== undefined ? `--payload-file ${flags.payloadFile}` : "--payload";
    if (dotted === "target.functionName")
      return flags.aws
        ? "--aws"
        : target?.startsWith("arn:")
          ? "the ARN"
          : "--aws or an ARN target";
    if (dotted.startsWith("target.env")) return "--env";
    return FLAG_OF[dotted] ?? flagName(keys);
  };
}
