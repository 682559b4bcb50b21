/**
 * `esm optimize` in words: per mapping, today's settings beside the recommended ones (in
 * CloudFormation's names), the predicted lag and cost of both, why, and the guide's fixed advice
 * that applies; and the few lines an MCP client reads as `esm_optimize`'s summary.
 */

import type {
  EsmOptimizeResult,
  MappingOptimization,
  Prediction,
} from "../esm/optimize/optimize-result.js";
import { formatNumber, formatUsd } from "../format.js";
import { describePricesUsed } from "../pricing/price-table.js";
import {
  closingLines,
  describeModelled,
  describeSettings,
  describeSpan,
  formatAge,
  SOURCE_LABELS,
  settingValue,
} from "./esm-wording.js";
import { renderTextTable } from "./text-table.js";

const dash = "—";

/** "3 event source mappings in template.yaml; the bound: p99 age under 60 s, without throttles". */
export function describeOptimization(result: EsmOptimizeResult): string {
  const count = result.mappings.length;
  const where = result.source === "aws" ? "of the deployed function" : "in";
  return (
    `${count} event source mapping${count === 1 ? "" : "s"} ${where} ${result.origin}; ` +
    `the bound: p99 age under ${formatAge(result.maxAgeSeconds)}, ` +
    `${result.allowThrottles ? "throttles allowed" : "without throttles"}`
  );
}

/** "Worker/JobQueue (SQS, function Worker, line 19)". */
export function describeMapping(mapping: MappingOptimization): string {
  const facts = [
    SOURCE_LABELS[mapping.eventSource],
    ...(mapping.function !== null ? [`function ${mapping.function}`] : []),
    ...(mapping.line !== null ? [`line ${mapping.line}`] : []),
  ];
  return `${mapping.id} (${facts.join(", ")})`;
}

/** "100 records/s on average, 300 at the peak, over 1 hour (given rate)". */
export function describeMappingTraffic(mapping: MappingOptimization): string {
  const { traffic } = mapping;
  const from = { rate: "given rate", profile: "rate profile", cloudwatch: "CloudWatch" }[
    traffic.source
  ];
  const measured =
    traffic.measuredMaxAgeSeconds !== undefined && traffic.measuredMaxAgeSeconds !== null
      ? `; the oldest age CloudWatch measured: ${formatAge(traffic.measuredMaxAgeSeconds)}`
      : "";
  return (
    `${formatNumber(traffic.meanPerSecond)} records/s on average, ${formatNumber(traffic.peakPerSecond)} at the peak, ` +
    `over ${describeSpan(traffic.periodSeconds)} (${from})${measured}`
  );
}

/** "20 ms + 2 ms per record (--record-ms, --overhead-ms)". */
export function describeMappingDuration(mapping: MappingOptimization): string {
  const { duration } = mapping;
  return `${formatNumber(duration.overheadMs)} ms + ${formatNumber(duration.perRecordMs, 3)} ms per record (${duration.source})`;
}

/** "p99 age 4.2 s, $12.34 a month": one prediction in a phrase. */
export function describePrediction(prediction: Prediction): string {
  const throttles =
    prediction.throttles > 0 ? `, ${formatNumber(prediction.throttles, 0)} throttles` : "";
  return `p99 age ${formatAge(prediction.ageP99Seconds)}, ${formatUsd(prediction.monthlyUsd)} a month${throttles}`;
}

/** Every setting named in either, in the order current then recommended names them. */
export function settingNames(mapping: MappingOptimization): string[] {
  return [...new Set([...Object.keys(mapping.current), ...Object.keys(mapping.recommended ?? {})])];
}

/** The current-vs-recommended table of one mapping: its settings, then what each predicts. */
export function renderMappingTable(mapping: MappingOptimization): string {
  const { recommended } = mapping;
  const { current: now, recommended: next } = mapping.predicted;
  const changed = (name: string) =>
    recommended !== null && (recommended[name] ?? null) !== (mapping.current[name] ?? null);
  const rows: string[][] = settingNames(mapping).map((name) => [
    `${changed(name) ? "→ " : "  "}${name}`,
    settingValue(mapping.current[name]),
    recommended === null ? dash : settingValue(recommended[name]),
  ]);
  const predicted = (
    label: string,
    read: (prediction: Prediction) => string,
  ): [string, string, string] => [`  ${label}`, read(now), next === null ? dash : read(next)];
  rows.push(
    predicted("p99 age (predicted)", (p) => formatAge(p.ageP99Seconds)),
    predicted("max age (predicted)", (p) => formatAge(p.maxAgeSeconds)),
    predicted("backlog at the end", (p) => formatNumber(p.backlogEnd, 0)),
    predicted("peak concurrency", (p) => formatNumber(p.concurrencyMax, 0)),
    predicted("throttles", (p) => formatNumber(p.throttles, 0)),
    predicted("invocations", (p) => formatNumber(p.invocations, 0)),
    predicted("cost a month", (p) => formatUsd(p.monthlyUsd)),
    predicted("within the bound", (p) => (p.meetsBound ? "yes" : "no")),
  );
  return renderTextTable(
    [
      { header: "  Setting", align: "left" },
      { header: "Current", align: "right" },
      { header: "Recommended", align: "right" },
    ],
    rows,
    "    ",
  );
}

function renderMapping(mapping: MappingOptimization): string[] {
  const lines = [
    describeMapping(mapping),
    `  Traffic: ${describeMappingTraffic(mapping)}`,
    `  Duration per batch: ${describeMappingDuration(mapping)}`,
    renderMappingTable(mapping),
    `  ${mapping.recommended === null ? "No setting searched meets the bound" : "Recommended"} (${formatNumber(mapping.searched, 0)} settings simulated).`,
  ];
  if (mapping.reasons.length > 0) {
    lines.push("  Why:");
    lines.push(...mapping.reasons.map((reason) => `    - ${reason}`));
  }
  if (mapping.advice.length > 0) {
    lines.push("  The guide's advice (esm-config):");
    for (const finding of mapping.advice)
      lines.push(
        `    - ${finding.severity}${finding.line !== null ? ` line ${finding.line}` : ""} ${finding.property}: ${finding.message} Fix: ${finding.fix}`,
      );
  }
  return lines;
}

/** The whole answer, as `lambda-optimizer esm optimize` prints it. */
export function renderEsmOptimizeText(result: EsmOptimizeResult): string {
  const lines = [`${describeOptimization(result)}.`];
  for (const mapping of result.mappings) lines.push("", ...renderMapping(mapping));
  lines.push("", ...closingLines(result));
  return lines.join("\n");
}

/** A few lines per mapping: today's settings and prediction, the recommended ones, why. */
export function summarizeEsmOptimization(result: EsmOptimizeResult): string {
  const lines = [`${describeOptimization(result)}.`];
  for (const mapping of result.mappings) {
    const { current, recommended } = mapping.predicted;
    lines.push(
      `${describeMapping(mapping)}: traffic ${describeMappingTraffic(mapping)}; duration ${describeMappingDuration(mapping)}.`,
      `  Current: ${describeSettings(mapping.current)}: ${describePrediction(current)}${current.meetsBound ? "" : " (outside the bound)"}.`,
      mapping.recommended === null || recommended === null
        ? `  Recommended: none of the ${formatNumber(mapping.searched, 0)} settings simulated meets the bound.`
        : `  Recommended: ${describeSettings(mapping.recommended)}: ${describePrediction(recommended)}.`,
      ...mapping.reasons.map((reason) => `  Why: ${reason}`),
      ...mapping.advice.map(
        (finding) =>
          `  Advice: ${finding.severity}${finding.line !== null ? ` line ${finding.line}` : ""} ${finding.property}: ${finding.message}`,
      ),
    );
  }
  lines.push(
    `Prices: ${describePricesUsed(result.prices)}. Modelled: ${result.modelled.map(describeModelled).join("; ") || "nothing"}.`,
  );
  return lines.join("\n");
}
