/**
 * Decide how this host can sandbox a process tree: a cgroup we can actually
 * create and configure (proved by creating and removing one), else the
 * duty-cycle fallback with the reason why.
 */
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import type { SandboxCgroup } from "./cgroup.js";
import { findDelegatedSubtree, liveCgroupTree } from "./cgroup-delegation.js";
import { CGROUP_PARENT_NAME, removeParentIfEmpty } from "./cgroup-folders.js";
import { type CgroupLayout, readCgroupLayout } from "./cgroup-layout.js";
import { createCgroupV1 } from "./cgroup-v1.js";
import { createCgroupV2, enableControllersDownTo } from "./cgroup-v2.js";
import { chooseMechanism } from "./mechanism-choice.js";
import type { SandboxOptions, SandboxReport } from "./types.js";

/** A detection's verdict plus, for cgroups, how to make one and the parent folders to tidy. */
export interface SandboxPlan {
  readonly report: SandboxReport;
  readonly createCgroup?: (memoryMb: number) => SandboxCgroup;
  readonly cgroupParents: readonly string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Create, configure and remove a throwaway cgroup: permission to mkdir is not permission to set limits. */
function probe(createCgroup: (memoryMb: number) => SandboxCgroup): Promise<boolean> {
  const cgroup = createCgroup(128);
  cgroup.setCpuShare(0.5);
  cgroup.setCpuShare(undefined);
  return cgroup.remove();
}

interface CgroupCandidate {
  readonly createCgroup: (memoryMb: number) => SandboxCgroup;
  readonly parents: readonly string[];
  /** Work done before probing, e.g. enabling v2 controllers on the way down. */
  readonly prepare?: () => void;
}

/** Where cgroups may be made on this host, or why nowhere. */
interface CgroupCandidates {
  readonly candidates: readonly CgroupCandidate[];
  readonly failures: readonly string[];
}

function v2Candidate(mountPoint: string, parent: string): CgroupCandidate {
  return {
    createCgroup: (memoryMb) => createCgroupV2({ mountPoint, parent }, memoryMb),
    parents: [parent],
    prepare: () => {
      enableControllersDownTo(mountPoint, dirname(parent));
      mkdirSync(parent, { recursive: true });
    },
  };
}

/**
 * Our folder sits under this process's own cgroup, so the sandbox stays
 * inside whatever limits the host already put on us. On v2 a populated
 * cgroup cannot delegate controllers, so the tree's root is root's second
 * choice; a user other than root gets the subtree delegated to it, if any
 * (cgroup-delegation.ts), and the reason there is none otherwise.
 */
function cgroupCandidates(layout: CgroupLayout): CgroupCandidates {
  if (layout.version === 1) {
    const parents = {
      cpuParent: join(layout.cpuDir, CGROUP_PARENT_NAME),
      memoryParent: join(layout.memoryDir, CGROUP_PARENT_NAME),
    };
    return {
      candidates: [
        {
          createCgroup: (memoryMb) => createCgroupV1(parents, memoryMb),
          parents: [...new Set([parents.cpuParent, parents.memoryParent])],
        },
      ],
      failures: [],
    };
  }
  if (layout.version === 2) {
    const uid = process.getuid?.() ?? 0;
    if (uid !== 0) {
      const delegated = findDelegatedSubtree(layout.mountPoint, layout.ownDir, uid, liveCgroupTree);
      if ("reason" in delegated) return { candidates: [], failures: [delegated.reason] };
      return {
        candidates: [v2Candidate(layout.mountPoint, join(delegated.dir, CGROUP_PARENT_NAME))],
        failures: [],
      };
    }
    const parents = [
      ...new Set([
        join(layout.ownDir, CGROUP_PARENT_NAME),
        join(layout.mountPoint, CGROUP_PARENT_NAME),
      ]),
    ];
    return {
      candidates: parents.map((parent) => v2Candidate(layout.mountPoint, parent)),
      failures: [],
    };
  }
  return { candidates: [], failures: [layout.reason] };
}

/** Every folder our cgroups may live in on this host, whichever mechanism is chosen: where leftovers are looked for. */
export function cgroupParentFolders(): string[] {
  return cgroupCandidates(readCgroupLayout()).candidates.flatMap((candidate) => candidate.parents);
}

export async function planSandbox(options: SandboxOptions = {}): Promise<SandboxPlan> {
  const hostCpus = availableParallelism();
  const choice = chooseMechanism(options.force);
  const dutyCycle = (reason: string): SandboxPlan => ({
    report: { mechanism: "duty-cycle", memoryEnforcement: "rss-poll", hostCpus, reason },
    cgroupParents: [],
  });
  if (choice.forced === "duty-cycle") return dutyCycle(`forced by ${choice.source}`);
  // without /proc neither cgroups nor the Linux process readers exist: processes are read through ps
  if (choice.forced === "portable" || process.platform !== "linux") {
    const reason =
      choice.forced === "portable"
        ? `forced by ${choice.source}`
        : `${process.platform} has no cgroups or /proc: processes are read through ps`;
    return {
      report: { mechanism: "portable", memoryEnforcement: "rss-poll", hostCpus, reason },
      cgroupParents: [],
    };
  }

  const layout = readCgroupLayout();
  const { candidates, failures: found } = cgroupCandidates(layout);
  const failures = [...found];
  for (const candidate of candidates) {
    try {
      candidate.prepare?.();
      if (!(await probe(candidate.createCgroup))) throw new Error("its probe cgroup would not go");
      for (const parent of candidate.parents) removeParentIfEmpty(parent);
      const mechanism = layout.version === 1 ? "cgroup-v1" : "cgroup-v2";
      const report: SandboxReport = {
        mechanism,
        memoryEnforcement: "cgroup",
        hostCpus,
        ...(choice.forced ? { reason: `forced by ${choice.source}` } : {}),
      };
      return { report, createCgroup: candidate.createCgroup, cgroupParents: candidate.parents };
    } catch (error) {
      failures.push(
        `cannot use a cgroup under ${candidate.parents.join(" and ")}: ${message(error)}`,
      );
    }
  }
  if (choice.forced === "cgroup") {
    throw new Error(
      `cgroup sandbox forced by ${choice.source} but unavailable: ${failures.join("; ")}`,
    );
  }
  return dutyCycle(failures.join("; "));
}

/** How sandboxes will be built on this host; doctor and every --json output report this. */
export async function detectSandbox(options: SandboxOptions = {}): Promise<SandboxReport> {
  return (await planSandbox(options)).report;
}
