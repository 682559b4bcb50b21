/**
 * Who owns a runtime process or a cgroup folder: the emulator process that
 * started it, named by its pid namespace, pid and start time. Every process a
 * sandbox starts carries the owner in LAMBDA_OPTIMIZER_OWNER (inherited by
 * everything it forks), and every cgroup folder begins with it. A later run
 * uses the mark to find what a crashed run left: the start time keeps a pid
 * the kernel has reused from passing for the owner, and the namespace keeps
 * us from judging processes whose pids mean something else.
 */
import { readlinkSync } from "node:fs";
import { isProcessAlive, processStartTime } from "../../process-identity.js";

export const OWNER_ENV_VAR = "LAMBDA_OPTIMIZER_OWNER";

export interface Owner {
  /** The inode of the owner's pid namespace. */
  readonly namespace: string;
  readonly pid: number;
  /** Clock ticks since boot when the owner started (field 22 of /proc/PID/stat). */
  readonly startTime: string;
}

let namespace: string | undefined;

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

let own: string | undefined;

/** This process's mark: "<namespace>-<pid>-<start time>", safe in a folder name. */
export function ownMark(): string {
  own ??= `${pidNamespace()}-${process.pid}-${processStartTime(process.pid) ?? "0"}`;
  return own;
}

/** The owner a mark names, or undefined for anything else (another tool's folder, a mangled value). */
export function parseOwner(mark: string): Owner | undefined {
  const match = /^(\d+)-(\d+)-(\d+)(?:-|$)/.exec(mark);
  if (!match) return undefined;
  return { namespace: match[1]!, pid: Number(match[2]), startTime: match[3]! };
}

/**
 * Whether a mark's owner is gone for good, so what it left may be removed.
 * Only a mark of our own pid namespace is judged; the owner is alive while a
 * live (not zombie) process has its pid and its start time.
 */
export function ownerIsGone(owner: Owner): boolean {
  if (owner.namespace !== pidNamespace()) return false;
  return !(isProcessAlive(owner.pid) && processStartTime(owner.pid) === owner.startTime);
}
