/**
 * A sandbox's process tree over a ProcessReader (process-reader.ts): who
 * descends from whom, who carries a variable, and signalling without tripping
 * over processes that are already gone. Signals are POSIX; how processes are
 * read is the reader's business.
 */
import { hostProcessReader, type ProcessReader } from "./process-reader.js";

/** Every live process at or below the roots. */
export function processTree(
  roots: Iterable<number>,
  reader: ProcessReader = hostProcessReader(),
): number[] {
  const seen = new Set<number>();
  const pending = [...roots];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (seen.has(pid) || !reader.isAlive(pid)) continue;
    seen.add(pid);
    pending.push(...reader.children(pid));
  }
  return [...seen];
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
export function processesWithEnvironment(
  name: string,
  value: string,
  reader: ProcessReader = hostProcessReader(),
): number[] {
  return [...reader.processesWithVariable(name)]
    .filter(([, found]) => found === value)
    .map(([pid]) => pid);
}

/** Every process whose environment sets NAME, with its value (pid -> value). */
export function processesWithVariable(
  name: string,
  reader: ProcessReader = hostProcessReader(),
): Map<number, string> {
  return reader.processesWithVariable(name);
}
