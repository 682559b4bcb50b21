/**
 * A metrics rule, in the manner of an ESLint rule module: an id users can
 * rely on, what it looks at, and a check over one function's figures that
 * returns a recommendation with its evidence, or nothing.
 */
import { type PriceTable, pricesFor } from "../../pricing/price-table.js";
import { DAYS_PER_MONTH } from "../function-metrics.js";
import type { FunctionMetrics, MetricsRecommendation } from "../metrics-report.js";

export interface RuleContext {
  readonly priceTable: PriceTable;
  readonly region: string;
  /** Days the data covers; null when unknown. */
  readonly windowDays: number | null;
}

export type FunctionFigures = Omit<FunctionMetrics, "recommendations">;

export interface MetricsRule {
  readonly id: string;
  readonly title: string;
  check(fn: FunctionFigures, context: RuleContext): MetricsRecommendation | null;
}

export function monthlyFactor(context: RuleContext): number | null {
  return context.windowDays && context.windowDays > 0 ? DAYS_PER_MONTH / context.windowDays : null;
}

/**
 * The compute part of a function's monthly cost: what memory and architecture
 * change. The requests part is the function's invocations at its region's
 * request price.
 */
export function computeMonthlyUsd(fn: FunctionFigures, context: RuleContext): number | null {
  if (fn.monthlyCostUsd === null || fn.costUsd === 0) return null;
  const { requestsPerMillion } = pricesFor(context.priceTable, context.region, fn.architecture);
  const requestsShare = (fn.invocations * requestsPerMillion) / 1_000_000 / fn.costUsd;
  return fn.monthlyCostUsd * Math.max(0, 1 - requestsShare);
}
