/**
 * What a run phase loses, which the duty cycle gives back on the portable path,
 * and the CPU time it charges instead on Linux.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { procReader } from "../../../src/emulator/sandbox/proc-reader.js";
import {
  lostInPhaseMs,
  MAX_CREDITED_LATENCY_MS,
  measureResumeLatency,
  resumeLatencyOf,
} from "../../../src/emulator/sandbox/resume-latency.js";

describe("the loss per run phase", () => {
  it("is the part of the probe's gaps within the phase: the delay to its first run, then every wait", () => {
    const phase = { from: 100, to: 102.5 };
    const gaps = [
      { from: 90, to: 100.15 }, // stopped before the phase, running 0.15 ms into it
      { from: 100.4, to: 100.45 }, // a woken thread ran in its way
      { from: 101, to: 101.1 },
      { from: 102.45, to: 108 }, // stopped: only the part before the phase's end counts
      { from: 80, to: 85 }, // another phase's
    ];
    expect(lostInPhaseMs(gaps, phase)).toBeCloseTo(0.15 + 0.05 + 0.1 + 0.05, 10);
    expect(lostInPhaseMs([], phase)).toBe(0);
  });

  it("is the median of the phases' losses, within [0, 1 ms]", () => {
    expect(resumeLatencyOf([0.3, 0.1, 0.2, 9])).toBe(0.3);
    expect(resumeLatencyOf([0.12, 0.15, 0.14])).toBe(0.14);
    expect(resumeLatencyOf([5, 6, 7])).toBe(MAX_CREDITED_LATENCY_MS);
    expect(resumeLatencyOf([])).toBe(0);
  });

  it("is measured on this host by stopping and continuing a real process", async () => {
    const latencyMs = await measureResumeLatency();
    // a resume is never instant (a signal, a wake-up, a context switch), nor a whole ms on a healthy host
    expect(latencyMs).toBeGreaterThan(0);
    expect(latencyMs).toBeLessThanOrEqual(MAX_CREDITED_LATENCY_MS);
  });
});

describe("a process's main-thread CPU time (Linux schedstat)", () => {
  const tickMs = 10; // stat's utime and stime count in these; schedstat does not

  it("counts the main thread in ns, not a worker beside it, and is unknown for a gone process", async () => {
    // the main thread idles on a timer while a worker spins
    const source = `new (require("node:worker_threads").Worker)("for(;;){}", { eval: true }); setInterval(() => {}, 1000)`;
    const idleMain = spawn(process.execPath, ["-e", source], { stdio: "ignore" });
    const busyMain = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // the worker is running
      const ticks = (pid: number) => {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return Number(fields[11]) + Number(fields[12]); // utime + stime, every thread
      };
      const [idleBefore, busyBefore, idleTicksBefore] = [
        procReader.cpuTimeMs!(idleMain.pid!)!,
        procReader.cpuTimeMs!(busyMain.pid!)!,
        ticks(idleMain.pid!),
      ];
      await new Promise((resolve) => setTimeout(resolve, 400));
      const idleUsedMs = procReader.cpuTimeMs!(idleMain.pid!)! - idleBefore;
      const busyUsedMs = procReader.cpuTimeMs!(busyMain.pid!)! - busyBefore;
      const idleProcessTicks = ticks(idleMain.pid!) - idleTicksBefore;
      // the worker used the process's CPU, but not its main thread's
      expect(idleProcessTicks).toBeGreaterThan(2);
      expect(idleUsedMs).toBeLessThan(idleProcessTicks * tickMs * 0.5);
      // a spinning main thread is counted, and not in whole ticks
      expect(busyUsedMs).toBeGreaterThan(0);
      expect(busyUsedMs % tickMs).not.toBe(0);
    } finally {
      idleMain.kill("SIGKILL");
      busyMain.kill("SIGKILL");
    }
    expect(procReader.cpuTimeMs!(2 ** 22 + 1)).toBeUndefined();
  });
});
