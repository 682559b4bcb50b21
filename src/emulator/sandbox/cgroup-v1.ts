/**
 * cgroup v1: cpu and memory are separate hierarchies (or co-mounted), so a
 * sandbox is one folder in each, with the same name.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
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

export interface CgroupV1Parents {
  readonly cpuParent: string;
  readonly memoryParent: string;
}

export function createCgroupV1(parents: CgroupV1Parents, memoryMb: number): SandboxCgroup {
  const name = uniqueCgroupName();
  const cpuDir = makeCgroupDir(parents.cpuParent, name);
  const memoryDir =
    parents.memoryParent === parents.cpuParent ? cpuDir : makeCgroupDir(parents.memoryParent, name);
  const dirs = [...new Set([cpuDir, memoryDir])];
  const cgroup: SandboxCgroup = {
    version: 1,
    dirs,
    procsFiles: dirs.map((dir) => join(dir, "cgroup.procs")),
    setCpuShare(share) {
      writeCgroupFile(cpuDir, "cpu.cfs_quota_us", share === undefined ? -1 : cfsQuotaUs(share));
    },
    pids() {
      return [...new Set(dirs.flatMap((dir) => readPids(join(dir, "cgroup.procs"))))];
    },
    oomKills() {
      return readOomKills(join(memoryDir, "memory.oom_control"));
    },
    killAll() {
      killListedProcesses(() => cgroup.pids());
    },
    async remove() {
      const removed = await Promise.all(dirs.map((dir) => removeCgroupDir(dir)));
      return removed.every(Boolean);
    },
  };
  try {
    writeCgroupFile(cpuDir, "cpu.cfs_period_us", CFS_PERIOD_US);
    cgroup.setCpuShare(undefined);
    const limitBytes = memoryMb * BYTES_PER_MB;
    writeCgroupFile(memoryDir, "memory.limit_in_bytes", limitBytes);
    // memory+swap must be limited too, or the tree would page out instead of dying as on Lambda (which has no swap)
    if (existsSync(join(memoryDir, "memory.memsw.limit_in_bytes"))) {
      writeCgroupFile(memoryDir, "memory.memsw.limit_in_bytes", limitBytes);
    }
  } catch (error) {
    void cgroup.remove();
    throw error;
  }
  return cgroup;
}
