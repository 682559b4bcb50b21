/**
 * Runs inside the cgroup v2 VM (bundled by vm-suite.ts with esbuild, from the real sources): the
 * product's sandbox (createSandbox, detectSandbox) checked against a real cgroup v2 kernel. Each
 * check prints one `@@check {json}` line holding what the kernel reported back; the vitest side
 * (cgroup2-vm.test.ts) asserts on them.
 *
 *   node sandbox-guest.mjs root   as root: doctor, CPU, memory, OOM, peak, tree kill, then the two users
 *   node sandbox-guest.mjs user   as the user root starts: detect and doctor, and limit CPU where a
 *                                 cgroup is had
 *
 * The unprivileged users are set up as systemd sets up a login: uid 1000 gets a delegated subtree
 * (user.slice/user-1000.slice/user@1000.service chowned to it, cpu and memory enabled there) and
 * runs in a leaf inside it; uid 1001 runs in a root-owned session scope with no delegation.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { createSandbox, detectSandbox, type Sandbox } from "../../src/emulator/sandbox/index.js";
import { OWNER_ENV_VAR } from "../../src/emulator/sandbox/owner.js";

const MOUNT = "/sys/fs/cgroup";
const THROTTLE_WINDOW_MS = 1_500;

function report(name: string, data: Record<string, unknown>): void {
  console.log(`@@check ${JSON.stringify({ name, ...data })}`);
}

function keyValues(file: string): Record<string, number> {
  const values: Record<string, number> = {};
  for (const line of readFileSync(file, "utf8").trim().split("\n")) {
    const [key, value] = line.split(" ");
    if (key) values[key] = Number(value);
  }
  return values;
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), "utf8").trim();
}

const env = { PATH: "/bin:/usr/bin" };

/** The real CLI, bundled by vm-suite.ts. */
const CLI = "/payload/cli.mjs";

/** `lambda-optimizer doctor --json` run by this user: what the product itself reports here. */
function doctor(...flags: string[]): Record<string, unknown> {
  return runDoctor(...flags).doctor;
}

/** The same, with what it printed on stderr (the law check's pairs). */
function runDoctor(...flags: string[]): { doctor: Record<string, unknown>; stderr: string } {
  const uid = process.getuid!();
  const result = spawnSync(process.execPath, [CLI, "doctor", ...flags, "--json"], {
    cwd: "/tmp",
    env: { ...env, HOME: "/tmp", LAMBDA_OPTIMIZER_CACHE_DIR: `/tmp/cli-cache-${uid}` },
    encoding: "utf8",
  });
  try {
    return { doctor: JSON.parse(result.stdout) as Record<string, unknown>, stderr: result.stderr };
  } catch {
    const failed = { status: result.status, stdout: result.stdout, stderr: result.stderr };
    return { doctor: failed, stderr: result.stderr };
  }
}

/** `doctor --check`: the product's own CPU law check, on this kernel's cgroup v2. */
async function doctorCheck(): Promise<void> {
  const { doctor, stderr } = runDoctor("--check");
  report("doctor-root", {
    doctor,
    pairs: stderr.split("\n").filter((line) => /pair \d/.test(line)),
  });
}

/** A busy shell loop (cheap to start under TCG, unlike node) throttled for a while: what cpu.max and cpu.stat say. */
async function throttledSpin(sandbox: Sandbox): Promise<Record<string, unknown>> {
  const dir = sandbox.cgroupPaths[0]!;
  const child = sandbox.spawn("/bin/sh", ["-c", "while :; do :; done"], {
    cwd: "/",
    env,
    stdio: "ignore",
  });
  sandbox.setThrottled(true);
  const before = keyValues(join(dir, "cpu.stat"));
  const started = process.hrtime.bigint();
  await sleep(THROTTLE_WINDOW_MS);
  const after = keyValues(join(dir, "cpu.stat"));
  const wallUs = Number(process.hrtime.bigint() - started) / 1_000;
  const result = {
    cgroup: dir,
    cpuMax: read(dir, "cpu.max"),
    memoryMax: read(dir, "memory.max"),
    requestedCpuShare: sandbox.requestedCpuShare,
    nrThrottled: (after.nr_throttled ?? 0) - (before.nr_throttled ?? 0),
    /** CPU time / wall time over the window: the share the kernel gave. */
    cpuShareGot: ((after.usage_usec ?? 0) - (before.usage_usec ?? 0)) / wallUs,
    pidsInside: sandbox.pids().includes(child.pid!),
  };
  await sandbox.dispose();
  return { ...result, cgroupRemoved: !existsSync(dir) };
}

async function cpuCheck(): Promise<void> {
  const sandbox = await createSandbox({ memoryMb: 128 });
  report("cpu", { report: sandbox.report, ...(await throttledSpin(sandbox)) });
}

async function oomCheck(): Promise<void> {
  const sandbox = await createSandbox({ memoryMb: 128 });
  const dir = sandbox.cgroupPaths[0]!;
  let listenerCalled = false;
  sandbox.onMemoryExceeded(() => {
    listenerCalled = true;
  });
  // 1 MB at a time, touched, never freed: past 128 MB the kernel's OOM killer ends it
  const child = sandbox.spawn(
    process.execPath,
    ["-e", "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));"],
    { cwd: "/", env, stdio: "ignore" },
  );
  const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
  const exceeded = sandbox.checkMemory();
  const events = keyValues(join(dir, "memory.events"));
  report("oom", {
    memoryMax: read(dir, "memory.max"),
    swapMax: existsSync(join(dir, "memory.swap.max")) ? read(dir, "memory.swap.max") : undefined,
    exitCode: code,
    signal,
    memoryEvents: events,
    checkMemory: exceeded,
    memoryExceeded: sandbox.memoryExceeded,
    listenerCalled,
    peakMemoryMb: sandbox.peakMemoryMb(),
  });
  await sandbox.dispose();
}

async function peakCheck(): Promise<void> {
  const sandbox = await createSandbox({ memoryMb: 256 });
  const child = sandbox.spawn(
    process.execPath,
    [
      "-e",
      "globalThis.held = Buffer.alloc(40 << 20, 1); console.log('held'); setInterval(() => {}, 1000);",
    ],
    { cwd: "/", env, stdio: ["ignore", "pipe", "inherit"] },
  );
  await firstLine(child);
  const peakMemoryMb = sandbox.peakMemoryMb();
  report("peak", {
    peakMemoryMb,
    limitMb: sandbox.limits.memoryMb,
    memoryCurrentMb: Number(read(sandbox.cgroupPaths[0]!, "memory.current")) / (1 << 20),
    memoryExceeded: sandbox.memoryExceeded,
  });
  await sandbox.dispose();
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  lines.close();
  return line;
}

function processGroup(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

function allPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The processes whose environment carries the sandbox's owner mark: anything a sandbox started. */
function markedProcesses(): number[] {
  return allPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, "utf8").includes(`${OWNER_ENV_VAR}=`);
    } catch {
      return false;
    }
  });
}

async function treeKillCheck(): Promise<void> {
  const sandbox = await createSandbox({ memoryMb: 128 });
  const dir = sandbox.cgroupPaths[0]!;
  // a child, and a grandchild that leaves the process group (setsid) with a child of its own
  const script = "sleep 4241 & setsid sh -c 'sleep 4242 & sleep 4243' & echo started; wait";
  const child = sandbox.spawn("/bin/sh", ["-c", script], {
    cwd: "/",
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await firstLine(child);
  let pids: number[] = [];
  // a hang bound (60 s), not a timing: busybox's sleeps start in well under a second
  for (let i = 0; i < 3_000; i++) {
    pids = sandbox.pids();
    if (pids.map(commandLine).filter((line) => /^sleep 424[123]$/.test(line)).length === 3) break;
    await sleep(20);
  }
  const tree = pids.map((pid) => ({ pid, pgid: processGroup(pid), cmd: commandLine(pid) }));
  await sandbox.dispose();
  const sleepers = allPids().filter((pid) => /^sleep 424[123]$/.test(commandLine(pid)));
  report("tree-kill", {
    groupLeader: child.pid,
    tree,
    aliveAfter: pids.filter((pid) => existsSync(`/proc/${pid}`)),
    sleepersAfter: sleepers,
    cgroupRemoved: !existsSync(dir),
  });
}

function mkCgroup(dir: string, enable: boolean): void {
  mkdirSync(dir, { recursive: true });
  if (enable) writeFileSync(join(dir, "cgroup.subtree_control"), "+cpu +memory");
}

/** As systemd delegates user@UID.service: the folder and the three files a delegate may write are the user's. */
function delegate(dir: string, uid: number): void {
  for (const path of [
    dir,
    ...["cgroup.procs", "cgroup.subtree_control", "cgroup.threads"].map((f) => join(dir, f)),
  ]) {
    chownSync(path, uid, uid);
  }
}

/**
 * Start this script as `uid` inside the cgroup `leaf`: the shell waits until root has moved it
 * (a user may not move itself out of the root cgroup), then execs node in its place.
 */
async function runAsUser(uid: number, leaf: string): Promise<void> {
  const child = spawn(
    "/bin/sh",
    ["-c", 'read go && exec "$0" "$@"', process.execPath, process.argv[1]!, "user"],
    { uid, gid: uid, cwd: "/tmp", env, stdio: ["pipe", "pipe", "inherit"] },
  );
  writeFileSync(join(leaf, "cgroup.procs"), String(child.pid));
  child.stdin!.write("go\n");
  const lines = createInterface({ input: child.stdout! });
  lines.on("line", (line) => console.log(line));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) report(`user-${uid}-exit`, { code });
}

async function userChecks(): Promise<void> {
  writeFileSync(join(MOUNT, "cgroup.subtree_control"), "+cpu +memory");
  const slice = join(MOUNT, "user.slice");
  mkCgroup(slice, true);

  // uid 1000: delegated, its process in a leaf of its own inside the delegation
  const user1000 = join(slice, "user-1000.slice");
  mkCgroup(user1000, true);
  const service = join(user1000, "user@1000.service");
  mkCgroup(service, true);
  delegate(service, 1000);
  const leaf = join(service, "app.slice");
  mkCgroup(leaf, false);
  delegate(leaf, 1000);
  await runAsUser(1000, leaf);

  // uid 1001: a login session scope, root's, nothing delegated
  const user1001 = join(slice, "user-1001.slice");
  mkCgroup(user1001, true);
  const session = join(user1001, "session-2.scope");
  mkCgroup(session, false);
  await runAsUser(1001, session);
}

async function asUser(): Promise<void> {
  const uid = process.getuid!();
  const ownCgroup = readFileSync("/proc/self/cgroup", "utf8").trim();
  const detected = await detectSandbox();
  const data: Record<string, unknown> = { uid, ownCgroup, report: detected, doctor: doctor() };
  if (detected.mechanism === "cgroup-v2") {
    Object.assign(data, await throttledSpin(await createSandbox({ memoryMb: 128 })));
  }
  report(`user-${uid}`, data);
}

if (process.argv[2] === "user") {
  await asUser();
} else {
  for (const check of [doctorCheck, cpuCheck, oomCheck, peakCheck, treeKillCheck, userChecks]) {
    try {
      await check();
    } catch (error) {
      report(`${check.name}-error`, { error: String((error as Error).stack ?? error) });
    }
  }
  const escaped = markedProcesses().map((pid) => ({ pid, cmd: commandLine(pid) }));
  report("escaped", { processes: escaped, scanned: allPids().length });
}
