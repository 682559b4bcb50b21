/**
 * A cost estimate in words: the whole breakdown `lambda-optimizer cost` prints,
 * and the few lines an MCP client reads as `estimate_cost`'s summary. Both
 * are built from the same lines, so the two surfaces say the same thing.
 */
import { formatCount, formatNumber, formatPercent, formatUsd } from "../format.js";
import type { CostEstimate } from "../pricing/cost-estimate.js";
import { renderRows } from "./text-table.js";

/** What was priced: "1,024 MB x86_64 in us-east-1, 100 ms (billed 100 ms), 10M invocations a month". */
function describeWorkload({ input }: CostEstimate): string {
  return (
    `${formatNumber(input.memoryMb)} MB ${input.architecture} in ${input.region}, ` +
    `${formatNumber(input.durationMs)} ms (billed ${formatNumber(input.billedDurationMs)} ms), ` +
    `${formatCount(input.invocations)} invocations a month`
  );
}

/** "On arm64: $15.33 a month — saves $3.33 (17.9%), if the code runs there as fast (...)". */
function describeAlternatives(estimate: CostEstimate): string[] {
  return Object.values(estimate.alternatives).map((alternative) => {
    const verdict =
      alternative.savingUsd >= 0
        ? `saves ${formatUsd(alternative.savingUsd)} (${formatPercent(alternative.savingPercent / 100, 1)})`
        : `costs ${formatUsd(-alternative.savingUsd)} more`;
    return (
      `On ${alternative.architecture}: ${formatUsd(alternative.monthly.totalUsd)} a month — ${verdict}, ` +
      "if the code runs there as fast (measure with `lambda-optimizer tune --arch x86_64,arm64`)."
    );
  });
}

/** "18 MB streamed (12 MB beyond the free 6 MB, at $0.008 per GB)": the streaming line's detail. */
function describeStreaming(streaming: NonNullable<CostEstimate["streaming"]>): string {
  return `${formatBytes(streaming.bytesPerInvocation)} streamed, ${formatBytes(streaming.billedBytesPerInvocation)} beyond the free 6 MB`;
}

/** Bytes in Lambda's binary MB (1,024²), as its limits count them. */
function formatBytes(bytes: number): string {
  return `${formatNumber(bytes / 1024 ** 2, 2)} MB`;
}

function describePrices({ prices }: CostEstimate): string {
  const modelled = prices.modelledOn ? ` (modelled on ${prices.modelledOn})` : "";
  return `Prices: ${prices.region}${modelled}, read ${prices.date}. Modelled figures, not measurements.`;
}

/** A few lines: what was priced, per invocation, per month, the other architecture, the prices' date. */
export function summarizeCostEstimate(estimate: CostEstimate): string {
  const { perInvocation, monthly } = estimate;
  const lines = [
    describeWorkload(estimate),
    `Per invocation: ${formatUsd(perInvocation.totalUsd)}. Per month: ${formatUsd(monthly.totalUsd)}.`,
    ...(estimate.streaming
      ? [
          `Response streaming (${describeStreaming(estimate.streaming)}): ${formatUsd(estimate.streaming.monthlyUsd)} a month of it.`,
        ]
      : []),
    ...describeAlternatives(estimate),
  ];
  const pc = estimate.provisionedConcurrency;
  if (pc) {
    lines.push(
      `With ${pc.concurrency} provisioned-concurrency environments: ${formatUsd(pc.totalUsd)} a month.`,
    );
  }
  lines.push(describePrices(estimate));
  return lines.join("\n");
}

/** The whole breakdown, as `lambda-optimizer cost` prints it. */
export function renderCostEstimate(estimate: CostEstimate): string {
  const { input, perInvocation, monthly, streaming } = estimate;
  const lines: string[] = [];
  lines.push(describeWorkload(estimate));
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
      ...(streaming
        ? [
            [
              "response streaming",
              describeStreaming(streaming),
              formatUsd(streaming.perInvocationUsd),
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
      ...(streaming
        ? [
            [
              "response streaming",
              `${formatNumber(streaming.billedGbPerMonth, 2)} GB beyond 6 MB each`,
              formatUsd(streaming.monthlyUsd),
            ],
          ]
        : []),
      ["total", "", formatUsd(monthly.totalUsd)],
    ]),
  );
  for (const alternative of describeAlternatives(estimate)) {
    lines.push("");
    lines.push(alternative);
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
        ...(pc.streamingUsd !== undefined
          ? [["response streaming", formatUsd(pc.streamingUsd)]]
          : []),
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
