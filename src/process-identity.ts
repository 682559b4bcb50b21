/**
 * What identifies a process for life: its pid and the start time of that pid.
 * A pid alone is reused by the kernel; the pair is not. The emulator's owner
 * marks and the tuning journal's lock both rest on it.
 *
 * Two sources, each with its own clock, never mixed: on Linux /proc/PID/stat
 * (clock ticks since boot, exactly as before ps support existed), elsewhere
 * `ps` (whole seconds since the epoch, from `lstart`). Which one a process uses
 * is fixed by its platform, so a start time recorded on a host is always
 * compared with one read the same way there.
 */
import { readFileSync } from "node:fs";
import { isExitedState, parseLstart, runPs } from "./ps.js";

export interface IdentitySource {
  /** Alive means it exists and is not a zombie (a zombie holds no memory and cannot be killed further). */
  isAlive(pid: number): boolean;
  /** The pid's start time, or undefined where the process is gone. */
  startTime(pid: number): string | undefined;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Linux only: /proc/PID/stat's state and field 22, the start time in clock ticks since boot. */
export const procIdentity: IdentitySource = {
  isAlive(pid) {
    const state = statFields(pid)?.[0];
    return state !== undefined && state !== "Z" && state !== "X";
  },
  startTime: (pid) => statFields(pid)?.[19],
};

/** One ps line `<state> <lstart>` for pid, or undefined where it is gone. */
function psLine(pid: number): { state: string; startTime: string | undefined } | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const match = /^(\S+)\s+(.+)$/.exec(runPs(["-p", String(pid), "-o", "state=,lstart="]).trim());
  return match ? { state: match[1]!, startTime: parseLstart(match[2]!) } : undefined;
}

/** Any POSIX host through ps: the start time is `lstart` as seconds since the epoch. */
export const psIdentity: IdentitySource = {
  isAlive(pid) {
    const line = psLine(pid);
    return line !== undefined && !isExitedState(line.state);
  },
  startTime: (pid) => psLine(pid)?.startTime,
};

/** This host's source: /proc on Linux, ps elsewhere. */
export const hostIdentity: IdentitySource =
  process.platform === "linux" ? procIdentity : psIdentity;

export function isProcessAlive(pid: number): boolean {
  return hostIdentity.isAlive(pid);
}

/** The start time from this host's source, or undefined where the process is gone. */
export function processStartTime(pid: number): string | undefined {
  return hostIdentity.startTime(pid);
}
