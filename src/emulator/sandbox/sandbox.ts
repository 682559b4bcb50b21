/**
 * An execution environment's process tree with Lambda's limits: CPU in
 * proportion to memory (1,769 MB = one CPU) and memory capped at the
 * configured size, through a cgroup where we may create one and through a
 * SIGSTOP/SIGCONT duty cycle plus RSS polling where we may not. The portable
 * mechanism is that duty cycle with processes read through ps instead of
 * /proc (process-reader.ts) and no parent-death signal (setpriv is Linux's).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { vcpuShare } from "../../lambda/cpu-share.js";
import type { SandboxCgroup } from "./cgroup.js";
import { removeParentIfEmpty } from "./cgroup-folders.js";
import { planSandbox } from "./detect.js";
import { DutyCycle } from "./duty-cycle.js";
import { OWNER_ENV_VAR, ownMark } from "./owner.js";
import { withParentDeathSignal } from "./parent-death.js";
import { PeakMemoryMeter } from "./peak-memory.js";
import { type ProcessReader, processReader } from "./process-reader.js";
import {
  processesWithEnvironment,
  processTree,
  signalProcess,
  signalProcessGroup,
} from "./process-tree.js";
import { resumeLatencyMs } from "./resume-latency.js";
import type {
  Sandbox,
  SandboxLimits,
  SandboxOptions,
  SandboxReport,
  SandboxSpawnOptions,
} from "./types.js";

/**
 * How often the tree's memory is sampled. With a cgroup the kernel enforces
 * the limit and this only feeds the peak and notices OOM kills; with RSS
 * polling this is the enforcement, so it runs often. While the duty cycle
 * throttles the tree, /proc is read at each of its stops instead: the tree
 * is frozen then, so reading it takes nothing from its run phases (polling
 * every 5 ms through them made d(128)/d(1769) some 5% slow, 2026-12-03), and
 * it cannot allocate between a stop and the next run phase.
 */
const POLL_INTERVAL_MS = { cgroup: 20, "rss-poll": 5 } as const;

/**
 * Through ps each sample is a process (about 7 ms of CPU on Linux), so the
 * portable mechanism polls less often: at 5 ms it would take a core of its
 * own. A spike shorter than this between two polls is missed (ps has no
 * high-water mark); an allocation that stays is caught within one interval.
 */
const PS_POLL_INTERVAL_MS = 50;

/** How long dispose waits for killed children to be reaped. */
const EXIT_WAIT_MS = 5_000;

const KB_PER_MB = 1024;

/**
 * Without a cgroup, processes carry this variable so orphans that escaped
 * both the ancestry and the process group can still be found.
 */
export const SANDBOX_ID_ENV_VAR = "LAMBDA_OPTIMIZER_SANDBOX_ID";

/** Without a cgroup, every this many polls every process's environment is searched for escaped orphans. */
const ORPHAN_SEARCH_EVERY_POLLS = 40;

/** Sandboxes still holding processes, killed if this process exits without disposing them. */
const liveSandboxes = new Set<TreeSandbox>();
let exitHookInstalled = false;

function killLiveSandboxesOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // a stopped or orphaned tree must not outlive the emulator
  process.once("exit", () => {
    for (const sandbox of liveSandboxes) sandbox.killTree();
  });
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The shell joins the cgroup, then execs the command in its own place (same
 * pid), so not one instruction of user code runs outside the cgroup.
 */
function joinCgroupThenExec(procsFiles: readonly string[]): string {
  const joins = procsFiles.map((file) => `echo $$ > ${shellQuote(file)}`);
  return [...joins, 'exec "$0" "$@"'].join(" && ");
}

class TreeSandbox implements Sandbox {
  readonly requestedCpuShare: number;
  readonly appliedCpuShare: number;
  readonly clamped: boolean;
  readonly cgroupPaths: readonly string[];

  private readonly children: ChildProcess[] = [];
  /** Every process seen in the tree (pid -> start time): a process that leaves the group is still killed. */
  private readonly seen = new Map<number, string>();
  private readonly reader: ProcessReader;
  private readonly meter: PeakMemoryMeter;
  private readonly exceededListeners: Array<() => void> = [];
  private readonly dutyCycle: DutyCycle | undefined;
  private readonly id = randomBytes(8).toString("hex");
  private polls = 0;
  private monitor: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private isThrottled = false;
  private exceeded = false;
  private exceededInWindow = false;
  private disposal: Promise<void> | undefined;

  constructor(
    readonly limits: SandboxLimits,
    readonly report: SandboxReport,
    private readonly cgroup: SandboxCgroup | undefined,
    private readonly cgroupParents: readonly string[],
    resumeLatencyMs: number | undefined,
  ) {
    this.requestedCpuShare = vcpuShare(limits.memoryMb);
    this.appliedCpuShare = Math.min(this.requestedCpuShare, report.hostCpus);
    this.clamped = this.appliedCpuShare < this.requestedCpuShare;
    this.cgroupPaths = cgroup?.dirs ?? [];
    this.reader = processReader(report.mechanism === "portable");
    this.meter = new PeakMemoryMeter(this.reader);
    // Above one CPU a duty cycle cannot help a single thread, which is all it can meter (see duty-cycle.ts)
    this.dutyCycle = cgroup
      ? undefined
      : new DutyCycle(Math.min(1, this.appliedCpuShare), {
          cpuTimeMs: () => this.treeCpuTimeMs(),
          resumeLatencyMs,
          // ps is read by its own poll, without blocking (pollThroughPs)
          ...(this.reader.refresh ? {} : { onStopped: () => this.sampleMemory() }),
        });
    this.setThrottled(limits.throttleInit ?? false);
  }

  get throttled(): boolean {
    return this.isThrottled;
  }

  get memoryExceeded(): boolean {
    return this.exceeded;
  }

  spawn(command: string, args: readonly string[], options: SandboxSpawnOptions): ChildProcess {
    if (this.disposal) throw new Error("this sandbox has been disposed: create a new one");
    // the kernel kills the runtime if we die; the owner mark lets a later run find what it forked.
    // Portable runs as on a host without setpriv, where the bootstraps' own checks and the sweep remain.
    const launch =
      this.reader.source === "ps"
        ? { command, args: [...args] }
        : withParentDeathSignal(command, args);
    const [file, argv] = this.cgroup
      ? [
          "/bin/sh",
          ["-c", joinCgroupThenExec(this.cgroup.procsFiles), launch.command, ...launch.args],
        ]
      : [launch.command, launch.args];
    const env = {
      ...options.env,
      [OWNER_ENV_VAR]: ownMark(this.reader),
      ...(this.cgroup ? {} : { [SANDBOX_ID_ENV_VAR]: this.id }),
    };
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env,
      stdio: options.stdio ?? "pipe",
      // its own process group: the unit the duty cycle stops and dispose kills
      detached: true,
    });
    if (child.pid === undefined) return child; // spawn failed; the caller gets the 'error' event
    this.children.push(child);
    liveSandboxes.add(this);
    killLiveSandboxesOnExit();
    this.dutyCycle?.addGroup(child.pid);
    // registered before the caller's listeners: an OOM kill is known when they see the exit
    child.once("exit", () => this.sampleMemory());
    this.startMonitor();
    return child;
  }

  setThrottled(throttled: boolean): void {
    if (this.disposal) return;
    this.isThrottled = throttled;
    if (this.cgroup) {
      this.cgroup.setCpuShare(throttled ? this.appliedCpuShare : undefined);
    } else if (throttled) {
      this.dutyCycle!.start();
    } else {
      this.dutyCycle!.stop();
    }
  }

  resetPeakMemory(): void {
    this.exceededInWindow = false;
    // what ps read before now (this turn, or a poll still running) may predate what the tree just freed
    this.reader.forget?.();
    this.meter.reset(this.pids());
  }

  peakMemoryMb(): number {
    if (!this.disposal) this.meter.sample(this.pids());
    const measuredMb = Math.ceil(this.meter.peakKb / KB_PER_MB);
    // Lambda reports the full size for an invocation that ran out of memory, never more (polling may overshoot)
    return this.exceededInWindow ? this.limits.memoryMb : measuredMb;
  }

  onMemoryExceeded(listener: () => void): void {
    this.exceededListeners.push(listener);
  }

  dispose(): Promise<void> {
    this.disposal ??= this.disposeNow();
    return this.disposal;
  }

  /** SIGCONT then SIGKILL everything: stopped processes are resumed first so none is left frozen. */
  killTree(): void {
    this.dutyCycle?.stop();
    try {
      this.cgroup?.setCpuShare(undefined); // dying processes must run to exit
    } catch {
      // the cgroup is already gone
    }
    if (!this.cgroup) this.rememberEscapedOrphans();
    const pids = this.pids();
    for (const child of this.children) {
      signalProcessGroup(child.pid!, "SIGCONT");
      signalProcessGroup(child.pid!, "SIGKILL");
    }
    for (const pid of pids) {
      signalProcess(pid, "SIGCONT");
      signalProcess(pid, "SIGKILL");
    }
    this.cgroup?.killAll();
  }

  private async disposeNow(): Promise<void> {
    clearInterval(this.monitor);
    this.killTree();
    await Promise.all(this.children.map((child) => exited(child)));
    // a child that ignored nothing but was slow to leave the cgroup: one more sweep
    this.killTree();
    liveSandboxes.delete(this);
    if (this.cgroup) {
      const removed = await this.cgroup.remove();
      for (const parent of this.cgroupParents) removeParentIfEmpty(parent);
      if (!removed) {
        throw new Error(
          `could not remove the sandbox cgroup ${this.cgroup.dirs.join(", ")}: processes are still inside`,
        );
      }
    }
  }

  /**
   * The tree: with a cgroup, everything in it; without, the spawned
   * processes' descendants plus anything seen earlier that is still the same
   * process (an orphan reparented away, or one that left our group).
   */
  pids(): number[] {
    if (this.cgroup) return this.cgroup.pids();
    const roots = this.children.map((child) => child.pid!);
    for (const [pid, startTime] of this.seen) {
      if (this.reader.startTime(pid) === startTime) roots.push(pid);
      else this.seen.delete(pid);
    }
    const pids = processTree(roots, this.reader);
    for (const pid of pids) {
      if (!this.seen.has(pid)) {
        const startTime = this.reader.startTime(pid);
        if (startTime !== undefined) this.seen.set(pid, startTime);
      }
    }
    return pids;
  }

  /** The CPU time of the main thread of every process in the tree, ms, summed; undefined where unread. */
  private treeCpuTimeMs(): number | undefined {
    if (!this.reader.cpuTimeMs) return undefined;
    let total = 0;
    for (const pid of this.pids()) total += this.reader.cpuTimeMs(pid) ?? 0;
    return total;
  }

  private rememberEscapedOrphans(): void {
    for (const pid of processesWithEnvironment(SANDBOX_ID_ENV_VAR, this.id, this.reader)) {
      const startTime = this.reader.startTime(pid);
      if (startTime !== undefined && !this.seen.has(pid)) this.seen.set(pid, startTime);
    }
  }

  private startMonitor(): void {
    if (this.monitor || this.polling) return;
    if (this.reader.refresh) {
      this.polling = this.pollThroughPs(this.reader.refresh.bind(this.reader));
      return;
    }
    this.monitor = setInterval(() => {
      // a throttled tree is sampled at each of its stops instead (see the constructor)
      if (!this.dutyCycle?.active) this.sampleMemory();
    }, POLL_INTERVAL_MS[this.report.memoryEnforcement]);
    this.monitor.unref();
  }

  /** ps runs without blocking the event loop (the duty cycle's timers share it); the sample reads its table. */
  private async pollThroughPs(refresh: () => Promise<void>): Promise<void> {
    while (!this.disposal && !this.exceeded) {
      try {
        await refresh();
        this.sampleMemory();
      } catch {
        // ps failed once (out of processes on a loaded host): the next poll tries again
      }
      await sleep(PS_POLL_INTERVAL_MS, undefined, { ref: false });
    }
  }

  checkMemory(): boolean {
    this.sampleMemory();
    return this.exceeded;
  }

  private sampleMemory(): void {
    if (this.exceeded || this.disposal) return;
    if (!this.cgroup && ++this.polls % ORPHAN_SEARCH_EVERY_POLLS === 0)
      this.rememberEscapedOrphans();
    this.meter.sample(this.pids());
    const over = this.cgroup
      ? this.cgroup.oomKills() > 0
      : this.meter.peakKb > this.limits.memoryMb * KB_PER_MB;
    if (over) this.exceed();
  }

  private exceed(): void {
    this.exceeded = true;
    this.exceededInWindow = true;
    this.killTree();
    for (const listener of this.exceededListeners) listener();
  }
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const timeout = new AbortController();
  await Promise.race([
    once(child, "exit", { signal: timeout.signal }).catch(() => undefined),
    sleep(EXIT_WAIT_MS, undefined, { ref: false, signal: timeout.signal }).catch(() => undefined),
  ]);
  timeout.abort();
}

export async function createSandbox(
  limits: SandboxLimits,
  options: SandboxOptions = {},
): Promise<Sandbox> {
  if (!Number.isFinite(limits.memoryMb) || limits.memoryMb <= 0) {
    throw new RangeError(`memoryMb must be a positive number of MB, not ${limits.memoryMb}`);
  }
  const plan = await planSandbox(options);
  // the duty cycle counts the tree's CPU time where it can, and else wall time less this latency
  const reader = processReader(plan.report.mechanism === "portable");
  const cpuReadable = reader.cpuTimeMs?.(process.pid) !== undefined;
  const resumeLatency = plan.createCgroup || cpuReadable ? undefined : await resumeLatencyMs();
  const cgroup = plan.createCgroup?.(limits.memoryMb);
  try {
    return new TreeSandbox(limits, plan.report, cgroup, plan.cgroupParents, resumeLatency);
  } catch (error) {
    await cgroup?.remove();
    throw error;
  }
}
