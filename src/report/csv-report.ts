/**
 * `tune --csv`: one row per configuration, for spreadsheets and notebooks. RFC 4180: CRLF line
 * ends, a header row, fields quoted when they hold a comma, a quote or a line break. The columns
 * are documented in docs/reports.md; add new ones at the end so scripts that read by position
 * keep working.
 */
import type { ConfigurationResult, TuneResult } from "../tuning/tune-result.js";
import { hasSamples, sortedConfigurations, standingOf } from "./report-model.js";

type Cell = string | number | boolean | null;

interface Column {
  name: string;
  value: (configuration: ConfigurationResult, result: TuneResult) => Cell;
}

/** Measured figures are left empty when the configuration has no samples to describe. */
const measured =
  (read: (configuration: ConfigurationResult) => number) =>
  (configuration: ConfigurationResult): Cell =>
    hasSamples(configuration) ? read(configuration) : null;

export const CSV_COLUMNS: readonly Column[] = [
  { name: "function_name", value: (_, result) => text(result.target.functionName) },
  { name: "memory_mb", value: (c) => c.memoryMb },
  { name: "architecture", value: (c) => c.architecture },
  { name: "status", value: (c) => c.status },
  { name: "error_type", value: (c) => text(c.error?.type ?? null) },
  { name: "error_message", value: (c) => text(c.error?.message ?? null) },
  { name: "invocations", value: (c) => c.invocations },
  { name: "errors", value: (c) => c.errors },
  { name: "duration_mean_ms", value: measured((c) => c.durationMs.mean) },
  { name: "duration_trimmed_mean_ms", value: measured((c) => c.durationMs.trimmedMean) },
  { name: "duration_p50_ms", value: measured((c) => c.durationMs.p50) },
  { name: "duration_p90_ms", value: measured((c) => c.durationMs.p90) },
  { name: "duration_p95_ms", value: measured((c) => c.durationMs.p95) },
  { name: "duration_p99_ms", value: measured((c) => c.durationMs.p99) },
  { name: "duration_min_ms", value: measured((c) => c.durationMs.min) },
  { name: "duration_max_ms", value: measured((c) => c.durationMs.max) },
  { name: "duration_ci95_low_ms", value: measured((c) => c.durationCi95.low) },
  { name: "duration_ci95_high_ms", value: measured((c) => c.durationCi95.high) },
  { name: "billed_duration_mean_ms", value: measured((c) => c.billedDurationMs.mean) },
  { name: "max_memory_used_mb", value: measured((c) => c.maxMemoryUsedMb.max) },
  { name: "cost_per_invocation_usd", value: measured((c) => c.costPerInvocationUsd) },
  { name: "cost_per_1m_invocations_usd", value: measured((c) => c.costPer1MInvocationsUsd) },
  { name: "cost_ci95_low_usd", value: measured((c) => c.costCi95.low) },
  { name: "cost_ci95_high_usd", value: measured((c) => c.costCi95.high) },
  { name: "cold_start_duration_ms", value: (c) => c.coldStart?.durationMs ?? null },
  { name: "cold_start_init_ms", value: (c) => c.coldStart?.initDurationMs ?? null },
  { name: "cold_start_billed_ms", value: (c) => c.coldStart?.billedDurationMs ?? null },
  { name: "recommended", value: (c, result) => standingOf(result, c) === "recommended" },
  { name: "tied_with_recommended", value: (c, result) => standingOf(result, c) === "tied" },
  // A local run's priced copy: its durations are the measured architecture's, assumed equal.
  { name: "modelled_duration", value: (c) => text(c.modelled?.duration ?? null) },
  { name: "measured_on", value: (c) => c.modelled?.measuredOn ?? null },
  { name: "handler", value: (_, result) => text(result.target.local?.handler ?? null) },
  // Time to first byte, where the run measured it (local runs).
  { name: "ttfb_p50_ms", value: (c) => (hasSamples(c) ? (c.ttfbMs?.p50 ?? null) : null) },
  { name: "ttfb_p95_ms", value: (c) => (hasSamples(c) ? (c.ttfbMs?.p95 ?? null) : null) },
];

export function renderCsv(result: TuneResult): string {
  const header = CSV_COLUMNS.map((column) => column.name);
  const rows = sortedConfigurations(result).map((configuration) =>
    CSV_COLUMNS.map((column) => csvField(column.value(configuration, result))),
  );
  return [header, ...rows].map((row) => `${row.join(",")}\r\n`).join("");
}

function csvField(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "boolean") return String(cell);
  if (typeof cell === "number") {
    // 16.666700000000002 -> 16.6667 and no exponents: 1.8667e-6 is not a number to every reader.
    return Number.isFinite(cell) ? plainDecimal(Number(cell.toPrecision(15))) : "";
  }
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

function plainDecimal(value: number): string {
  const written = String(value);
  if (!/e/i.test(written)) return written;
  // Fifteen significant digits, written out: as many decimals as the exponent needs.
  const decimals = Math.min(100, Math.max(0, 14 - Math.floor(Math.log10(Math.abs(value)))));
  const fixed = value.toFixed(decimals);
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

/**
 * Text from the user's side (function names, error messages) is kept from starting a
 * spreadsheet formula: a leading = + - @ would make Excel or Sheets evaluate it on open.
 */
function text(value: string | null): string | null {
  if (value === null) return null;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
