/**
 * `esm simulate` in words: the settings the run used, its figures (records processed, backlog,
 * invocations, ages, concurrency, throttles, retries, cost), the bill line by line, terminal
 * charts of the backlog and the oldest record's age over time, and what is modelled; and the few
 * lines an MCP client reads as `esm_simulate`'s summary, from the same sentences.
 */

import type { EsmSimulationResult } from "../esm/simulation/simulation-result.js";
import { formatCount, formatNumber, formatUsd } from "../format.js";
import { describePricesUsed } from "../pricing/price-table.js";
import { renderLineChart } from "./ascii-line-chart.js";
import {
  closingLines,
  describeModelled,
  describeSettings,
  describeSpan,
  formatAge,
  SOURCE_LABELS,
  settingValue,
  timeLabel,
} from "./esm-wording.js";
import { displayWidth, renderRows } from "./text-table.js";

/** "SQS mapping, 1 hour simulated (seed 1): 3.6M records arrived". */
export function describeSimulationRun(result: EsmSimulationResult): string {
  return (
    `${SOURCE_LABELS[result.source]} mapping, ${describeSpan(result.periodSeconds)} simulated ` +
    `(seed ${result.seed}, ${formatCount(result.events)} events): ${formatNumber(result.arrived, 0)} records arrived`
  );
}

/** "processed 3,599,990, backlog at the end 10, ages p50 0.05 s / p99 0.3 s / max 1.2 s, ...". */
export function simulationFigures(result: EsmSimulationResult): [string, string][] {
  return [
    ["Records processed", formatNumber(result.processed, 0)],
    ["Backlog at the end", formatNumber(result.backlogEnd, 0)],
    ["Discarded", formatNumber(result.discarded, 0)],
    [
      "Invocations",
      `${formatNumber(result.invocations, 0)} (mean batch ${formatNumber(result.meanBatchSize, 1)})`,
    ],
    [
      "Age when processed",
      `p50 ${formatAge(result.ageP50Seconds)}, p99 ${formatAge(result.ageP99Seconds)}, max ${formatAge(result.maxAgeSeconds)}`,
    ],
    ["Peak concurrency", formatNumber(result.concurrencyMax, 0)],
    ["Throttles", formatNumber(result.throttles, 0)],
    ["Retries", formatNumber(result.retries, 0)],
    [`Cost over the run (${describeSpan(result.periodSeconds)})`, formatUsd(result.periodUsd)],
    ["Cost per month (730 h)", formatUsd(result.monthlyUsd)],
  ];
}

/** The backlog and the oldest record's age over the run, one chart above the other. */
export function renderSimulationCharts(result: EsmSimulationResult, width = 80): string {
  const { timeline } = result;
  if (timeline.length < 2) return "  (no chart: the run has fewer than two points in time)";
  const xLabels = timeline.map((point) => timeLabel(point.atSeconds));
  const backlog = timeline.map((point) => point.backlog);
  const ages = timeline.map((point) => point.oldestAgeSeconds);
  // One label width for both charts, so their time axes line up one above the other.
  const labelWidth = Math.max(
    ...backlog.map((value) => formatNumber(value, 0).length),
    ...ages.map((value) => formatAge(value).length),
  );
  const common = { xLabels, width, height: 7, labelWidth };
  return [
    renderLineChart({
      ...common,
      title: "Backlog (records not yet processed)",
      series: [{ label: "backlog", values: backlog }],
      formatY: (value) => formatNumber(value, 0),
    }),
    "",
    renderLineChart({
      ...common,
      title: "Age of the oldest record not yet processed",
      series: [{ label: "oldest age", values: ages }],
      formatY: formatAge,
    }),
  ].join("\n");
}

/** "Settings: BatchSize 10, ..." wrapped to the width between settings, never inside one. */
function settingsLines(result: EsmSimulationResult, width: number): string {
  const parts = Object.entries(result.settings).map(
    ([name, value]) => `${name} ${settingValue(value)}`,
  );
  const lines: string[] = [];
  let line = "Settings:";
  parts.forEach((part, index) => {
    const text = `${part}${index < parts.length - 1 ? "," : ""}`;
    if (displayWidth(`${line} ${text}`) > width && line.trim() !== "") {
      lines.push(line);
      line = ` ${text}`;
    } else line = `${line} ${text}`;
  });
  lines.push(line);
  return lines.join("\n");
}

/** The whole answer, as `lambda-optimizer esm simulate` prints it. */
export function renderEsmSimulationText(result: EsmSimulationResult, width = 80): string {
  const lines = [
    describeSimulationRun(result),
    settingsLines(result, width),
    "",
    renderRows(simulationFigures(result)),
    "",
    `The bill over the run (${describeSpan(result.periodSeconds)}): ${formatUsd(result.periodUsd)}`,
  ];
  const amounts = renderRows(
    result.lines.map((line) => [line.label, formatUsd(line.usd)]),
    "  ",
  ).split("\n");
  result.lines.forEach((line, index) => {
    lines.push(amounts[index]!);
    if (line.formula) lines.push(`    ${line.formula}`);
  });
  lines.push(
    `  A month is 730 hours: × ${formatNumber((730 * 3_600) / result.periodSeconds, 4)} = ${formatUsd(result.monthlyUsd)}.`,
    "",
    renderSimulationCharts(result, width),
    "",
    ...closingLines(result),
  );
  return lines.join("\n");
}

/** A few lines: the run, its settings, its figures, what is modelled. */
export function summarizeEsmSimulation(result: EsmSimulationResult): string {
  return [
    `${describeSimulationRun(result)}.`,
    `Settings: ${describeSettings(result.settings)}.`,
    `${simulationFigures(result)
      .map(([name, value]) => `${name}: ${value}`)
      .join("; ")}.`,
    `Prices: ${describePricesUsed(result.prices)}. Modelled: ${result.modelled.map(describeModelled).join("; ") || "nothing"}.`,
    ...result.notes,
  ].join("\n");
}
