/**
 * The resume latency the duty cycle gives back on the portable path, and the
 * run-queue wait it reads instead on Linux.
 */
import { spawn } from "node:child_process";
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

describe("a runtime's wait for a CPU (Linux schedstat)", () => {
  it("is read for a live process, grows while it competes for a CPU, and is unknown for a gone one", async () => {
    // two spinners per CPU: each must wait its turn
    const spinners = Array.from({ length: 2 * availableParallelism() }, () =>
      spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }),
    );
    try {
      const pid = spinners[0]!.pid!;
      const before = procReader.runQueueWaitMs!(pid);
      expect(before).toBeGreaterThanOrEqual(0);
      let after = before!;
      while (after <= before!) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = procReader.runQueueWaitMs!(pid)!;
      }
      expect(after).toBeGreaterThan(before!);
    } finally {
      for (const spinner of spinners) spinner.kill("SIGKILL");
    }
    expect(procReader.runQueueWaitMs!(2 ** 22 + 1)).toBeUndefined();
  });
});
