// Fidelity: does the emulator give a function CPU in proportion to memory, as
// Lambda does? A single-threaded CPU-bound handler's warm duration at each
// memory size, as a ratio to its duration at 1,769 MB (one vCPU), against the
// law d(m)/d(1769) = 1769/m. Run: npm run bench -- fidelity
import { join } from "node:path";
import { Emulator, functionFromHandlerSpec } from "../dist/index.js";

const MEMORY_SIZES = [128, 256, 512, 1024, 1769];
const WARM_RUNS = 3;
const HANDLER = join(import.meta.dirname, "..", "examples", "cpu-bound", "handler.mjs:handler");
const LIMIT = Number(process.env.FIDELITY_LIMIT ?? 1_200_000);
const TOLERANCE = { cgroup: 0.1, "duty-cycle": 0.2 };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function fidelity(mechanism) {
  const functions = MEMORY_SIZES.map((memoryMb) =>
    functionFromHandlerSpec(HANDLER, { name: `cpu-${memoryMb}`, memoryMb, timeoutSeconds: 300 }),
  );
  const emulator = new Emulator({
    functions,
    sandboxMechanism: mechanism,
    stateDir: "/tmp/lambda-optimizer-bench",
  });
  const payload = Buffer.from(JSON.stringify({ limit: LIMIT }));
  const rows = [];
  let sandbox;
  try {
    for (const memoryMb of MEMORY_SIZES) {
      await emulator.invoke(`cpu-${memoryMb}`, { payload }); // the cold start stays out of the sample
      const durations = [];
      for (let run = 0; run < WARM_RUNS; run++) {
        const result = await emulator.invoke(`cpu-${memoryMb}`, { payload });
        durations.push(result.record.report.durationMs);
        sandbox = result.record.sandbox;
      }
      rows.push({ memoryMb, durationMs: median(durations) });
      process.stderr.write(`  ${mechanism} ${memoryMb} MB: ${median(durations).toFixed(1)} ms\n`);
    }
  } finally {
    await emulator.stop();
  }
  const baseline = rows.find((row) => row.memoryMb === 1769).durationMs;
  const table = rows.map((row) => ({
    ...row,
    measuredRatio: row.durationMs / baseline,
    lawRatio: 1769 / row.memoryMb,
  }));
  const at128 = table[0];
  const error = at128.measuredRatio / at128.lawRatio - 1;
  return {
    mechanism: sandbox.mechanism,
    table,
    error,
    tolerance: TOLERANCE[mechanism],
    pass: Math.abs(error) <= TOLERANCE[mechanism],
  };
}

export function fidelityMarkdown(result) {
  const lines = [
    `| memory (MB) | median warm duration (ms) | d(m)/d(1769) measured | 1769/m (law) |`,
    `|---:|---:|---:|---:|`,
    ...result.table.map(
      (row) =>
        `| ${row.memoryMb} | ${row.durationMs.toFixed(1)} | ${row.measuredRatio.toFixed(2)} | ${row.lawRatio.toFixed(2)} |`,
    ),
    "",
    `d(128)/d(1769) is ${(result.error * 100).toFixed(1)}% from the law (target ±${result.tolerance * 100}%): **${result.pass ? "pass" : "FAIL"}**`,
  ];
  return lines.join("\n");
}
