import { describe, expect, it } from "vitest";
import {
  parseCgroupMembership,
  parseCgroupMounts,
  resolveCgroupLayout,
} from "../../../src/emulator/sandbox/cgroup-layout.js";

const HYBRID_MOUNTINFO = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;

const HYBRID_MEMBERSHIP = `9:name=systemd:/
4:memory:/process_api/abc
2:cpuacct:/
1:cpu:/
0::/`;

const noControllers = () => [];

describe("cgroup layout", () => {
  it("reads v1 controllers and the empty v2 tree of a hybrid host", () => {
    const mounts = parseCgroupMounts(HYBRID_MOUNTINFO);
    expect(mounts.map((m) => [m.version, m.mountPoint, m.controllers])).toEqual([
      [1, "/sys/fs/cgroup/cpu", ["cpu"]],
      [1, "/sys/fs/cgroup/cpuacct", ["cpuacct"]],
      [1, "/sys/fs/cgroup/memory", ["memory"]],
      [1, "/sys/fs/cgroup/systemd", []],
      [2, "/sys/fs/cgroup/unified", []],
    ]);
  });

  it("places v1 cgroups under this process's own cgroup in each hierarchy", () => {
    const layout = resolveCgroupLayout(
      parseCgroupMounts(HYBRID_MOUNTINFO),
      parseCgroupMembership(HYBRID_MEMBERSHIP),
      noControllers,
    );
    expect(layout).toEqual({
      version: 1,
      cpuDir: "/sys/fs/cgroup/cpu",
      memoryDir: "/sys/fs/cgroup/memory/process_api/abc",
    });
  });

  it("handles co-mounted controllers and container mounts rooted below /", () => {
    const mountinfo = `50 40 0:40 /docker/123 /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct
51 40 0:41 /docker/123 /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory`;
    const membership = "5:cpu,cpuacct:/docker/123\n4:memory:/docker/123/job";
    expect(
      resolveCgroupLayout(
        parseCgroupMounts(mountinfo),
        parseCgroupMembership(membership),
        noControllers,
      ),
    ).toEqual({
      version: 1,
      cpuDir: "/sys/fs/cgroup/cpu,cpuacct",
      memoryDir: "/sys/fs/cgroup/memory/job",
    });
  });

  it("uses v2 when it is the only tree and offers cpu and memory", () => {
    const mountinfo = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";
    const layout = resolveCgroupLayout(
      parseCgroupMounts(mountinfo),
      parseCgroupMembership("0::/user.slice/session-1.scope"),
      () => ["cpuset", "cpu", "io", "memory", "pids"],
    );
    expect(layout).toEqual({
      version: 2,
      ownDir: "/sys/fs/cgroup/user.slice/session-1.scope",
      mountPoint: "/sys/fs/cgroup",
    });
  });

  it("says why when no tree carries cpu and memory", () => {
    const layout = resolveCgroupLayout(
      parseCgroupMounts("41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw"),
      parseCgroupMembership("0::/"),
      noControllers,
    );
    expect(layout).toMatchObject({
      version: undefined,
      reason: expect.stringMatching(/cpu and memory/),
    });
  });

  it("unescapes mount points with spaces", () => {
    const [mount] = parseCgroupMounts("1 0 0:1 / /mnt/with\\040space rw - cgroup2 cgroup2 rw");
    expect(mount?.mountPoint).toBe("/mnt/with space");
  });
});
