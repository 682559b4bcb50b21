/**
 * The sandbox on this host, through both mechanisms. Every process-running
 * test lives in this one file so they run one at a time: the CPU
 * comparisons need the host's CPUs to themselves as far as possible.
 * Bounds are loose ratios, never absolute times: the machine is shared.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  createSandbox,
  type ForcedMechanism,
  type Sandbox,
} from "../../../src/emulator/sandbox/index.js";
import { isProcessAlive } from "../../../src/process-identity.js";
import {
  ALLOCATE_100_MB,
  ALLOCATE_WITHOUT_END,
  BUSY_LOOP,
  exitOf,
  nextJson,
  runNode,
  SPAWN_GRANDCHILDREN,
} from "./children.js";
import { cgroupV1Expected } from "./host.js";

const MECHANISMS = [
  { force: "cgroup", runs: cgroupV1Expected },
  { force: "duty-cycle", runs: true },
  // the duty cycle with processes read through ps, as on macOS
  { force: "portable", runs: true },
] as const;

const sandboxes: Sandbox[] = [];

async function sandboxFor(
  force: ForcedMechanism,
  memoryMb: number,
  throttleInit = false,
): Promise<Sandbox> {
  const sandbox = await createSandbox({ memoryMb, throttleInit }, { force });
  sandboxes.push(sandbox);
  return sandbox;
}

afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.dispose()));
});

interface BusyResult {
  readonly work: number;
  readonly cpuMs: number;
  readonly wallMs: number;
}

async function busyLoop(sandbox: Sandbox): Promise<BusyResult> {
  const child = runNode(sandbox, BUSY_LOOP);
  const result = (await nextJson(child)) as unknown as BusyResult;
  await exitOf(child);
  return result;
}

/** The same loop outside any sandbox: what this host gives one thread right now. */
async function unsandboxedBusyLoop(): Promise<BusyResult> {
  const child = spawn(process.execPath, ["-e", BUSY_LOOP], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const result = (await nextJson(child)) as unknown as BusyResult;
  await exitOf(child);
  return result;
}

/**
 * A sandboxed loop and an unsandboxed one at the same time, so both meet the
 * same load: on a busy host neither gets a whole CPU, but an uncapped sandbox
 * gets as much as the unsandboxed thread beside it.
 */
async function busyLoopBesideReference(
  sandbox: Sandbox,
): Promise<{ sandboxed: BusyResult; reference: BusyResult }> {
  const [sandboxed, reference] = await Promise.all([busyLoop(sandbox), unsandboxedBusyLoop()]);
  return { sandboxed, reference };
}

/** The share of one CPU a loop used while it ran. */
const cpuShareOf = (result: BusyResult) => result.cpuMs / result.wallMs;

/** 256 MB buys 256/1,769 of a vCPU. */
const SHARE_256_MB = 256 / 1_769;

/**
 * A capped loop's share has an upper bound that load cannot break (load only
 * takes CPU away); 1.5× leaves room for the duty cycle's coarser rationing.
 * Its lower bound is looser, since a busy host can take some of even a small
 * share.
 */
function expectCappedAt256Mb(result: BusyResult): void {
  expect(cpuShareOf(result)).toBeLessThan(SHARE_256_MB * 1.5);
  expect(cpuShareOf(result)).toBeGreaterThan(SHARE_256_MB / 3);
}

function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error("timed out waiting"));
      else setTimeout(check, 10);
    };
    check();
  });
}

describe.each(MECHANISMS)("sandbox through $force", ({ force, runs }) => {
  it.runIf(runs)(
    "gives a CPU-bound child CPU in proportion to memory (256 MB: 14.5% of a vCPU; 1,769 MB: a whole one)",
    async () => {
      const small = await busyLoop(await sandboxFor(force, 256, true));
      const { sandboxed: full, reference } = await busyLoopBesideReference(
        await sandboxFor(force, 1_769, true),
      );
      console.info(
        `${force}: 256 MB used ${(100 * cpuShareOf(small)).toFixed(1)}% of a CPU (law 14.5%); 1,769 MB ${(100 * cpuShareOf(full)).toFixed(1)}%, an unsandboxed loop beside it ${(100 * cpuShareOf(reference)).toFixed(1)}%; ratio ${(full.cpuMs / small.cpuMs).toFixed(2)}× (law 6.9×)`,
      );
      expectCappedAt256Mb(small);
      // A whole vCPU is no cap for one thread: it keeps up with the unsandboxed loop under the same load.
      expect(full.cpuMs / reference.cpuMs).toBeGreaterThan(0.6);
    },
  );

  it.runIf(runs)(
    "runs at full speed with throttling off, and throttles when switched on",
    async () => {
      const sandbox = await sandboxFor(force, 256);
      expect(sandbox.throttled).toBe(false);
      const { sandboxed: unthrottled, reference } = await busyLoopBesideReference(sandbox);
      expect(unthrottled.cpuMs / reference.cpuMs).toBeGreaterThan(0.6);

      sandbox.setThrottled(true);
      expectCappedAt256Mb(await busyLoop(sandbox));
    },
  );

  it.runIf(runs)("measures the peak memory of a window, and a reset starts a new one", async () => {
    const sandbox = await sandboxFor(force, 512);
    const child = runNode(sandbox, ALLOCATE_100_MB, ["--expose-gc"]);
    expect(await nextJson(child)).toEqual({ allocated: 100 * 1024 * 1024 });
    const peak = sandbox.peakMemoryMb();
    expect(peak).toBeGreaterThanOrEqual(100);
    expect(peak).toBeLessThan(300);

    child.stdin!.write("free\n");
    expect(await nextJson(child)).toEqual({ freed: true });
    expect(sandbox.peakMemoryMb()).toBeGreaterThanOrEqual(peak); // the window still holds the old peak
    sandbox.resetPeakMemory();
    const afterReset = sandbox.peakMemoryMb();
    console.info(`${force}: peak ${peak} MB, after reset ${afterReset} MB`);
    expect(afterReset).toBeLessThan(peak - 50);
    expect(afterReset).toBeGreaterThan(0);
  });

  it.runIf(runs)("kills a tree that exceeds its memory and says so once", async () => {
    const sandbox = await sandboxFor(force, 128);
    let calls = 0;
    sandbox.onMemoryExceeded(() => calls++);
    const child = runNode(sandbox, ALLOCATE_WITHOUT_END);
    const exit = await exitOf(child);
    expect(exit.signal).toBe("SIGKILL");
    expect(calls).toBe(1); // already known when the caller sees the exit
    expect(sandbox.memoryExceeded).toBe(true);
    expect(sandbox.peakMemoryMb()).toBeGreaterThanOrEqual(128);
  });

  it.runIf(runs)(
    "dispose kills grandchildren, escaped ones too, and leaves no cgroup",
    async () => {
      const sandbox = await sandboxFor(force, 256, true);
      const child = sandbox.spawn("/bin/sh", ["-c", SPAWN_GRANDCHILDREN], {
        cwd: process.cwd(),
        env: process.env,
      });
      const { pids } = (await nextJson(child)) as { pids: number[] };
      expect(pids).toHaveLength(3);
      expect(pids.every(isProcessAlive)).toBe(true);
      // the fallback finds an orphan that left the group only by having seen it in a poll
      await new Promise((resolve) => setTimeout(resolve, 100));

      await sandbox.dispose();
      await sandbox.dispose(); // idempotent
      await waitUntil(() => !pids.some(isProcessAlive));
      expect(child.signalCode).toBe("SIGKILL");
      for (const dir of sandbox.cgroupPaths) expect(existsSync(dir)).toBe(false);
    },
  );

  it.runIf(runs)("dispose kills a tree that was SIGSTOPped", async () => {
    const sandbox = await sandboxFor(force, 256);
    const child = sandbox.spawn("/bin/sh", ["-c", SPAWN_GRANDCHILDREN], {
      cwd: process.cwd(),
      env: process.env,
    });
    const { pids } = (await nextJson(child)) as { pids: number[] };
    process.kill(-child.pid!, "SIGSTOP");
    await sandbox.dispose();
    await waitUntil(() => !pids.some(isProcessAlive) && !isProcessAlive(child.pid!));
  });
});

describe("sandbox limits", () => {
  it("asks memory / 1,769 CPUs and clamps to the host's", async () => {
    const small = await sandboxFor("duty-cycle", 1_769);
    expect(small.requestedCpuShare).toBe(1);
    expect(small.clamped).toBe(false);

    const huge = await sandboxFor("duty-cycle", 10_240);
    expect(huge.requestedCpuShare).toBeCloseTo(5.79, 2);
    const hostCpus = huge.report.hostCpus;
    expect(huge.appliedCpuShare).toBe(Math.min(hostCpus, huge.requestedCpuShare));
    expect(huge.clamped).toBe(hostCpus < huge.requestedCpuShare);
  });

  it("refuses a memory size that is not a positive number", async () => {
    await expect(createSandbox({ memoryMb: 0 })).rejects.toThrow(/memoryMb/);
  });
});
