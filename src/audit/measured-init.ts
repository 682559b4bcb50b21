/**
 * What a saved `tune` run measured of a template function's cold starts, for
 * the rules that weigh them (slow-start-sync, snapstart-candidate): the Init
 * Duration of each cold start its latest run saw, at the function's own
 * memory size and architecture where the run measured them, and where it
 * comes from.
 *
 * A tune run's cold starts are each configuration's warm-up invocation (kept
 * out of its samples) and, with --only-cold-starts, every sample. A
 * configuration that failed, or whose figures were modelled from another
 * architecture's samples, is not a measurement of its own and is passed over.
 */
import { formatMs } from "../format.js";
import { percentile } from "../statistics.js";
import type { ConfigurationResult } from "../tuning/tune-result.js";
import type { FunctionResource } from "./audit-context.js";
import { numberOf } from "./function-facts.js";
import { SavedFunctionRuns } from "./saved-function-runs.js";

/** Lambda's default, when MemorySize is left unset. */
const DEFAULT_MEMORY_MB = 128;

export interface MeasuredInit {
  /** Median Init Duration of the cold starts, in ms. */
  readonly initMsP50: number;
  readonly coldStarts: number;
  /** The configuration the cold starts were measured at. */
  readonly memoryMb: number;
  readonly architecture: string;
  /** Whether that configuration is the function's own (its MemorySize and architecture). */
  readonly atConfiguredSize: boolean;
  /** The function's own configuration, from the template (MemorySize's default when unset). */
  readonly configured: { readonly memoryMb: number; readonly architecture: string };
  /** The run file, relative to the audit's folder. */
  readonly file: string;
  readonly createdAt: string;
  /** Where it was measured: on AWS, or on this machine's emulator. */
  readonly kind: "local" | "aws";
}

export class MeasuredInitIndex {
  /**
   * `cwd`: the folder the audit runs from; its runs folder is read, and file names are shown
   * relative to it. `runs`: the saved runs, when the audit shares them with other rules.
   */
  constructor(
    cwd: string,
    private readonly runs: SavedFunctionRuns = new SavedFunctionRuns(cwd),
  ) {}

  /**
   * The cold starts of the latest run of the function declared in `template` (absolute path)
   * that measured any: at the function's configured size and architecture when the run
   * measured them there, else at the configuration whose cold starts were fastest (a lower
   * bound on what callers wait at any size the run tried).
   */
  forFunction(fn: FunctionResource, template: string): MeasuredInit | undefined {
    const memoryMb = numberOf(fn.properties.MemorySize) ?? DEFAULT_MEMORY_MB;
    const architectures = fn.properties.Architectures;
    const architecture =
      Array.isArray(architectures) && architectures[0] === "arm64" ? "arm64" : "x86_64";
    for (const run of this.runs.of(fn, template)) {
      const measured = run.result.results
        .map((row) => ({ row, inits: initDurations(row) }))
        .filter(({ inits }) => inits.length > 0);
      if (measured.length === 0) continue;
      const own = measured.find(
        ({ row }) => row.memoryMb === memoryMb && row.architecture === architecture,
      );
      const chosen =
        own ??
        measured
          .map((entry) => ({ ...entry, p50: percentile(entry.inits, 0.5) }))
          .sort((a, b) => a.p50 - b.p50)[0]!;
      return {
        initMsP50: percentile(chosen.inits, 0.5),
        coldStarts: chosen.inits.length,
        memoryMb: chosen.row.memoryMb,
        architecture: chosen.row.architecture,
        atConfiguredSize: own !== undefined,
        configured: { memoryMb, architecture },
        file: run.file,
        createdAt: run.result.createdAt,
        kind: run.result.target.kind,
      };
    }
    return undefined;
  }

  /**
   * The cold starts the latest run that measured both architectures saw, at the function's own
   * MemorySize when it measured both there, else at the smallest size it measured both at. Local
   * runs model the other architecture (never a measurement), so this comes from runs on AWS.
   */
  onBothArchitectures(fn: FunctionResource, template: string): MeasuredInitOnBoth | undefined {
    const memoryMb = numberOf(fn.properties.MemorySize) ?? DEFAULT_MEMORY_MB;
    for (const run of this.runs.of(fn, template)) {
      const inits = (size: number, architecture: string) => {
        const row = run.result.results.find(
          (candidate) => candidate.memoryMb === size && candidate.architecture === architecture,
        );
        return row ? initDurations(row) : [];
      };
      const sizes = [...new Set(run.result.results.map((row) => row.memoryMb))]
        .filter((size) => inits(size, "x86_64").length > 0 && inits(size, "arm64").length > 0)
        .sort((a, b) => a - b);
      const size = sizes.includes(memoryMb) ? memoryMb : sizes[0];
      if (size === undefined) continue;
      const figures = (architecture: string) => {
        const measured = inits(size, architecture);
        return { initMsP50: percentile(measured, 0.5), coldStarts: measured.length };
      };
      return {
        memoryMb: size,
        x86_64: figures("x86_64"),
        arm64: figures("arm64"),
        file: run.file,
        createdAt: run.result.createdAt,
        kind: run.result.target.kind,
      };
    }
    return undefined;
  }
}

/** Cold starts measured on both architectures at one memory size, by one run. */
export interface MeasuredInitOnBoth {
  readonly memoryMb: number;
  readonly x86_64: { readonly initMsP50: number; readonly coldStarts: number };
  readonly arm64: { readonly initMsP50: number; readonly coldStarts: number };
  readonly file: string;
  readonly createdAt: string;
  readonly kind: "local" | "aws";
}

/** The Init Durations a configuration measured itself: its warm-up's and its cold samples'. */
function initDurations(row: ConfigurationResult): number[] {
  if (row.status !== "ok" || row.modelled) return [];
  const inits = row.samples.flatMap((sample) =>
    sample.initDurationMs === null ? [] : [sample.initDurationMs],
  );
  const warmUp = row.coldStart?.initDurationMs;
  return warmUp === null || warmUp === undefined ? inits : [warmUp, ...inits];
}

/**
 * "measured init duration 2,340 ms at p50 over 4 cold starts at its 1024 MB (x86_64); tune run
 * .lambda-optimizer/runs/….json on AWS, 2026-11-30": the figure and where it comes from, for
 * a finding's message; measured at another configuration, it says so.
 */
export function describeMeasuredInit(measured: MeasuredInit): string {
  const starts = measured.coldStarts === 1 ? "1 cold start" : `${measured.coldStarts} cold starts`;
  const where = measured.kind === "aws" ? "on AWS" : "on the local emulator";
  const configuration = `${measured.memoryMb} MB (${measured.architecture})`;
  const own = `${measured.configured.memoryMb} MB (${measured.configured.architecture})`;
  const size = measured.atConfiguredSize
    ? `at its ${configuration}`
    : `at ${configuration}, the fastest configuration the run measured, not its own ${own}`;
  return `measured init duration ${formatMs(measured.initMsP50)} ms at p50 over ${starts} ${size}; tune run ${measured.file} ${where}, ${measured.createdAt.slice(0, 10)}`;
}
