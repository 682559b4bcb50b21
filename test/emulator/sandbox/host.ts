/**
 * What this host offers, decided from its mounts rather than by the code
 * under test: cgroup v1 with cpu and memory, and root to write to them.
 */
import { readFileSync } from "node:fs";

function mountsV1(controller: string): boolean {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .some(
      (line) => / - cgroup /.test(line) && line.split(" ").at(-1)!.split(",").includes(controller),
    );
}

export const cgroupV1Expected = process.getuid?.() === 0 && mountsV1("cpu") && mountsV1("memory");
