/**
 * The lines Lambda itself writes around a function's own output: INIT_START,
 * START, END and REPORT in the text log format, or the platform.* events of
 * the JSON log format (LoggingConfig.LogFormat: JSON).
 */
import { formatReportJson, formatReportText, type Report } from "../lambda/report-line.js";
import { formatRuntimeDone, type RuntimeDoneInput } from "../lambda/runtime-done.js";
import type { LogFormat } from "./functions/function-definition.js";

/**
 * Init runs in the init phase, or again inside the first invocation (the
 * "invoke" phase) when the first attempt ran out of its ten seconds.
 */
export type InitPhase = "init" | "invoke";

/** runtimeVersion: what ran, e.g. "nodejs22.x on Node.js v22.23.5 (local)" (interpreter.ts). */
export function initStartLine(
  format: LogFormat,
  runtimeVersion: string,
  phase: InitPhase = "init",
  now = new Date(),
): string {
  if (format === "JSON") {
    return JSON.stringify({
      time: now.toISOString(),
      type: "platform.initStart",
      record: { initializationType: "on-demand", phase, runtimeVersion },
    });
  }
  return `INIT_START Runtime Version: ${runtimeVersion}`;
}

export interface InitReport {
  readonly phase: InitPhase;
  readonly status: "success" | "error" | "timeout";
  readonly durationMs: number;
  readonly errorType?: string;
}

/** INIT_REPORT: Lambda writes it for an init that did not simply succeed in the init phase. */
export function initReportLine(format: LogFormat, report: InitReport, now = new Date()): string {
  const durationMs = Math.round(report.durationMs * 100) / 100;
  if (format === "JSON") {
    return JSON.stringify({
      time: now.toISOString(),
      type: "platform.initReport",
      record: {
        initializationType: "on-demand",
        phase: report.phase,
        status: report.status,
        ...(report.errorType ? { errorType: report.errorType } : {}),
        metrics: { durationMs },
      },
    });
  }
  const errorType = report.errorType ? `\tError Type: ${report.errorType}` : "";
  return `INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms\tPhase: ${report.phase}\tStatus: ${report.status}${errorType}`;
}

export function startLine(
  format: LogFormat,
  requestId: string,
  version: string,
  now = new Date(),
): string {
  if (format === "JSON") {
    return JSON.stringify({
      time: now.toISOString(),
      type: "platform.start",
      record: { requestId, version },
    });
  }
  return `START RequestId: ${requestId} Version: ${version}`;
}

/**
 * platform.runtimeDone, with the response's latency, duration and bytes: Lambda writes it in the
 * JSON log format only (the text format has no such line), so undefined for Text.
 */
export function runtimeDoneLine(
  format: LogFormat,
  input: RuntimeDoneInput,
  now = new Date(),
): string | undefined {
  return format === "JSON" ? formatRuntimeDone(input, now) : undefined;
}

/** The JSON format has no END line: platform.report closes the invocation. */
export function endLines(format: LogFormat, report: Report, now = new Date()): string[] {
  if (format === "JSON") return [formatReportJson(report, now)];
  return [`END RequestId: ${report.requestId}`, formatReportText(report)];
}

/** The line Lambda writes when an invocation runs out of time. */
export function timeoutLine(
  format: LogFormat,
  requestId: string,
  timeoutSeconds: number,
  now = new Date(),
): string {
  const message = `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
  if (format === "JSON") {
    return JSON.stringify({ timestamp: now.toISOString(), level: "ERROR", requestId, message });
  }
  return `${now.toISOString()} ${requestId} ${message}`;
}
