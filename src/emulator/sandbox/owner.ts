/**
 * Who owns a runtime process or a cgroup folder: the emulator process that
 * started it, named by its pid namespace, pid and start time. Every process a
 * sandbox starts carries the owner in LAMBDA_OPTIMIZER_OWNER (inherited by
 * everything it forks), and every cgroup folder begins with it. A later run
 * uses the mark to find what a crashed run left: the start time keeps a pid
 * the kernel has reused from passing for the owner, and the namespace keeps
 * us from judging processes whose pids mean something else.
 *
 * A mark is made and judged with one ProcessReader (process-reader.ts): on
 * /proc the namespace is the pid namespace's inode and the start time is in
 * clock ticks since boot; through ps the namespace is a fixed tag ("1") and
 * the start time is in seconds since the epoch. The differing first field
 * keeps a reader from ever comparing a start time in the other's clock, so a
 * portable run and a /proc run on one Linux host never judge each other's
 * processes (each sweeps its own kind).
 */
import { hostProcessReader, type ProcessReader } from "./process-reader.js";

export const OWNER_ENV_VAR = "LAMBDA_OPTIMIZER_OWNER";

export interface Owner {
  /** The inode of the owner's pid namespace, or the ps reader's tag. */
  readonly namespace: string;
  readonly pid: number;
  /** When the owner started, in the clock of the reader that made the mark. */
  readonly startTime: string;
}

const own = new Map<ProcessReader["source"], string>();

/** This process's mark: "<namespace>-<pid>-<start time>", safe in a folder name. */
export function ownMark(reader: ProcessReader = hostProcessReader()): string {
  let mark = own.get(reader.source);
  if (mark === undefined) {
    mark = `${reader.pidNamespace()}-${process.pid}-${reader.startTime(process.pid) ?? "0"}`;
    own.set(reader.source, mark);
  }
  return mark;
}

/** The owner a mark names, or undefined for anything else (another tool's folder, a mangled value). */
export function parseOwner(mark: string): Owner | undefined {
  const match = /^(\d+)-(\d+)-(\d+)(?:-|$)/.exec(mark);
  if (!match) return undefined;
  return { namespace: match[1]!, pid: Number(match[2]), startTime: match[3]! };
}

/**
 * Whether a mark's owner is gone for good, so what it left may be removed.
 * Only a mark of the reader's own namespace is judged; the owner is alive while a
 * live (not zombie) process has its pid and its start time.
 */
export function ownerIsGone(owner: Owner, reader: ProcessReader = hostProcessReader()): boolean {
  if (owner.namespace !== reader.pidNamespace()) return false;
  return !(reader.isAlive(owner.pid) && reader.startTime(owner.pid) === owner.startTime);
}
