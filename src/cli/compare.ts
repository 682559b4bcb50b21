/** `lambda-optimizer compare`: two tuning runs side by side, and a cost and latency gate for CI. */
import { Command } from "commander";
import { EXIT, UsageError } from "../errors.js";
import { formatMs, formatNumber, formatPercent, formatUsd } from "../format.js";
import { renderRows } from "../report/text-table.js";
import {
  type Breach,
  type Change,
  type Comparison,
  type ConfigurationChange,
  compareRuns,
  differentFunctions,
} from "../tuning/compare.js";
import { describeConfiguration } from "../tuning/configuration-key.js";
import { printJson } from "./format.js";
import { parseRate } from "./option-parsers.js";
import { loadTuneResult } from "./tune-result-file.js";

interface CompareFlags {
  maxCostIncrease: string;
  maxP95Increase: string;
  force?: boolean;
  json?: boolean;
}

export function compareCommand(): Command {
  return new Command("compare")
    .summary("compare two tuning runs; exit 1 when cost or p95 rose past a gate")
    .description(
      "Compare two tuning runs (tune --out) configuration by configuration, matched by\n" +
        "memory and architecture: cost per invocation and p95 duration before and after.\n" +
        "Exits 1 when a configuration's cost or p95 rose by more than its gate, when a\n" +
        "configuration that worked now fails, or when the old run had a recommendation and\n" +
        "the new one has none. Configurations measured in only one run are listed, not gated.",
    )
    .argument("<old.json>", "the earlier run (the baseline)")
    .argument("<new.json>", "the later run")
    .option(
      "--max-cost-increase <share>",
      "largest allowed rise in cost per invocation: 0.05 or 5%",
      "5%",
    )
    .option("--max-p95-increase <share>", "largest allowed rise in p95 duration: 0.1 or 10%", "10%")
    .option("--force", "compare runs of two different functions anyway")
    .option("--json", "print one JSON document (shape: docs/commands/compare.md)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer compare main.json branch.json\n" +
        "  $ lambda-optimizer compare main.json branch.json --max-cost-increase 2% --max-p95-increase 0.2 --json\n",
    )
    .action((oldFile: string, newFile: string, flags: CompareFlags) =>
      runCompare(oldFile, newFile, flags),
    );
}

function runCompare(oldFile: string, newFile: string, flags: CompareFlags): void {
  const gates = {
    maxCostIncrease: parseRate("--max-cost-increase", flags.maxCostIncrease),
    maxP95Increase: parseRate("--max-p95-increase", flags.maxP95Increase),
  };
  const before = loadTuneResult(oldFile);
  const after = loadTuneResult(newFile);
  const different = differentFunctions(before, after);
  if (different && !flags.force) {
    throw new UsageError(
      `${oldFile} is a run of ${different.before} and ${newFile} of ${different.after}: different functions, so their costs do not compare; give --force to compare them anyway`,
    );
  }
  const comparison = compareRuns(before, after, gates);
  if (flags.json) printJson(comparison);
  else process.stdout.write(`${renderComparison(comparison, { oldFile, newFile })}\n`);
  // A failed gate is an answer, not an error: the report is printed in full, then exit 1.
  if (comparison.regression) process.exitCode = EXIT.gateFailed;
}

export function renderComparison(
  comparison: Comparison,
  files: { oldFile: string; newFile: string },
): string {
  const { before, after, gates } = comparison;
  const lines: string[] = [];
  lines.push(`${files.oldFile}: ${before.functionName} in ${before.region}, ${before.createdAt}`);
  lines.push(`${files.newFile}: ${after.functionName} in ${after.region}, ${after.createdAt}`);
  lines.push(
    `Gates: cost per invocation up to ${formatPercent(gates.maxCostIncrease, 2)} more, ` +
      `p95 duration up to ${formatPercent(gates.maxP95Increase, 2)} more.`,
  );
  lines.push("");
  if (comparison.configurations.length > 0) {
    lines.push(
      renderRows([
        ["configuration", "gate", "cost per invocation", "change", "p95", "change"],
        ...comparison.configurations.map((change) => configurationRow(change, comparison)),
      ]),
    );
  }
  if (comparison.onlyBefore.length + comparison.onlyAfter.length > 0) lines.push("");
  const only = [
    [files.oldFile, comparison.onlyBefore],
    [files.newFile, comparison.onlyAfter],
  ] as const;
  for (const [file, keys] of only) {
    if (keys.length > 0)
      lines.push(`  Only in ${file}: ${keys.map(describeConfiguration).join(", ")}`);
  }
  lines.push("");
  lines.push(describeRecommendationChange(comparison, files));
  for (const note of comparison.notes) lines.push(`Note: ${note}`);
  lines.push(
    before.pricesDate === after.pricesDate
      ? `Prices: ${before.region}, read ${before.pricesDate}.`
      : `Prices: ${before.region} read ${before.pricesDate} (old), ${after.region} read ${after.pricesDate} (new).`,
  );
  lines.push("");
  lines.push(verdict(comparison));
  return lines.join("\n");
}

function configurationRow(change: ConfigurationChange, comparison: Comparison): string[] {
  const name = describeConfiguration(change);
  const gate =
    change.breaches.length > 0
      ? `REGRESSION: ${change.breaches.map((breach) => describeBreach(breach, comparison)).join(", ")}`
      : "ok";
  const cost = change.costPerInvocationUsd;
  const p95 = change.durationMsP95;
  if (!cost || !p95) {
    return [name, gate, `${change.statusBefore} → ${change.statusAfter}`, "—", "—", "—"];
  }
  return [
    name,
    gate,
    `${formatUsd(cost.before)} → ${formatUsd(cost.after)}`,
    `${signedPercent(cost)}${change.costWithinNoise ? " (within noise)" : ""}`,
    `${formatMs(p95.before)} ms → ${formatMs(p95.after)} ms`,
    signedPercent(p95),
  ];
}

function describeBreach(breach: Breach, comparison: Comparison): string {
  switch (breach) {
    case "cost":
      return `cost > +${formatPercent(comparison.gates.maxCostIncrease, 2)}`;
    case "p95":
      return `p95 > +${formatPercent(comparison.gates.maxP95Increase, 2)}`;
    case "failed":
      return "now fails";
  }
}

function describeRecommendationChange(
  comparison: Comparison,
  files: { oldFile: string; newFile: string },
): string {
  const { before, after, changed } = comparison.recommendation;
  const describe = (recommendation: NonNullable<typeof before>) =>
    `${describeConfiguration(recommendation)} (${recommendation.strategy} strategy, ${formatUsd(recommendation.costPerInvocationUsd)} per invocation)`;
  if (!before && !after) return "Recommendation: none in either run.";
  if (before && !after) {
    return `Recommendation lost: ${files.oldFile} recommends ${describe(before)}; ${files.newFile} recommends none (every configuration failed, or none meets the SLO).`;
  }
  if (!before && after) {
    return `Recommendation: none in ${files.oldFile}; ${files.newFile} recommends ${describe(after)}.`;
  }
  return changed
    ? `Recommendation changed: ${describe(before!)} → ${describe(after!)}.`
    : `Recommendation unchanged: ${describeConfiguration(before!)} (${before!.strategy} strategy), ` +
        `${formatUsd(before!.costPerInvocationUsd)} → ${formatUsd(after!.costPerInvocationUsd)} per invocation.`;
}

function verdict(comparison: Comparison): string {
  if (!comparison.regression) {
    return comparison.configurations.length > 0
      ? "No regression: every configuration measured in both runs is within the gates."
      : "No regression found, but no configuration could be compared (see the note above).";
  }
  const failing = comparison.configurations.filter((change) => change.breaches.length > 0);
  const parts = failing.map(
    (change) =>
      `${describeConfiguration(change)} (${change.breaches.map((breach) => describeBreach(breach, comparison)).join(", ")})`,
  );
  if (comparison.recommendation.lost) parts.push("the recommendation was lost");
  return `Regression: ${parts.join("; ")}.`;
}

function signedPercent(change: Change): string {
  if (change.before === 0 && change.after !== 0) return `from 0 to ${formatNumber(change.after)}`;
  const sign = change.relative > 0 ? "+" : change.relative < 0 ? "-" : "±";
  return `${sign}${formatPercent(Math.abs(change.relative), 1)}`;
}
