/**
 * A comparison of two tuning runs in words: the table `lambda-optimizer
 * compare` prints, and the few lines an MCP client reads as `compare_runs`'s
 * summary. Both are built from the same lines, so the two surfaces agree.
 */
import { formatMs, formatNumber, formatPercent, formatUsd } from "../format.js";
import type { Breach, Change, Comparison, ConfigurationChange } from "../tuning/compare.js";
import { describeConfiguration } from "../tuning/configuration-key.js";
import { renderRows } from "./text-table.js";

/** The two runs' files, as the reader named them (or as a saved run id resolved). */
export interface ComparedFiles {
  readonly oldFile: string;
  readonly newFile: string;
}

/** A few lines: the two runs, the recommendation's change, any notes, and the verdict. */
export function summarizeComparison(comparison: Comparison, files: ComparedFiles): string {
  return [
    ...describeRuns(comparison, files),
    describeRecommendationChange(comparison, files),
    ...comparison.notes.map((note) => `Note: ${note}`),
    verdict(comparison),
    ...(comparison.freshness ? [comparison.freshness.message] : []),
  ].join("\n");
}

function describeRuns({ before, after }: Comparison, files: ComparedFiles): string[] {
  return [
    `${files.oldFile}: ${before.functionName} in ${before.region}, ${before.createdAt}`,
    `${files.newFile}: ${after.functionName} in ${after.region}, ${after.createdAt}`,
  ];
}

/** The whole comparison, as `lambda-optimizer compare` prints it. */
export function renderComparison(comparison: Comparison, files: ComparedFiles): string {
  const { before, after, gates } = comparison;
  const lines: string[] = describeRuns(comparison, files);
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
  // The age gate's verdict, on a line of its own: the newer run's date, age and code.
  if (comparison.freshness) lines.push(comparison.freshness.message);
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

function describeRecommendationChange(comparison: Comparison, files: ComparedFiles): string {
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
