/**
 * This machine's load, read before and after a local tuning run: a local run measures durations
 * on this CPU, so other work on it (a build, a browser, another tenant of the hypervisor) slows
 * the function and makes the figures lie. Linux tells us through /proc; elsewhere the figures are
 * null and the verdict says they could not be read, rather than guess.
 *
 * The reader is a parameter of the run (TuningRun.readHostLoad), so tests hand in readings and
 * the verdict is judged as a pure function (run-verdict.ts).
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

/** Cumulative CPU time of every CPU since boot, in /proc/stat's ticks. */
export interface CpuTimes {
  /** idle + iowait. */
  readonly idle: number;
  /** Time the hypervisor ran another guest while this one wanted the CPU. */
  readonly steal: number;
  readonly total: number;
}

export interface HostLoadReading {
  /** When it was read (ms, any monotonic origin: only differences are used). */
  readonly atMs: number;
  readonly cpus: number;
  /** The 1-minute load average; null where it cannot be read. */
  readonly loadAverage1m: number | null;
  /** null where /proc/stat cannot be read. */
  readonly cpuTimes: CpuTimes | null;
  /** CPU time this process (the tuner and, locally, the embedded emulator) has used, in ms. */
  readonly processCpuMs: number;
}

export type HostLoadReader = () => HostLoadReading;

/** Reads /proc/loadavg and /proc/stat (Linux); null figures where they are missing. */
export function readHostLoad(procFolder = "/proc"): HostLoadReading {
  const usage = process.cpuUsage();
  return {
    atMs: performance.now(),
    cpus: availableParallelism(),
    loadAverage1m: parseLoadAverage(readOrNull(join(procFolder, "loadavg"))),
    cpuTimes: parseCpuTimes(readOrNull(join(procFolder, "stat"))),
    processCpuMs: (usage.user + usage.system) / 1000,
  };
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** "0.52 0.58 0.59 1/467 12345": the first field. */
export function parseLoadAverage(text: string | null): number | null {
  if (text === null) return null;
  const value = Number(text.trim().split(/\s+/)[0]);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal
 * guest guest_nice. Guest time is already counted in user and nice, so it is not added again.
 */
export function parseCpuTimes(text: string | null): CpuTimes | null {
  if (text === null) return null;
  const line = text.split("\n").find((candidate) => /^cpu\s/.test(candidate));
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((field) => !Number.isFinite(field))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  return {
    idle: idle + iowait,
    steal,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}
