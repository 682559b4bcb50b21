/**
 * What crashed runs left behind: runtime processes whose owning emulator is
 * gone (kill -9, a crash, a closed terminal) and cgroup folders of such
 * owners. Found only by the owner mark this product puts on them (owner.ts),
 * never by a process name, and a live owner's are never touched.
 */

import { processStartTime } from "../../process-identity.js";
import { removeStaleCgroups } from "./cgroup-folders.js";
import { cgroupParentFolders } from "./detect.js";
import { OWNER_ENV_VAR, ownerIsGone, parseOwner } from "./owner.js";
import { processesWithVariable, signalProcess } from "./process-tree.js";

export interface LeftoversRemoved {
  /** Pids of orphaned runtime processes killed. */
  readonly processes: readonly number[];
  /** Stale cgroup folders removed. */
  readonly cgroups: readonly string[];
}

/** Kill orphans of dead owners, then remove dead owners' cgroup folders (killing what is inside). */
export async function removeLeftovers(
  cgroupParents: readonly string[] = cgroupParentFolders(),
): Promise<LeftoversRemoved> {
  const processes: number[] = [];
  for (const [pid, mark] of processesWithVariable(OWNER_ENV_VAR)) {
    const owner = parseOwner(mark);
    if (owner === undefined || !ownerIsGone(owner)) continue;
    // stopped by a duty cycle when its owner died: resumed first so SIGKILL is not left pending
    const startTime = processStartTime(pid);
    if (startTime === undefined) continue;
    signalProcess(pid, "SIGCONT");
    if (processStartTime(pid) === startTime) signalProcess(pid, "SIGKILL");
    processes.push(pid);
  }
  const cgroups: string[] = [];
  for (const parent of cgroupParents) cgroups.push(...(await removeStaleCgroups(parent)));
  return { processes, cgroups };
}
