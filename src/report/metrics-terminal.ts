/** `metrics` in the terminal: a row per function, then what to change, with the figures behind it. */
import { formatCount, formatMs, formatNumber, formatPercent, formatUsd } from "../format.js";
import type { FunctionMetrics, MetricsReport } from "../metrics/metrics-report.js";
import { describePricesUsed } from "../pricing/price-table.js";
import { renderRows } from "./text-table.js";

const dash = "—";
const ms = (value: number | null) => (value === null ? dash : formatMs(value));
const share = (value: number | null) => (value === null ? dash : formatPercent(value));

export function renderMetricsTable(report: MetricsReport): string {
  if (report.functions.length === 0)
    return "No Lambda log lines found: no REPORT line in the input.";
  const rows = [
    [
      "Function",
      "Invocations",
      "Errors",
      "Cold",
      "p50 ms",
      "p99 ms",
      "Memory used p99",
      "Cost",
      "Per month",
      "Saving/month",
    ],
    ...report.functions.map((fn) => [
      fn.name,
      formatCount(fn.invocations),
      fn.errors > 0 ? formatCount(fn.errors) : "0",
      fn.restores > 0
        ? `${share(fn.coldStartRate)} (${formatCount(fn.restores)} restored)`
        : share(fn.coldStartRate),
      ms(fn.durationMs.p50),
      ms(fn.durationMs.p99),
      fn.memorySizeMb === null
        ? dash
        : `${fn.maxMemoryUsedMb.p99 ?? dash}/${fn.memorySizeMb} MB (${share(fn.memoryUtilization.p99)})`,
      formatUsd(fn.costUsd),
      fn.monthlyCostUsd === null ? dash : formatUsd(fn.monthlyCostUsd),
      savingOf(fn) > 0 ? formatUsd(savingOf(fn)) : dash,
    ]),
  ];
  return [renderRows(rows), ...responsesTable(report)].join("\n");
}

/** The responses platform.runtimeDone describes (JSON log format), for the functions that have any. */
function responsesTable(report: MetricsReport): string[] {
  const withResponses = report.functions.filter((fn) => fn.responses);
  if (withResponses.length === 0) return [];
  const bytes = (value: number | null) =>
    value === null ? dash : `${formatNumber(value / 1024, 1)} KB`;
  return [
    "",
    "Responses (platform.runtimeDone): time to first byte, time to send the rest, bytes",
    renderRows([
      [
        "Function",
        "Responses",
        "TTFB p50 ms",
        "TTFB p95 ms",
        "Send p50 ms",
        "Bytes mean",
        "Bytes max",
        "Beyond 6 MB",
      ],
      ...withResponses.map((fn) => {
        const responses = fn.responses!;
        return [
          fn.name,
          formatCount(responses.count),
          ms(responses.ttfbMs.p50),
          ms(responses.ttfbMs.p95),
          ms(responses.sendMs.p50),
          bytes(responses.bytes.mean),
          bytes(responses.bytes.max),
          bytes(responses.bytes.beyondFreeTotal),
        ];
      }),
    ]),
  ];
}

export function renderMetricsRecommendations(report: MetricsReport): string {
  const lines: string[] = [];
  for (const fn of report.functions) {
    if (fn.recommendations.length === 0) continue;
    lines.push(`${fn.name}:`);
    for (const recommendation of fn.recommendations) {
      lines.push(`  [${recommendation.id}] ${recommendation.message}`);
      lines.push(`      evidence: ${recommendation.evidence}`);
    }
  }
  const footer = [
    report.window
      ? `Window: ${report.window.start} to ${report.window.end} (${formatNumber(report.window.days, 2)} days).`
      : "",
    `Prices: ${describePricesUsed(report.prices)}; costs are billed durations priced by the table (a model of the bill).`,
    report.skippedLines > 0
      ? `${formatCount(report.skippedLines)} lines were not Lambda platform lines and were skipped.`
      : "",
    ...report.problems.map((problem) => `Problem: ${problem.source}: ${problem.message}`),
    ...report.notes,
  ].filter(Boolean);
  return [...(lines.length > 0 ? lines : ["Nothing to change found."]), "", ...footer].join("\n");
}

export function savingOf(fn: FunctionMetrics): number {
  return fn.recommendations.reduce(
    (sum, recommendation) => sum + (recommendation.monthlySavingsUsd ?? 0),
    0,
  );
}
