import { describe, expect, it } from "vitest";
import {
  type CgroupTreeView,
  findDelegatedSubtree,
} from "../../../src/emulator/sandbox/cgroup-delegation.js";

const MOUNT = "/sys/fs/cgroup";
const SERVICE = `${MOUNT}/user.slice/user-1000.slice/user@1000.service`;
const LEAF = `${SERVICE}/app.slice/run-r1.scope`;

interface FakeFolder {
  /** Writable by the user: the folder and its cgroup.procs and cgroup.subtree_control (systemd chowns all three). */
  owned?: boolean;
  controllers?: string[];
  enabled?: string[];
  processes?: boolean;
}

/** A cgroup v2 tree as a non-root user sees it: folders not listed are root's, with nothing in them. */
function fakeTree(folders: Record<string, FakeFolder>): CgroupTreeView {
  const folder = (dir: string): FakeFolder => folders[dir] ?? {};
  const dirOf = (path: string) => path.replace(/\/cgroup\.(procs|subtree_control)$/, "");
  return {
    writable: (path) => folder(dirOf(path)).owned === true,
    controllers: (dir) => folder(dir).controllers ?? [],
    enabled: (dir) => folder(dir).enabled ?? [],
    hasProcesses: (dir) => folder(dir).processes === true,
  };
}

/** systemd's delegation of user@1000.service (Delegate=pids memory cpu), the user's shell in a scope below. */
const SYSTEMD_USER = {
  [SERVICE]: {
    owned: true,
    controllers: ["cpu", "memory", "pids"],
    enabled: ["cpu", "memory", "pids"],
  },
  [`${SERVICE}/app.slice`]: { owned: true, controllers: ["cpu", "memory", "pids"] },
  [LEAF]: { owned: true, processes: true },
};

describe("findDelegatedSubtree", () => {
  it("finds systemd's user@UID.service, the highest folder the user may write, beside the user's leaf", () => {
    expect(findDelegatedSubtree(MOUNT, LEAF, 1000, fakeTree(SYSTEMD_USER))).toEqual({
      dir: SERVICE,
    });
  });

  it("takes a delegated folder whose controllers are not enabled yet when it holds no process", () => {
    const tree = fakeTree({
      ...SYSTEMD_USER,
      [SERVICE]: { owned: true, controllers: ["cpu", "memory"], enabled: [] },
    });
    expect(findDelegatedSubtree(MOUNT, LEAF, 1000, tree)).toEqual({ dir: SERVICE });
  });

  it("says the subtree is not delegated when no folder on the way is the user's", () => {
    const session = `${MOUNT}/user.slice/user-1001.slice/session-3.scope`;
    expect(findDelegatedSubtree(MOUNT, session, 1001, fakeTree({}))).toEqual({
      reason:
        "cgroup v2 subtree /user.slice/user-1001.slice/session-3.scope is not delegated to uid 1001: neither it nor a folder above it lets uid 1001 write its cgroup.procs and cgroup.subtree_control (systemd delegates user@1001.service: start under it with systemd-run --user --scope)",
    });
  });

  it("names the controller the delegation lacks", () => {
    const tree = fakeTree({
      ...SYSTEMD_USER,
      [SERVICE]: { owned: true, controllers: ["memory", "pids"], enabled: ["memory", "pids"] },
    });
    expect(findDelegatedSubtree(MOUNT, LEAF, 1000, tree)).toEqual({
      reason:
        "cpu controller not delegated to uid 1000 in cgroup v2 subtree /user.slice/user-1000.slice/user@1000.service (its cgroup.controllers: memory pids)",
    });
  });

  it("refuses a delegated folder this process sits in itself (no internal processes)", () => {
    const tree = fakeTree({
      [SERVICE]: { owned: true, controllers: ["cpu", "memory"], processes: true },
    });
    expect(findDelegatedSubtree(MOUNT, SERVICE, 1000, tree)).toMatchObject({
      reason: expect.stringMatching(
        /^this process sits in the delegated cgroup v2 folder \/user\.slice\/user-1000\.slice\/user@1000\.service itself/,
      ),
    });
  });

  it("refuses a delegated folder that holds processes and has not enabled cpu and memory", () => {
    const tree = fakeTree({
      ...SYSTEMD_USER,
      [SERVICE]: { owned: true, controllers: ["cpu", "memory"], enabled: [], processes: true },
    });
    expect(findDelegatedSubtree(MOUNT, LEAF, 1000, tree)).toEqual({
      reason:
        "the delegated cgroup v2 folder /user.slice/user-1000.slice/user@1000.service holds processes, so it may not enable cpu and memory for sub-folders (no internal processes)",
    });
  });

  it("needs the folder's cgroup.procs too: a writable folder alone is not a delegation", () => {
    const tree: CgroupTreeView = {
      ...fakeTree(SYSTEMD_USER),
      writable: (path) => path === SERVICE,
    };
    expect(findDelegatedSubtree(MOUNT, LEAF, 1000, tree)).toMatchObject({
      reason: expect.stringContaining("is not delegated to uid 1000"),
    });
  });
});
