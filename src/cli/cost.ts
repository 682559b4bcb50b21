/** `lambda-optimizer cost`: price a configuration and a month of invocations. */
import { Command } from "commander";
import { flagName, type OptionName } from "../options.js";
import { COST_DEFAULTS, type CostOptionsInput } from "../pricing/cost-options.js";
import { priceConfiguration } from "../pricing/price-configuration.js";
import { renderCostEstimate } from "../report/cost-estimate-text.js";
import { printJson } from "./format.js";
import { numberOrText, parseCount, shareOrText } from "./option-parsers.js";

interface CostFlags {
  memory: string;
  durationMs: string;
  invocations: string;
  arch: string;
  region: string;
  ephemeralMb: string;
  freeTier?: boolean;
  initMs?: string;
  coldStartRate?: string;
  provisionedConcurrency?: string;
  streamedBytes?: string;
  priceFile?: string;
  json?: boolean;
}

export function costCommand(): Command {
  return new Command("cost")
    .summary("price a configuration: per invocation, per month, on both architectures")
    .description(
      "Price one Lambda configuration: the cost of an invocation and of a month of them,\n" +
        "broken into compute, requests and ephemeral storage, beside the same workload on\n" +
        "the other architecture. Monthly figures apply the duration tiers as if this were\n" +
        "the account's only workload in that region and architecture.",
    )
    .requiredOption("--memory <mb>", "memory size in MB (128–10240)")
    .requiredOption(
      "--duration-ms <ms>",
      "mean duration of an invocation in ms, 0–900000 (billed rounds up to 1 ms)",
    )
    .requiredOption("--invocations <count>", "invocations a month: 10000000, 10M, 2.5k")
    .option("--arch <arch>", "x86_64 or arm64", COST_DEFAULTS.architecture)
    .option("--region <region>", "AWS region whose prices apply", COST_DEFAULTS.region)
    .option(
      "--ephemeral-mb <mb>",
      "/tmp size in MB (512–10240; above 512 is billed)",
      String(COST_DEFAULTS.ephemeralStorageMb),
    )
    .option(
      "--init-ms <ms>",
      "init duration of a cold start in ms, 0–900000 (billed since 1 Aug 2025)",
    )
    .option("--cold-start-rate <share>", "share of invocations that are cold starts: 0.02 or 2%")
    .option("--provisioned-concurrency <n>", "also price N provisioned-concurrency environments")
    .option(
      "--streamed-bytes <bytes>",
      "bytes each invocation streams back (up to 200 MB): 20971520, 20MB; beyond 6 MB each is billed per GB",
    )
    .option("--free-tier", "subtract the monthly free tier (1M requests, 400,000 GB-s)")
    .option("--price-file <file>", "use this price table (JSON) instead of the bundled one")
    .option("--json", "print one JSON document (shape: docs/commands/cost.md)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer cost --memory 1024 --duration-ms 100 --invocations 10M\n" +
        "  $ lambda-optimizer cost --memory 512 --duration-ms 80 --invocations 2.5k --arch arm64 --json\n" +
        "  $ lambda-optimizer cost --memory 2048 --duration-ms 40 --invocations 50M --init-ms 600 --cold-start-rate 1%\n" +
        "  $ lambda-optimizer cost --memory 1024 --duration-ms 3000 --invocations 1M --streamed-bytes 20MB\n",
    )
    .action((flags: CostFlags) => runCost(flags));
}

/** The library's option names as this command's flags: memoryMb is --memory, initDurationMs --init-ms. */
const COST_FLAGS: Record<string, string> = {
  memoryMb: "--memory",
  architecture: "--arch",
  ephemeralStorageMb: "--ephemeral-mb",
  initDurationMs: "--init-ms",
};
const costFlagName: OptionName = (path) => COST_FLAGS[String(path.at(-1))] ?? flagName(path);

/** The flags as the library's options (syntax only: counts and shares read; every check is CostOptionsSchema's). */
function costOptionsOf(flags: CostFlags): CostOptionsInput {
  const number = (value: string | undefined) =>
    value === undefined ? undefined : numberOrText(value);
  return {
    memoryMb: number(flags.memory),
    durationMs: number(flags.durationMs),
    invocations: parseCount("--invocations", flags.invocations),
    architecture: flags.arch,
    region: flags.region,
    ephemeralStorageMb: number(flags.ephemeralMb),
    freeTier: flags.freeTier === true,
    initDurationMs: number(flags.initMs),
    coldStartRate: flags.coldStartRate === undefined ? undefined : shareOrText(flags.coldStartRate),
    provisionedConcurrency:
      flags.provisionedConcurrency === undefined
        ? undefined
        : parseCount("--provisioned-concurrency", flags.provisionedConcurrency),
    streamedBytes: flags.streamedBytes === undefined ? undefined : bytesOrText(flags.streamedBytes),
    priceFile: flags.priceFile,
    // Values go to the schema as typed: it refuses what is not allowed, naming the flag.
  } as CostOptionsInput;
}

const BYTE_UNITS: Readonly<Record<string, number>> = { "": 1, B: 1, KB: 1024, MB: 1024 ** 2 };

/**
 * "20971520", "20MB", "512KB": bytes, in Lambda's binary units (its 6 MB and 200 MB are 1,024²
 * bytes each). Anything else goes to the schema as typed, to be refused with what is allowed.
 */
function bytesOrText(value: string): number | string {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB)?$/i.exec(value.trim());
  if (!match) return value;
  return Math.round(Number(match[1]) * BYTE_UNITS[(match[2] ?? "").toUpperCase()]!);
}

function runCost(flags: CostFlags): void {
  const estimate = priceConfiguration(costOptionsOf(flags), costFlagName);
  if (flags.json) printJson(estimate);
  else process.stdout.write(`${renderCostEstimate(estimate)}\n`);
}
