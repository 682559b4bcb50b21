/**
 * The lines Lambda itself writes around a function's own output: INIT_START,
 * START, END and REPORT in the text log format, or the platform.* events of
 * the JSON log format (LoggingConfig.LogFormat: JSON).
 */
import { formatReportJson, formatReportText, type Report } from "../lambda/report-line.js";
import type { LogFormat } from "./functions/function-definition.js";

export function initStartLine(format: LogFormat, runtime: string, now = new Date()): string {
  const runtimeVersion = `${runtime.replace(/\.x$/, "")}.emulated`;
  if (format === "JSON") {
    return JSON.stringify({
      time: now.toISOString(),
      type: "platform.initStart",
      record: { initializationType: "on-demand", phase: "init", runtimeVersion },
    });
  }
  return `INIT_START Runtime Version: ${runtimeVersion}`;
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
