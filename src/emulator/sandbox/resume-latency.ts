/**
 * What each of the duty cycle's run phases loses on this host, measured once
 * per process: given back to each run phase where the tree's CPU time cannot
 * be read (the portable path: ps counts it only in whole clock ticks; see
 * duty-cycle.ts).
 *
 * Waking a stopped tree is not free. The signal must reach it, and the core it
 * wakes on is often idle, so on a VM the hypervisor must first run that vCPU
 * again: 0.11–0.18 ms per resume on the development VM (2026-12-03). Then
 * SIGCONT wakes every thread of the process, not only the one with work, and
 * they stand in its way for a while: a Node.js runtime's main thread at
 * 128 MB waited 11–13 ms for a CPU in a 1.1 s invocation. Crediting only the
 * first delay left the portable path's d(128)/d(1769) some 5% high (14.0–15.3
 * per unit of CPU work in nine checks, where charging the CPU time read 12.4–
 * 13.8). A throttled cgroup pays neither cost: its threads are dequeued, not
 * stopped.
 *
 * The probe is a Node.js process in its own group (so with a runtime's set of
 * threads) that spins reading the monotonic clock (shared by every process on
 * the host) and writes every gap in its running of 20 µs or more. It is
 * stopped for a few ms, long enough for its core to go idle as a throttled
 * tree's does, then continued for a run phase of about 2 ms, a dozen times;
 * what a phase lost is the part of the gaps within it (the delay to the first
 * clock read, then every wait behind another thread), and the median over the
 * phases is the figure. It uses only signals and a child process, so the
 * portable path (macOS, the BSDs) measures the same way.
 */
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { signalProcessGroup } from "./process-tree.js";

/** Run phases measured; the first two (a cold probe) are dropped. */
const PHASES = 14;
const DROPPED = 2;
/** Stopped this long before each run phase: enough for the probe's core to go idle. */
const STOPPED_MS = 5;
/** Each run phase's length as timed here (a timer, so 2-3 ms): about 128 MB's at Lambda's period. */
const RUN_MS = 2;
/** A resume answered later than this is not waited for: the probe is stuck or the host starved. */
const RESUME_TIMEOUT_MS = 1_000;
/** A loss above this is not believed as a per-phase cost: it is the host being busy at that moment. */
export const MAX_CREDITED_LATENCY_MS = 1;

/** Spins on the monotonic clock; writes each gap of 20 µs or more as "from to" (ns), its own write left out. */
const PROBE_SOURCE = `
const { writeSync } = require("node:fs");
writeSync(1, "ready\\n");
let last = process.hrtime.bigint();
for (;;) {
  const now = process.hrtime.bigint();
  if (now - last >= 20000n) {
    writeSync(1, last + " " + now + "\\n");
    last = process.hrtime.bigint();
  } else {
    last = now;
  }
}`;

/** The median of the losses, ms, clamped to [0, MAX_CREDITED_LATENCY_MS]. */
export function resumeLatencyOf(lossesMs: readonly number[]): number {
  const sorted = lossesMs.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return Math.min(MAX_CREDITED_LATENCY_MS, Math.max(0, median));
}

/** A stretch of monotonic time, ms. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** How much of the probe's gaps fell within a run phase, ms: the time that phase did not run it. */
export function lostInPhaseMs(gaps: readonly Span[], phase: Span): number {
  let lost = 0;
  for (const gap of gaps)
    lost += Math.max(0, Math.min(gap.to, phase.to) - Math.max(gap.from, phase.from));
  return lost;
}

const nsToMs = (ns: bigint): number => Number(ns) / 1e6;
/** The monotonic clock the probe reads, ms. */
const nowMs = (): number => nsToMs(process.hrtime.bigint());

/** What the probe has written so far. */
class ProbeOutput {
  private text = "";
  private waiter: (() => void) | undefined;

  push(chunk: string): void {
    this.text += chunk;
    this.waiter?.();
  }

  /** Its complete lines. */
  lines(): string[] {
    return this.text.split("\n").slice(0, -1);
  }

  /** The gaps among its lines. */
  gaps(): Span[] {
    return this.lines().flatMap((line) => {
      const [from, to] = line.split(" ");
      return from && to ? [{ from: nsToMs(BigInt(from)), to: nsToMs(BigInt(to)) }] : [];
    });
  }

  /** Waits until `done` holds of the output; false if it does not within timeoutMs. */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const timeout = new AbortController();
    const timedOut = sleep(timeoutMs, undefined, { ref: false, signal: timeout.signal }).then(
      () => true,
      () => false,
    );
    try {
      while (!done()) {
        const arrived = new Promise<boolean>((resolve) => {
          this.waiter = () => resolve(false);
        });
        if (await Promise.race([arrived, timedOut])) return false;
      }
      return true;
    } finally {
      this.waiter = undefined;
      timeout.abort();
    }
  }
}

/** Measure the loss per run phase now (see the file's comment); 0 when the probe cannot run. */
export async function measureResumeLatency(): Promise<number> {
  const probe = spawn(process.execPath, ["-e", PROBE_SOURCE], {
    detached: true,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const output = new ProbeOutput();
  probe.stdout?.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
  let failed = false;
  probe.once("error", () => {
    failed = true;
  });
  try {
    const ready = await output.until(() => failed || output.lines().length > 0, 10_000);
    if (!ready || failed || output.lines()[0] !== "ready" || probe.pid === undefined) return 0;
    const phases: Span[] = [];
    signalProcessGroup(probe.pid, "SIGSTOP");
    for (let phase = 0; phase < PHASES; phase++) {
      await sleep(STOPPED_MS);
      const from = nowMs();
      signalProcessGroup(probe.pid, "SIGCONT");
      await sleep(RUN_MS);
      const to = nowMs();
      signalProcessGroup(probe.pid, "SIGSTOP");
      phases.push({ from, to });
    }
    // continued once more, the probe writes the gap of its last stop: everything before is in
    const continuedAt = nowMs();
    signalProcessGroup(probe.pid, "SIGCONT");
    const resumed = await output.until(
      () => output.gaps().some((gap) => gap.to >= continuedAt),
      RESUME_TIMEOUT_MS,
    );
    if (!resumed) return 0;
    const gaps = output.gaps();
    return resumeLatencyOf(phases.slice(DROPPED).map((phase) => lostInPhaseMs(gaps, phase)));
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
