/**
 * The resume latency the duty cycle gives back on the portable path, and the
 * CPU time it charges instead on Linux.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { procReader } from "../../../src/emulator/sandbox/proc-reader.js";
import {
  MAX_CREDITED_LATENCY_MS,
  measureResumeLatency,
  resumeLatencyOf,
} from "../../../src/emulator/sandbox/resume-latency.js";

describe("the resume latency", () => {
  it("is the median of the delays, within [0, 1 ms]", () => {
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

describe("a process's CPU time (Linux schedstat)", () => {
  it("counts every thread, in ns rather than clock ticks, and is unknown for a gone process", async () => {
    // two threads busy at once: a worker and the main thread
    const source = `new (require("node:worker_threads").Worker)("for(;;){}", { eval: true }); for(;;){}`;
    const busy = spawn(process.execPath, ["-e", source], { stdio: "ignore" });
    try {
      const pid = busy.pid!;
      const mainThreadMs = () =>
        Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
      await new Promise((resolve) => setTimeout(resolve, 200)); // the worker is running
      const [before, mainBefore] = [procReader.cpuTimeMs!(pid)!, mainThreadMs()];
      const wallStarted = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const usedMs = procReader.cpuTimeMs!(pid)! - before;
      const mainUsedMs = mainThreadMs() - mainBefore;
      const wallMs = performance.now() - wallStarted;
      // the worker's time is in the sum, over the main thread's own
      expect(usedMs).toBeGreaterThan(mainUsedMs + 1);
      // not whole 10 ms clock ticks, and no more than every CPU of the host could give
      expect(usedMs % 10).not.toBe(0);
      expect(usedMs).toBeLessThanOrEqual(wallMs * availableParallelism() + 1);
    } finally {
      busy.kill("SIGKILL");
    }
    expect(procReader.cpuTimeMs!(2 ** 22 + 1)).toBeUndefined();
  });
});
