/**
 * cgroup v2 without root: the subtree a service manager delegated to this
 * user (systemd's user@UID.service: the folder and its cgroup.procs,
 * cgroup.subtree_control and cgroup.threads are chowned to the user), found
 * by walking from the tree's root down to this process's own cgroup.
 *
 * Our parent folder goes directly under the delegation's root, beside the
 * leaf this process sits in, never below that leaf: a cgroup holding
 * processes may not hand controllers to children ("no internal processes").
 * Moving a runtime from our leaf into its sandbox needs write access to the
 * cgroup.procs of the two folders' common ancestor: the delegation's root.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import { readPids } from "./cgroup-folders.js";

/** What the search reads from the tree; faked in the unit tests. */
export interface CgroupTreeView {
  /** Whether this process may write the folder or file (access(2) W_OK). */
  writable(path: string): boolean;
  /** The folder's cgroup.controllers: what it may hand to its children. */
  controllers(dir: string): readonly string[];
  /** The folder's cgroup.subtree_control: what it hands to them now. */
  enabled(dir: string): readonly string[];
  hasProcesses(dir: string): boolean;
}

export type DelegatedSubtree = { readonly dir: string } | { readonly reason: string };

const REQUIRED = ["cpu", "memory"] as const;

/** The folders from the mount point down to `dir`, the mount point first. */
function chainDownTo(mountPoint: string, dir: string): string[] {
  const steps = relative(mountPoint, dir).split(sep).filter(Boolean);
  const chain = [mountPoint];
  for (const step of steps) chain.push(join(chain[chain.length - 1]!, step));
  return chain;
}

/** How the kernel names a folder in /proc/self/cgroup: "/" plus its path under the mount. */
function cgroupName(mountPoint: string, dir: string): string {
  return posix.join("/", relative(mountPoint, dir).split(sep).join("/"));
}

/**
 * The highest folder on the way from the mount point to `ownDir` that `uid`
 * may create cgroups in and move processes through, checked for the cpu and
 * memory controllers; else why there is none, naming what is missing.
 */
export function findDelegatedSubtree(
  mountPoint: string,
  ownDir: string,
  uid: number,
  view: CgroupTreeView,
): DelegatedSubtree {
  const chain = chainDownTo(mountPoint, ownDir);
  const root = chain.find(
    (dir) =>
      view.writable(dir) &&
      view.writable(join(dir, "cgroup.procs")) &&
      view.writable(join(dir, "cgroup.subtree_control")),
  );
  const own = cgroupName(mountPoint, ownDir);
  if (root === undefined) {
    return {
      reason: `cgroup v2 subtree ${own} is not delegated to uid ${uid}: neither it nor a folder above it lets uid ${uid} write its cgroup.procs and cgroup.subtree_control (systemd delegates user@${uid}.service: start under it with systemd-run --user --scope)`,
    };
  }
  const name = cgroupName(mountPoint, root);
  if (root === ownDir) {
    return {
      reason: `this process sits in the delegated cgroup v2 folder ${name} itself, which may then not enable controllers for sub-folders (no internal processes): start it in a leaf below, e.g. with systemd-run --user --scope`,
    };
  }
  const controllers = view.controllers(root);
  const undelegated = REQUIRED.filter((controller) => !controllers.includes(controller));
  if (undelegated.length > 0) {
    return {
      reason: `${undelegated.join(" and ")} controller not delegated to uid ${uid} in cgroup v2 subtree ${name} (its cgroup.controllers: ${controllers.join(" ") || "none"})`,
    };
  }
  const enabled = view.enabled(root);
  if (!REQUIRED.every((controller) => enabled.includes(controller)) && view.hasProcesses(root)) {
    return {
      reason: `the delegated cgroup v2 folder ${name} holds processes, so it may not enable cpu and memory for sub-folders (no internal processes)`,
    };
  }
  return { dir: root };
}

function readList(file: string): string[] {
  try {
    return readFileSync(file, "utf8").trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** The real tree, as this process's credentials see it. */
export const liveCgroupTree: CgroupTreeView = {
  writable(path) {
    try {
      accessSync(path, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  controllers: (dir) => readList(join(dir, "cgroup.controllers")),
  enabled: (dir) => readList(join(dir, "cgroup.subtree_control")),
  hasProcesses: (dir) => readPids(join(dir, "cgroup.procs")).length > 0,
};
