/**
 * Our cgroups live in one parent folder per hierarchy, named after this
 * product, and each sandbox's folder is named "<pid>-<suffix>" so a later run
 * can tell a crashed run's leftovers (owner gone, no processes) from a live
 * sibling's and remove them.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isProcessAlive } from "./process-tree.js";

export const CGROUP_PARENT_NAME = "lambda-optimizer";

export function uniqueCgroupName(): string {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/**
 * Create parent/name. A sibling sandbox may remove the (empty) parent between
 * our two mkdirs; retrying recreates it.
 */
export function makeCgroupDir(parent: string, name: string): string {
  const dir = join(parent, name);
  for (let attempt = 1; ; attempt++) {
    try {
      mkdirSync(parent, { recursive: true });
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if (errorCode(error) !== "ENOENT" || attempt >= 3) throw error;
    }
  }
}

export function readPids(procsFile: string): number[] {
  try {
    return readFileSync(procsFile, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map(Number);
  } catch {
    return [];
  }
}

/** Remove leftovers of crashed runs: folders whose owner is gone and that hold no process. */
export function removeStaleCgroups(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = /^(\d+)-/.exec(name)?.[1];
    if (owner === undefined || isProcessAlive(Number(owner))) continue;
    const dir = join(parent, name);
    if (readPids(join(dir, "cgroup.procs")).length > 0) continue;
    try {
      rmdirSync(dir);
    } catch {
      // nested cgroups or a race with another cleaner: leave it for next time
    }
  }
}

/**
 * rmdir a cgroup once its processes are gone. Killed processes leave the
 * cgroup asynchronously, so EBUSY is retried for a while.
 */
export async function removeCgroupDir(dir: string, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      rmdirSync(dir);
      return true;
    } catch (error) {
      if (errorCode(error) === "ENOENT") return true;
      if (errorCode(error) !== "EBUSY" || Date.now() > deadline) return false;
    }
    await sleep(10);
  }
}

/** The parent folder goes too when no sibling sandbox is using it. */
export function removeParentIfEmpty(parent: string): void {
  try {
    rmdirSync(parent);
  } catch {
    // not empty (a sibling is live) or already gone
  }
}
