/**
 * The words the event source mapping reports share (`esm simulate` and `esm optimize`, in text,
 * HTML and as the MCP tools' summaries): sources by their AWS names, ages and spans of time as
 * people read them, settings in CloudFormation's names.
 */

import type { ModelledFigure } from "../esm/simulation/simulation-result.js";
import { formatNumber } from "../format.js";
import { describePricesUsed, type PricesUsed } from "../pricing/price-table.js";

export const SOURCE_LABELS: Record<"sqs" | "kinesis" | "dynamodb" | "kafka", string> = {
  sqs: "SQS",
  kinesis: "Kinesis",
  dynamodb: "DynamoDB Streams",
  kafka: "Kafka",
};

/** An age or a wait: "0 s", "4.2 ms", "0.42 s", "38 s", "12.5 min", "3.2 h". */
export function formatAge(seconds: number): string {
  // Under a twentieth of a millisecond rounds to nothing: said as 0 s, as the reasons say it.
  if (seconds < 0.00005) return "0 s";
  // Under a tenth of a second, milliseconds: "0 s" for 4 ms would hide a real figure.
  if (seconds < 0.1) return `${formatNumber(seconds * 1_000, seconds < 0.01 ? 1 : 0)} ms`;
  if (seconds < 10) return `${formatNumber(seconds, 2)} s`;
  if (seconds < 120) return `${formatNumber(seconds, 0)} s`;
  if (seconds < 2 * 3_600) return `${formatNumber(seconds / 60, 1)} min`;
  return `${formatNumber(seconds / 3_600, 1)} h`;
}

/** A length of time: "45 seconds", "1 hour", "2.5 days". */
export function describeSpan(seconds: number): string {
  const unit = (value: number, name: string) =>
    `${formatNumber(value, 1)} ${name}${value === 1 ? "" : "s"}`;
  if (seconds >= 2 * 86_400) return unit(seconds / 86_400, "day");
  if (seconds >= 3_600) return unit(seconds / 3_600, "hour");
  if (seconds >= 120) return unit(seconds / 60, "minute");
  return unit(seconds, "second");
}

/** A point on a time axis, from the run's start: "0", "90s", "15m", "1.5h", "2d". */
export function timeLabel(seconds: number): string {
  if (seconds === 0) return "0";
  if (seconds < 60) return `${formatNumber(seconds, 0)}s`;
  if (seconds < 2 * 3_600) return `${formatNumber(seconds / 60, 1)}m`;
  if (seconds < 2 * 86_400) return `${formatNumber(seconds / 3_600, 1)}h`;
  return `${formatNumber(seconds / 86_400, 1)}d`;
}

/** A setting's value as written in a template: unset as "unset", numbers with separators. */
export function settingValue(value: number | string | boolean | null | undefined): string {
  if (value === null || value === undefined) return "unset";
  if (typeof value === "number") return formatNumber(value, 3);
  return String(value);
}

/** "BatchSize 10, MaximumBatchingWindowInSeconds 0, ...": settings as one line. */
export function describeSettings(
  settings: Readonly<Record<string, number | string | boolean | null>>,
): string {
  return Object.entries(settings)
    .map(([name, value]) => `${name} ${settingValue(value)}`)
    .join(", ");
}

/** "pollersAtStart = 5: why". */
export function describeModelled(figure: ModelledFigure): string {
  const value = typeof figure.value === "number" ? formatNumber(figure.value, 4) : figure.value;
  return `${figure.name} = ${value}: ${figure.why}`;
}

/** A report's closing lines: the prices used, the modelled figures, the notes. */
export function closingLines(result: {
  readonly prices: PricesUsed;
  readonly modelled: readonly ModelledFigure[];
  readonly notes: readonly string[];
}): string[] {
  const lines = [`Prices: ${describePricesUsed(result.prices)}.`];
  if (result.modelled.length > 0) {
    lines.push("Modelled, not documented by AWS or given:");
    lines.push(...result.modelled.map((figure) => `  - ${describeModelled(figure)}`));
  }
  if (result.notes.length > 0) {
    lines.push("Notes:");
    lines.push(...result.notes.map((note) => `  - ${note}`));
  }
  return lines;
}
