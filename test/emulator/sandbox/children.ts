/** Small Node programs the sandbox tests run as the "function": each prints JSON lines on stdout. */
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Sandbox } from "../../../src/emulator/sandbox/index.js";

/**
 * Busy loop for 1.5 s of wall time. Besides the work done it reports its main
 * thread's CPU time (schedstat, ns): the quantity both mechanisms ration, and
 * steadier than work on a shared VM, where work per CPU-second varies.
 */
export const BUSY_LOOP = `
const fs = require("fs");
const mainThreadCpuMs = () => Number(fs.readFileSync("/proc/self/schedstat", "utf8").split(" ")[0]) / 1e6;
const cpuAtStart = mainThreadCpuMs();
const started = Date.now();
const end = started + 1500;
let work = 0;
while (Date.now() < end) for (let i = 0; i < 1e5; i++) work++;
console.log(JSON.stringify({ work, cpuMs: mainThreadCpuMs() - cpuAtStart, wallMs: Date.now() - started }));
`;

/** Holds ~100 MB until told "free" on stdin, then drops it and reports. */
export const ALLOCATE_100_MB = `
let held = Buffer.alloc(100 * 1024 * 1024, 1);
console.log(JSON.stringify({ allocated: held.length }));
process.stdin.once("data", () => {
  held = undefined;
  globalThis.gc();
  // V8 frees a collected buffer's memory on a background thread: answer once it has.
  const answerWhenFreed = () => {
    if (process.memoryUsage().arrayBuffers > 50 * 1024 * 1024) return setTimeout(answerWhenFreed, 10);
    console.log(JSON.stringify({ freed: true }));
  };
  answerWhenFreed();
});
`;

/** Grows by 16 MB steps to 512 MB, holding it all, then idles: only a memory limit stops it. */
export const ALLOCATE_WITHOUT_END = `
const held = [];
const grow = () => {
  held.push(Buffer.alloc(16 * 1024 * 1024, 1));
  if (held.length < 32) setTimeout(grow, 5);
  else setInterval(() => {}, 1000);
};
grow();
`;

/**
 * A shell that leaves a background sleep in its group, a setsid one that
 * left the group, and an orphan (its parent exited) outside the group, then
 * waits. Prints the three pids.
 */
export const SPAWN_GRANDCHILDREN = `
sleep 1000 &
in_group=$!
setsid sleep 1000 &
own_session=$!
orphan=$( (setsid sleep 1000 >/dev/null 2>&1 & echo $!) )
echo "{\\"pids\\":[$in_group,$own_session,$orphan]}"
wait
`;

const readers = new WeakMap<ChildProcess, AsyncIterator<string>>();

/** The child's next JSON line (one reader per child, so no line is lost between calls). */
export async function nextJson(child: ChildProcess): Promise<Record<string, unknown>> {
  let reader = readers.get(child);
  if (!reader) {
    reader = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    readers.set(child, reader);
  }
  const line = await reader.next();
  if (line.done) throw new Error("the child ended without printing");
  return JSON.parse(line.value);
}

export function runNode(sandbox: Sandbox, script: string, nodeFlags: string[] = []): ChildProcess {
  return sandbox.spawn(process.execPath, [...nodeFlags, "-e", script], {
    cwd: process.cwd(),
    env: process.env,
    stdio: ["pipe", "pipe", "inherit"],
  });
}

export function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}
