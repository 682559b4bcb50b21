/**
 * One sandbox's cgroup, whatever the version: the files a new process joins,
 * the CPU quota switch, the processes inside, and the kernel's OOM verdict.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { signalProcess } from "./process-tree.js";

/** Lambda's CPU scheduling period is about 20 ms; the kernel default (100 ms) would make throttling burstier than on Lambda. */
export const CFS_PERIOD_US = 20_000;

/** The kernel rejects quotas under 1 ms. */
const MIN_CFS_QUOTA_US = 1_000;

export const BYTES_PER_MB = 1024 * 1024;

export interface SandboxCgroup {
  readonly version: 1 | 2;
  /** Every folder of this cgroup (v1: one per hierarchy). */
  readonly dirs: readonly string[];
  /** cgroup.procs files a new process writes its pid to before it runs user code. */
  readonly procsFiles: readonly string[];
  /** Limit CPU to `share` CPUs, or lift the limit with undefined. */
  setCpuShare(share: number | undefined): void;
  /** Every process inside, including ones that left our process group. */
  pids(): number[];
  /** How many processes the kernel's OOM killer has killed in here. */
  oomKills(): number;
  /** SIGCONT then SIGKILL everything inside. */
  killAll(): void;
  /** Remove the folders once the processes are gone; false if some would not go. */
  remove(): Promise<boolean>;
}

export function cfsQuotaUs(share: number): number {
  return Math.max(MIN_CFS_QUOTA_US, Math.round(share * CFS_PERIOD_US));
}

export function writeCgroupFile(dir: string, file: string, value: string | number): void {
  writeFileSync(join(dir, file), String(value));
}

/**
 * The "oom_kill N" count of memory.oom_control (v1) or memory.events (v2); 0 when the file is gone
 * (the cgroup was removed) or the kernel does not count OOM kills there.
 */
export function readOomKills(file: string): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return 0;
  }
  const match = /^oom_kill (\d+)$/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * Kill by listing: a process forking while we kill can slip a child in, so
 * repeat until the cgroup is empty or the rounds run out.
 */
export function killListedProcesses(list: () => number[]): void {
  for (let round = 0; round < 50; round++) {
    const pids = list();
    if (pids.length === 0) return;
    for (const pid of pids) {
      signalProcess(pid, "SIGCONT");
      signalProcess(pid, "SIGKILL");
    }
  }
}
