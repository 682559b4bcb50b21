/**
 * The CPU law, checked on this host: Lambda gives a function CPU in
 * proportion to its memory, so a single-threaded CPU-bound handler takes
 * 1769/128 = 13.82 times as long at 128 MB as at 1,769 MB. This runs such a
 * handler in the emulator at both sizes, under the mechanism the emulator
 * would use here (or a forced one), and reports the measured ratio: what
 * `doctor --check` prints and what `tune` warns from when it is off.
 *
 * The ratio is taken per unit of CPU work: each run's duration over the CPU
 * time its thread spent on the work. The same work does not cost the same CPU
 * in the two environments: on this host it took 70 to 95 ms of CPU from one
 * run to the next (a shared machine's caches and clock), and in the cgroup v2
 * VM the 128 MB environment's JIT sometimes made code 13% cheaper than the
 * 1,769 MB one's. Durations alone carry that noise into the ratio (pairs from
 * 11.5 to 16.9 in one check here); per unit of CPU they read 12.8 to 14.4.
 * What is left is what the sandbox decides: the share of a CPU each size gets.
 * The durations' own ratio is reported beside it.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { formatMs, formatNumber } from "../format.js";
import { MEMORY_MB_PER_VCPU } from "../lambda/cpu-share.js";
import { Emulator } from "./emulator.js";
import { functionFromHandlerSpec } from "./functions/from-handler.js";
import { packageRoot } from "./runtimes/package-root.js";
import { type ForcedMechanism, SandboxReportSchema } from "./sandbox/index.js";

export const LAW_SMALL_MB = 128;
export const LAW_LARGE_MB = MEMORY_MB_PER_VCPU;
/** d(128)/d(1769) on Lambda. */
export const LAW_RATIO = LAW_LARGE_MB / LAW_SMALL_MB;
/** How far the measured ratio may be from the law before durations are called off. */
export const LAW_TOLERANCE = 0.1;

export const LawCheckSchema = z.object({
  /** The mechanism that ran the check (the sandbox report's). */
  mechanism: SandboxReportSchema.shape.mechanism,
  sandbox: SandboxReportSchema,
  /**
   * d(128)/d(1769) measured here for equal CPU work: the median over the pairs of
   * (d(128) / its CPU time) / (d(1769) / its CPU time), i.e. the ratio of the CPU shares the
   * two sizes got.
   */
  ratio: z.number().positive(),
  /** d(128)/d(1769) from the durations alone: the median of the pairs' ratios. */
  durationRatio: z.number().positive(),
  /** Lambda's: 1769/128. */
  law: z.number().positive(),
  /** ratio / law - 1, e.g. 0.04 for 4% slow at 128 MB. */
  error: z.number(),
  withinTolerance: z.boolean(),
  /** Median warm durations, ms, at each size: the handler's own time for its work. */
  durationsMs: z.object({ small: z.number().positive(), large: z.number().positive() }),
  /** Median CPU time the handler's thread spent on that work, ms, at each size. */
  cpuMs: z.object({ small: z.number().positive(), large: z.number().positive() }),
  samples: z.number().int().positive(),
  /** When it ran (ISO 8601): a cached check says how old it is. */
  checkedAt: z.string(),
  /** Wall time the check took, ms. */
  wallMs: z.number().nonnegative(),
  /**
   * Share of all CPU time that other work than the check took while it ran, 0 to 1 (from
   * /proc/stat, less an upper bound on the check's own); null where it cannot be read. A busy
   * host pulls the ratio down: 1,769 MB's full CPU competes with that work, 128 MB's 7% barely.
   */
  otherCpuShare: z.number().min(0).max(1).nullable().optional(),
});
export type LawCheck = z.infer<typeof LawCheckSchema>;

export interface LawCheckOptions {
  readonly sandbox?: ForcedMechanism;
  /** Progress lines for stderr. */
  readonly onProgress?: (line: string) => void;
}

/**
 * Work sized so d(1769) is some 80 ms on a 2020s x86 core (and d(128) some
 * 14 times that), and the whole check takes under ten seconds. Shorter work
 * read low: with primes below 350,000 (d(1769) about 34 ms) the cgroup here
 * gave 12.29, 13.76 and 12.35 in three checks, where below 600,000 it gave
 * 12.56, 14.52, 14.38 and below 1,000,000 14.51, 13.77, 14.66 (2026-12-03,
 * cgroup v1): some cost per invocation that does not scale with the CPU
 * share weighs on 1,769 MB's short run and pulls the ratio down.
 */
export const LAW_CHECK_LIMIT = 600_000;
/** Pairs measured; the median of their ratios is the check's. */
export const LAW_CHECK_SAMPLES = 5;
/** Other work taking this share of all CPU time or more during a check makes its host busy (as tune's verdict judges). */
export const LAW_CHECK_BUSY_SHARE = 0.25;

/** Found when a check runs, not when this module loads: a bundle without the package still imports it. */
const handlerFile = () => join(packageRoot(), "src", "emulator", "law-check", "handler.mjs");

/**
 * Run the check: one warm execution environment at each size, the cold start
 * kept out, then LAW_CHECK_SAMPLES pairs (128 MB then 1,769 MB, so a change
 * in the host's speed hits both sides of a pair alike), the median of the
 * pairs' ratios. The emulator's state goes to a temporary folder removed
 * after: nothing is written in the user's project.
 */
export async function checkCpuLaw(options: LawCheckOptions = {}): Promise<LawCheck> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const sizes = [LAW_SMALL_MB, LAW_LARGE_MB] as const;
  const functions = sizes.map((memoryMb) =>
    functionFromHandlerSpec(`${handlerFile()}:handler`, {
      name: `law-check-${memoryMb}`,
      memoryMb,
      timeoutSeconds: 60,
    }),
  );
  const stateDir = await mkdtemp(join(tmpdir(), "lambda-optimizer-law-check-"));
  const emulator = new Emulator({
    functions,
    stateDir,
    // The check measures the sandbox, not an interpreter: this Node.js, nothing fetched.
    nodeVersions: "host",
    ...(options.sandbox ? { sandboxMechanism: options.sandbox } : {}),
  });
  const payload = Buffer.from(JSON.stringify({ limit: LAW_CHECK_LIMIT }));
  /** The handler's own time and CPU time for its work (see HandlerAnswer). */
  const invoke = async (memoryMb: number): Promise<HandlerAnswer> => {
    const result = await emulator.invoke(`law-check-${memoryMb}`, { payload });
    const answer = result.functionError ? undefined : handlerAnswer(result.payload);
    if (answer === undefined)
      throw new Error(
        `the CPU law check's function failed at ${memoryMb} MB: ${result.payload.toString("utf8").slice(0, 300)}`,
      );
    return answer;
  };
  const cpuBefore = readCpuTimes();
  const ownBefore = process.cpuUsage();
  try {
    const sandbox = await emulator.sandbox();
    progress(
      `Checking the CPU law under ${sandbox.mechanism}: a CPU-bound function at ${LAW_SMALL_MB} MB and ${formatNumber(LAW_LARGE_MB)} MB, ${LAW_CHECK_SAMPLES} warm pairs`,
    );
    // The cold starts (and the JIT's first pass over the loop) stay out of the samples.
    for (const memoryMb of sizes) await invoke(memoryMb);
    const small: HandlerAnswer[] = [];
    const large: HandlerAnswer[] = [];
    const ratios: number[] = [];
    const durationRatios: number[] = [];
    for (let sample = 1; sample <= LAW_CHECK_SAMPLES; sample++) {
      const smallRun = await invoke(LAW_SMALL_MB);
      const largeRun = await invoke(LAW_LARGE_MB);
      small.push(smallRun);
      large.push(largeRun);
      const ratio = perCpu(smallRun) / perCpu(largeRun);
      ratios.push(ratio);
      durationRatios.push(smallRun.elapsedMs / largeRun.elapsedMs);
      progress(
        `  pair ${sample}/${LAW_CHECK_SAMPLES}: ${formatMs(smallRun.elapsedMs)} ms / ${formatMs(largeRun.elapsedMs)} ms = ${formatNumber(smallRun.elapsedMs / largeRun.elapsedMs, 2)}; for ${formatMs(smallRun.cpuMs)} and ${formatMs(largeRun.cpuMs)} ms of CPU: ${formatNumber(ratio, 2)}`,
      );
    }
    const ratio = median(ratios);
    const elapsed = (runs: readonly HandlerAnswer[]) => runs.map((run) => run.elapsedMs);
    const error = ratio / LAW_RATIO - 1;
    // The functions' own CPU is at most their durations times their shares (the sandbox holds them there).
    const functionsCpuMs =
      (elapsed(small).reduce((sum, ms) => sum + ms, 0) * LAW_SMALL_MB) / LAW_LARGE_MB +
      elapsed(large).reduce((sum, ms) => sum + ms, 0);
    const ownCpu = process.cpuUsage(ownBefore);
    const otherCpuShare = otherShare(
      cpuBefore,
      readCpuTimes(),
      (ownCpu.user + ownCpu.system) / 1000 + functionsCpuMs,
    );
    return {
      mechanism: sandbox.mechanism,
      sandbox: {
        mechanism: sandbox.mechanism,
        memoryEnforcement: sandbox.memoryEnforcement,
        hostCpus: sandbox.hostCpus,
        ...(sandbox.reason !== undefined ? { reason: sandbox.reason } : {}),
      },
      ratio,
      durationRatio: median(durationRatios),
      law: LAW_RATIO,
      error,
      withinTolerance: Math.abs(error) <= LAW_TOLERANCE,
      durationsMs: { small: median(elapsed(small)), large: median(elapsed(large)) },
      cpuMs: {
        small: median(small.map((run) => run.cpuMs)),
        large: median(large.map((run) => run.cpuMs)),
      },
      samples: LAW_CHECK_SAMPLES,
      checkedAt: new Date().toISOString(),
      wallMs: performance.now() - started,
      otherCpuShare,
    };
  } finally {
    await emulator.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/**
 * What the check's handler answers. Its `elapsedMs` is the wall time of its
 * work inside the sandbox, throttling included. The REPORT's duration would
 * add the emulator's per-invocation hand-off (1–3 ms here), which does not
 * scale with the CPU share and so pulls a short check's ratio down by several
 * per cent; the law is about the share. Its `cpuMs` is the CPU time its thread
 * spent on the same work (the process's where threads cannot be told apart).
 */
const HandlerAnswerSchema = z.object({
  elapsedMs: z.number().positive(),
  cpuMs: z.number().positive(),
});
type HandlerAnswer = z.infer<typeof HandlerAnswerSchema>;

/** Wall time per unit of CPU work: 1 on a whole CPU, 1769/128 at 128 MB's share. */
function perCpu(run: HandlerAnswer): number {
  return run.elapsedMs / run.cpuMs;
}

function handlerAnswer(payload: Buffer): HandlerAnswer | undefined {
  try {
    const parsed = HandlerAnswerSchema.safeParse(JSON.parse(payload.toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

interface CpuTimes {
  /** Every CPU's time since boot, ms. */
  readonly totalMs: number;
  /** Of which idle or waiting for I/O. */
  readonly idleMs: number;
}

/** /proc/stat's aggregate line, in ms (USER_HZ is 100 on every Linux we run on); undefined without it. */
function readCpuTimes(): CpuTimes | undefined {
  let line: string | undefined;
  try {
    line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  } catch {
    return undefined;
  }
  const fields = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (fields.length < 5 || fields.some((value) => !Number.isFinite(value))) return undefined;
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { totalMs: total * 10, idleMs: (fields[3]! + fields[4]!) * 10 };
}

/** Busy CPU time less our own, over all CPU time; null where /proc/stat cannot be read. */
function otherShare(
  before: CpuTimes | undefined,
  after: CpuTimes | undefined,
  ownCpuMs: number,
): number | null {
  if (!before || !after) return null;
  const total = after.totalMs - before.totalMs;
  if (!(total > 0)) return null;
  const busy = total - (after.idleMs - before.idleMs);
  return Math.min(1, Math.max(0, (busy - ownCpuMs) / total));
}

/** The middle value; the mean of the middle two for an even count. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
