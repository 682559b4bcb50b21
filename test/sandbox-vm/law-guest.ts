/**
 * Runs inside the cgroup v2 VM (bundled by vm-suite.ts with esbuild, from the real sources): the
 * CPU law measured through the sandbox's own cgroup v2 code (src/emulator/sandbox/cgroup-v2.ts),
 * and the same busy loop under a plain `cpu.max` written by hand, as a control.
 *
 * A worker is a node process that joins its cgroup the way the sandbox's runtimes do (a shell
 * writes its pid to cgroup.procs, then execs), starts and warms up unthrottled, and then runs a
 * fixed busy loop on each request, timing it itself with the monotonic clock. So node's start
 * (seconds under TCG) is never inside a measurement, and only the limit differs between the two
 * workers of an arm. The loop is sized so the unthrottled run spans many CPU periods.
 *
 * Prints one `@@law {json}` line per arm, plus readable lines.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { SandboxCgroup } from "../../src/emulator/sandbox/cgroup.js";
import { createCgroupV2 } from "../../src/emulator/sandbox/cgroup-v2.js";
import { MEMORY_MB_PER_VCPU, vcpuShare } from "../../src/lambda/cpu-share.js";

const MOUNT = "/sys/fs/cgroup";
const SMALL_MB = 128;
const LARGE_MB = MEMORY_MB_PER_VCPU;

const SAMPLES = Number(process.env.LAW_SAMPLES ?? 5);
/** How long the unthrottled loop should take, in guest milliseconds. */
const TARGET_MS = Number(process.env.LAW_TARGET_MS ?? 400);
const ARMS = (process.env.LAW_ARMS ?? "sandbox,plain-20ms").split(",");

const WORKER = `
const rl = require("readline").createInterface({ input: process.stdin });
function spin(n) { let x = 0; for (let i = 0; i < n; i++) x = (x + i * 7) % 1000003; return x; }
rl.on("line", (line) => {
  const n = Number(line);
  const t = process.hrtime.bigint();
  const x = spin(n);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  process.stdout.write(JSON.stringify({ ms, x }) + "\\n");
});
process.stdout.write("ready\\n");
`;

class Worker {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;

  constructor(procsFile: string, pinned: boolean) {
    // pinned: on one vCPU (busybox taskset), to see what moving between vCPUs costs under TCG
    const exec = pinned ? 'exec taskset -c 1 "$0" "$@"' : 'exec "$0" "$@"';
    const join = `echo $$ > '${procsFile}' && ${exec}`;
    this.child = spawn("/bin/sh", ["-c", join, process.execPath, "-e", WORKER], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      if (this.waiting) {
        const done = this.waiting;
        this.waiting = undefined;
        done(line);
      } else {
        this.lines.push(line);
      }
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((done) => {
      this.waiting = done;
    });
  }

  async ready(): Promise<void> {
    const line = await this.next();
    if (line !== "ready") throw new Error(`worker said ${line}`);
  }

  async spin(iterations: number): Promise<number> {
    this.child.stdin!.write(`${iterations}\n`);
    return (JSON.parse(await this.next()) as { ms: number }).ms;
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }
}

interface Limited {
  memoryMb: number;
  dir: string;
  procsFile: string;
  limit(): void;
  dispose(): Promise<void>;
}

/** Through the sandbox's code: createCgroupV2 and setCpuShare(memoryMb / 1769), as a sandbox does. */
function sandboxCgroup(memoryMb: number): Limited {
  const cgroup: SandboxCgroup = createCgroupV2(
    { mountPoint: MOUNT, parent: join(MOUNT, "lambda-optimizer-vm") },
    memoryMb,
  );
  return {
    memoryMb,
    dir: cgroup.dirs[0]!,
    procsFile: cgroup.procsFiles[0]!,
    limit: () => cgroup.setCpuShare(vcpuShare(memoryMb)),
    dispose: async () => {
      cgroup.killAll();
      await waitEmpty(() => cgroup.pids().length);
      await cgroup.remove();
    },
  };
}

/** By hand: mkdir and cpu.max "quota period" at the given period, no sandbox code. */
function plainCgroup(arm: string, memoryMb: number, periodUs: number): Limited {
  const parent = join(MOUNT, "plain-control");
  writeFileSync(join(MOUNT, "cgroup.subtree_control"), "+cpu");
  mkdirSync(parent, { recursive: true });
  writeFileSync(join(parent, "cgroup.subtree_control"), "+cpu");
  const dir = join(parent, `${arm}-${memoryMb}`);
  mkdirSync(dir);
  const quota = memoryMb >= LARGE_MB ? "max" : String(Math.round((memoryMb / LARGE_MB) * periodUs));
  return {
    memoryMb,
    dir,
    procsFile: join(dir, "cgroup.procs"),
    limit: () => writeFileSync(join(dir, "cpu.max"), `${quota} ${periodUs}`),
    dispose: async () => {
      writeFileSync(join(dir, "cgroup.kill"), "1");
      await waitEmpty(() => readFileSync(join(dir, "cgroup.procs"), "utf8").trim().length);
      await removeDir(dir);
    },
  };
}

async function waitEmpty(count: () => number): Promise<void> {
  for (let i = 0; i < 500 && count() > 0; i++) await new Promise((r) => setTimeout(r, 20));
}

/** A cgroup whose last task is still exiting refuses rmdir (EBUSY) for a moment. */
async function removeDir(dir: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EBUSY" || i >= 250) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function cpuStat(dir: string): Record<string, number> {
  const stat: Record<string, number> = {};
  for (const line of readFileSync(join(dir, "cpu.stat"), "utf8").trim().split("\n")) {
    const [key, value] = line.split(" ");
    if (key) stat[key] = Number(value);
  }
  return stat;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Arm {
  name: string;
  cgroups: Limited[];
  workers: Worker[];
  small: number[];
  large: number[];
  before: Record<string, number>[];
}

function makeArm(name: string): Arm {
  const pinned = name.endsWith("-pinned");
  const base = name.replace(/-pinned$/, "");
  const make = (memoryMb: number): Limited => {
    if (base === "sandbox") return sandboxCgroup(memoryMb);
    const period = /^plain-(\d+)ms$/.exec(base);
    if (period) return plainCgroup(name, memoryMb, Number(period[1]) * 1000);
    throw new Error(`unknown arm ${name}`);
  };
  const cgroups = [make(SMALL_MB), make(LARGE_MB)];
  const workers = cgroups.map((cgroup) => new Worker(cgroup.procsFile, pinned));
  return { name, cgroups, workers, small: [], large: [], before: [] };
}

/**
 * All arms side by side in one boot: their workers start together and their samples interleave
 * (sample s of every arm before sample s+1 of any), so a drift in the host's speed, which under
 * TCG moves the loop's cost by more than the limits do, falls on every arm alike.
 */
async function runArms(names: readonly string[]): Promise<void> {
  const arms = names.map(makeArm);
  try {
    for (const arm of arms) {
      await Promise.all(arm.workers.map((worker) => worker.ready()));
      for (const [i, cgroup] of arm.cgroups.entries()) {
        const procs = readFileSync(cgroup.procsFile, "utf8").trim().split("\n").map(Number);
        if (!procs.includes(arm.workers[i]!.pid)) throw new Error(`worker not in ${cgroup.dir}`);
      }
      // warm up (the JIT) unthrottled
      for (const worker of arm.workers) for (let i = 0; i < 3; i++) await worker.spin(200_000);
    }
    // size the loop to TARGET_MS unthrottled
    const probe = 2_000_000;
    const calibrator = arms[0]!.workers[1]!;
    const probeMs = median([
      await calibrator.spin(probe),
      await calibrator.spin(probe),
      await calibrator.spin(probe),
    ]);
    const iterations = Math.max(100_000, Math.round((probe * TARGET_MS) / probeMs));
    console.log(`calibrated: ${probe} iterations in ${probeMs.toFixed(1)} ms -> ${iterations}`);
    for (const arm of arms) {
      for (const cgroup of arm.cgroups) cgroup.limit();
      arm.before = arm.cgroups.map((cgroup) => cpuStat(cgroup.dir));
    }
    for (let s = 0; s < SAMPLES; s++) {
      for (const arm of s % 2 === 0 ? arms : [...arms].reverse()) {
        // alternate the order too, so a drift within a round falls on both sizes
        if (s % 2 === 0) {
          arm.small.push(await arm.workers[0]!.spin(iterations));
          arm.large.push(await arm.workers[1]!.spin(iterations));
        } else {
          arm.large.push(await arm.workers[1]!.spin(iterations));
          arm.small.push(await arm.workers[0]!.spin(iterations));
        }
      }
    }
    for (const arm of arms) report(arm, iterations);
  } finally {
    for (const arm of arms) for (const worker of arm.workers) worker.kill();
    for (const arm of arms) for (const cgroup of arm.cgroups) await cgroup.dispose();
  }
}

function report(arm: Arm, iterations: number): void {
  const { cgroups, small, large } = arm;
  const cpuMax = cgroups.map((cgroup) => readFileSync(join(cgroup.dir, "cpu.max"), "utf8").trim());
  const after = cgroups.map((cgroup) => cpuStat(cgroup.dir));
  const delta = after.map((stat, i) =>
    Object.fromEntries(Object.entries(stat).map(([k, v]) => [k, v - (arm.before[i]![k] ?? 0)])),
  );
  const ratio = median(small) / median(large);
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  // CPU time the kernel charged per loop: the same work, so any difference is emulation's
  const cpuMsSmall = (delta[0]!.usage_usec ?? 0) / 1000 / SAMPLES;
  const cpuMsLarge = (delta[1]!.usage_usec ?? 0) / 1000 / SAMPLES;
  const result = {
    arm: arm.name,
    cpuMax: { [SMALL_MB]: cpuMax[0], [LARGE_MB]: cpuMax[1] },
    iterations,
    samples: SAMPLES,
    msSmall: small,
    msLarge: large,
    medianSmall: median(small),
    medianLarge: median(large),
    ratio,
    pairRatios: small.map((ms, i) => ms / large[i]!),
    law: LARGE_MB / SMALL_MB,
    cpuMsSmall,
    cpuMsLarge,
    /** CPU time / wall time of the 128 MB loops: the share of a CPU cpu.max actually gave. */
    enforcedShareSmall: (cpuMsSmall * SAMPLES) / sum(small),
    /** The same at 1,769 MB (about 1: one thread, one CPU). */
    enforcedShareLarge: (cpuMsLarge * SAMPLES) / sum(large),
    /**
     * enforcedShareLarge / enforcedShareSmall: d(128)/d(1769) for work of equal CPU cost, i.e. what
     * the limits alone do. Under TCG the same loop's CPU cost drifts with the host's load (it
     * varied 1.7x within one boot), which the raw ratio takes in and this one does not.
     */
    cpuNormalizedRatio: (cpuMsLarge * SAMPLES * sum(small)) / (sum(large) * cpuMsSmall * SAMPLES),
    cpuStat: { [SMALL_MB]: delta[0], [LARGE_MB]: delta[1] },
  };
  console.log(
    `${arm.name}: cpu.max ${cpuMax[0]} vs ${cpuMax[1]}: d(${SMALL_MB}) ${result.medianSmall.toFixed(0)} ms, d(${LARGE_MB}) ${result.medianLarge.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (law ${result.law.toFixed(2)}); CPU per loop ${cpuMsSmall.toFixed(0)} vs ${cpuMsLarge.toFixed(0)} ms; enforced share ${(result.enforcedShareSmall * 100).toFixed(2)}% vs ${(result.enforcedShareLarge * 100).toFixed(1)}%; CPU-normalised ratio ${result.cpuNormalizedRatio.toFixed(2)}`,
  );
  console.log(`@@law ${JSON.stringify(result)}`);
}

await runArms(ARMS);
for (const dir of [join(MOUNT, "lambda-optimizer-vm"), join(MOUNT, "plain-control")]) {
  if (existsSync(dir)) await removeDir(dir);
}
