/**
 * What `tune` prints when it is done: the table of configurations, a small cost and duration
 * chart, and the recommendation. Plain text that fits 80 columns and needs no colour, so it reads
 * the same in a terminal, a CI log and a pasted issue.
 */
import { formatMs, formatNumber, formatPercent, formatUsd } from "../format.js";
import { describePricesUsed } from "../pricing/price-table.js";
import type { ConfigurationResult, TuneResult } from "../tuning/tune-result.js";
import { type ChartMarker, LINE_STYLES, renderLineChart } from "./ascii-line-chart.js";
import { oneLine } from "./report-format.js";
import {
  architecturesOf,
  describeConfiguration,
  hasFirstByteTimes,
  hasSamples,
  isCharted,
  memorySizesOf,
  modelledArchitectures,
  sloBound,
  sortedConfigurations,
  standingOf,
  strategyDescription,
} from "./report-model.js";
import { describeRunSandbox } from "./sandbox-text.js";
import { renderTextTable, type TextColumn, type TextRow, wrapText } from "./text-table.js";

const RECOMMENDED_MARK = "*";
/** Marks a duration that was not measured on its architecture (a local run's priced copy). */
const MODELLED_MARK = "†";
const TIED_MARK = "~";
const NOT_MEASURED = "—";
const ERROR_MESSAGE_LENGTH = 70;
const MAX_LISTED_FAILURES = 5;

const FIRST_BYTE_COLUMNS: readonly TextColumn[] = [
  { header: "TTFB p50", align: "right" },
  { header: "TTFB p95", align: "right" },
];

/** The table's columns; time to first byte beside the durations when the run measured it. */
const tableColumns = (firstByte: boolean): readonly TextColumn[] => [
  { header: "", align: "left" },
  { header: "Memory", align: "right" },
  { header: "Arch", align: "left" },
  { header: "p50 ms", align: "right" },
  { header: "p95 ms", align: "right" },
  ...(firstByte ? FIRST_BYTE_COLUMNS : []),
  { header: "Per invocation", align: "right" },
  { header: "Per 1M", align: "right" },
  { header: "Init ms", align: "right" },
  { header: "Status", align: "left" },
];

export function renderTuneTable(result: TuneResult): string {
  // Within 80 columns the durations come first: time to first byte joins them when it is what the
  // strategy ranked by (the HTML report and the CSV show it whenever it was measured).
  const firstByte = result.settings.metric === "ttfb" && hasFirstByteTimes(result);
  const rows: TextRow[] = sortedConfigurations(result).flatMap((configuration) => {
    const row = tableRow(result, configuration, firstByte);
    return configuration.error === null ? [row] : [row, { note: errorNote(configuration) }];
  });
  const legend = [
    `${RECOMMENDED_MARK} recommended`,
    ...(result.recommendation?.tiedWith.length ? [`${TIED_MARK} tied with it within noise`] : []),
  ];
  const modelled = modelledArchitectures(result).map((entry) =>
    paragraph(
      `${MODELLED_MARK} ${entry.architecture} durations ${entry.duration}: this machine's ${entry.measuredOn} samples, priced at ${entry.architecture}'s rates.`,
    ),
  );
  return [
    renderTextTable(tableColumns(firstByte), rows),
    "",
    `  ${legend.join("   ")}`,
    "  Init ms: the warm-up invocation's cold start, kept out of the samples.",
    ...(firstByte
      ? [
          "  TTFB: ms from the invocation's start to the first byte of its answer (a buffered answer's: all of it).",
        ]
      : []),
    ...modelled,
  ].join("\n");
}

function tableRow(
  result: TuneResult,
  configuration: ConfigurationResult,
  firstByte: boolean,
): string[] {
  const standing = standingOf(result, configuration);
  const measured = hasSamples(configuration);
  const mark = configuration.modelled ? ` ${MODELLED_MARK}` : "";
  const ms = (value: number) => (measured ? `${formatMs(value)}${mark}` : NOT_MEASURED);
  return [
    standing === "recommended" ? RECOMMENDED_MARK : standing === "tied" ? TIED_MARK : "",
    `${formatNumber(configuration.memoryMb)} MB`,
    configuration.architecture,
    ms(configuration.durationMs.p50),
    ms(configuration.durationMs.p95),
    ...(firstByte
      ? [configuration.ttfbMs?.p50, configuration.ttfbMs?.p95].map((value) =>
          value == null ? NOT_MEASURED : ms(value),
        )
      : []),
    measured ? formatUsd(configuration.costPerInvocationUsd) : NOT_MEASURED,
    measured ? formatUsd(configuration.costPer1MInvocationsUsd) : NOT_MEASURED,
    configuration.coldStart?.initDurationMs == null
      ? NOT_MEASURED
      : `${formatMs(configuration.coldStart.initDurationMs)}${mark}`,
    statusText(configuration),
  ];
}

function statusText(configuration: ConfigurationResult): string {
  if (configuration.status === "failed") return "failed";
  if (configuration.modelled) return "modelled";
  return configuration.errors > 0
    ? `ok, ${configuration.errors} error${configuration.errors === 1 ? "" : "s"}`
    : "ok";
}

function errorNote(configuration: ConfigurationResult): string {
  return `└ ${errorText(configuration)}`;
}

function errorText(configuration: ConfigurationResult): string {
  const error = configuration.error;
  if (error === null) return "failed";
  return oneLine(`${error.type}: ${error.message}`, ERROR_MESSAGE_LENGTH);
}

/** Cost per 1M invocations and p50 duration over memory, one line per architecture. */
export function renderTuneChart(result: TuneResult, width = 80): string {
  const memorySizes = memorySizesOf(result);
  const architectures = architecturesOf(result);
  const valuesOf = (read: (configuration: ConfigurationResult) => number) =>
    architectures.map((architecture) => ({
      label: architecture,
      values: memorySizes.map((memoryMb) => {
        const configuration = result.results.find(
          (candidate) => candidate.memoryMb === memoryMb && candidate.architecture === architecture,
        );
        return configuration && isCharted(configuration) ? read(configuration) : null;
      }),
    }));
  const costSeries = valuesOf((configuration) => configuration.costPer1MInvocationsUsd);
  const durationSeries = valuesOf((configuration) => configuration.durationMs.p50);
  if (costSeries.every((series) => series.values.every((value) => value === null))) {
    return "  (no chart: no configuration succeeded)";
  }

  const recommendation = result.recommendation;
  const markers: ChartMarker[] =
    recommendation === null
      ? []
      : [
          {
            seriesIndex: architectures.indexOf(recommendation.architecture),
            pointIndex: memorySizes.indexOf(recommendation.memoryMb),
            symbol: "●",
          },
        ];
  const allValues = (series: typeof costSeries) =>
    series.flatMap((one) => one.values.filter((value) => value !== null));
  // One label width for both charts, so their x axes line up one above the other.
  const labelWidth = Math.max(
    ...allValues(costSeries).map((value) => formatUsd(value).length),
    ...allValues(durationSeries).map((value) => formatMs(value).length + 3),
  );
  const common = {
    xLabels: memorySizes.map(String),
    xUnit: "MB",
    width,
    height: 7,
    labelWidth,
    markers,
  };
  const legend = architectures
    .map(
      (architecture, index) => `${LINE_STYLES[index % LINE_STYLES.length]?.sample} ${architecture}`,
    )
    .concat(recommendation === null ? [] : ["● recommended"])
    .join("   ");
  return [
    renderLineChart({
      ...common,
      title: "Cost per 1M invocations (USD)",
      series: costSeries,
      formatY: formatUsd,
    }),
    "",
    renderLineChart({
      ...common,
      title: "Duration p50 (ms)",
      series: durationSeries,
      formatY: (value) => `${formatMs(value)} ms`,
    }),
    "",
    `  ${legend}`,
  ].join("\n");
}

/** The verdict: what to set, why, and what it saves; or why there is nothing to set. */
export function renderRecommendation(result: TuneResult): string {
  const verdict = result.verdict;
  return [
    ...verdictLines(result),
    ...(verdict ? [paragraph(`Verdict: ${verdict.summary}.`)] : []),
    ...(result.sandbox ? [paragraph(`Sandbox: ${describeRunSandbox(result.sandbox)}.`)] : []),
    paragraph(
      `Prices: ${describePricesUsed(result.prices)}. This tuning run cost ` +
        `${formatUsd(result.tuningCostUsd)} (every invocation, warm-ups and failures included).`,
    ),
  ].join("\n");
}

const WIDTH = 80;

/** A sentence wrapped to 80 columns, indented like the lines around it. */
function paragraph(text: string, indent = "  "): string {
  return `${indent}${wrapText(text, WIDTH - indent.length, indent)}`;
}

function verdictLines(result: TuneResult): string[] {
  const recommendation = result.recommendation;
  const keeps = `The function keeps its original configuration, ${describeConfiguration(result.original)}.`;
  if (recommendation === null) {
    const failed = result.results.filter((configuration) => configuration.status === "failed");
    if (failed.length === result.results.length) {
      return [
        "No recommendation: every configuration failed.",
        ...failed
          .slice(0, MAX_LISTED_FAILURES)
          .map((configuration) =>
            paragraph(`${describeConfiguration(configuration)}: ${errorText(configuration)}`),
          ),
        ...(failed.length > MAX_LISTED_FAILURES
          ? [`  … and ${failed.length - MAX_LISTED_FAILURES} more.`]
          : []),
        paragraph(keeps),
      ];
    }
    if (result.settings.strategy === "slo") {
      const closest = result.closestToSlo;
      const bound = sloBound(result.settings.maxP95Ms, result.settings.maxP99Ms);
      return [
        `No recommendation: no configuration meets the SLO (${bound}).`,
        closest === null
          ? "  No configuration succeeded to come close."
          : paragraph(
              `The closest is ${describeConfiguration(closest)}, at ${formatMs(closest.percentileMs)} ms.`,
            ),
        paragraph(keeps),
      ];
    }
    return ["No recommendation.", paragraph(keeps)];
  }

  const lines = [
    `Recommended: ${describeConfiguration(recommendation)}`,
    paragraph(
      `${formatUsd(recommendation.costPerInvocationUsd)} per invocation ` +
        `(${formatUsd(recommendation.costPerInvocationUsd * 1e6)} per 1M), ` +
        `p50 ${formatMs(recommendation.durationMsP50)} ms, p95 ${formatMs(recommendation.durationMsP95)} ms` +
        (recommendation.ttfbMsP50 != null && recommendation.ttfbMsP95 != null
          ? `, first byte p50 ${formatMs(recommendation.ttfbMsP50)} ms, p95 ${formatMs(recommendation.ttfbMsP95)} ms`
          : "") +
        "; " +
        `strategy ${strategyDescription(result)}.`,
    ),
    paragraph(recommendation.reason),
    paragraph(savingSentence(result)),
  ];
  if (result.applied !== null) {
    const { alias, version } = result.applied;
    const where =
      alias === null
        ? "$LATEST"
        : `alias ${alias}${version === null ? "" : ` (version ${version})`}`;
    lines.push(paragraph(`Applied: ${describeConfiguration(result.applied)} on ${where}.`));
  }
  return lines;
}

/** The saving against the original configuration, in words; a negative saving costs more. */
export function savingSentence(result: TuneResult): string {
  const original = describeConfiguration(result.original);
  const saving = result.recommendation?.savingVsOriginal ?? null;
  if (saving === null) {
    return `The original configuration (${original}) was not measured, so there is no saving to show.`;
  }
  const percent = formatPercent(Math.abs(saving.percent) / 100, 1);
  if (saving.perInvocationUsd > 0) {
    return (
      `Saves ${formatUsd(saving.perInvocationUsd)} per invocation ` +
      `(${formatUsd(saving.per1MInvocationsUsd)} per 1M, ${percent}) against the original ${original}.`
    );
  }
  if (saving.perInvocationUsd < 0) {
    return (
      `Costs ${formatUsd(-saving.perInvocationUsd)} more per invocation ` +
      `(${formatUsd(-saving.per1MInvocationsUsd)} per 1M, +${percent}) than the original ${original}.`
    );
  }
  return `Costs the same as the original ${original}.`;
}
