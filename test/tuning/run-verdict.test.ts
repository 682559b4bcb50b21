/**
 * The verdict on a run, judged as a pure function over results and two host readings: no test
 * here depends on this machine's real load. One CLI run in tune-local.test.ts shows the field.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type HostLoadReading,
  parseCpuTimes,
  parseLoadAverage,
  readHostLoad,
} from "../../src/tuning/host-load.js";
import { judgeRun } from "../../src/tuning/run-verdict.js";
import type { ConfigurationResult, Sample } from "../../src/tuning/tune-result.js";
import { configurationResult } from "./fixtures.js";

const sample = (durationMs: number, errorType: string | null = null): Sample => ({
  durationMs,
  billedDurationMs: Math.ceil(durationMs),
  initDurationMs: null,
  maxMemoryUsedMb: 60,
  costUsd: 1e-6,
  errorType,
});

/** 10 samples of 50 ms at 128 MB, its duration known within ±1%. */
function steady(overrides: Partial<ConfigurationResult> = {}): ConfigurationResult {
  return {
    ...configurationResult({ memoryMb: 128, costUsd: 3e-7, meanMs: 50 }),
    samples: Array.from({ length: 10 }, () => sample(50)),
    ...overrides,
  };
}

/**
 * Two readings 10 s apart on a 2-core host: `busy` of all CPU time busy, `steal` stolen.
 * /proc/stat ticks at 100 per second per CPU: 2,000 ticks in all.
 */
function host(options: { busy: number; steal?: number; load: number; processCpuMs?: number }): {
  before: HostLoadReading;
  after: HostLoadReading;
} {
  const total = 2000;
  return {
    before: {
      atMs: 0,
      cpus: 2,
      loadAverage1m: options.load,
      cpuTimes: { idle: 0, steal: 0, total: 0 },
      processCpuMs: 0,
    },
    after: {
      atMs: 10_000,
      cpus: 2,
      loadAverage1m: options.load,
      cpuTimes: {
        idle: total * (1 - options.busy),
        steal: total * (options.steal ?? 0),
        total,
      },
      processCpuMs: options.processCpuMs ?? 500,
    },
  };
}

describe("judgeRun", () => {
  it("finds a quiet host and narrow intervals trustworthy, and says why", () => {
    const verdict = judgeRun({
      results: [steady()],
      num: 10,
      dryRun: false,
      host: host({ busy: 0.05, load: 0.3 }),
    });
    expect(verdict).toMatchObject({
      status: "trustworthy",
      warnings: [],
      summary:
        "results trustworthy: every mean duration is known within ±10%; the host was quiet (load 0.3 on 2 cores)",
    });
    expect(verdict.hostLoad).toMatchObject({ cpus: 2, loadBefore: 0.3, stealShare: 0 });
    expect(verdict.hostLoad?.busyShare).toBeCloseTo(0.05, 10);
  });

  it("calls a run on a busy host disturbed: other work, not our own, took the CPU", () => {
    // 95% busy; our own share: 0.5 s in this process + 10 × 50 ms × (128 / 1769) of the
    // function, over 20 CPU-seconds: about 2.7%. The rest, about 92%, was other work.
    const verdict = judgeRun({
      results: [steady()],
      num: 10,
      dryRun: false,
      host: host({ busy: 0.95, load: 1.9 }),
    });
    expect(verdict.status).toBe("doubtful");
    expect(verdict.warnings).toEqual([
      {
        kind: "host-busy",
        message:
          "the host was busy (load 1.9 on 2 cores; other work took 92% of the CPU time during the run)",
      },
    ]);
    expect(verdict.summary).toBe(
      "disturbed: the host was busy (load 1.9 on 2 cores; other work took 92% of the CPU time during the run); rerun on an idle machine or raise --num",
    );
  });

  it("does not count the run's own work as load: a CPU-bound function at 3,008 MB keeps a host busy", () => {
    // 10 s of a 1.7-vCPU function on 2 cores: 85% busy, all of it ours.
    const cpuBound = steady({
      memoryMb: 3008,
      samples: Array.from({ length: 10 }, () => sample(1000)),
    });
    const verdict = judgeRun({
      results: [cpuBound],
      num: 10,
      dryRun: false,
      host: host({ busy: 0.85, load: 1.7, processCpuMs: 0 }),
    });
    expect(verdict.warnings).toEqual([]);
    expect(verdict.hostLoad?.otherShare).toBe(0);
  });

  it("reports CPU steal", () => {
    const verdict = judgeRun({
      results: [steady()],
      num: 10,
      dryRun: false,
      host: host({ busy: 0.2, steal: 0.12, load: 0.5 }),
    });
    expect(verdict.warnings).toEqual([
      {
        kind: "cpu-steal",
        message: "the hypervisor gave 12% of the CPU time to other guests (steal)",
      },
    ]);
  });

  it("falls back to the load average where /proc/stat is missing, and says so where nothing is", () => {
    const { before, after } = host({ busy: 0, load: 1.9 });
    const noStat = judgeRun({
      results: [steady()],
      num: 10,
      dryRun: false,
      host: { before: { ...before, cpuTimes: null }, after: { ...after, cpuTimes: null } },
    });
    expect(noStat.warnings).toEqual([
      { kind: "host-busy", message: "the host was busy (load 1.9 on 2 cores)" },
    ]);
    const nothing = judgeRun({
      results: [steady()],
      num: 10,
      dryRun: false,
      host: {
        before: { ...before, cpuTimes: null, loadAverage1m: null },
        after: { ...after, cpuTimes: null, loadAverage1m: null },
      },
    });
    expect(nothing.status).toBe("trustworthy");
    expect(nothing.summary).toBe(
      "results trustworthy: every mean duration is known within ±10%; this host's load could not be read (no /proc here), so a busy host would not show",
    );
  });

  it("on AWS judges the intervals only: this machine's load does not touch the function", () => {
    const verdict = judgeRun({ results: [steady()], num: 10, dryRun: false, host: null });
    expect(verdict).toEqual({
      status: "trustworthy",
      summary: "results trustworthy: every mean duration is known within ±10%",
      warnings: [],
      hostLoad: null,
    });
  });

  it("warns when the interval is still wide at --num, naming the widest", () => {
    const wide = steady({
      memoryMb: 256,
      invocations: 5,
      durationCi95: { low: 38.5, high: 61.5 },
    });
    const verdict = judgeRun({
      results: [steady(), wide],
      num: 5,
      dryRun: false,
      host: null,
    });
    expect(verdict.summary).toBe(
      "disturbed: the mean duration is still uncertain after 5 invocations: its 95% interval is ±23% at 256 MB x86_64; raise --num or use --until-confident",
    );
  });

  it("says when every sample was an allowed exception: the error path was measured", () => {
    const errorPath = steady({ samples: [sample(3, "RangeError"), sample(3, "RangeError")] });
    const all = judgeRun({ results: [errorPath], num: 2, dryRun: false, host: null });
    expect(all.warnings).toEqual([
      {
        kind: "allowed-exceptions-only",
        message:
          "every sample was an allowed exception: the error path was measured, not the function",
      },
    ]);
    expect(all.summary).toBe(
      "misleading: every sample was an allowed exception: the error path was measured, not the function; check the payload: the function failed on every call counted",
    );
    const some = judgeRun({
      results: [errorPath, steady({ memoryMb: 512 })],
      num: 2,
      dryRun: false,
      host: null,
    });
    expect(some.warnings).toEqual([
      {
        kind: "allowed-exceptions-only",
        message:
          "every sample at 128 MB x86_64 was an allowed exception: there, the error path was measured, not the function",
      },
    ]);
    // Some allowed exceptions among real samples are what --allowed-exceptions is for.
    const mixed = steady({ samples: [sample(50, "RangeError"), sample(50)] });
    expect(judgeRun({ results: [mixed], num: 2, dryRun: false, host: null }).warnings).toEqual([]);
  });

  it("warns that durations and the curve's steepness are off when the host's CPU law check is", () => {
    const law = 1769 / 128;
    const check = (ratio: number, cached: boolean) => ({
      ratio,
      law,
      error: ratio / law - 1,
      withinTolerance: Math.abs(ratio / law - 1) <= 0.1,
      checkedAt: "2026-12-03T11:58:00.000Z",
      cached,
    });
    const quiet = {
      results: [steady()],
      num: 10,
      dryRun: false,
      host: host({ busy: 0.05, load: 0.3 }),
    };
    const off = judgeRun({ ...quiet, lawCheck: check(18.98, true) });
    expect(off.status).toBe("doubtful");
    expect(off.warnings).toEqual([
      {
        kind: "cpu-law-off",
        message:
          "this host's CPU law is off by +37.3%: a CPU-bound function took 18.98 times as long at 128 MB as at 1,769 MB (13.82 on Lambda; checked 2026-12-03 11:58 UTC), so the absolute durations and how steeply they fall with memory are off by about as much",
      },
    ]);
    expect(off.summary).toMatch(/; `lambda-optimizer doctor --check` measures the law again$/);
    const slow = judgeRun({ ...quiet, lawCheck: check(11.5, false) });
    expect(slow.warnings[0]?.message).toMatch(
      /^this host's CPU law is off by −16\.8%: .*11\.5 times .*checked just before this run\)/,
    );
    // Within ±10%, or never checked: nothing to say.
    expect(judgeRun({ ...quiet, lawCheck: check(14.5, true) }).status).toBe("trustworthy");
    expect(judgeRun({ ...quiet, lawCheck: null }).status).toBe("trustworthy");
  });

  it("never calls a dry run trustworthy", () => {
    expect(judgeRun({ results: [steady()], num: 1, dryRun: true, host: null })).toMatchObject({
      status: "doubtful",
      summary:
        "dry run: one invocation per configuration checks the setup; its figures are not a measurement",
    });
  });
});

describe("reading the host's load", () => {
  it("parses /proc/loadavg and the aggregate line of /proc/stat", () => {
    expect(parseLoadAverage("1.93 0.58 0.59 3/467 12345\n")).toBe(1.93);
    expect(parseLoadAverage("garbage")).toBeNull();
    expect(parseLoadAverage(null)).toBeNull();
    expect(
      parseCpuTimes("cpu  100 5 50 800 20 1 2 22 0 0\ncpu0 50 2 25 400 10 0 1 11 0 0\n"),
    ).toEqual({ idle: 820, steal: 22, total: 1000 });
    expect(parseCpuTimes("intr 1 2 3\n")).toBeNull();
  });

  it("reads a /proc folder, and gives null figures where there is none", () => {
    const proc = mkdtempSync(join(tmpdir(), "lo-proc-"));
    writeFileSync(join(proc, "loadavg"), "0.25 0.20 0.10 1/100 42\n");
    writeFileSync(join(proc, "stat"), "cpu  10 0 10 80 0 0 0 0 0 0\n");
    expect(readHostLoad(proc)).toMatchObject({
      loadAverage1m: 0.25,
      cpuTimes: { idle: 80, steal: 0, total: 100 },
    });
    const empty = join(proc, "empty");
    mkdirSync(empty);
    expect(readHostLoad(empty)).toMatchObject({ loadAverage1m: null, cpuTimes: null });
    expect(readHostLoad(empty).cpus).toBeGreaterThan(0);
  });
});
