/**
 * cgroup v2 on a real Linux kernel, booted once under qemu (TCG) for the whole file
 * (vm-suite.ts): the product's sandbox as root (cpu.max and throttling, memory.max and the OOM
 * kill, peak memory, the whole tree killed through cgroup.kill, nothing escaped), as an
 * unprivileged user with a delegated subtree and as one without; then the CPU law,
 * d(128)/d(1769), through cgroup-v2.ts beside the same cpu.max written by hand, printed, and
 * held to ±10% of 13.82. The guest runs on one vCPU with qemu's -icount: its clock counts
 * instructions, so the host's load cannot distort the figure (it did, badly, on the host's clock:
 * docs/benchmarks.md).
 *
 * Part of `npm test`; `npm run test:cgroup2` runs just this. A VM that cannot be built or booted
 * fails every test here, with its console output.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { runVmSuite, type SandboxCheck, type VmSuiteResult } from "./vm-suite.js";

let suite: VmSuiteResult;

/** A hang bound, not a measurement: a TCG boot plus both guests took 2.5-4.5 minutes on a busy 2-core host. */
const VM_TIMEOUT_MS = 20 * 60 * 1000;

beforeAll(async () => {
  const started = Date.now();
  suite = await runVmSuite({
    // VM_ICOUNT=0: guest time from the host's clock on 2 vCPUs, to see what the host's load does
    icount: process.env.VM_ICOUNT !== "0",
    log: (line) => process.stderr.write(`[ensure-cgroup2-vm] ${line}\n`),
    onLine: (line) => {
      if (line.startsWith("@@") || !line.startsWith("{")) process.stderr.write(`[vm] ${line}\n`);
    },
  });
  const lines = [
    `cgroup v2 VM (${suite.kernelPackage}, qemu TCG${suite.icount ? " -icount shift=0,sleep=off, 1 vCPU" : ", 2 vCPUs, host clock"}):`,
    `  image ready in ${(suite.setupMs / 1000).toFixed(1)} s; /init at guest ${suite.bootSeconds} s; run ended at guest ${suite.endSeconds} s; qemu ${(suite.wallMs / 1000).toFixed(1)} s`,
  ];
  for (const arm of suite.arms) {
    const off = ((arm.ratio / arm.law - 1) * 100).toFixed(1);
    lines.push(
      `  ${arm.arm.padEnd(12)} cpu.max ${arm.cpuMax["128"]} vs ${arm.cpuMax["1769"]}: d(128) ${arm.medianSmall.toFixed(0)} ms, d(1769) ${arm.medianLarge.toFixed(0)} ms (median of ${arm.samples}), d(128)/d(1769) = ${arm.ratio.toFixed(2)} (law ${arm.law.toFixed(2)}, ${off}%); pairs ${arm.pairRatios.map((r) => r.toFixed(2)).join(" ")}`,
      `  ${"".padEnd(12)} CPU per loop ${arm.cpuMsSmall.toFixed(0)} ms at 128 vs ${arm.cpuMsLarge.toFixed(0)} ms at 1769; CPU share got ${(arm.enforcedShareSmall * 100).toFixed(2)}% (asked ${((128 / 1769) * 100).toFixed(3)}%) vs ${(arm.enforcedShareLarge * 100).toFixed(1)}%; CPU-normalised ratio ${arm.cpuNormalizedRatio.toFixed(2)}`,
    );
  }
  lines.push(`  total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(lines.join("\n"));
}, VM_TIMEOUT_MS);

/** A check's line, failing with the VM's console output when the guest never printed it. */
function check(name: string): SandboxCheck {
  const found = suite.checks[name];
  const errors = Object.values(suite.checks).filter((c) => c.name.endsWith("-error"));
  expect(
    found,
    `no @@check ${name} line; ${JSON.stringify(errors)}\n${suite.output}`,
  ).toBeDefined();
  return found!;
}

describe("the cgroup v2 VM", () => {
  test("boots and runs every guest to the end", () => {
    expect(suite.sandboxGuestExit, suite.output).toBe(0);
    expect(suite.exitCode, suite.output).toBe(0);
    const errors = Object.keys(suite.checks).filter((name) => name.endsWith("-error"));
    expect(
      errors.map((name) => suite.checks[name]),
      suite.output,
    ).toEqual([]);
  });
});

describe("the sandbox as root on cgroup v2", () => {
  test("doctor --json, the real CLI, reports cgroup v2 with the kernel enforcing memory", () => {
    const doctor = check("doctor-root").doctor as { sandbox?: unknown };
    expect(doctor.sandbox, JSON.stringify(doctor)).toEqual({
      mechanism: "cgroup-v2",
      memoryEnforcement: "cgroup",
      hostCpus: suite.icount ? 1 : 2,
    });
  });

  test("doctor --check measures the CPU law through the real emulator on cgroup v2", () => {
    const { check: law } = check("doctor-root").doctor as { check?: Record<string, unknown> };
    const { pairs } = check("doctor-root") as { pairs?: string[] };
    console.log(`doctor --check in the VM: ${JSON.stringify(law)}\n${pairs?.join("\n")}`);
    expect(law, JSON.stringify(check("doctor-root"))).toMatchObject({
      mechanism: "cgroup-v2",
      law: 1769 / 128,
      cached: false,
    });
    expect(law!.withinTolerance).toBe(Math.abs((law!.ratio as number) / (1769 / 128) - 1) <= 0.1);
    // Held to ±10% in instruction-counted time only (see the law test below). The ratio is taken
    // per unit of CPU work: by durations alone the check read 11.78-11.80 in most boots, because
    // the 128 MB environment's JIT sometimes made the loop 13% cheaper than the 1,769 MB one's
    // (795 vs 692 ms of CPU for the same primes), which the durations take for a larger share.
    if (suite.icount) expect(law!.withinTolerance, JSON.stringify(law)).toBe(true);
  });

  test("detects cgroup v2, writes cpu.max for 128 MB, and the kernel throttles the tree", () => {
    const cpu = check("cpu");
    expect(cpu.report).toMatchObject({ mechanism: "cgroup-v2", memoryEnforcement: "cgroup" });
    expect(cpu.cgroup).toMatch(/^\/sys\/fs\/cgroup\/lambda-optimizer\/./);
    // 128/1769 of the 20 ms period, read back from the kernel
    expect(cpu.cpuMax).toBe("1447 20000");
    expect(cpu.memoryMax).toBe(String(128 * 1024 * 1024));
    expect(cpu.pidsInside).toBe(true);
    expect(cpu.nrThrottled).toBeGreaterThan(0);
    // well under a whole CPU: the quota held (its accuracy is the law's business, below)
    expect(cpu.cpuShareGot).toBeGreaterThan(0);
    expect(cpu.cpuShareGot).toBeLessThan(0.5);
    expect(cpu.cgroupRemoved).toBe(true);
  });

  test("sets memory.max (no swap), and a process allocating past it is OOM-killed, seen in memory.events", () => {
    const oom = check("oom");
    expect(oom.memoryMax).toBe(String(128 * 1024 * 1024));
    if (oom.swapMax !== undefined) expect(oom.swapMax).toBe("0");
    expect(oom.signal).toBe("SIGKILL");
    expect((oom.memoryEvents as Record<string, number>).oom_kill).toBeGreaterThan(0);
    expect(oom.checkMemory).toBe(true);
    expect(oom.memoryExceeded).toBe(true);
    expect(oom.listenerCalled).toBe(true);
    // Lambda reports the full size for an invocation that ran out of memory
    expect(oom.peakMemoryMb).toBe(128);
  });

  test("measures the peak memory of a process holding 40 MB: at least 40, under the limit", () => {
    const peak = check("peak");
    expect(peak.peakMemoryMb).toBeGreaterThanOrEqual(40);
    expect(peak.peakMemoryMb).toBeLessThan(peak.limitMb as number);
    expect(peak.memoryCurrentMb).toBeGreaterThanOrEqual(40);
    expect(peak.memoryExceeded).toBe(false);
  });

  test("dispose kills the whole tree through cgroup.kill, a setsid grandchild included, and removes the cgroup", () => {
    const kill = check("tree-kill");
    const tree = kill.tree as Array<{ pid: number; pgid: number; cmd: string }>;
    expect(
      tree
        .map((p) => p.cmd)
        .filter((cmd) => cmd.startsWith("sleep"))
        .sort(),
    ).toEqual(["sleep 4241", "sleep 4242", "sleep 4243"]);
    // the setsid one really left the runtime's process group
    const escapee = tree.find((p) => p.cmd === "sleep 4242")!;
    expect(escapee.pgid).not.toBe(kill.groupLeader);
    expect(kill.aliveAfter).toEqual([]);
    expect(kill.sleepersAfter).toEqual([]);
    expect(kill.cgroupRemoved).toBe(true);
  });

  test("leaves no process behind: no process in the guest's /proc carries a sandbox's owner mark", () => {
    const escaped = check("escaped");
    expect(escaped.scanned).toBeGreaterThan(10);
    expect(escaped.processes).toEqual([]);
  });
});

describe("the sandbox without root on cgroup v2", () => {
  test("a user with a delegated subtree gets cgroup v2 there, and the sandbox limits its CPU", () => {
    const user = check("user-1000");
    expect(user.ownCgroup).toBe("0::/user.slice/user-1000.slice/user@1000.service/app.slice");
    expect(user.report).toEqual(
      expect.objectContaining({ mechanism: "cgroup-v2", memoryEnforcement: "cgroup" }),
    );
    expect((user.report as { reason?: string }).reason).toBeUndefined();
    // and the CLI, run by that user, says the same
    expect((user.doctor as { sandbox?: unknown }).sandbox, JSON.stringify(user.doctor)).toEqual(
      user.report,
    );
    expect(user.cgroup).toMatch(
      /^\/sys\/fs\/cgroup\/user\.slice\/user-1000\.slice\/user@1000\.service\/lambda-optimizer\/./,
    );
    expect(user.cpuMax).toBe("1447 20000");
    expect(user.memoryMax).toBe(String(128 * 1024 * 1024));
    expect(user.pidsInside).toBe(true);
    expect(user.nrThrottled).toBeGreaterThan(0);
    expect(user.cpuShareGot).toBeLessThan(0.5);
    expect(user.cgroupRemoved).toBe(true);
  });

  test("a user without one falls back to the duty cycle, saying the subtree is not delegated", () => {
    const user = check("user-1001");
    expect((user.doctor as { sandbox?: unknown }).sandbox, JSON.stringify(user.doctor)).toEqual(
      user.report,
    );
    expect(user.ownCgroup).toBe("0::/user.slice/user-1001.slice/session-2.scope");
    expect(user.report).toMatchObject({
      mechanism: "duty-cycle",
      memoryEnforcement: "rss-poll",
      reason:
        "cgroup v2 subtree /user.slice/user-1001.slice/session-2.scope is not delegated to uid 1001: neither it nor a folder above it lets uid 1001 write its cgroup.procs and cgroup.subtree_control (systemd delegates user@1001.service: start under it with systemd-run --user --scope)",
    });
  });
});

describe("the CPU law on cgroup v2", () => {
  test("the sandbox's cpu.max limits a busy loop at 128 MB, the kernel throttling it (ratio printed above)", () => {
    const sandbox = suite.arms.find((arm) => arm.arm === "sandbox");
    expect(sandbox, suite.output).toBeDefined();
    // what the sandbox's code wrote, read back from the kernel
    expect(sandbox!.cpuMax).toEqual({ "128": "1447 20000", "1769": "20000 20000" });
    expect(sandbox!.cpuStat["128"]!.nr_throttled).toBeGreaterThan(0);
    expect(sandbox!.ratio).toBeGreaterThan(1);
  });

  test("d(128)/d(1769) through the sandbox's cpu.max is Lambda's 13.82 within ±10%, in instruction-counted time", () => {
    // Not a timing of this host: with -icount the guest's clock counts instructions, so the
    // host's load cannot move it (13.50-13.75 on a host at load 9). On the host's clock the
    // figure is not asserted: there the host's load alone moved it from 10 to 25.
    if (!suite.icount) return;
    const sandbox = suite.arms.find((arm) => arm.arm === "sandbox")!;
    expect(Math.abs(sandbox.ratio / sandbox.law - 1), JSON.stringify(sandbox)).toBeLessThan(0.1);
  });
});
