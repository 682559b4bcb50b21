/**
 * Who owns a journal: a process named by its pid, the kernel's start time of
 * that pid (field 22 of /proc/PID/stat, where /proc exists) so that a pid the
 * system has since given to another process does not count as the owner, and
 * the host, because a pid means nothing on another machine.
 */
import { hostname } from "node:os";
import { z } from "zod";
import { processStartTime } from "../process-identity.js";

export const ProcessIdentitySchema = z.object({
  pid: z.number().int().positive(),
  /** Clock ticks after boot when the process started; null where /proc is not there. */
  startTime: z.string().nullable(),
  hostname: z.string().nullable(),
});
export type ProcessIdentity = z.infer<typeof ProcessIdentitySchema>;

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, startTime: startTimeOf(process.pid), hostname: hostname() };
}

/**
 * Whether the process is still running. On another host it cannot be told,
 * so it counts as alive: recovery must never touch a run that may be live.
 */
export function isAlive(owner: ProcessIdentity): boolean {
  if (owner.hostname !== null && owner.hostname !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (owner.startTime === null) return true;
  const now = startTimeOf(owner.pid);
  return now === null || now === owner.startTime;
}

function startTimeOf(pid: number): string | null {
  return processStartTime(pid) ?? null;
}
