/**
 * The REPORT line: Lambda's own account of one invocation, and the only
 * source of billed duration and memory used. It comes in two forms:
 *
 * - text (the default log format), one tab-separated line:
 *   `REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.20 ms`
 *   with `Restore Duration` / `Billed Restore Duration` on a SnapStart restore,
 *   `Status` / `Error Type` on a failed invocation and an `XRAY TraceId` tail
 *   when tracing is on;
 * - JSON (LoggingConfig.LogFormat: JSON), a `platform.report` event whose
 *   `record.metrics` carries the same figures.
 *
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-view.html
 * and https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html
 */

import { z } from "zod";
import {
  BILLED_DURATION_MS,
  DURATION_MS,
  describeRange,
  INIT_DURATION_MS,
  isWithin,
  MEMORY_MB,
  type Range,
} from "./limits.js";

/** One REPORT line's figures: what `invoke --json` prints as `report`, and what every source reads. */
export const ReportSchema = z.object({
  requestId: z.string(),
  durationMs: z.number(),
  /**
   * What was billed. Since 1 August 2025 this covers the init phase on a cold
   * start too, so price from it and never add `initDurationMs` again.
   */
  billedDurationMs: z.number(),
  memorySizeMb: z.number(),
  maxMemoryUsedMb: z.number(),
  /** Present on a cold start only. */
  initDurationMs: z.number().optional(),
  /** Present on a SnapStart restore only. */
  restoreDurationMs: z.number().optional(),
  billedRestoreDurationMs: z.number().optional(),
  /** `timeout` or `error` for a failed invocation; absent (success) otherwise. */
  status: z.string().optional(),
  errorType: z.string().optional(),
  xrayTraceId: z.string().optional(),
});
export type Report = Readonly<z.infer<typeof ReportSchema>>;

export type ReportParseResult =
  | { readonly ok: true; readonly report: Report; readonly format: "text" | "json" }
  | { readonly ok: false; readonly reason: string };

const TEXT_PREFIX = "REPORT RequestId:";

/** Text fields in Lambda's order, with the unit each carries. */
const TEXT_FIELDS = [
  { label: "Duration", key: "durationMs", unit: "ms", decimals: 2 },
  { label: "Billed Duration", key: "billedDurationMs", unit: "ms", decimals: 0 },
  { label: "Memory Size", key: "memorySizeMb", unit: "MB", decimals: 0 },
  { label: "Max Memory Used", key: "maxMemoryUsedMb", unit: "MB", decimals: 0 },
  { label: "Init Duration", key: "initDurationMs", unit: "ms", decimals: 2 },
  { label: "Restore Duration", key: "restoreDurationMs", unit: "ms", decimals: 2 },
  { label: "Billed Restore Duration", key: "billedRestoreDurationMs", unit: "ms", decimals: 0 },
] as const;

type NumericKey = (typeof TEXT_FIELDS)[number]["key"];

/** Label -> field, with its value pattern compiled once (not once per line). */
const FIELD_BY_LABEL = new Map<string, (typeof TEXT_FIELDS)[number] & { pattern: RegExp }>(
  TEXT_FIELDS.map((field) => [
    field.label,
    { ...field, pattern: new RegExp(`^(\\d+(?:\\.\\d+)?) ${field.unit}$`) },
  ]),
);

const REQUIRED_KEYS: readonly NumericKey[] = [
  "durationMs",
  "billedDurationMs",
  "memorySizeMb",
  "maxMemoryUsedMb",
];

/** JSON `record.metrics` names for each figure. */
const JSON_METRICS: Record<NumericKey, string> = {
  durationMs: "durationMs",
  billedDurationMs: "billedDurationMs",
  memorySizeMb: "memorySizeMB",
  maxMemoryUsedMb: "maxMemoryUsedMB",
  initDurationMs: "initDurationMs",
  restoreDurationMs: "restoreDurationMs",
  billedRestoreDurationMs: "billedRestoreDurationMs",
};

/** Memory used is at most the largest memory size (an out-of-memory invocation reports its whole memory). */
const MAX_MEMORY_USED_MB: Range = { ...MEMORY_MB, min: 0 };

/**
 * The range Lambda's limits allow each figure: a figure outside it (a
 * duration of 10^17 ms, a memory size of 0) is no line Lambda wrote, and
 * pricing it would put absurd money in a report, so the line is refused.
 */
const FIGURE_LIMITS: readonly { readonly key: NumericKey; readonly range: Range }[] = [
  { key: "durationMs", range: DURATION_MS },
  { key: "billedDurationMs", range: BILLED_DURATION_MS },
  { key: "memorySizeMb", range: MEMORY_MB },
  { key: "maxMemoryUsedMb", range: MAX_MEMORY_USED_MB },
  { key: "initDurationMs", range: INIT_DURATION_MS },
  { key: "restoreDurationMs", range: INIT_DURATION_MS },
  { key: "billedRestoreDurationMs", range: INIT_DURATION_MS },
];

/** Why a report's figures cannot be Lambda's, or undefined when every figure present is within its limits. */
function figureOutsideLimits(
  values: Partial<Record<NumericKey, number>>,
  labelOf: (key: NumericKey) => string,
): string | undefined {
  for (const { key, range } of FIGURE_LIMITS) {
    const value = values[key];
    if (value !== undefined && !isWithin(range, value)) {
      return `${labelOf(key)} ${value} is outside Lambda's limits (expected ${describeRange(range)}): not a line Lambda wrote`;
    }
  }
  return undefined;
}

/**
 * The byte path's test (report-bytes.ts) of the same limits, with no object
 * per line: true when the common line's figures are within them (init NaN
 * when absent). Where it says false, parseReport refuses the line too.
 */
export function commonFiguresWithinLimits(
  durationMs: number,
  billedDurationMs: number,
  memorySizeMb: number,
  maxMemoryUsedMb: number,
  initDurationMs: number,
): boolean {
  return (
    isWithin(DURATION_MS, durationMs) &&
    isWithin(BILLED_DURATION_MS, billedDurationMs) &&
    isWithin(MEMORY_MB, memorySizeMb) &&
    isWithin(MAX_MEMORY_USED_MB, maxMemoryUsedMb) &&
    (Number.isNaN(initDurationMs) || isWithin(INIT_DURATION_MS, initDurationMs))
  );
}

const textLabel = (key: NumericKey): string =>
  `REPORT field ${TEXT_FIELDS.find((field) => field.key === key)!.label}`;
const jsonLabel = (key: NumericKey): string => `platform.report metric ${JSON_METRICS[key]}`;

/** True when a log line claims to be a REPORT, in either format. */
export function looksLikeReport(line: string): boolean {
  const trimmed = line.trimStart();
  return (
    trimmed.startsWith(TEXT_PREFIX) ||
    (trimmed.startsWith("{") && trimmed.includes('"platform.report"'))
  );
}

/** Parse one REPORT line in either format. */
export function parseReport(line: string): ReportParseResult {
  const trimmed = line.trim();
  if (trimmed.startsWith(TEXT_PREFIX)) return parseTextReport(trimmed);
  if (trimmed.startsWith("{")) return parseJsonReport(trimmed);
  return { ok: false, reason: "not a REPORT line" };
}

/**
 * The shape nearly every REPORT line has (warm, or cold with Init Duration),
 * read by one regular expression: metrics reads millions of these.
 */
const COMMON_TEXT_REPORT =
  /^REPORT RequestId: (\S+)\tDuration: (\d+(?:\.\d+)?) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB(?:\tInit Duration: (\d+(?:\.\d+)?) ms)?\t?$/;

function parseTextReport(line: string): ReportParseResult {
  const common = COMMON_TEXT_REPORT.exec(line);
  if (common) {
    const report: Report = {
      requestId: common[1]!,
      durationMs: Number(common[2]),
      billedDurationMs: Number(common[3]),
      memorySizeMb: Number(common[4]),
      maxMemoryUsedMb: Number(common[5]),
      ...(common[6] !== undefined ? { initDurationMs: Number(common[6]) } : {}),
    };
    const outside = figureOutsideLimits(report, textLabel);
    if (outside) return { ok: false, reason: outside };
    return { ok: true, format: "text", report };
  }
  // CloudWatch shows the XRAY part on its own line in some exports.
  const [reportPart = "", ...xrayParts] = line.includes("XRAY") ? line.split(/\s*XRAY\s+/) : [line];
  const segments = reportPart
    .slice(TEXT_PREFIX.length)
    .split("\t")
    .map((segment) => segment.trim())
    .filter((segment) => segment.length > 0);
  const requestId = segments.shift();
  if (!requestId || /\s/.test(requestId)) {
    return { ok: false, reason: "REPORT line has no RequestId" };
  }
  const values: Partial<Record<NumericKey, number>> = {};
  let status: string | undefined;
  let errorType: string | undefined;
  for (const segment of segments) {
    const colon = segment.indexOf(":");
    if (colon < 0) return { ok: false, reason: `REPORT field "${segment}" has no value` };
    const label = segment.slice(0, colon).trim();
    const value = segment.slice(colon + 1).trim();
    if (label === "Status") {
      status = value;
      continue;
    }
    if (label === "Error Type") {
      errorType = value;
      continue;
    }
    const field = FIELD_BY_LABEL.get(label);
    if (!field) continue; // fields AWS adds later must not break parsing
    const match = field.pattern.exec(value);
    if (!match) {
      return {
        ok: false,
        reason: `REPORT field ${label} has value "${value}", expected a number of ${field.unit}`,
      };
    }
    values[field.key] = Number(match[1]);
  }
  const missing = REQUIRED_KEYS.filter((key) => values[key] === undefined);
  if (missing.length > 0) {
    const labels = missing.map((key) => TEXT_FIELDS.find((field) => field.key === key)?.label);
    return { ok: false, reason: `REPORT line is missing ${labels.join(", ")}` };
  }
  const outside = figureOutsideLimits(values, textLabel);
  if (outside) return { ok: false, reason: outside };
  const xrayTraceId = /TraceId:\s*(\S+)/.exec(xrayParts.join(" "))?.[1];
  return {
    ok: true,
    format: "text",
    report: compact({ requestId, ...values, status, errorType, xrayTraceId }) as unknown as Report,
  };
}

function parseJsonReport(line: string): ReportParseResult {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return { ok: false, reason: "line starts with { but is not valid JSON" };
  }
  if (!isObject(event) || event.type !== "platform.report") {
    return { ok: false, reason: "JSON event is not a platform.report" };
  }
  const record = event.record;
  if (!isObject(record) || typeof record.requestId !== "string" || !isObject(record.metrics)) {
    return { ok: false, reason: "platform.report has no record.requestId or record.metrics" };
  }
  const metrics = record.metrics;
  const values: Partial<Record<NumericKey, number>> = {};
  for (const [key, name] of Object.entries(JSON_METRICS) as [NumericKey, string][]) {
    const value = metrics[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      return {
        ok: false,
        reason: `platform.report metric ${name} is ${JSON.stringify(value)}, expected a number`,
      };
    }
    values[key] = value;
  }
  const missing = REQUIRED_KEYS.filter((key) => values[key] === undefined);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `platform.report is missing ${missing.map((key) => JSON_METRICS[key]).join(", ")}`,
    };
  }
  const outside = figureOutsideLimits(values, jsonLabel);
  if (outside) return { ok: false, reason: outside };
  const status =
    typeof record.status === "string" && record.status !== "success" ? record.status : undefined;
  const errorType = typeof record.errorType === "string" ? record.errorType : undefined;
  const tracing = isObject(record.tracing) ? record.tracing : undefined;
  const xrayTraceId =
    tracing && typeof tracing.value === "string"
      ? (/Root=([^;]+)/.exec(tracing.value)?.[1] ?? tracing.value)
      : undefined;
  return {
    ok: true,
    format: "json",
    report: compact({
      requestId: record.requestId,
      ...values,
      status,
      errorType,
      xrayTraceId,
    }) as unknown as Report,
  };
}

/**
 * What the caller waited for one invocation: its duration plus, on a cold
 * start, the init or the SnapStart restore that came before it. The speed the
 * tuner ranks by, and what AWS Lambda Power Tuning averages as "duration".
 * (Billing is another matter: Billed Duration alone is what was billed.)
 */
export function durationWithStartupMs(figures: {
  readonly durationMs: number;
  readonly initDurationMs?: number | null | undefined;
  readonly restoreDurationMs?: number | null | undefined;
}): number {
  return figures.durationMs + (figures.initDurationMs ?? 0) + (figures.restoreDurationMs ?? 0);
}

/**
 * The REPORT line in a synchronous invocation's log tail (Invoke with
 * `LogType: Tail`: the last 4 KB of its log, base64-decoded), in either log
 * format; the last one when the tail holds more than one. Other lines (the
 * function's output, START/END, XRAY, extension logs, platform.start and
 * platform.runtimeDone records) are passed over.
 */
export function reportFromLogTail(log: string): Report | undefined {
  let report: Report | undefined;
  for (const line of log.split("\n")) {
    const parsed = parseReport(line);
    if (parsed.ok) report = parsed.report;
  }
  return report;
}

/** Format a report as Lambda's text log line. */
export function formatReportText(report: Report): string {
  const parts = [`${TEXT_PREFIX} ${report.requestId}`];
  for (const field of TEXT_FIELDS) {
    const value = report[field.key];
    if (value === undefined) continue;
    parts.push(`${field.label}: ${value.toFixed(field.decimals)} ${field.unit}`);
  }
  if (report.status !== undefined) parts.push(`Status: ${report.status}`);
  if (report.errorType !== undefined) parts.push(`Error Type: ${report.errorType}`);
  let line = `${parts.join("\t")}\t`;
  if (report.xrayTraceId !== undefined) line += `\nXRAY TraceId: ${report.xrayTraceId}\t`;
  return line;
}

/** Format a report as the JSON log format's `platform.report` event. */
export function formatReportJson(report: Report, time: Date = new Date()): string {
  const metrics: Record<string, number> = {};
  for (const [key, name] of Object.entries(JSON_METRICS) as [NumericKey, string][]) {
    const value = report[key];
    if (value !== undefined) metrics[name] = value;
  }
  const record: Record<string, unknown> = {
    requestId: report.requestId,
    metrics,
    status: report.status ?? "success",
  };
  if (report.errorType !== undefined) record.errorType = report.errorType;
  if (report.xrayTraceId !== undefined) {
    record.tracing = { spanId: "", type: "X-Amzn-Trace-Id", value: `Root=${report.xrayTraceId}` };
  }
  return JSON.stringify({ time: time.toISOString(), type: "platform.report", record });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compact(object: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key in object) if (object[key] !== undefined) result[key] = object[key];
  return result;
}
