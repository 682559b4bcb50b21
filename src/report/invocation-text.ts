/** One local invocation's REPORT as a line of text, the same for `invoke` and the `invoke_local` tool. */
import type { InvocationReport } from "../emulator/invocation-report.js";
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
