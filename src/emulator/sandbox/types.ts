/**
 * The sandbox's public shapes: what an execution environment's process tree
 * is limited by, and how the emulator drives it through init and invokes.
 */
import type { ChildProcess, StdioOptions } from "node:child_process";
import { z } from "zod";

const SANDBOX_MECHANISMS = ["cgroup-v2", "cgroup-v1", "duty-cycle", "portable"] as const;
/**
 * How CPU is limited: a cgroup's CFS quota, or SIGSTOP/SIGCONT on a short period. `portable` is
 * the duty cycle with processes read through `ps` instead of /proc: what macOS and the BSDs get.
 */
export type SandboxMechanism = (typeof SANDBOX_MECHANISMS)[number];

/** How memory is limited: the cgroup's limit (kernel OOM kill), or peak RSS polled and enforced by us. */
export type MemoryEnforcement = (typeof MEMORY_ENFORCEMENTS)[number];
const MEMORY_ENFORCEMENTS = ["cgroup", "rss-poll"] as const;

/** What a caller may force; `cgroup` means whichever cgroup version the host mounts. */
export const FORCEABLE_MECHANISMS = ["cgroup", "duty-cycle", "portable"] as const;
export type ForcedMechanism = (typeof FORCEABLE_MECHANISMS)[number];

/** How this host limits an execution environment: part of doctor's, invoke's and emulate's JSON. */
export const SandboxReportSchema = z.object({
  mechanism: z.enum(SANDBOX_MECHANISMS),
  memoryEnforcement: z.enum(MEMORY_ENFORCEMENTS),
  /** CPUs this process may use: the ceiling for any CPU share. */
  hostCpus: z.number().int().positive(),
  /** Why a fallback was chosen, or that a mechanism was forced. */
  reason: z.string().optional(),
});
export type SandboxReport = Readonly<z.infer<typeof SandboxReportSchema>>;

export interface SandboxOptions {
  /** Overrides LAMBDA_OPTIMIZER_SANDBOX; forcing `cgroup` fails where cgroups are unusable. */
  readonly force?: ForcedMechanism;
}

export interface SandboxLimits {
  readonly memoryMb: number;
  /** Throttle the init phase too (Lambda gives init a CPU boost; the default leaves it unthrottled). */
  readonly throttleInit?: boolean;
}

export interface SandboxSpawnOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** As for child_process.spawn; defaults to pipes on all three. */
  readonly stdio?: StdioOptions;
}

export interface Sandbox {
  readonly report: SandboxReport;
  readonly limits: SandboxLimits;
  /** memoryMb / 1769: the CPUs Lambda would give this memory size. */
  readonly requestedCpuShare: number;
  /** The share actually applied: the requested one clamped to the host's CPUs. */
  readonly appliedCpuShare: number;
  readonly clamped: boolean;
  /** The cgroup folders of this sandbox (one per v1 hierarchy); empty under the duty cycle. */
  readonly cgroupPaths: readonly string[];
  /** Start a process inside the sandbox, detached into its own process group; children it forks stay inside. */
  spawn(command: string, args: readonly string[], options: SandboxSpawnOptions): ChildProcess;
  /** Turn CPU throttling on (invoke phase) or off (init phase, unless throttleInit). */
  setThrottled(throttled: boolean): void;
  readonly throttled: boolean;
  /** The pids of every process in the tree now (the runtime and what it started). */
  pids(): number[];
  /** Start a new measurement window (an invocation). */
  resetPeakMemory(): void;
  /** Peak memory of the tree in the current window, in whole MB (rounded up). */
  peakMemoryMb(): number;
  /** Called once if the tree exceeds memoryMb; the tree is killed before listeners run. */
  onMemoryExceeded(listener: () => void): void;
  readonly memoryExceeded: boolean;
  /**
   * Sample memory now instead of at the next poll (and, with a cgroup, read the
   * kernel's OOM kill count): whether the tree has exceeded its limit.
   */
  checkMemory(): boolean;
  /** Kill every process of the tree (SIGCONT then SIGKILL) and remove the cgroup. Idempotent. */
  dispose(): Promise<void>;
}
