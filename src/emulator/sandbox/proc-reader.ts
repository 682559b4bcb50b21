/**
 * Linux only: processes read through /proc. Descendants from each thread's
 * `children` file, memory from `status` (VmHWM, VmRSS), the high-water mark
 * reset through `clear_refs`, orphans found by their `environ`, the main
 * thread's CPU time from `schedstat`.
 */
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { procIdentity } from "../../process-identity.js";
import type { ProcessMemory, ProcessReader } from "./process-reader.js";

/** Direct children of every thread of pid (a child belongs to the thread that forked it). */
function childPids(pid: number): number[] {
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
function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // gone, or a kernel without it: the window then starts from the process's lifetime peak
  }
}

function processesWithVariable(name: string): Map<number, string> {
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

/**
 * The main thread's time on a CPU: the first field of /proc/<pid>/schedstat, in ns (not the
 * clock ticks of stat's utime and stime).
 */
function cpuTimeMs(pid: number): number | undefined {
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    return undefined; // gone, or a kernel without schedstat
  }
}

let namespace: string | undefined;

/** The inode of our pid namespace; "0" where it cannot be read. */
function pidNamespace(): string {
  if (namespace === undefined) {
    try {
      namespace = /\[(\d+)\]/.exec(readlinkSync("/proc/self/ns/pid"))?.[1] ?? "0";
    } catch {
      namespace = "0";
    }
  }
  return namespace;
}

export const procReader: ProcessReader = {
  source: "proc",
  isAlive: procIdentity.isAlive,
  startTime: procIdentity.startTime,
  children: childPids,
  memory: readProcessMemory,
  resetPeakRss,
  processesWithVariable,
  pidNamespace,
  cpuTimeMs,
};
