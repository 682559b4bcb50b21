/**
 * The ps reader: its parsing of ps's output as macOS and Linux's procps print
 * it (fixture text: macOS itself is not run here), its agreement with /proc on
 * this host, and a portable sandbox that works with /proc hidden from the
 * product's code (proc-guard.ts) and never tries to read it.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { connectionOwner } from "../../../src/emulator/runtime-api/connection-owner.js";
import { createSandbox, type Sandbox } from "../../../src/emulator/sandbox/index.js";
import { removeLeftovers } from "../../../src/emulator/sandbox/leftovers.js";
import { ownMark } from "../../../src/emulator/sandbox/owner.js";
import { procReader } from "../../../src/emulator/sandbox/proc-reader.js";
import { processReader } from "../../../src/emulator/sandbox/process-reader.js";
import {
  parsePsEnvironment,
  parsePsTable,
  psEnvironmentArgs,
} from "../../../src/emulator/sandbox/ps-reader.js";
import { psIdentity } from "../../../src/process-identity.js";
import { parseLstart } from "../../../src/ps.js";
import { procReads } from "../proc-guard.js";
import { ALLOCATE_100_MB, nextJson, runNode, SPAWN_GRANDCHILDREN } from "./children.js";

vi.mock("node:fs", async (original) =>
  (await import("../proc-guard.js")).guardFs(await original<object>()),
);
vi.mock("node:fs/promises", async (original) =>
  (await import("../proc-guard.js")).guardFs(await original<object>()),
);

/** `ps -A -o pid=,ppid=,pgid=,rss=,state=,lstart=` on macOS (BSD states, launchd as 1). */
const MACOS_TABLE = `
    1     0     1  13584 Ss   Tue Dec  1 08:12:44 2026
  412     1   412   5120 S    Tue Dec  1 08:12:50 2026
 4242   412  4242 118016 S+   Thu Dec  3 11:58:02 2026
 4250  4242  4250  70240 R    Thu Dec  3 11:58:03 2026
 4251  4250  4250      0 Z    Thu Dec  3 11:58:04 2026
`;

/** The same columns from procps-ng 4 on Linux (kernel threads with RSS 0, I for idle). */
const PROCPS_TABLE = `    1     0     0 11876 S Thu Dec  3 11:43:51 2026
    2     0     0     0 S Thu Dec  3 11:43:51 2026
   27 2 0 0 I Thu Dec  3 11:43:51 2026
27564 27000 27564  1792 S Sat Feb 28 23:59:59 2026
`;

/** `ps -A -E -ww -o pid=,command=` on macOS: the environment follows the arguments. */
const MACOS_ENVIRONMENT = `
  412 /bin/zsh -l TERM_PROGRAM=Apple_Terminal SHELL=/bin/zsh
 4250 /usr/local/bin/node /x/bootstrap.mjs TMPDIR=/var/folders/x/T/ LAMBDA_OPTIMIZER_OWNER=1-4242-1796299082 LAMBDA_OPTIMIZER_SANDBOX_ID=0123456789abcdef
 4300 grep LAMBDA_OPTIMIZER_OWNER=1-9-9 HOME=/Users/me
`;

/** `ps axeww -o pid=,args=` on procps: the same layout. */
const PROCPS_ENVIRONMENT = `27564 sleep 30 LAMBDA_OPTIMIZER_OWNER=4026531836-100-12345 SHELL=/bin/bash
27570 node -e x=LAMBDA_OPTIMIZER_OWNER=1-1-1 PATH=/usr/bin LAMBDA_OPTIMIZER_OWNER=1-4242-1796299082
    2 [kthreadd]
`;

describe("parsing ps", () => {
  it("reads lstart in the C locale and UTC as seconds since the epoch", () => {
    expect(parseLstart("Thu Dec  3 11:58:02 2026")).toBe(
      String(Date.UTC(2026, 11, 3, 11, 58, 2) / 1000),
    );
    expect(parseLstart("Sat Feb 28 23:59:59 2026")).toBe("1772323199");
    expect(parseLstart("jeu. 3 déc. 11:58:02 2026")).toBeUndefined();
  });

  it("reads macOS's table: parents, groups, RSS, zombies", () => {
    const rows = parsePsTable(MACOS_TABLE);
    expect(rows).toHaveLength(5);
    expect(rows[2]).toEqual({
      pid: 4242,
      ppid: 412,
      pgid: 4242,
      rssKb: 118016,
      state: "S+",
      startTime: String(Date.UTC(2026, 11, 3, 11, 58, 2) / 1000),
    });
    expect(rows[4]).toMatchObject({ pid: 4251, ppid: 4250, pgid: 4250, state: "Z" });
  });

  it("reads procps's table, however the columns are padded", () => {
    const rows = parsePsTable(PROCPS_TABLE);
    expect(rows.map((row) => row.pid)).toEqual([1, 2, 27, 27564]);
    expect(rows[3]).toMatchObject({ ppid: 27000, pgid: 27564, rssKb: 1792, state: "S" });
    expect(rows[3]!.startTime).toBe("1772323199");
  });

  it("finds a variable in the environment ps prints after the arguments, on both", () => {
    expect(parsePsEnvironment(MACOS_ENVIRONMENT, "LAMBDA_OPTIMIZER_OWNER")).toEqual(
      new Map([
        [4250, "1-4242-1796299082"],
        [4300, "1-9-9"], // an argument that looks like the variable: judged like any mark
      ]),
    );
    expect(parsePsEnvironment(MACOS_ENVIRONMENT, "LAMBDA_OPTIMIZER_SANDBOX_ID")).toEqual(
      new Map([[4250, "0123456789abcdef"]]),
    );
    // the last occurrence is the environment's, after any argument that looks like it
    expect(parsePsEnvironment(PROCPS_ENVIRONMENT, "LAMBDA_OPTIMIZER_OWNER")).toEqual(
      new Map([
        [27564, "4026531836-100-12345"],
        [27570, "1-4242-1796299082"],
      ]),
    );
  });

  it("asks each platform's ps for the environment its own way", () => {
    expect(psEnvironmentArgs("darwin")).toContain("-E");
    expect(psEnvironmentArgs("freebsd")).toContain("-e");
    expect(psEnvironmentArgs("linux")[0]).toBe("axeww");
  });
});

const sandboxes: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.dispose()));
});

/** /proc/PID/stat's start time (ticks after boot) as seconds since the epoch, read by the test. */
function procStartEpoch(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const ticks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  const bootTime = Number(/^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))![1]);
  return bootTime + ticks / 100; // USER_HZ is 100 on every Linux port
}

describe.runIf(process.platform === "linux")("ps on this host against /proc", () => {
  it("agrees on identity, parent and liveness", () => {
    const ps = processReader(true);
    expect(Math.abs(Number(ps.startTime(process.pid)) - procStartEpoch(process.pid))).toBeLessThan(
      1.5,
    );
    expect(psIdentity.startTime(process.pid)).toBe(ps.startTime(process.pid));
    expect(ps.children(process.ppid)).toContain(process.pid);
    expect(ps.isAlive(process.pid)).toBe(true);
    expect(psIdentity.isAlive(2 ** 22 + 1)).toBe(false); // above any pid_max
    expect(ps.memory(process.pid)!.rssKb).toBeGreaterThan(10 * 1024);
  });

  it("finds a process by its environment", async () => {
    const child = spawn("sleep", ["30"], {
      env: { ...process.env, PS_READER_TEST: "found-1" },
      stdio: "ignore",
    });
    try {
      const ps = processReader(true);
      for (let tries = 0; !ps.processesWithVariable("PS_READER_TEST").has(child.pid!); tries++) {
        expect(tries).toBeLessThan(100);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(ps.processesWithVariable("PS_READER_TEST").get(child.pid!)).toBe("found-1");
    } finally {
      child.kill("SIGKILL");
    }
  });
});

describe("with /proc hidden from the product (proc-guard.ts)", () => {
  it("the guard sees a read by the product's /proc reader", () => {
    const before = procReads().length;
    expect(procReader.memory(process.pid)).toBeUndefined();
    expect(procReads().length).toBe(before + 1);
    expect(procReads().at(-1)).toMatch(/readFileSync\(\/proc\/\d+\/status\).*proc-reader\.ts/);
  });

  it("a portable sandbox limits, measures, finds and kills without reading /proc", async () => {
    const before = procReads().length;
    const sandbox = await createSandbox({ memoryMb: 512 }, { force: "portable" });
    sandboxes.push(sandbox);
    expect(sandbox.report.mechanism).toBe("portable");
    expect(ownMark(processReader(true))).toMatch(/^1-\d+-\d{10}$/);

    const allocating = runNode(sandbox, ALLOCATE_100_MB, ["--expose-gc"]);
    expect(await nextJson(allocating)).toEqual({ allocated: 100 * 1024 * 1024 });
    sandbox.setThrottled(true);
    expect(sandbox.peakMemoryMb()).toBeGreaterThanOrEqual(100);
    expect(sandbox.checkMemory()).toBe(false);
    sandbox.resetPeakMemory();

    const shell = sandbox.spawn("/bin/sh", ["-c", SPAWN_GRANDCHILDREN], {
      cwd: process.cwd(),
      env: process.env,
    });
    const { pids } = (await nextJson(shell)) as { pids: number[] };
    const [inGroup] = pids;
    expect(sandbox.pids()).toEqual(expect.arrayContaining([shell.pid, inGroup, allocating.pid]));
    await expect(
      connectionOwner({ clientPort: 1, serverPort: 2 }, sandbox.pids(), { withoutProc: true }),
    ).resolves.not.toBe("owned");
    await removeLeftovers({ force: "portable" });

    await sandbox.dispose();
    const ps = processReader(true);
    for (let tries = 0; pids.some((pid) => ps.isAlive(pid)); tries++) {
      expect(tries).toBeLessThan(250);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(procReads().slice(before)).toEqual([]);
  });
});
