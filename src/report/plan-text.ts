/**
 * `plan` in words: the table of billing models, the traffic's shape, the recommendation with
 * its reasoning, the arithmetic behind every figure, the prices and what is modelled; and the
 * few lines an MCP client reads as `plan_billing`'s summary. Both are built from the same
 * sentences, so the two surfaces say the same thing.
 */
import { formatCount, formatMs, formatNumber, formatPercent, formatUsd } from "../format.js";
import type { BillingOption, PlanResult } from "../planning/plan-result.js";
import { describePricesUsed } from "../pricing/price-table.js";
import {
  BILLING_MODEL_LABELS,
  describeScaling,
  optionDetail,
  TRAFFIC_PATTERN_LABELS,
} from "./plan-wording.js";
import { renderRows, renderTextTable } from "./text-table.js";

const dash = "—";

/** "orders-api: 1,024 MB x86_64, nodejs22.x, mean 120 ms, init 850 ms". */
export function describePlannedFunction(result: PlanResult): string {
  const fn = result.function;
  const parts = [
    `${formatNumber(fn.memoryMb)} MB ${fn.architecture}`,
    ...(fn.runtime ? [fn.runtime] : []),
    `mean ${formatMs(fn.meanDurationMs)} ms`,
    ...(fn.initDurationMs !== undefined ? [`init ${formatMs(fn.initDurationMs)} ms`] : []),
  ];
  return `${fn.name ?? "Function"}: ${parts.join(", ")}`;
}

/** "14 days from 2026-11-16 00:00 UTC in 1-minute steps, 120.96M invocations (traffic/orders.csv)". */
export function describeTraffic(result: PlanResult): string {
  const { profile } = result;
  const step =
    profile.stepSeconds % 60 === 0
      ? `${formatNumber(profile.stepSeconds / 60)}-minute`
      : `${formatNumber(profile.stepSeconds)}-second`;
  const concurrency = profile.concurrencyEstimated ? ", concurrency estimated" : "";
  return (
    `${describeLength(result.periodSeconds)} from ${profile.start.slice(0, 16).replace("T", " ")} UTC ` +
    `in ${step} steps, ${formatCount(profile.invocations)} invocations${concurrency} (${profile.origin})`
  );
}

function describeLength(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${formatNumber(seconds / 86_400, 1)} days`;
  if (seconds >= 2 * 3_600) return `${formatNumber(seconds / 3_600, 1)} hours`;
  return `${formatNumber(seconds / 60, 1)} minutes`;
}

/** "steady baseline + spikes: peak-to-mean 2.58, 0% of steps idle, coefficient of variation 0.29". */
export function describeShape(result: PlanResult): string {
  const { shape } = result;
  return (
    `${TRAFFIC_PATTERN_LABELS[shape.pattern]}: peak-to-mean ${formatNumber(shape.peakToMeanConcurrency)}, ` +
    `${formatPercent(shape.idleStepShare)} of steps idle, coefficient of variation ${formatNumber(shape.coefficientOfVariation)}; ` +
    `concurrency mean ${formatNumber(shape.meanConcurrency, 2)}, baseline ${formatNumber(shape.baselineConcurrency, 1)}, peak ${formatNumber(shape.peakConcurrency, 1)}`
  );
}

/** "Managed Instances at $463.58 a month saves $114.68 a month against on-demand". */
export function describeRecommendation(result: PlanResult): string {
  const { recommendation } = result;
  const model = BILLING_MODEL_LABELS[recommendation.model];
  const saving =
    recommendation.model === "on-demand"
      ? ""
      : recommendation.monthlySavingUsd >= 0
        ? ` saves ${formatUsd(recommendation.monthlySavingUsd)} a month against on-demand`
        : ` costs ${formatUsd(-recommendation.monthlySavingUsd)} a month more than on-demand`;
  return `${model} at ${formatUsd(recommendation.monthlyUsd)} a month${saving}`;
}

/** "provisioned concurrency costs $75.36 a month more ($538.94)". */
export function describeRunnerUp(result: PlanResult): string | undefined {
  const runnerUp = result.recommendation.runnerUp;
  if (!runnerUp) return undefined;
  return `${BILLING_MODEL_LABELS[runnerUp.model]} costs ${formatUsd(runnerUp.monthlyDifferenceUsd)} a month more (${formatUsd(runnerUp.monthlyUsd)})`;
}

function coldStartCells(option: BillingOption): [string, string] {
  if (!option.available) return [dash, dash];
  return [
    formatNumber(Math.round(option.monthlyColdStarts), 0),
    formatShare(option.coldStartShare),
  ];
}

/** A cold-start share, with the digits a tiny one needs: 0.0026%, not 0%. */
export function formatShare(share: number): string {
  return share > 0 && share < 0.0001 ? formatPercent(share, 4) : formatPercent(share);
}

/** The table: a row per model, the recommended one marked. */
export function renderPlanTable(result: PlanResult): string {
  const rows = result.options.map((option) => [
    `${option.model === result.recommendation.model ? "→ " : "  "}${BILLING_MODEL_LABELS[option.model]}`,
    option.available ? formatUsd(option.monthlyUsd) : dash,
    ...coldStartCells(option),
    optionDetail(option, "short"),
  ]);
  return renderTextTable(
    [
      { header: "  Model", align: "left" },
      { header: "Per month", align: "right" },
      { header: "Cold starts/month", align: "right" },
      { header: "Share", align: "right" },
      { header: "Notes", align: "left" },
    ],
    rows,
  );
}

/** Each available option's bill over the profile's period, line by line with its formula. */
function renderArithmetic(result: PlanResult): string[] {
  const lines = [`The arithmetic, over the profile's ${describeLength(result.periodSeconds)}:`];
  for (const option of result.options.filter((candidate) => candidate.available)) {
    lines.push(`  ${BILLING_MODEL_LABELS[option.model]}: ${formatUsd(option.periodUsd)}`);
    // Each line's amount beside its label, its formula under it: formulas are too long for a column.
    const amounts = renderRows(
      option.lines.map((line) => [line.label, formatUsd(line.usd)]),
      "    ",
    ).split("\n");
    option.lines.forEach((line, index) => {
      lines.push(amounts[index]!);
      if (line.formula) lines.push(`      ${line.formula}`);
    });
  }
  const month = (730 * 3_600) / result.periodSeconds;
  lines.push(
    `  A month is 730 hours: each total × ${formatNumber(month, 4)} (730 h ÷ ${formatNumber(result.periodSeconds / 3_600, 2)} h).`,
  );
  return lines;
}

/** Every note: the plan's own, then each option's, named by its model. */
function allNotes(result: PlanResult): string[] {
  return [
    ...result.notes,
    ...result.options.flatMap((option) =>
      option.notes.map((note) => `${BILLING_MODEL_LABELS[option.model]}: ${note}`),
    ),
  ];
}

/** Every modelled figure: the plan's assumptions, then each option's own with the models it is in. */
export function allModelled(result: PlanResult): string[] {
  const modelsOf = new Map<string, string[]>();
  for (const option of result.options) {
    for (const figure of option.modelled) {
      if (result.modelled.includes(figure)) continue;
      modelsOf.set(figure, [...(modelsOf.get(figure) ?? []), BILLING_MODEL_LABELS[option.model]]);
    }
  }
  return [
    ...result.modelled,
    ...[...modelsOf].map(([figure, models]) => `${figure}: ${models.join(", ")}`),
  ];
}

/** The whole answer, as `lambda-optimizer plan` prints it. */
export function renderPlanText(result: PlanResult): string {
  const { recommendation } = result;
  const lines: string[] = [
    describePlannedFunction(result),
    `Traffic: ${describeTraffic(result)}`,
    `Shape: ${describeShape(result)}`,
    `  ${result.shape.reason}`,
    "",
    renderPlanTable(result),
    "",
    `Recommendation: ${describeRecommendation(result)}.`,
  ];
  const runnerUp = describeRunnerUp(result);
  if (runnerUp) lines.push(`  Runner-up: ${runnerUp}.`);
  lines.push(`  Why: ${recommendation.reason}`);
  for (const left of recommendation.excluded)
    lines.push(`  Left out: ${BILLING_MODEL_LABELS[left.model]}: ${left.reason}`);
  const scaling = describeScaling(result);
  if (scaling) lines.push(`  As traffic changes: ${scaling}.`);
  lines.push("", ...renderArithmetic(result), "");
  lines.push(`Prices: ${describePricesUsed(result.pricesUsed)}.`);
  const modelled = allModelled(result);
  if (modelled.length > 0) {
    lines.push("Modelled, not priced from AWS's tables or measured:");
    lines.push(...modelled.map((figure) => `  - ${figure}`));
  }
  const notes = allNotes(result);
  if (notes.length > 0) {
    lines.push("Notes:");
    lines.push(...notes.map((note) => `  - ${note}`));
  }
  return lines.join("\n");
}

/** A few lines: the function and its traffic, each model's month, the recommendation, what is modelled. */
export function summarizePlan(result: PlanResult): string {
  const lines = [
    `${describePlannedFunction(result)}. Traffic: ${describeTraffic(result)}.`,
    `Shape: ${describeShape(result)}.`,
    ...result.options.map((option) =>
      option.available
        ? `${BILLING_MODEL_LABELS[option.model]}: ${formatUsd(option.monthlyUsd)} a month, ${formatNumber(Math.round(option.monthlyColdStarts), 0)} cold starts (${formatShare(option.coldStartShare)})${detailOf(option)}.`
        : `${BILLING_MODEL_LABELS[option.model]}: ${optionDetail(option)}.`,
    ),
    `Recommendation: ${describeRecommendation(result)}. Why: ${result.recommendation.reason}`,
  ];
  const runnerUp = describeRunnerUp(result);
  if (runnerUp) lines.push(`Runner-up: ${runnerUp}.`);
  const scaling = describeScaling(result);
  if (scaling) lines.push(`As traffic changes: ${scaling}.`);
  lines.push(
    `Prices: ${describePricesUsed(result.pricesUsed)}. Modelled: ${allModelled(result).join("; ") || "nothing"}.`,
  );
  return lines.join("\n");
}

function detailOf(option: BillingOption): string {
  const detail = optionDetail(option);
  return detail ? `; ${detail}` : "";
}
