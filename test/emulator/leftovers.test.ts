/**
 * Nothing left running: kill -9 of `emulate` or of `invoke` mid-invocation
 * leaves no process carrying their owner mark (the kernel's parent-death
 * signal, else the bootstraps' own checks), and the next emulator removes
 * what a dead owner left — orphans and cgroup folders — while a live
 * owner's are never touched. Every wait polls for a condition. The portable
 * mechanism (processes read through ps, no setpriv: what macOS gets) runs the
 * same tests on Linux.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import { removeCgroupDir, removeParentIfEmpty } from "../../src/emulator/sandbox/cgroup-folders.js";
import { cgroupParentFolders } from "../../src/emulator/sandbox/detect.js";
import { removeLeftovers } from "../../src/emulator/sandbox/leftovers.js";
import { OWNER_ENV_VAR, ownMark, parseOwner } from "../../src/emulator/sandbox/owner.js";
import { parentDeathSignalAvailable } from "../../src/emulator/sandbox/parent-death.js";
import { type ProcessReader, processReader } from "../../src/emulator/sandbox/process-reader.js";
import type { ForcedMechanism } from "../../src/emulator/sandbox/types.js";
import { CLI } from "../cli/run-cli.js";
import { FIXTURES, processExists, stateDir } from "./emulator-fixtures.js";
import { cgroupV1Expected } from "./sandbox/host.js";

const MECHANISMS = [
  { force: "cgroup", runs: cgroupV1Expected },
  { force: "duty-cycle", runs: true },
  { force: "portable", runs: true },
] as const;

/** The two ways of reading processes, each sweeping the marks it makes. */
const READERS = [
  { source: "proc", reader: processReader(false), force: undefined },
  { source: "ps", reader: processReader(true), force: "portable" },
] as const;

const spawned: ChildProcess[] = [];
const cgroupDirs: string[] = [];
afterEach(async () => {
  for (const child of spawned.splice(0)) child.kill("SIGKILL");
  for (const dir of cgroupDirs.splice(0)) await removeCgroupDir(dir);
  for (const parent of cgroupParentFolders()) removeParentIfEmpty(parent);
});

/** Poll until the condition holds; the test's own timeout is the bound. */
async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** A sleeping process we can plant anywhere, carrying `mark` as its owner if given. */
function sleeper(mark?: string): ChildProcess {
  const child = spawn("sleep", ["1000"], {
    env: { ...process.env, ...(mark ? { [OWNER_ENV_VAR]: mark } : {}) },
    stdio: "ignore",
  });
  spawned.push(child);
  return child;
}

/** The mark the reader would give a live process. */
async function markOf(pid: number, reader: ProcessReader): Promise<string> {
  await eventually(() => reader.startTime(pid) !== undefined);
  return `${reader.pidNamespace()}-${pid}-${reader.startTime(pid)}`;
}

/** The mark of an owner that has exited: pid and start time of a process now gone. */
async function deadOwnerMark(reader: ProcessReader = processReader(false)): Promise<string> {
  const owner = sleeper();
  const mark = await markOf(owner.pid!, reader);
  owner.kill("SIGKILL");
  await eventually(() => !processExists(owner.pid!));
  return mark;
}

async function liveOwnerMark(reader: ProcessReader): Promise<string> {
  return markOf(sleeper().pid!, reader);
}

/** Processes that carry an owner mark naming this pid. */
function markedBy(ownerPid: number, reader: ProcessReader = processReader(false)): number[] {
  return [...reader.processesWithVariable(OWNER_ENV_VAR)]
    .filter(([, mark]) => parseOwner(mark)?.pid === ownerPid)
    .map(([pid]) => pid);
}

function cgroupsOf(ownerPid: number): string[] {
  return cgroupParentFolders().flatMap((parent) => {
    try {
      return readdirSync(parent)
        .filter((name) => parseOwner(name)?.pid === ownerPid)
        .map((name) => join(parent, name));
    } catch {
      return [];
    }
  });
}

/** A new emulator: its start removes what dead owners left (those marked the way it reads processes). */
async function sweepByNewEmulator(force?: ForcedMechanism) {
  const emulator = new Emulator({
    stateDir: stateDir(),
    functions: [],
    ...(force ? { sandboxMechanism: force } : {}),
  });
  const removed = await emulator.leftoversRemoved();
  await emulator.stop();
  return removed;
}

describe.each(READERS)(
  "the sweep at an emulator's start (through $source)",
  ({ reader, force }) => {
    it("kills orphans of dead owners and leaves live owners' processes alone", async () => {
      const namespace = reader.pidNamespace();
      const otherReader = READERS.find((other) => other.reader !== reader)!.reader;
      const deadOwner = sleeper(await deadOwnerMark(reader));
      // our pid with another start time: an owner that died and whose pid the kernel gave to us
      const reusedPid = sleeper(`${namespace}-${process.pid}-1`);
      const ours = sleeper(ownMark(reader));
      const liveOwner = sleeper(await liveOwnerMark(reader));
      // a pid namespace other than ours: its pids mean nothing here, so it is never judged
      const otherNamespace = sleeper(`1${namespace}-999999-1`);
      // a dead owner marked through the other reader: its start time is in another clock, so it
      // is left to a sweep of that kind (judging it here could mistake a live owner for dead)
      const otherClock = sleeper(await deadOwnerMark(otherReader));
      // every sleeper has exec'd and shows its mark
      await eventually(() => {
        const marks = reader.processesWithVariable(OWNER_ENV_VAR);
        return [deadOwner, reusedPid, ours, liveOwner, otherNamespace, otherClock].every((child) =>
          marks.has(child.pid!),
        );
      });

      const removed = await removeLeftovers({ cgroupParents: [], ...(force ? { force } : {}) });
      expect(removed.processes).toEqual(expect.arrayContaining([deadOwner.pid, reusedPid.pid]));
      expect(removed.processes).not.toContain(otherClock.pid);
      await eventually(() => !processExists(deadOwner.pid!) && !processExists(reusedPid.pid!));
      for (const survivor of [ours, liveOwner, otherNamespace, otherClock])
        expect(processExists(survivor.pid!)).toBe(true);
    });
  },
);

describe("the sweep's cgroup folders", () => {
  it.runIf(cgroupV1Expected)(
    "removes a dead owner's cgroup folder (killing what is inside) and leaves a live owner's",
    async () => {
      const [parent] = cgroupParentFolders();
      mkdirSync(parent!, { recursive: true });
      const stale = join(parent!, `${await deadOwnerMark()}-0badc0de`);
      const live = join(parent!, `${ownMark()}-0badf00d`);
      cgroupDirs.push(stale, live);
      const inStale = sleeper();
      const inLive = sleeper();
      mkdirSync(stale);
      mkdirSync(live);
      writeFileSync(join(stale, "cgroup.procs"), String(inStale.pid));
      writeFileSync(join(live, "cgroup.procs"), String(inLive.pid));

      const removed = await sweepByNewEmulator();
      expect(existsSync(stale)).toBe(false);
      expect(removed.cgroups).toContain(stale);
      await eventually(() => !processExists(inStale.pid!));
      expect(existsSync(live)).toBe(true);
      expect(processExists(inLive.pid!)).toBe(true);
      inLive.kill("SIGKILL");
      await eventually(() => !processExists(inLive.pid!));
    },
  );
});

/** The CLI as a user starts it, in a folder of its own. */
function cli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: mkdtempSync(join(tmpdir(), "lo-leftovers-")),
    stdio: ["ignore", "pipe", "pipe"],
  });
  spawned.push(child);
  return child;
}

/**
 * After kill -9 of an owner: nothing it marked still runs, and the next emulator removes its cgroups.
 * "Gone" is judged by pid, not only by the mark: a process in the middle of execve (setpriv becoming
 * the runtime) reads as having no environment for an instant, so a mark can vanish and come back.
 */
async function nothingLeftBy(
  ownerPid: number,
  markedBeforeKill: readonly number[],
  force: ForcedMechanism,
): Promise<void> {
  const reader = processReader(force === "portable");
  // without setpriv (never used by portable) a runtime busy in its handler cannot check its
  // parent: the next start's sweep ends it
  if (force === "portable" || !parentDeathSignalAvailable()) await sweepByNewEmulator(force);
  const seen = new Set(markedBeforeKill);
  await eventually(() => {
    for (const pid of markedBy(ownerPid, reader)) seen.add(pid);
    return [...seen].every((pid) => !processExists(pid));
  });
  expect(markedBy(ownerPid, reader)).toEqual([]);
  await sweepByNewEmulator();
  expect(cgroupsOf(ownerPid)).toEqual([]);
}

describe.each(MECHANISMS)("kill -9 ($force)", ({ force, runs }) => {
  it.runIf(runs)(
    "of `emulate` with a warm runtime leaves nothing running",
    { timeout: 120_000 },
    async () => {
      const emulate = cli([
        "emulate",
        join(FIXTURES, "slow-init/index.mjs:handler"),
        "--port",
        "0",
        "--json",
        "--sandbox",
        force,
      ]);
      const endpoint = await new Promise<string>((resolve, reject) => {
        let output = "";
        emulate.stdout!.on("data", (chunk) => {
          output += chunk;
          try {
            resolve(JSON.parse(output).endpoint);
          } catch {
            // not complete yet
          }
        });
        emulate.once("exit", (code) => reject(new Error(`emulate exited with ${code}`)));
      });
      const response = await fetch(`${endpoint}/2015-03-31/functions/index/invocations`, {
        method: "POST",
        body: JSON.stringify({ warm: true }),
      });
      expect(response.status).toBe(200);
      const marked = markedBy(emulate.pid!, processReader(force === "portable"));
      expect(marked.length).toBeGreaterThan(0);
      if (force === "cgroup") expect(cgroupsOf(emulate.pid!).length).toBeGreaterThan(0);

      emulate.kill("SIGKILL");
      await nothingLeftBy(emulate.pid!, marked, force);
    },
  );

  it.runIf(runs)(
    "of `invoke` mid-invocation leaves nothing running",
    { timeout: 120_000 },
    async () => {
      const invoke = cli([
        "invoke",
        join(FIXTURES, "node-faults/index.mjs:spins"),
        "--timeout",
        "900",
        "--sandbox",
        force,
      ]);
      // a process of the invocation carries the mark: kill -9 at once, wherever it has got to
      let marked: number[] = [];
      const reader = processReader(force === "portable");
      await eventually(() => {
        marked = markedBy(invoke.pid!, reader);
        return marked.length > 0;
      });
      invoke.kill("SIGKILL");
      await nothingLeftBy(invoke.pid!, marked, force);
    },
  );
});
