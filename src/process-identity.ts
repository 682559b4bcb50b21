/**
 * What identifies a process for life: its pid and the kernel's start time of
 * that pid (/proc/PID/stat). A pid alone is reused by the kernel; the pair is
 * not. The emulator's owner marks and the tuning journal's lock both rest on it.
 */
import { readFileSync } from "node:fs";

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Alive means it exists and is not a zombie (a zombie holds no memory and cannot be killed further). */
export function isProcessAlive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== "Z" && state !== "X";
}

/**
 * Start time in clock ticks since boot (field 22 of /proc/PID/stat), or
 * undefined where the process is gone or there is no /proc.
 */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}
