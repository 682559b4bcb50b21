/**
 * Everything the test suite checks on cgroup v2, in one boot of the cgroup v2 VM (qemu TCG):
 * sandbox-guest.ts (the product's sandbox against the real kernel, as root and as two
 * unprivileged users) and then law-guest.ts (the CPU law through cgroup-v2.ts, with a plain
 * cpu.max control), both bundled from the sources with esbuild.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ensureCgroup2Vm } from "../setup/ensure-cgroup2-vm.js";
import { runInVm } from "./run-in-vm.js";

export interface LawArmResult {
  arm: string;
  cpuMax: Record<string, string>;
  iterations: number;
  samples: number;
  msSmall: number[];
  msLarge: number[];
  medianSmall: number;
  medianLarge: number;
  /** d(128)/d(1769) from the medians. */
  ratio: number;
  pairRatios: number[];
  law: number;
  /** CPU time the kernel charged per loop (cpu.stat usage_usec), at 128 MB and at 1,769 MB. */
  cpuMsSmall: number;
  cpuMsLarge: number;
  /** CPU time / wall time of the 128 MB loops: the share cpu.max actually gave (quota/period asked). */
  enforcedShareSmall: number;
  /** The same at 1,769 MB (about 1). */
  enforcedShareLarge: number;
  /** enforcedShareLarge / enforcedShareSmall: d(128)/d(1769) for work of equal CPU cost. */
  cpuNormalizedRatio: number;
  cpuStat: Record<string, Record<string, number>>;
}

/** One `@@check` line of sandbox-guest.ts: its name and what the kernel reported back. */
export type SandboxCheck = { name: string } & Record<string, unknown>;

export interface VmSuiteResult {
  /** By name: cpu, oom, peak, tree-kill, user-1000, user-1001, escaped (and <check>-error on a throw). */
  checks: Record<string, SandboxCheck>;
  /** sandbox-guest.ts's exit status. */
  sandboxGuestExit: number | undefined;
  arms: LawArmResult[];
  exitCode: number | undefined;
  bootSeconds: number | undefined;
  endSeconds: number | undefined;
  wallMs: number;
  setupMs: number;
  kernelPackage: string;
  icount: boolean;
  output: string;
}

export interface VmSuiteOptions {
  samples?: number;
  targetMs?: number;
  /** Default sandbox and plain-20ms; plain-<n>ms for other periods, -pinned to pin to one vCPU. */
  arms?: string[];
  /** Default 1 with icount, else 2. */
  cpus?: number;
  /**
   * Instruction-counted guest time (run-in-vm.ts), on one vCPU; the default. Without it (TCG timed
   * by the host's clock) the host's load stretches the loops at random and d(128)/d(1769) ranged
   * 10.2 to 24.9 for the same cpu.max; with it, 13.50 to 13.75 (docs/benchmarks.md, 2026-12-03).
   */
  icount?: boolean;
  onLine?: (line: string) => void;
  log?: (line: string) => void;
}

/** The sandbox's cpu.max beside the identical limit written by hand: what differs is the sandbox's code. */
export const DEFAULT_ARMS = ["sandbox", "plain-20ms"];

/** A bundle of `entry` (relative to this folder), from the sources. */
async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "silent",
    // the CLI's CommonJS dependencies call require, which an ES module lacks
    banner: {
      js: "import { createRequire as __vmCreateRequire } from 'node:module'; const require = __vmCreateRequire(import.meta.url);",
    },
  });
  return result.outputFiles[0]!.text;
}

/**
 * What the bundled CLI reads from its package at run time: the manifest that marks the package's
 * root, the Node.js runtime's bootstrap, the CPU law check's function (`doctor --check`), and the
 * manifest of the AWS SDK it ships.
 */
const PACKAGE_FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "lambda-optimizer", type: "module" }),
  ...Object.fromEntries(
    [
      "src/emulator/runtimes/node/bootstrap.mjs",
      "src/emulator/runtimes/node/node-path-hook.mjs",
      "src/emulator/law-check/handler.mjs",
      // the AWS SDK version the emulator gives functions is read from it when the CLI loads
      "node_modules/@aws-sdk/client-lambda/package.json",
    ].map((path) => [
      path,
      readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), "utf8"),
    ]),
  ),
};

export async function runVmSuite(options: VmSuiteOptions = {}): Promise<VmSuiteResult> {
  const setupStarted = Date.now();
  const icount = options.icount ?? true;
  const vm = await ensureCgroup2Vm(options.log ? { log: options.log } : {});
  const [sandboxGuest, lawGuest, cli] = await Promise.all([
    bundle("./sandbox-guest.ts"),
    bundle("./law-guest.ts"),
    // the real CLI, for `doctor --json` as root and as the two users
    bundle("../../src/cli/main.ts"),
  ]);
  const setupMs = Date.now() - setupStarted;
  const env = [
    `LAW_SAMPLES=${options.samples ?? Number(process.env.LAW_SAMPLES ?? 5)}`,
    `LAW_TARGET_MS=${options.targetMs ?? Number(process.env.LAW_TARGET_MS ?? 400)}`,
    `LAW_ARMS=${(options.arms ?? envArms() ?? DEFAULT_ARMS).join(",")}`,
  ].join(" ");
  const run = await runInVm(vm, {
    script: [
      "#!/bin/sh",
      `${vm.guestNode} /payload/sandbox-guest.mjs root`,
      'echo "@@sandbox-guest exit=$?"',
      `${env} exec ${vm.guestNode} /payload/law-guest.mjs`,
      "",
    ].join("\n"),
    files: {
      "sandbox-guest.mjs": sandboxGuest,
      "law-guest.mjs": lawGuest,
      "cli.mjs": cli,
      ...PACKAGE_FILES,
    },
    icount,
    cpus: options.cpus ?? (icount ? 1 : 2),
    // a hang bound: guest time is about 70 s, but qemu's one thread gets little of a busy host
    timeoutMs: 18 * 60 * 1000,
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  const checks: Record<string, SandboxCheck> = {};
  for (const match of run.output.matchAll(/^@@check (.*)$/gm)) {
    const check = JSON.parse(match[1]!) as SandboxCheck;
    checks[check.name] = check;
  }
  const sandboxExit = /^@@sandbox-guest exit=(\d+)/m.exec(run.output)?.[1];
  const arms: LawArmResult[] = [];
  for (const match of run.output.matchAll(/^@@law (.*)$/gm)) {
    arms.push(JSON.parse(match[1]!) as LawArmResult);
  }
  return {
    checks,
    sandboxGuestExit: sandboxExit === undefined ? undefined : Number(sandboxExit),
    arms,
    exitCode: run.exitCode,
    bootSeconds: run.bootSeconds,
    endSeconds: run.endSeconds,
    wallMs: run.wallMs,
    setupMs,
    kernelPackage: vm.kernelPackage,
    icount,
    output: run.output,
  };
}

/** LAW_ARMS=sandbox,plain-100ms,sandbox-pinned (comma-separated), to try other arms from the command line. */
function envArms(): string[] | undefined {
  const arms = process.env.LAW_ARMS?.split(",").filter(Boolean);
  return arms && arms.length > 0 ? arms : undefined;
}
