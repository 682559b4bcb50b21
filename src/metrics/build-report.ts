/** Assemble the metrics report: every function seen in the logs or on AWS, its figures and recommendations. */
import {
  type Architecture,
  type PriceTable,
  pricesFor,
  pricesUsed,
} from "../pricing/price-table.js";
import type { MetricsAggregator } from "./aggregate.js";
import type { AwsFunctionObservations } from "./aws-observations.js";
import { buildFunctionMetrics } from "./function-metrics.js";
import type { FunctionMetrics, LastTune, MetricsReport } from "./metrics-report.js";
import type { SourceProblem } from "./observations.js";
import { recommendationsFor } from "./rules/index.js";

export interface BuildReportInput {
  readonly aggregator: MetricsAggregator;
  readonly aws: readonly AwsFunctionObservations[];
  readonly source: MetricsReport["source"];
  readonly priceTable: PriceTable;
  /** The architecture to price log-only functions at; undefined: x86_64, assumed. */
  readonly architecture?: Architecture;
  /** The window, when the caller knows it (AWS --since, --period); else from the log timestamps. */
  readonly window?: { readonly start: Date; readonly end: Date };
  readonly problems: readonly SourceProblem[];
  /** What the sources had to say that did not stop them (statistics CloudWatch did not answer, ...). */
  readonly notes?: readonly string[];
  /** Each function's newest saved tune, judged (last-tunes.ts), by name; none when not given. */
  readonly lastTunes?: ReadonlyMap<string, LastTune>;
}

export function buildMetricsReport(input: BuildReportInput): MetricsReport {
  const { aggregator, priceTable } = input;
  const region = input.source.region;
  const window = input.window ?? windowFromTimestamps(aggregator);
  const windowDays = window ? (window.end.getTime() - window.start.getTime()) / 86_400_000 : null;
  const awsByName = new Map(
    input.aws.map((observation) => [observation.configuration.functionName, observation]),
  );
  const names = [...new Set([...aggregator.functions.keys(), ...awsByName.keys()])];

  const functions: FunctionMetrics[] = names.map((name) => {
    const aws = awsByName.get(name);
    const architecture = aws?.configuration.architecture ?? input.architecture ?? "x86_64";
    const figures = {
      ...buildFunctionMetrics({
        name,
        logs: aggregator.functions.get(name),
        aws,
        architecture,
        architectureKnown: aws !== undefined || input.architecture !== undefined,
        prices: pricesFor(priceTable, region, architecture),
        windowDays: windowDays && windowDays > 0 ? windowDays : null,
      }),
      lastTune: input.lastTunes?.get(name) ?? null,
    };
    return {
      ...figures,
      recommendations: recommendationsFor(figures, { priceTable, region, windowDays }),
    };
  });
  // Biggest monthly saving first, then the dearest functions.
  const savings = (fn: FunctionMetrics) =>
    fn.recommendations.reduce(
      (sum, recommendation) => sum + (recommendation.monthlySavingsUsd ?? 0),
      0,
    );
  functions.sort(
    (a, b) => savings(b) - savings(a) || b.costUsd - a.costUsd || a.name.localeCompare(b.name),
  );

  const notes: string[] = [...(input.notes ?? [])];
  if (windowDays === null) {
    notes.push(
      "The logs carry no timestamps, so nothing is projected per month: pass --period (e.g. --period 1d) to say what they cover.",
    );
  }
  if (functions.some((fn) => !fn.architectureKnown)) {
    notes.push(
      "Functions known only from logs are priced as x86_64 (Lambda's default); pass --arch arm64 if they run on arm64.",
    );
  }
  if (functions.some((fn) => fn.logSample?.capped)) {
    notes.push(
      "CloudWatch Logs held more REPORT lines than --max-log-events: distributions come from that sample, counts from CloudWatch metrics.",
    );
  }
  return {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    source: input.source,
    window:
      window && windowDays !== null
        ? { start: window.start.toISOString(), end: window.end.toISOString(), days: windowDays }
        : null,
    prices: pricesUsed(priceTable, region),
    functions,
    skippedLines: aggregator.skippedLines,
    problems: [...input.problems],
    notes,
  };
}

function windowFromTimestamps(
  aggregator: MetricsAggregator,
): { start: Date; end: Date } | undefined {
  let first: number | undefined;
  let last: number | undefined;
  for (const accumulator of aggregator.functions.values()) {
    if (accumulator.firstMs !== undefined && (first === undefined || accumulator.firstMs < first))
      first = accumulator.firstMs;
    if (accumulator.lastMs !== undefined && (last === undefined || accumulator.lastMs > last))
      last = accumulator.lastMs;
  }
  if (first === undefined || last === undefined || last <= first) return undefined;
  return { start: new Date(first), end: new Date(last) };
}
