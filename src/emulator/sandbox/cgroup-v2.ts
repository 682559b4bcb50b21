/**
 * cgroup v2: one unified tree. Controllers must be enabled in every
 * ancestor's cgroup.subtree_control, and a cgroup that holds processes may
 * not enable them for its children ("no internal processes"), so our parent
 * folder is placed where that is allowed (see detect.ts).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import {
  BYTES_PER_MB,
  CFS_PERIOD_US,
  cfsQuotaUs,
  killListedProcesses,
  readOomKills,
  type SandboxCgroup,
  writeCgroupFile,
} from "./cgroup.js";
import { makeCgroupDir, readPids, removeCgroupDir, uniqueCgroupName } from "./cgroup-folders.js";

/** Enable cpu and memory for the children of every folder from the mount point down to `dir` itself. */
export function enableControllersDownTo(mountPoint: string, dir: string): void {
  const steps = relative(mountPoint, dir).split(sep).filter(Boolean);
  let current = mountPoint;
  for (const step of [undefined, ...steps]) {
    if (step !== undefined) current = join(current, step);
    const enabled = readFileSync(join(current, "cgroup.subtree_control"), "utf8");
    const missing = ["cpu", "memory"].filter((c) => !enabled.split(/\s+/).includes(c));
    if (missing.length > 0) {
      writeCgroupFile(current, "cgroup.subtree_control", missing.map((c) => `+${c}`).join(" "));
    }
  }
}

export interface CgroupV2Parent {
  readonly mountPoint: string;
  readonly parent: string;
}

export function createCgroupV2(
  { mountPoint, parent }: CgroupV2Parent,
  memoryMb: number,
): SandboxCgroup {
  // the parent may have been removed (when empty) since detection, and a new folder starts with no controllers
  mkdirSync(parent, { recursive: true });
  enableControllersDownTo(mountPoint, parent);
  const dir = makeCgroupDir(parent, uniqueCgroupName());
  const procsFile = join(dir, "cgroup.procs");
  const cgroup: SandboxCgroup = {
    version: 2,
    dirs: [dir],
    procsFiles: [procsFile],
    setCpuShare(share) {
      const quota = share === undefined ? "max" : String(cfsQuotaUs(share));
      writeCgroupFile(dir, "cpu.max", `${quota} ${CFS_PERIOD_US}`);
    },
    pids() {
      return readPids(procsFile);
    },
    oomKills() {
      return readOomKills(join(dir, "memory.events"));
    },
    killAll() {
      // cgroup.kill (Linux 5.14+) kills atomically, forks included
      if (existsSync(join(dir, "cgroup.kill"))) writeCgroupFile(dir, "cgroup.kill", 1);
      killListedProcesses(() => cgroup.pids());
    },
    remove() {
      return removeCgroupDir(dir);
    },
  };
  try {
    cgroup.setCpuShare(undefined);
    writeCgroupFile(dir, "memory.max", memoryMb * BYTES_PER_MB);
    // no swapping past the limit: Lambda has no swap
    if (existsSync(join(dir, "memory.swap.max"))) writeCgroupFile(dir, "memory.swap.max", 0);
  } catch (error) {
    void cgroup.remove();
    throw error;
  }
  return cgroup;
}
