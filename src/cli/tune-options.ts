/** `tune`'s flags turned into checked TuningSettings; every mistake names its flag. */
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import { MEMORY_MB } from "../lambda/limits.js";
import { ARCHITECTURES, type Architecture } from "../pricing/price-table.js";
import { MAX_DISCARD } from "../statistics.js";
import { PayloadWeightError, payloadSlots, type WeightedPayload } from "../tuning/payloads.js";
import type { TuningSettings } from "../tuning/settings.js";
import { STRATEGIES, type Strategy } from "../tuning/tune-result.js";
import { readPayload } from "./function-source.js";
import {
  invalid,
  parseArchitecture,
  parseInRange,
  parseNonNegativeNumber,
  parseRate,
} from "./option-parsers.js";

export interface TuneFlags {
  memory: string;
  num: string;
  payload?: string;
  payloadFile?: string;
  payloads?: string;
  /** Weighted payloads given inline (an --input's payload list) instead of a --payloads file. */
  weightedPayloads?: readonly WeightedPayload[];
  parallel?: boolean;
  concurrency?: string;
  strategy: string;
  balancedWeight: string;
  maxP95Ms?: string;
  maxP99Ms?: string;
  discard: string;
  arch?: string;
  onlyColdStarts?: boolean;
  allowedExceptions?: string;
  sleepBetweenMs: string;
  untilConfident?: boolean;
  maxNum?: string;
  apply?: boolean;
  alias?: string;
  dryRun?: boolean;
}

export const DEFAULT_MEMORY = "128,256,512,1024,1769,3008";

/** ALL: every 64 MB step from 128 to 10,240 MB. */
function allMemorySizes(): number[] {
  const sizes = rangeOf(MEMORY_MB.min, MEMORY_MB.max, 64);
  if (sizes.at(-1) !== MEMORY_MB.max) sizes.push(MEMORY_MB.max);
  return sizes;
}

/**
 * The most memory sizes one run tries: as many as ALL (159). Finer steps than
 * 64 MB cannot show anything (CPU grows smoothly with memory; Power Tuning
 * itself offers ALL at this grain), and each size costs a publish, a warm-up
 * and --num invocations.
 */
export const MAX_MEMORY_SIZES = allMemorySizes().length;

/** "128,256,512", "128..3008:128", or ALL: 128 to 10,240 MB in 64 MB steps. */
export function parseMemorySizes(value: string): number[] {
  const flag = "--memory";
  const allowed = `sizes such as 128,256,512, a range such as 128..3008:128, or ALL (${MEMORY_MB.min} to ${MEMORY_MB.max.toLocaleString("en-US")} MB)`;
  const trimmed = value.trim();
  let sizes: number[];
  if (trimmed.toUpperCase() === "ALL") {
    sizes = allMemorySizes();
  } else if (trimmed.includes("..")) {
    const match = /^(\d+)\.\.(\d+):(\d+)$/.exec(trimmed);
    if (!match) throw invalid(flag, value, allowed);
    const [from, to, step] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (step < 1 || from > to) throw invalid(flag, value, allowed);
    // Counted before the list is built: 1..1e15:1 must not be built to be refused.
    const count = Math.floor((to - from) / step) + 1;
    if (count > MAX_MEMORY_SIZES) throw tooManySizes(value, count);
    sizes = rangeOf(from, to, step);
  } else {
    sizes = trimmed.split(",").map((part) => parseInRange(flag, part.trim(), MEMORY_MB));
  }
  for (const size of sizes) parseInRange(flag, String(size), MEMORY_MB);
  if (sizes.length === 0) throw invalid(flag, value, allowed);
  const unique = [...new Set(sizes)].sort((a, b) => a - b);
  if (unique.length > MAX_MEMORY_SIZES) throw tooManySizes(value, unique.length);
  return unique;
}

function tooManySizes(value: string, count: number): UsageError {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return new UsageError(
    `--memory ${shown}: ${count.toLocaleString("en-US")} memory sizes; at most ${MAX_MEMORY_SIZES} (as many as ALL, every 64 MB step from ${MEMORY_MB.min} to ${MEMORY_MB.max.toLocaleString("en-US")} MB)`,
  );
}

function rangeOf(from: number, to: number, step: number): number[] {
  const sizes: number[] = [];
  for (let size = from; size <= to; size += step) sizes.push(size);
  return sizes;
}

function parseWholeNumber(
  flag: string,
  value: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const number = parseNonNegativeNumber(flag, value, `a whole number from ${min} to ${max}`);
  if (!Number.isInteger(number) || number < min || number > max)
    throw invalid(flag, value, `a whole number from ${min} to ${max}`);
  return number;
}

function parseArchitectures(value: string | undefined): Architecture[] {
  if (value === undefined) return [];
  const architectures = value.split(",").map((part) => parseArchitecture("--arch", part.trim()));
  if (architectures.length === 0)
    throw invalid("--arch", value, `one or both of ${ARCHITECTURES.join(",")}`);
  return [...new Set(architectures)];
}

/** --payloads: a JSON array of {"payload": <event>, "weight": <number>}, as Power Tuning takes them. */
function readWeightedPayloads(file: string): WeightedPayload[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`--payloads ${file}: cannot read it as JSON (${reason})`);
  }
  const shape = 'a JSON array of {"payload": <event>, "weight": <number above 0>}';
  if (!Array.isArray(parsed) || parsed.length === 0)
    throw new UsageError(`--payloads ${file}: expected ${shape}`);
  return parsed.map((entry, index) => {
    const weight = (entry as { weight?: unknown })?.weight;
    if (
      typeof entry !== "object" ||
      entry === null ||
      !("payload" in entry) ||
      typeof weight !== "number" ||
      !(weight > 0)
    ) {
      throw new UsageError(
        `--payloads ${file}: entry ${index + 1} is not ${shape.replace("a JSON array of ", "")}`,
      );
    }
    return {
      payload: Buffer.from(JSON.stringify((entry as { payload: unknown }).payload)),
      weight,
    };
  });
}

export function parseTuneSettings(flags: TuneFlags): TuningSettings {
  const num = parseWholeNumber("--num", flags.num, 1, 10_000);
  const strategy = flags.strategy as Strategy;
  if (!STRATEGIES.includes(strategy))
    throw invalid("--strategy", flags.strategy, `one of ${STRATEGIES.join(", ")}`);
  const maxP95Ms =
    flags.maxP95Ms === undefined
      ? undefined
      : parseNonNegativeNumber("--max-p95-ms", flags.maxP95Ms);
  const maxP99Ms =
    flags.maxP99Ms === undefined
      ? undefined
      : parseNonNegativeNumber("--max-p99-ms", flags.maxP99Ms);
  if (maxP95Ms !== undefined && maxP99Ms !== undefined)
    throw new UsageError("give --max-p95-ms or --max-p99-ms, not both");
  if (strategy === "slo" && maxP95Ms === undefined && maxP99Ms === undefined) {
    throw new UsageError("--strategy slo needs a bound: --max-p95-ms MS or --max-p99-ms MS");
  }
  const balancedWeight = parseRate("--balanced-weight", flags.balancedWeight);
  const discard = parseRate("--discard", flags.discard);
  if (discard >= MAX_DISCARD)
    throw invalid("--discard", flags.discard, `a share from 0 to below ${MAX_DISCARD}`);
  if (
    flags.payloads !== undefined &&
    (flags.payload !== undefined || flags.payloadFile !== undefined)
  ) {
    throw new UsageError("give --payloads, or --payload / --payload-file, not both");
  }
  const payloads =
    flags.weightedPayloads !== undefined
      ? [...flags.weightedPayloads]
      : flags.payloads !== undefined
        ? readWeightedPayloads(flags.payloads)
        : [{ payload: readPayload(flags), weight: 1 }];
  try {
    payloadSlots(payloads, num);
  } catch (error) {
    if (error instanceof PayloadWeightError) {
      const source =
        flags.weightedPayloads !== undefined
          ? "the --input's weighted payload"
          : `--payloads ${flags.payloads}`;
      throw new UsageError(`${source}: ${error.message}`);
    }
    throw error;
  }
  const maxNum =
    flags.maxNum === undefined
      ? Math.max(50, num)
      : parseWholeNumber("--max-num", flags.maxNum, num, 100_000);
  if (flags.alias !== undefined && !flags.apply) throw new UsageError("--alias goes with --apply");
  if (flags.alias !== undefined && !/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/.test(flags.alias)) {
    throw invalid(
      "--alias",
      flags.alias,
      "an alias name: letters, digits, - and _, not only digits",
    );
  }
  if (flags.apply && flags.dryRun)
    throw new UsageError("--apply and --dry-run contradict each other: pick one");
  return {
    memorySizes: parseMemorySizes(flags.memory),
    architectures: parseArchitectures(flags.arch),
    num,
    payloads,
    strategy,
    balancedWeight,
    ...(maxP95Ms !== undefined ? { maxP95Ms } : {}),
    ...(maxP99Ms !== undefined ? { maxP99Ms } : {}),
    discard,
    parallel: flags.parallel === true,
    concurrency:
      flags.concurrency === undefined
        ? num
        : parseWholeNumber("--concurrency", flags.concurrency, 1, 1000),
    onlyColdStarts: flags.onlyColdStarts === true,
    allowedExceptions: (flags.allowedExceptions ?? "")
      .split(",")
      .map((type) => type.trim())
      .filter(Boolean),
    sleepBetweenMs: parseNonNegativeNumber("--sleep-between-ms", flags.sleepBetweenMs),
    untilConfident: flags.untilConfident === true,
    maxNum,
    dryRun: flags.dryRun === true,
    apply: flags.apply ? (flags.alias !== undefined ? { alias: flags.alias } : {}) : false,
  };
}
