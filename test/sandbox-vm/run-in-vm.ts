/**
 * Boots the cgroup v2 VM (test/setup/ensure-cgroup2-vm.ts) under qemu's TCG with a run's files,
 * and returns what it printed on its serial console. The run's files go in a second cpio archive
 * appended to the cached initramfs, under /payload; the VM's /init runs /payload/run.sh and
 * powers off. qemu is killed whatever happens: at the timeout, on an error, and when this process
 * exits.
 *
 * TCG, not KVM: KVM guests hang at boot on the machines this was written on (nested
 * virtualisation), and TCG runs everywhere qemu does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CpioEntry, writeCpio } from "../setup/cpio-newc.js";
import type { Cgroup2Vm } from "../setup/ensure-cgroup2-vm.js";

export interface VmRunOptions {
  /** The script run as /payload/run.sh (busybox sh), as root, in the VM. */
  script: string;
  /** More files, by path under /payload. */
  files?: Record<string, string | Buffer>;
  /** vCPUs (default 2). */
  cpus?: number;
  /** Guest memory (default 1024 MB: the initramfs alone holds ~110 MB). */
  memoryMb?: number;
  /**
   * Guest time counted in instructions (qemu's `-icount shift=0,sleep=off`: 1 ns each, idle time
   * skipped), so the host's load cannot stretch guest timings. qemu hangs at boot with it on more
   * than one vCPU, so it needs `cpus: 1`.
   */
  icount?: boolean;
  /** qemu is killed after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Each console line as it arrives. */
  onLine?: (line: string) => void;
}

export interface VmRunResult {
  /** Everything the console printed, \r\n turned into \n. */
  output: string;
  /** run.sh's exit status, from the "@@vm exit=" line; undefined if it never got there. */
  exitCode: number | undefined;
  /** Guest uptime when /init started, from the "@@vm booted" line. */
  bootSeconds: number | undefined;
  /** Guest uptime when run.sh ended. */
  endSeconds: number | undefined;
  /** Host wall-clock time from spawning qemu to its exit. */
  wallMs: number;
  timedOut: boolean;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLiveOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

export async function runInVm(vm: Cgroup2Vm, options: VmRunOptions): Promise<VmRunResult> {
  const work = mkdtempSync(join(tmpdir(), "cgroup2-vm-run-"));
  try {
    const initrd = join(work, "initrd.cpio");
    const overlay = join(work, "payload.cpio");
    const entries: CpioEntry[] = [
      { type: "file", path: "payload/run.sh", data: Buffer.from(options.script), mode: 0o755 },
    ];
    for (const [path, data] of Object.entries(options.files ?? {})) {
      entries.push({ type: "file", path: `payload/${path}`, data: Buffer.from(data) });
    }
    writeCpio(overlay, entries);
    copyFileSync(vm.initramfs, initrd);
    appendFileSync(initrd, readFileSync(overlay));
    return await boot(vm, initrd, options);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function boot(vm: Cgroup2Vm, initrd: string, options: VmRunOptions): Promise<VmRunResult> {
  if (options.icount && (options.cpus ?? 2) !== 1) {
    throw new Error("icount needs cpus: 1 (qemu hangs at boot with it on more vCPUs)");
  }
  const args = [
    "-accel",
    "tcg",
    ...(options.icount ? ["-icount", "shift=0,sleep=off"] : []),
    "-smp",
    String(options.cpus ?? 2),
    "-m",
    String(options.memoryMb ?? 1024),
    "-nodefaults",
    "-no-user-config",
    "-display",
    "none",
    "-serial",
    "stdio",
    "-no-reboot",
    "-kernel",
    vm.kernel,
    "-initrd",
    initrd,
    "-append",
    "console=ttyS0 quiet panic=-1",
  ];
  const started = Date.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(vm.qemu, args, { stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    killLiveOnExit();
    let output = "";
    let pending = "";
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill("SIGKILL");
      },
      options.timeoutMs ?? 10 * 60 * 1000,
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8").replaceAll("\r\n", "\n").replaceAll("\r", "");
      output += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) options.onLine?.(line);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.on("close", () => {
      clearTimeout(timer);
      live.delete(child);
      if (pending) options.onLine?.(pending);
      const booted = /^@@vm booted uptime=([\d.]+)/m.exec(output);
      const ended = /^@@vm exit=(\d+)(?: uptime=([\d.]+))?/m.exec(output);
      resolveRun({
        output,
        exitCode: ended ? Number(ended[1]) : undefined,
        bootSeconds: booted ? Number(booted[1]) : undefined,
        endSeconds: ended?.[2] ? Number(ended[2]) : undefined,
        wallMs: Date.now() - started,
        timedOut,
      });
    });
  });
}
