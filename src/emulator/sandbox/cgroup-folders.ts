/**
 * Our cgroups live in one parent folder per hierarchy, named after this
 * product, and each sandbox's folder is named after its owner (see owner.ts)
 * plus a random suffix, so a later run can tell a crashed run's leftovers
 * from a live sibling's and remove them.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isProcessAlive } from "../../process-identity.js";
import { killListedProcesses } from "./cgroup.js";
import { ownerIsGone, ownMark, parseOwner } from "./owner.js";

export const CGROUP_PARENT_NAME = "lambda-optimizer";

export function uniqueCgroupName(): string {
  return `${ownMark()}-${randomBytes(4).toString("hex")}`;
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

/** Before owners were marked, a folder was "<pid>-<8 hex>": judged by the pid alone, and only removed when empty. */
const LEGACY_NAME = /^(\d+)-[0-9a-f]{8}$/;

/**
 * Remove what crashed runs left under `parent`: a folder whose owner is gone
 * has its processes killed (SIGCONT, then SIGKILL) and is removed. A live
 * owner's folder is never touched. Returns the folders removed.
 */
export async function removeStaleCgroups(parent: string): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(parent, name);
    const procsFile = join(dir, "cgroup.procs");
    const legacyOwner = LEGACY_NAME.exec(name)?.[1];
    if (legacyOwner !== undefined) {
      if (isProcessAlive(Number(legacyOwner)) || readPids(procsFile).length > 0) continue;
    } else {
      const owner = parseOwner(name);
      if (owner === undefined || !ownerIsGone(owner)) continue;
      killListedProcesses(() => readPids(procsFile));
    }
    // nested cgroups or a race with another cleaner: left for the next run
    if (await removeCgroupDir(dir, 2_000)) removed.push(dir);
  }
  return removed;
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
