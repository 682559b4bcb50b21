/**
 * How long a stopped process takes to run again after SIGCONT on this host,
 * measured once per process: what each of the duty cycle's run phases loses
 * before the tree does any work, given back to each run phase where the
 * tree's CPU time cannot be read (the portable path: ps counts it only in
 * whole clock ticks; see duty-cycle.ts).
 *
 * Waking a stopped tree is not free. The signal must reach it, and the core it
 * wakes on is often idle, so on a VM the hypervisor must first run that vCPU
 * again. On the development VM this was 0.14–0.18 ms per resume (2026-12-03),
 * about a tenth of a 1.45 ms run phase at 128 MB; given back, d(128)/d(1769)
 * moved 3% nearer the law (14.92 to 14.48 in one interleaved run). A
 * throttled cgroup pays no such cost: its threads are dequeued, not stopped.
 *
 * The probe is a small Node.js process in its own group that spins reading
 * the monotonic clock (shared by every process on the host) and, on seeing a
 * jump, writes the time it resumed. It is stopped and continued a dozen times
 * with a few ms stopped in between, long enough for its core to go idle as a
 * throttled tree's does; the median of the delays from SIGCONT to resumption
 * is the latency. It uses only signals and a child process, so the portable
 * path (macOS, the BSDs) measures the same way.
 */
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { signalProcessGroup } from "./process-tree.js";

/** Resumes measured; the first two (a cold probe) are dropped. */
const RESUMES = 14;
const DROPPED = 2;
/** Stopped this long before each resume: enough for the probe's core to go idle. */
const STOPPED_MS = 5;
/** A resume answered later than this is not waited for: the probe is stuck or the host starved. */
const RESUME_TIMEOUT_MS = 1_000;
/** A latency above this is not believed as a per-resume cost: it is the host being busy at that moment. */
export const MAX_CREDITED_LATENCY_MS = 1;

/** Spins on the monotonic clock; after a gap of 0.2 ms or more, writes the time it resumed (ns). */
const PROBE_SOURCE = `
const { writeSync } = require("node:fs");
writeSync(1, "ready\\n");
let last = process.hrtime.bigint();
for (;;) {
  const now = process.hrtime.bigint();
  if (now - last > 200000n) writeSync(1, now + "\\n");
  last = now;
}`;

/** The median of the latencies, ms, clamped to [0, MAX_CREDITED_LATENCY_MS]. */
export function resumeLatencyOf(latenciesMs: readonly number[]): number {
  const sorted = latenciesMs.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return Math.min(MAX_CREDITED_LATENCY_MS, Math.max(0, median));
}

/** Lines the probe wrote, as they arrive. */
class ProbeLines {
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private buffered = "";

  push(chunk: string): void {
    this.buffered += chunk;
    const parts = this.buffered.split("\n");
    this.buffered = parts.pop()!;
    this.lines.push(...parts);
    this.waiter?.();
  }

  /** The next line, or undefined if none comes within timeoutMs. */
  async next(timeoutMs: number): Promise<string | undefined> {
    if (this.lines.length === 0) {
      const timeout = new AbortController();
      const arrived = new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
      const timedOut = sleep(timeoutMs, undefined, { ref: false, signal: timeout.signal });
      await Promise.race([arrived, timedOut.catch(() => undefined)]);
      timeout.abort();
      this.waiter = undefined;
    }
    return this.lines.shift();
  }
}

/** The first resumption the probe reports at or after `continuedAt` (an earlier line was in the pipe already). */
async function resumedAfter(lines: ProbeLines, continuedAt: bigint): Promise<bigint | undefined> {
  for (;;) {
    const line = await lines.next(RESUME_TIMEOUT_MS);
    if (line === undefined) return undefined;
    const resumedAt = BigInt(line);
    if (resumedAt >= continuedAt) return resumedAt;
  }
}

/** Measure the resume latency now (see the file's comment); 0 when the probe cannot run. */
export async function measureResumeLatency(): Promise<number> {
  const probe = spawn(process.execPath, ["-e", PROBE_SOURCE], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const lines = new ProbeLines();
  probe.stdout?.setEncoding("utf8").on("data", (chunk: string) => lines.push(chunk));
  const failed = new Promise<undefined>((resolve) => probe.once("error", () => resolve(undefined)));
  try {
    const ready = await Promise.race([lines.next(10_000), failed]);
    if (ready !== "ready" || probe.pid === undefined) return 0;
    const latencies: number[] = [];
    for (let resume = 0; resume < RESUMES; resume++) {
      signalProcessGroup(probe.pid, "SIGSTOP");
      await sleep(STOPPED_MS);
      const continuedAt = process.hrtime.bigint();
      signalProcessGroup(probe.pid, "SIGCONT");
      const resumedAt = await resumedAfter(lines, continuedAt);
      if (resumedAt === undefined) return 0;
      if (resume >= DROPPED) latencies.push(Number(resumedAt - continuedAt) / 1e6);
    }
    return resumeLatencyOf(latencies);
  } finally {
    if (probe.pid !== undefined) {
      signalProcessGroup(probe.pid, "SIGCONT");
      signalProcessGroup(probe.pid, "SIGKILL");
    }
  }
}

let measured: Promise<number> | undefined;

/** This process's measurement, made the first time it is asked for. */
export function resumeLatencyMs(): Promise<number> {
  measured ??= measureResumeLatency();
  return measured;
}
