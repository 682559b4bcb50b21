/**
 * `dynamodb-billing` in words: the table's traffic and each global secondary
 * index's, each mode's cost, the recommendation and its reasons, the prices
 * and what is modelled; and the few
 * lines an MCP client reads as `plan_dynamodb_billing`'s summary. Both are
 * built from the same sentences, so the two surfaces say the same thing.
 */
import { formatCount, formatNumber, formatUsd } from "../format.js";
import type { TableBillingResult } from "../planning/dynamodb/table-billing-result.js";

/** "orders: 14 days to 2026-12-03 22:00 UTC in 1-minute steps, 12.1M RCU and 2.4M WCU consumed". */
export function describeTableTraffic(result: TableBillingResult): string {
  const step = `${formatNumber(result.window.stepSeconds / 60)}-minute`;
  const days = result.window.hours / 24;
  return (
    `${result.table} (${result.region}): ${days === 1 ? "1 day" : `${formatNumber(days, 1)} days`} from ` +
    `${result.window.start.slice(0, 16).replace("T", " ")} UTC in ${step} steps, ` +
    `${formatCount(result.reads.consumedUnits)} read and ${formatCount(result.writes.consumedUnits)} write units consumed`
  );
}

/** "Recommended: ON_DEMAND, $11.39 a month less than PROVISIONED". */
export function describeRecommendation(result: TableBillingResult): string {
  const { mode, monthlySavingUsd } = result.recommendation;
  const other = mode === "ON_DEMAND" ? "PROVISIONED with auto scaling" : "ON_DEMAND";
  return `Recommended: ${mode}, ${formatUsd(monthlySavingUsd)} a month less than ${other} (modelled)`;
}

/** "  index by-customer: 0 read and 1.73M write units consumed, up to 1 RCU and 29 WCU; $X a month ON_DEMAND, $Y PROVISIONED". */
function describeIndex(index: TableBillingResult["indexes"][number]): string {
  return (
    `  index ${index.name}: ${formatCount(index.reads.consumedUnits)} read and ${formatCount(index.writes.consumedUnits)} write units consumed, ` +
    `auto scaling up to ${formatNumber(index.reads.peakProvisionedUnits)} RCU and ${formatNumber(index.writes.peakProvisionedUnits)} WCU; ` +
    `${formatUsd(index.onDemand.monthlyUsd)} a month ON_DEMAND, ${formatUsd(index.provisioned.monthlyUsd)} PROVISIONED`
  );
}

export function renderTableBillingText(result: TableBillingResult): string {
  const { reads, writes, prices } = result;
  const mode = (label: string, windowUsd: number, monthlyUsd: number) =>
    `  ${label.padEnd(34)} ${formatUsd(windowUsd).padStart(12)} ${formatUsd(monthlyUsd).padStart(12)}`;
  return [
    describeTableTraffic(result),
    `  reads:  mean ${formatNumber(reads.meanPerSecond, 2)} RCU/s, peak ${formatNumber(reads.peakPerSecond, 1)} RCU/s; auto scaling up to ${formatNumber(reads.peakProvisionedUnits)} RCU, ${formatNumber(reads.provisionedUnitHours)} RCU-hours`,
    `  writes: mean ${formatNumber(writes.meanPerSecond, 2)} WCU/s, peak ${formatNumber(writes.peakPerSecond, 1)} WCU/s; auto scaling up to ${formatNumber(writes.peakProvisionedUnits)} WCU, ${formatNumber(writes.provisionedUnitHours)} WCU-hours`,
    ...result.indexes.map(describeIndex),
    "",
    `  ${"billing mode".padEnd(34)} ${"window".padStart(12)} ${"per month".padStart(12)}`,
    mode("ON_DEMAND", result.onDemand.windowUsd, result.onDemand.monthlyUsd),
    mode(
      `PROVISIONED, auto scaling at ${formatNumber(result.targetUtilization * 100)}%`,
      result.provisioned.windowUsd,
      result.provisioned.monthlyUsd,
    ),
    "",
    describeRecommendation(result),
    ...result.recommendation.reasons.map((reason) => `  - ${reason}`),
    "",
    // Unit prices as the price list writes them: $0.125, not a rounded $0.13.
    `Prices (${prices.region}, ${prices.date}): ON_DEMAND $${prices.onDemandPerMillionReadUnits} per million read and $${prices.onDemandPerMillionWriteUnits} per million write request units; PROVISIONED $${prices.provisionedPerReadUnitHour} per RCU-hour and $${prices.provisionedPerWriteUnitHour} per WCU-hour (${prices.source})`,
    "Modelled:",
    ...result.assumptions.map((assumption) => `  - ${assumption}`),
  ].join("\n");
}

/** The summary an MCP client reads: the traffic, the recommendation and its reasons. */
export function summarizeTableBilling(result: TableBillingResult): string {
  return [
    describeTableTraffic(result),
    describeRecommendation(result),
    ...result.recommendation.reasons.map((reason) => `- ${reason}`),
  ].join("\n");
}
