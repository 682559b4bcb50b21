// Fidelity: does the emulator give a function CPU in proportion to memory, as
// Lambda does? A single-threaded CPU-bound handler's warm duration at each
// memory size, as a ratio to its duration at 1,769 MB (one vCPU), against the
// law d(m)/d(1769) = 1769/m. Run: npm run bench -- fidelity
//
// The handler is the CPU law check's (src/emulator/law-check/handler.mjs): it
// also reports the CPU time its thread spent on the work, and the ratio is
// taken per unit of CPU work, as doctor --check takes it. The same work's CPU
// cost is not steady: in each environment here it took 190 to 384 ms over the
// first warm invocations (V8 still tiering the loop up) before settling near
// 195 ms, which made the durations' own d(1769) swing 200-400 ms from round to
// round. Both ratios are shown; the verdict is on the per-CPU one.
//
// Each mechanism is measured quiet and with the host's other CPUs kept busy
// by spinners this bench starts and stops (one per CPU beyond the first), so
// the handler meets the load a shared host gives it. The warm invocations go
// in rounds (every size once per round) so that a change in the host's load
// over the run falls on every size alike; each size's figure is the median of
// its rounds, and the ratio's spread is shown from each round's own
// d(128)/d(1769).
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Emulator, functionFromHandlerSpec } from "../dist/index.js";

const MEMORY_SIZES = [128, 256, 512, 1024, 1769];
const ROUNDS = Number(process.env.FIDELITY_ROUNDS ?? 5);
const HANDLER = join(
  import.meta.dirname,
  "..",
  "src",
  "emulator",
  "law-check",
  "handler.mjs:handler",
);
const LIMIT = Number(process.env.FIDELITY_LIMIT ?? 1_200_000);
const TOLERANCE = 0.1;
const LAW_128 = 1769 / 128;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Keeps every CPU but one busy until stopped: `node -e 'for(;;){}'` each. */
function startSpinners() {
  const spinners = Array.from({ length: Math.max(1, cpus().length - 1) }, () =>
    spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }),
  );
  return async () => {
    await Promise.all(
      spinners.map(
        (spinner) =>
          new Promise((resolve) => {
            if (spinner.exitCode !== null || spinner.signalCode !== null) return resolve();
            spinner.once("exit", resolve);
            spinner.kill("SIGKILL");
          }),
      ),
    );
  };
}

/**
 * FIDELITY_BOOST=1 (Linux, root, autogroup scheduling on): give this bench's
 * processes — itself, its spinners and the runtimes it starts, each of which
 * is its own session and so its own autogroup — a scheduling group niceness
 * of -19, so that other sessions' load on a shared host (other test suites,
 * VMs) yields to the measurement, approximating a quiet host. The spinners
 * run at the same priority as the runtimes, so "busy" stays busy. A runtime
 * in a cgroup is scheduled as that cgroup and is not boosted. The bench's own
 * autogroup is its caller's session: its niceness is put back afterwards.
 * Returns the function that does so.
 */
function boostOurProcesses() {
  if (process.env.FIDELITY_BOOST !== "1") return () => {};
  const ownAutogroup = `/proc/${process.pid}/autogroup`;
  let ownNice;
  try {
    ownNice = /nice (-?\d+)/.exec(readFileSync(ownAutogroup, "utf8"))?.[1];
  } catch {
    return () => {}; // no autogroup scheduling here
  }
  const parentOf = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const ours = (pid) => {
    for (let at = pid; at > 1; at = parentOf.get(at) ?? 0) if (at === process.pid) return true;
    return false;
  };
  for (const pid of parentOf.keys()) {
    if (!ours(pid)) continue;
    try {
      writeFileSync(`/proc/${pid}/autogroup`, "-19");
    } catch {
      // not root: measured as the host schedules it
    }
  }
  return () => {
    try {
      if (ownNice !== undefined) writeFileSync(ownAutogroup, ownNice);
    } catch {
      // we could not change it either
    }
  };
}

/** mechanism: "cgroup" | "duty-cycle" | "portable"; busy: other CPUs kept busy meanwhile. */
export async function fidelity(mechanism, { busy = false } = {}) {
  const functions = MEMORY_SIZES.map((memoryMb) =>
    functionFromHandlerSpec(HANDLER, { name: `cpu-${memoryMb}`, memoryMb, timeoutSeconds: 300 }),
  );
  const emulator = new Emulator({
    functions,
    sandboxMechanism: mechanism,
    stateDir: "/tmp/lambda-optimizer-bench",
  });
  const payload = Buffer.from(JSON.stringify({ limit: LIMIT }));
  const durations = new Map(MEMORY_SIZES.map((memoryMb) => [memoryMb, []]));
  const cpuTimes = new Map(MEMORY_SIZES.map((memoryMb) => [memoryMb, []]));
  /** Wall time per unit of CPU work, from the handler's own answer: 1769/m under the law. */
  const perCpu = new Map(MEMORY_SIZES.map((memoryMb) => [memoryMb, []]));
  const roundRatios = [];
  const loadBefore = loadavg()[0];
  let sandbox;
  let unboost = () => {};
  const stopSpinners = busy ? startSpinners() : undefined;
  try {
    // the cold starts stay out of the sample
    for (const memoryMb of MEMORY_SIZES) await emulator.invoke(`cpu-${memoryMb}`, { payload });
    unboost = boostOurProcesses(); // the runtimes exist now, and stay for the warm invocations
    for (let round = 0; round < ROUNDS; round++) {
      for (const memoryMb of MEMORY_SIZES) {
        const result = await emulator.invoke(`cpu-${memoryMb}`, { payload });
        const answer = JSON.parse(result.payload.toString("utf8"));
        durations.get(memoryMb).push(result.record.report.durationMs);
        cpuTimes.get(memoryMb).push(answer.cpuMs);
        perCpu.get(memoryMb).push(answer.elapsedMs / answer.cpuMs);
        sandbox = result.record.sandbox;
      }
      const ratio = perCpu.get(128)[round] / perCpu.get(1769)[round];
      roundRatios.push(ratio);
      process.stderr.write(
        `  ${mechanism}${busy ? " (busy)" : ""} round ${round + 1}: d(128)/d(1769) = ${ratio.toFixed(2)} per unit of CPU, ${(durations.get(128)[round] / durations.get(1769)[round]).toFixed(2)} by durations\n`,
      );
    }
  } finally {
    unboost();
    await emulator.stop();
    await stopSpinners?.();
  }
  const baseline = median(durations.get(1769));
  const table = MEMORY_SIZES.map((memoryMb) => ({
    memoryMb,
    durationMs: median(durations.get(memoryMb)),
    cpuMs: median(cpuTimes.get(memoryMb)),
    durationRatio: median(durations.get(memoryMb)) / baseline,
    // each round's own, so a change in the work's cost between rounds falls on both sizes
    measuredRatio: median(
      perCpu.get(memoryMb).map((value, round) => value / perCpu.get(1769)[round]),
    ),
    lawRatio: 1769 / memoryMb,
  }));
  const error = table[0].measuredRatio / LAW_128 - 1;
  return {
    mechanism: sandbox.mechanism,
    busy,
    rounds: ROUNDS,
    table,
    roundRatios,
    load: [loadBefore, loadavg()[0]],
    error,
    tolerance: TOLERANCE,
    pass: Math.abs(error) <= TOLERANCE,
  };
}

export function fidelityTitle(result) {
  const load = result.busy
    ? `other ${cpus().length > 2 ? "CPUs" : "core"} kept busy by a spinner`
    : "quiet (no spinner of ours)";
  return `Fidelity: CPU in proportion to memory (${result.mechanism}, ${load})`;
}

export function fidelityMarkdown(result) {
  const sorted = [...result.roundRatios].sort((a, b) => a - b);
  const lines = [
    `| memory (MB) | median warm duration (ms) | median CPU time (ms) | d(m)/d(1769) by durations | d(m)/d(1769) per unit of CPU | 1769/m (law) |`,
    `|---:|---:|---:|---:|---:|---:|`,
    ...result.table.map(
      (row) =>
        `| ${row.memoryMb} | ${row.durationMs.toFixed(1)} | ${row.cpuMs.toFixed(1)} | ${row.durationRatio.toFixed(2)} | ${row.measuredRatio.toFixed(2)} | ${row.lawRatio.toFixed(2)} |`,
    ),
    "",
    `${result.rounds} rounds; each round's own d(128)/d(1769) per unit of CPU: ${sorted.map((ratio) => ratio.toFixed(2)).join(", ")}. ` +
      `Load average ${result.load[0].toFixed(1)} before, ${result.load[1].toFixed(1)} after.`,
    "",
    `d(128)/d(1769) per unit of CPU = ${result.table[0].measuredRatio.toFixed(2)}, ${(result.error * 100).toFixed(1)}% from the law (target ±${result.tolerance * 100}%): **${result.pass ? "pass" : "FAIL"}**`,
  ];
  return lines.join("\n");
}
