/**
 * The data the HTML report's charts draw, with every tooltip line already written: the browser
 * script (html-chart-script.ts) lays out datasets and formats nothing but axis ticks.
 */
import { formatMs, formatUsd } from "../format.js";
import type { Architecture } from "../pricing/price-table.js";
import type { ConfigurationResult, TuneResult } from "../tuning/tune-result.js";
import { oneLine } from "./report-format.js";
import {
  architecturesOf,
  describeConfiguration,
  isCharted,
  memorySizesOf,
  sameConfiguration,
} from "./report-model.js";

/** Blue and orange: told apart with every common kind of colour blindness. */
export const ARCHITECTURE_COLORS: Record<Architecture, string> = {
  x86_64: "#2563eb",
  arm64: "#ea580c",
};

export interface ChartPoint {
  /** The memory size, as the category axis labels it. */
  x: string;
  y: number | null;
  /** The 95% confidence interval, drawn as an error bar. */
  low?: number;
  high?: number;
  tooltip: string[];
}

export interface ChartSeries {
  architecture: Architecture;
  color: string;
  /** Mean cost per 1M invocations. */
  cost: ChartPoint[];
  p50: ChartPoint[];
  p95: ChartPoint[];
}

export interface ChartData {
  labels: string[];
  series: ChartSeries[];
  failed: { x: string; architecture: Architecture; tooltip: string[] }[];
  recommended: { x: string; cost: number; p50: number; tooltip: string[] } | null;
}

export function chartDataOf(result: TuneResult): ChartData {
  const memorySizes = memorySizesOf(result);
  const labels = memorySizes.map(String);
  const find = (memoryMb: number, architecture: Architecture) =>
    result.results.find(
      (configuration) =>
        configuration.memoryMb === memoryMb && configuration.architecture === architecture,
    );

  const series = architecturesOf(result).map((architecture): ChartSeries => {
    const points = (point: (configuration: ConfigurationResult, x: string) => ChartPoint) =>
      memorySizes.map((memoryMb, index) => {
        const x = labels[index]!;
        const configuration = find(memoryMb, architecture);
        return configuration && isCharted(configuration)
          ? point(configuration, x)
          : { x, y: null, tooltip: [] };
      });
    return {
      architecture,
      color: ARCHITECTURE_COLORS[architecture],
      cost: points((configuration, x) => ({
        x,
        y: configuration.costPer1MInvocationsUsd,
        low: configuration.costCi95.low * 1e6,
        high: configuration.costCi95.high * 1e6,
        tooltip: [
          `${architecture}: ${formatUsd(configuration.costPer1MInvocationsUsd)} per 1M`,
          `  95% CI ${formatUsd(configuration.costCi95.low * 1e6)} – ${formatUsd(configuration.costCi95.high * 1e6)}`,
          `  ${formatUsd(configuration.costPerInvocationUsd)} per invocation`,
        ],
      })),
      p50: points((configuration, x) => ({
        x,
        y: configuration.durationMs.p50,
        tooltip: [`${architecture} p50: ${formatMs(configuration.durationMs.p50)} ms`],
      })),
      p95: points((configuration, x) => ({
        x,
        y: configuration.durationMs.p95,
        tooltip: [`${architecture} p95: ${formatMs(configuration.durationMs.p95)} ms`],
      })),
    };
  });

  const failed = result.results
    .filter((configuration) => configuration.status === "failed")
    .map((configuration) => ({
      x: String(configuration.memoryMb),
      architecture: configuration.architecture,
      tooltip: [
        `${describeConfiguration(configuration)} failed`,
        ...(configuration.error
          ? [`  ${oneLine(`${configuration.error.type}: ${configuration.error.message}`, 90)}`]
          : []),
      ],
    }));

  const recommendation = result.recommendation;
  const winner =
    recommendation === null
      ? undefined
      : result.results.find((configuration) => sameConfiguration(configuration, recommendation));
  return {
    labels,
    series,
    failed,
    recommended:
      recommendation === null
        ? null
        : {
            x: String(recommendation.memoryMb),
            cost: winner?.costPer1MInvocationsUsd ?? recommendation.costPerInvocationUsd * 1e6,
            p50: recommendation.durationMsP50,
            tooltip: [`Recommended: ${describeConfiguration(recommendation)}`],
          },
  };
}
