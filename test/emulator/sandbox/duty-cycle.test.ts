/**
 * The duty cycle's schedule, run on a simulated clock: no processes, no
 * timers. What the real loop adds (signals, late timers) is measured by the
 * fidelity bench, not asserted here.
 */
import { describe, expect, it } from "vitest";
import {
  boundCredit,
  centringMs,
  chargedRunMs,
  dutyCyclePeriodMs,
  LAMBDA_PERIOD_MS,
  MIN_RUN_MS,
  planRunPhase,
  planStopPhase,
} from "../../../src/emulator/sandbox/duty-cycle.js";

const SHARE_128_MB = 128 / 1_769;
const SHARE_512_MB = 512 / 1_769;

interface Phase {
  readonly startMs: number;
  readonly periodMs: number;
  readonly runMs: number;
  readonly stopMs: number;
}

/**
 * The loop of DutyCycle on a clock where each run phase lasts what it was
 * planned for plus `lateMs`, and so does each stop phase (a timer that fires
 * late). The tree uses `usedFraction` of each run phase's wall time on a CPU
 * (less than 1: idle or waiting for a CPU part of it; 2: two processes at once),
 * and that CPU time is what is charged (chargedRunMs, as on Linux); `onCpuMs`
 * is all of it.
 */
function simulate(
  runFraction: number,
  untilMs: number,
  { lateMs = 0, usedFraction = 1 } = {},
): { phases: Phase[]; ranMs: number; elapsedMs: number; onCpuMs: number; wallRunMs: number } {
  const phases: Phase[] = [];
  let ranMs = 0;
  let elapsedMs = 0;
  let onCpuMs = 0;
  let wallRunMs = 0;
  while (elapsedMs < untilMs) {
    const startMs = elapsedMs;
    const { periodMs, runMs: plannedRunMs } = planRunPhase({ runFraction, ranMs, elapsedMs });
    const runMs = plannedRunMs + lateMs;
    ranMs += chargedRunMs(runMs, { beforeMs: 100, afterMs: 100 + runMs * usedFraction }, 0);
    onCpuMs += runMs * usedFraction;
    wallRunMs += runMs;
    elapsedMs += runMs;
    ranMs = boundCredit({ runFraction, ranMs, elapsedMs }, periodMs);
    const stopMs = planStopPhase({ runFraction, ranMs, elapsedMs }, periodMs) + lateMs;
    elapsedMs += stopMs;
    phases.push({ startMs, periodMs, runMs, stopMs });
  }
  return { phases, ranMs, elapsedMs, onCpuMs, wallRunMs };
}

/** When a tree needing `workMs` of running finishes under a schedule of phases (run first in each). */
function finishesAt(phases: readonly Phase[], workMs: number): number {
  let done = 0;
  for (const phase of phases) {
    if (done + phase.runMs >= workMs) return phase.startMs + (workMs - done);
    done += phase.runMs;
  }
  throw new Error("the simulation was too short for this much work");
}

/** Lambda's schedule: a 20 ms CFS period whose quota is used first. */
function lambdaFinishesAt(runFraction: number, workMs: number): number {
  const quotaMs = runFraction * LAMBDA_PERIOD_MS;
  const fullPeriods = Math.ceil(workMs / quotaMs) - 1;
  return fullPeriods * LAMBDA_PERIOD_MS + (workMs - fullPeriods * quotaMs);
}

describe("the duty cycle's period", () => {
  it("starts on Lambda's 20 ms, so a short invocation is throttled as on Lambda", () => {
    expect(dutyCyclePeriodMs(SHARE_128_MB, 0)).toBe(LAMBDA_PERIOD_MS);
    expect(dutyCyclePeriodMs(SHARE_128_MB, 150)).toBe(LAMBDA_PERIOD_MS);
    const { phases } = simulate(SHARE_128_MB, 200);
    expect(phases[0]).toMatchObject({ startMs: 0, periodMs: 20 });
    // the first run phase is the whole quota at once, as a fresh CFS period gives it
    expect(phases[0]!.runMs).toBeCloseTo(SHARE_128_MB * 20, 9);
    expect(phases[0]!.runMs + phases[0]!.stopMs).toBeCloseTo(20, 9);
  });

  it("grows with the stretch, never past a tenth of it, up to a 10 ms run phase", () => {
    expect(dutyCyclePeriodMs(SHARE_128_MB, 500)).toBe(50);
    const longest = MIN_RUN_MS / SHARE_128_MB; // 138.2 ms
    expect(dutyCyclePeriodMs(SHARE_128_MB, 1_000)).toBe(100);
    expect(dutyCyclePeriodMs(SHARE_128_MB, 60_000)).toBeCloseTo(longest, 9);
    for (const phase of simulate(SHARE_128_MB, 10_000).phases) {
      expect(phase.periodMs).toBeLessThanOrEqual(Math.max(20, phase.startMs / 10) + 1e-9);
      expect(phase.periodMs).toBeLessThanOrEqual(longest + 1e-9);
    }
  });

  it("stays at 20 ms where the share already gives a 10 ms run phase", () => {
    expect(dutyCyclePeriodMs(0.5, 60_000)).toBe(20);
    expect(dutyCyclePeriodMs(0.9, 60_000)).toBe(20);
    // 512 MB: 29% of a vCPU, a 34.6 ms period at most
    expect(dutyCyclePeriodMs(SHARE_512_MB, 60_000)).toBeCloseTo(MIN_RUN_MS / SHARE_512_MB, 9);
  });

  it("cuts the number of resumes of a long CPU-bound invocation at 128 MB", () => {
    // 200 ms of work at one vCPU takes 2.76 s at 128 MB: 139 resumes with 20 ms periods
    const lambdaResumes = Math.ceil(200 / (SHARE_128_MB * LAMBDA_PERIOD_MS));
    const { phases } = simulate(SHARE_128_MB, 2_764);
    expect(lambdaResumes).toBe(139);
    expect(phases.length).toBeLessThan(45);
  });
});

describe("the duty cycle's share", () => {
  it.each([
    ["128 MB", SHARE_128_MB],
    ["512 MB", SHARE_512_MB],
    ["1,024 MB", 1_024 / 1_769],
  ])("is the run fraction over a long stretch (%s)", (_, share) => {
    const { ranMs, elapsedMs } = simulate(share, 20_000);
    expect(ranMs / elapsedMs).toBeCloseTo(share, 3);
  });

  it("charges CPU time: a tree on a CPU two thirds of each run phase (waiting the rest) still gets the share", () => {
    const { onCpuMs, elapsedMs } = simulate(SHARE_128_MB, 20_000, { usedFraction: 2 / 3 });
    expect(onCpuMs / elapsedMs).toBeCloseTo(SHARE_128_MB, 3);
  });

  it("charges every process's main thread: two processes running at once run half as long", () => {
    const { onCpuMs, wallRunMs, elapsedMs } = simulate(SHARE_128_MB, 20_000, { usedFraction: 2 });
    expect(onCpuMs / elapsedMs).toBeCloseTo(SHARE_128_MB, 3);
    expect(wallRunMs / elapsedMs).toBeCloseTo(SHARE_128_MB / 2, 3);
  });

  it("charges a run phase its CPU time, or its wall time less the loss per phase where CPU time is unread", () => {
    expect(chargedRunMs(2, { beforeMs: 10, afterMs: 11.5 }, 0.2)).toBeCloseTo(1.5, 9);
    expect(chargedRunMs(2, { beforeMs: 10, afterMs: 13 }, 0.2)).toBeCloseTo(3, 9);
    expect(chargedRunMs(2, { beforeMs: undefined, afterMs: 10.5 }, 0.2)).toBeCloseTo(1.8, 9);
    // a process that exited took its count with it: nothing more is known
    expect(chargedRunMs(2, { beforeMs: 10, afterMs: 3 }, 0.2)).toBe(0);
  });

  it("repays late timers: each phase 1 ms late still gives the share", () => {
    const { ranMs, elapsedMs } = simulate(SHARE_128_MB, 20_000, { lateMs: 1 });
    expect(ranMs / elapsedMs).toBeCloseTo(SHARE_128_MB, 3);
  });

  it("does not let an idle tree bank credit: at most two periods' share at once", () => {
    // counted by CPU time, a tree that used nothing for a long while...
    const idle = simulate(SHARE_128_MB, 5_000, { usedFraction: 0 });
    for (const phase of idle.phases) {
      expect(phase.runMs).toBeLessThanOrEqual(2 * SHARE_128_MB * phase.periodMs + 1e-9);
    }
    // ...and the floor is one period behind the centred share
    const periodMs = 100;
    const floor = boundCredit({ runFraction: 0.1, ranMs: 0, elapsedMs: 1_000 }, periodMs);
    expect(floor).toBeCloseTo(0.1 * 900 - centringMs(0.1, periodMs), 9);
    expect(boundCredit({ runFraction: 0.1, ranMs: 95, elapsedMs: 1_000 }, periodMs)).toBe(95);
  });

  it("ends a stop phase on the share, or before it by the centring", () => {
    expect(planStopPhase({ runFraction: 0.1, ranMs: 2, elapsedMs: 2 }, 20)).toBeCloseTo(18, 9);
    expect(centringMs(0.1, 20)).toBe(0);
    expect(centringMs(0.1, 120)).toBeCloseTo((0.1 * 0.9 * 100) / 2, 9);
    // a run far ahead of its share is repaid by at most 80 ms beyond a normal stop, whatever the period
    expect(planStopPhase({ runFraction: 0.1, ranMs: 1_000, elapsedMs: 1_000 }, 20)).toBeCloseTo(
      98,
      9,
    );
    expect(planStopPhase({ runFraction: 0.1, ranMs: 1_000, elapsedMs: 1_000 }, 100)).toBeCloseTo(
      170,
      9,
    );
  });
});

describe("an invocation's duration under the duty cycle, against Lambda's 20 ms schedule", () => {
  // work from 100 to 300 ms of one vCPU, in steps that fall anywhere within a period
  const works = Array.from({ length: 400 }, (_, i) => 100 + i * 0.5 + 0.123);
  const schedule = simulate(SHARE_128_MB, 5_000).phases;
  const errors = works.map((work) => {
    const workAtShare = work; // ms of running the tree needs
    return finishesAt(schedule, workAtShare) / lambdaFinishesAt(SHARE_128_MB, workAtShare) - 1;
  });

  it("is the same on average: the longer periods are centred, not run first", () => {
    const mean = errors.reduce((sum, error) => sum + error, 0) / errors.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
  });

  it("is within ±5% for any one invocation (the period is at most a tenth of it)", () => {
    for (const error of errors) expect(Math.abs(error)).toBeLessThan(0.05);
  });

  it("is Lambda's exactly for a short invocation", () => {
    for (const work of [0.5, 1, 1.447, 3, 7.3, 14]) {
      expect(finishesAt(schedule, work)).toBeCloseTo(lambdaFinishesAt(SHARE_128_MB, work), 6);
    }
  });
});
