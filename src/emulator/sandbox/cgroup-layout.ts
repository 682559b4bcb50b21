/**
 * Where this host mounts cgroups and where this process sits in them. Read
 * from /proc/self/mountinfo and /proc/self/cgroup rather than assumed, so
 * containers (mounts rooted below "/"), hybrid hosts (v1 controllers plus an
 * empty v2 tree at /sys/fs/cgroup/unified) and pure v2 hosts all resolve.
 */
import { readFileSync } from "node:fs";
import { join, posix } from "node:path";

export interface CgroupMount {
  readonly version: 1 | 2;
  readonly mountPoint: string;
  /** The hierarchy path mounted there: "/" on a host, deeper inside some containers. */
  readonly root: string;
  /** v1: the controllers bound to this hierarchy; v2: empty (read cgroup.controllers instead). */
  readonly controllers: readonly string[];
}

/** This process's path in each hierarchy: v1 by controller name, v2 under the key "". */
export type CgroupMembership = ReadonlyMap<string, string>;

export type CgroupLayout =
  | { readonly version: 1; readonly cpuDir: string; readonly memoryDir: string }
  | { readonly version: 2; readonly ownDir: string; readonly mountPoint: string }
  | { readonly version: undefined; readonly reason: string };

/** Mount points in mountinfo escape space, tab, newline and backslash as octal. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}

export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split("\n")) {
    const separator = line.indexOf(" - ");
    if (separator < 0) continue;
    const before = line.slice(0, separator).split(" ");
    const after = line.slice(separator + 3).split(" ");
    const [fsType, , superOptions = ""] = after;
    const root = before[3];
    const mountPoint = before[4];
    if (root === undefined || mountPoint === undefined) continue;
    if (fsType === "cgroup2") {
      mounts.push({
        version: 2,
        mountPoint: unescapeMountField(mountPoint),
        root,
        controllers: [],
      });
    } else if (fsType === "cgroup") {
      const controllers = superOptions
        .split(",")
        .filter((option) => !option.includes("=") && !["rw", "ro"].includes(option));
      mounts.push({ version: 1, mountPoint: unescapeMountField(mountPoint), root, controllers });
    }
  }
  return mounts;
}

export function parseCgroupMembership(procSelfCgroup: string): CgroupMembership {
  const membership = new Map<string, string>();
  for (const line of procSelfCgroup.split("\n")) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, hierarchyId, controllers = "", path = "/"] = match;
    if (hierarchyId === "0" && controllers === "") membership.set("", path);
    for (const controller of controllers.split(",")) {
      if (controller !== "") membership.set(controller, path);
    }
  }
  return membership;
}

/** The folder of this process's own cgroup, or undefined when it lies outside the mount. */
function ownDirIn(mount: CgroupMount, ownPath: string): string | undefined {
  const relative = posix.relative(mount.root, ownPath);
  if (relative.startsWith("..")) return undefined;
  return join(mount.mountPoint, relative);
}

/**
 * Pick the hierarchy the sandbox will use. v1 wins when it carries both cpu
 * and memory (on hybrid hosts the v2 tree then has no controllers);
 * otherwise v2 if its root offers both.
 */
export function resolveCgroupLayout(
  mounts: readonly CgroupMount[],
  membership: CgroupMembership,
  readControllers: (dir: string) => readonly string[],
): CgroupLayout {
  const v1Dir = (controller: string): string | undefined => {
    const mount = mounts.find((m) => m.version === 1 && m.controllers.includes(controller));
    const ownPath = membership.get(controller);
    return mount && ownPath !== undefined ? ownDirIn(mount, ownPath) : undefined;
  };
  const cpuDir = v1Dir("cpu");
  const memoryDir = v1Dir("memory");
  if (cpuDir && memoryDir) return { version: 1, cpuDir, memoryDir };

  const v2 = mounts.find((m) => m.version === 2);
  const v2OwnPath = membership.get("");
  if (v2 && v2OwnPath !== undefined) {
    const ownDir = ownDirIn(v2, v2OwnPath);
    const available = readControllers(v2.mountPoint);
    if (ownDir && available.includes("cpu") && available.includes("memory")) {
      return { version: 2, ownDir, mountPoint: v2.mountPoint };
    }
  }
  return {
    version: undefined,
    reason: "no cgroup hierarchy with the cpu and memory controllers is mounted",
  };
}

export function readCgroupLayout(): CgroupLayout {
  let mountinfo: string;
  let membership: string;
  try {
    mountinfo = readFileSync("/proc/self/mountinfo", "utf8");
    membership = readFileSync("/proc/self/cgroup", "utf8");
  } catch {
    return {
      version: undefined,
      reason: "/proc/self/mountinfo or /proc/self/cgroup is unreadable",
    };
  }
  return resolveCgroupLayout(
    parseCgroupMounts(mountinfo),
    parseCgroupMembership(membership),
    (dir) => {
      try {
        return readFileSync(join(dir, "cgroup.controllers"), "utf8").trim().split(/\s+/);
      } catch {
        return [];
      }
    },
  );
}
