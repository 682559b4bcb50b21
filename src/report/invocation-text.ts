/** One local invocation's REPORT as a line of text, the same for `invoke` and the `invoke_local` tool. */
import type { InvocationReport } from "../emulator/invocation-report.js";
import type { ServerSentEvents } from "../emulator/server-sent-events.js";
import { formatMs, formatNumber } from "../format.js";

/** "Duration 61.2 ms, billed 62 ms (cold start: init 40.1 ms), memory 62 of 128 MB; CPU 0.072 vCPU via cgroup-v1". */
export function describeInvocationReport(document: InvocationReport): string {
  const { report, sandbox } = document;
  return (
    `Duration ${formatMs(report.durationMs)} ms, billed ${formatMs(report.billedDurationMs)} ms` +
    (report.initDurationMs !== undefined
      ? ` (cold start: init ${formatMs(report.initDurationMs)} ms)`
      : "") +
    `, memory ${report.maxMemoryUsedMb} of ${report.memorySizeMb} MB` +
    `; CPU ${formatNumber(sandbox.cpuShare, 3)} vCPU via ${sandbox.mechanism}` +
    (sandbox.clamped ? " (clamped to this host's CPUs)" : "")
  );
}

/**
 * A streamed answer's timing, for a streaming handler only (undefined otherwise):
 * "Streamed 12 chunks, 1,024 bytes (text/event-stream, status 200): first byte at 3.1 ms of 402 ms".
 */
export function describeStreamedResponse(document: InvocationReport): string | undefined {
  const { response } = document;
  if (!response.streamed) return undefined;
  const http = response.http;
  const contentType =
    Object.entries(http?.headers ?? {}).find(
      ([name]) => name.toLowerCase() === "content-type",
    )?.[1] ?? (http ? undefined : response.contentType);
  const details = [
    ...(contentType ? [contentType] : []),
    ...(http?.statusCode !== undefined ? [`status ${http.statusCode}`] : []),
  ];
  const timing =
    `Streamed ${formatNumber(response.chunks, 0)} chunk${response.chunks === 1 ? "" : "s"}, ` +
    `${formatNumber(response.bytes, 0)} bytes` +
    (details.length > 0 ? ` (${details.join(", ")})` : "") +
    ": " +
    (response.ttfbMs === null
      ? `no byte in ${formatMs(response.durationMs)} ms`
      : `first byte at ${formatMs(response.ttfbMs)} ms of ${formatMs(response.durationMs)} ms`);
  const events = response.serverSentEvents;
  return events ? `${timing}\n${describeServerSentEvents(events)}` : timing;
}

/**
 * "Server-sent events: 4 an EventSource delivers; 3 lines it ignores (…), the first: {"token":"a"}",
 * what a browser would show of a text/event-stream answer.
 */
function describeServerSentEvents(events: ServerSentEvents): string {
  const problems = [
    ...(events.ignoredLines > 0
      ? [
          `${formatNumber(events.ignoredLines, 0)} line${events.ignoredLines === 1 ? "" : "s"} it ignores (a field other than data:, event:, id: or retry:; write each message as "data: …" then a blank line), the first: ${events.firstIgnoredLine}`,
        ]
      : []),
    ...(events.lastEventUnterminated
      ? ["the last event has no blank line after it, so an EventSource never delivers it"]
      : []),
  ];
  return `Server-sent events: ${formatNumber(events.events, 0)} an EventSource delivers${problems.map((problem) => `; ${problem}`).join("")}`;
}
