/**
 * What crashed runs left behind: runtime processes whose owning emulator is
 * gone (kill -9, a crash, a closed terminal) and cgroup folders of such
 * owners. Found only by the owner mark this product puts on them (owner.ts),
 * never by a process name, and a live owner's are never touched.
 *
 * The sweep reads processes the way this run's sandboxes will: through ps
 * when the portable mechanism is chosen (it then judges only marks made
 * through ps, and there are no cgroups to look at), through /proc otherwise.
 */

import { removeStaleCgroups } from "./cgroup-folders.js";
import { cgroupParentFolders } from "./detect.js";
import { OWNER_ENV_VAR, ownerIsGone, parseOwner } from "./owner.js";
import { portableChosen, processReader } from "./process-reader.js";
import { signalProcess } from "./process-tree.js";
import type { ForcedMechanism } from "./types.js";

export interface LeftoversRemoved {
  /** Pids of orphaned runtime processes killed. */
  readonly processes: readonly number[];
  /** Stale cgroup folders removed. */
  readonly cgroups: readonly string[];
}

export interface LeftoversOptions {
  /** The mechanism this run was asked for (else LAMBDA_OPTIMIZER_SANDBOX, else detected). */
  readonly force?: ForcedMechanism;
  /** Where to look for stale cgroup folders; by default every folder ours may be in. */
  readonly cgroupParents?: readonly string[];
}

/** Kill orphans of dead owners, then remove dead owners' cgroup folders (killing what is inside). */
export async function removeLeftovers(options: LeftoversOptions = {}): Promise<LeftoversRemoved> {
  const portable = portableChosen(options.force);
  const reader = processReader(portable);
  const processes: number[] = [];
  for (const [pid, mark] of reader.processesWithVariable(OWNER_ENV_VAR)) {
    const owner = parseOwner(mark);
    if (owner === undefined || !ownerIsGone(owner, reader)) continue;
    // stopped by a duty cycle when its owner died: resumed first so SIGKILL is not left pending
    const startTime = reader.startTime(pid);
    if (startTime === undefined) continue;
    signalProcess(pid, "SIGCONT");
    if (reader.startTime(pid) === startTime) signalProcess(pid, "SIGKILL");
    processes.push(pid);
  }
  const cgroups: string[] = [];
  const parents = options.cgroupParents ?? (portable ? [] : cgroupParentFolders());
  for (const parent of parents) cgroups.push(...(await removeStaleCgroups(parent)));
  return { processes, cgroups };
}
