// `npm run demo`: the main job on the bundled example. Until the emulator and
// tuner land, it prices the example function with an assumed duration.
import { spawnSync } from "node:child_process";

const example = {
  name: "examples/cpu-bound (PrimeCounter)",
  memoryMb: 1024,
  assumedDurationMs: 120,
  invocationsPerMonth: "10M",
};

process.stderr.write(
  `Pricing ${example.name}: ${example.memoryMb} MB, an assumed ${example.assumedDurationMs} ms, ` +
    `${example.invocationsPerMonth} invocations a month.\n\n`,
);
const result = spawnSync(
  process.execPath,
  [
    "dist/cli/main.js",
    "cost",
    "--memory",
    String(example.memoryMb),
    "--duration-ms",
    String(example.assumedDurationMs),
    "--invocations",
    example.invocationsPerMonth,
  ],
  { stdio: "inherit" },
);
process.exitCode = result.status ?? 1;
