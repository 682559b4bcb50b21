/** `lambda-optimizer cost`: price a configuration and a month of invocations. */
import { Command } from "commander";
import { UsageError } from "../errors.js";
import { formatCount, formatNumber, formatPercent, formatUsd } from "../format.js";
import {
  DEFAULTS,
  DURATION_MS,
  EPHEMERAL_STORAGE_MB,
  INIT_DURATION_MS,
  MEMORY_MB,
} from "../lambda/limits.js";
import { type CostEstimate, estimateCost } from "../pricing/cost-estimate.js";
import { knownRegions } from "../pricing/price-table.js";
import { renderRows } from "../report/text-table.js";
import { printJson } from "./format.js";
import { parseArchitecture, parseCount, parseInRange, parseRate } from "./option-parsers.js";
import { loadPriceTable } from "./price-file.js";

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
    .option("--arch <arch>", "x86_64 or arm64", DEFAULTS.architecture)
    .option("--region <region>", "AWS region whose prices apply", "us-east-1")
    .option("--ephemeral-mb <mb>", "/tmp size in MB (512–10240; above 512 is billed)", "512")
    .option(
      "--init-ms <ms>",
      "init duration of a cold start in ms, 0–900000 (billed since 1 Aug 2025)",
    )
    .option("--cold-start-rate <share>", "share of invocations that are cold starts: 0.02 or 2%")
    .option("--provisioned-concurrency <n>", "also price N provisioned-concurrency environments")
    .option("--free-tier", "subtract the monthly free tier (1M requests, 400,000 GB-s)")
    .option("--price-file <file>", "use this price table (JSON) instead of the bundled one")
    .option("--json", "print one JSON document (shape: docs/commands/cost.md)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer cost --memory 1024 --duration-ms 100 --invocations 10M\n" +
        "  $ lambda-optimizer cost --memory 512 --duration-ms 80 --invocations 2.5k --arch arm64 --json\n" +
        "  $ lambda-optimizer cost --memory 2048 --duration-ms 40 --invocations 50M --init-ms 600 --cold-start-rate 1%\n",
    )
    .action((flags: CostFlags) => runCost(flags));
}

function runCost(flags: CostFlags): void {
  const table = loadPriceTable(flags.priceFile);
  const regions = knownRegions(table);
  if (!regions.includes(flags.region)) {
    throw new UsageError(
      `--region ${JSON.stringify(flags.region)} has no prices: expected one of ${regions.join(", ")} (or a --price-file that covers it)`,
    );
  }
  const initDurationMs =
    flags.initMs === undefined
      ? undefined
      : parseInRange("--init-ms", flags.initMs, INIT_DURATION_MS);
  const coldStartRate =
    flags.coldStartRate === undefined
      ? undefined
      : parseRate("--cold-start-rate", flags.coldStartRate);
  if ((initDurationMs === undefined) !== (coldStartRate === undefined)) {
    throw new UsageError("--init-ms and --cold-start-rate go together: give both or neither");
  }
  const estimate = estimateCost(table, {
    memoryMb: parseInRange("--memory", flags.memory, MEMORY_MB),
    durationMs: parseInRange("--duration-ms", flags.durationMs, DURATION_MS),
    invocations: parseCount("--invocations", flags.invocations),
    architecture: parseArchitecture("--arch", flags.arch),
    region: flags.region,
    ephemeralStorageMb: parseInRange("--ephemeral-mb", flags.ephemeralMb, EPHEMERAL_STORAGE_MB),
    freeTier: flags.freeTier === true,
    ...(initDurationMs !== undefined ? { initDurationMs } : {}),
    ...(coldStartRate !== undefined ? { coldStartRate } : {}),
    ...(flags.provisionedConcurrency !== undefined
      ? {
          provisionedConcurrency: parseCount(
            "--provisioned-concurrency",
            flags.provisionedConcurrency,
          ),
        }
      : {}),
  });
  if (flags.json) printJson(estimate);
  else process.stdout.write(`${renderCostEstimate(estimate)}\n`);
}

export function renderCostEstimate(estimate: CostEstimate): string {
  const { input, perInvocation, monthly } = estimate;
  const lines: string[] = [];
  lines.push(
    `${formatNumber(input.memoryMb)} MB ${input.architecture} in ${input.region}, ` +
      `${formatNumber(input.durationMs)} ms (billed ${formatNumber(input.billedDurationMs)} ms), ` +
      `${formatCount(input.invocations)} invocations a month`,
  );
  lines.push("");
  lines.push(`Per invocation: ${formatUsd(perInvocation.totalUsd)}`);
  lines.push(
    renderRows([
      [
        "compute",
        `${formatNumber(perInvocation.gbSeconds, 6)} GB-s`,
        formatUsd(perInvocation.computeUsd),
      ],
      ["request", "", formatUsd(perInvocation.requestUsd)],
      ...(perInvocation.ephemeralUsd > 0
        ? [
            [
              "ephemeral storage",
              `${formatNumber(input.ephemeralStorageMb)} MB /tmp`,
              formatUsd(perInvocation.ephemeralUsd),
            ],
          ]
        : []),
    ]),
  );
  lines.push("");
  lines.push(`Per month: ${formatUsd(monthly.totalUsd)}`);
  const tierNote =
    monthly.computeTiers.length > 1 ? ` across ${monthly.computeTiers.length} price tiers` : "";
  lines.push(
    renderRows([
      [
        "compute",
        `${formatNumber(monthly.billableGbSeconds, 0)} GB-s${tierNote}`,
        formatUsd(monthly.computeUsd),
      ],
      ["requests", `${formatCount(monthly.billableRequests)}`, formatUsd(monthly.requestsUsd)],
      ["ephemeral storage", "", formatUsd(monthly.ephemeralUsd)],
      ["total", "", formatUsd(monthly.totalUsd)],
    ]),
  );
  for (const alternative of Object.values(estimate.alternatives)) {
    const verdict =
      alternative.savingUsd >= 0
        ? `saves ${formatUsd(alternative.savingUsd)} (${formatPercent(alternative.savingPercent / 100, 1)})`
        : `costs ${formatUsd(-alternative.savingUsd)} more`;
    lines.push("");
    lines.push(
      `On ${alternative.architecture}: ${formatUsd(alternative.monthly.totalUsd)} a month — ${verdict}, ` +
        "if the code runs there as fast (measure with `lambda-optimizer tune --arch x86_64,arm64`).",
    );
  }
  const pc = estimate.provisionedConcurrency;
  if (pc) {
    lines.push("");
    lines.push(
      `With ${pc.concurrency} provisioned-concurrency environments: ${formatUsd(pc.totalUsd)} a month`,
    );
    lines.push(
      renderRows([
        ["provisioned concurrency", formatUsd(pc.configuredUsd)],
        ["duration", formatUsd(pc.durationUsd)],
        ["requests", formatUsd(pc.requestsUsd)],
        [
          pc.versusOnDemandUsd >= 0 ? "more than on-demand" : "less than on-demand",
          formatUsd(Math.abs(pc.versusOnDemandUsd)),
        ],
      ]),
    );
  }
  lines.push("");
  lines.push(
    `Prices: ${estimate.prices.region}, read ${estimate.prices.date}. Modelled figures, not measurements:`,
  );
  for (const assumption of estimate.assumptions) lines.push(`  - ${assumption}`);
  return lines.join("\n");
}
