/**
 * Reading and signalling processes through /proc: who descends from whom,
 * how much memory each has held at its peak, and killing without tripping
 * over processes that are already gone or pids that were reused.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { isProcessAlive } from "../../process-identity.js";

/** Direct children of every thread of pid (a child belongs to the thread that forked it). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const thread of threads) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${thread}/children`, "utf8").trim();
      if (text !== "") children.push(...text.split(" ").map(Number));
    } catch {
      // thread exited while we looked
    }
  }
  return children;
}

/** Every live process at or below the roots. */
export function processTree(roots: Iterable<number>): number[] {
  const seen = new Set<number>();
  const pending = [...roots];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (seen.has(pid) || !isProcessAlive(pid)) continue;
    seen.add(pid);
    pending.push(...childPids(pid));
  }
  return [...seen];
}

export interface ProcessMemory {
  /** VmHWM: the resident set's high-water mark since start or the last resetPeakRss. */
  readonly peakRssKb: number;
  readonly rssKb: number;
}

export function readProcessMemory(pid: number): ProcessMemory | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status);
    return match ? Number(match[1]) : 0;
  };
  return { peakRssKb: field("VmHWM"), rssKb: field("VmRSS") };
}

/** Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // gone, or a kernel without it: the window then starts from the process's lifetime peak
  }
}

/** Send a signal, treating "no such process" as done. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Signal a whole process group (its id is its leader's pid). */
export function signalProcessGroup(groupId: number, signal: NodeJS.Signals): void {
  signalProcess(-groupId, signal);
}

/**
 * Processes whose environment holds NAME=value. Environments are inherited,
 * so this finds a tree's orphans that left both the ancestry (their parent
 * exited) and the process group (setsid): the fallback's last resort.
 */
export function processesWithEnvironment(name: string, value: string): number[] {
  return [...processesWithVariable(name)]
    .filter(([, found]) => found === value)
    .map(([pid]) => pid);
}

/** Every process whose environment sets NAME, with its value (pid -> value). */
export function processesWithVariable(name: string): Map<number, string> {
  const prefix = Buffer.from(`${name}=`);
  const found = new Map<number, string>();
  for (const dir of readdirSync("/proc")) {
    if (!/^\d+$/.test(dir)) continue;
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${dir}/environ`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (let at = environ.indexOf(prefix); at >= 0; at = environ.indexOf(prefix, at + 1)) {
      if (at > 0 && environ[at - 1] !== 0) continue;
      const end = environ.indexOf(0, at);
      found.set(
        Number(dir),
        environ.subarray(at + prefix.length, end < 0 ? environ.length : end).toString("utf8"),
      );
      break;
    }
  }
  return found;
}
