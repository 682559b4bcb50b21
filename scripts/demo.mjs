// `npm run demo`: the main job on the embedded default. Until the tuner lands it
// runs the bundled example on the embedded emulator at a few memory sizes and
// prices each measured invocation — a preview of `lambda-optimizer tune`.
import { join } from "node:path";
import {
  BUNDLED_PRICE_TABLE,
  costPerInvocation,
  Emulator,
  functionFromHandlerSpec,
  pricesFor,
} from "../dist/index.js";

const HANDLER = join(import.meta.dirname, "..", "examples", "cpu-bound", "handler.mjs:handler");
const MEMORY_SIZES = [128, 512, 1024, 1769];
const payload = Buffer.from("{}"); // the example's default workload
const prices = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");

const functions = MEMORY_SIZES.map((memoryMb) =>
  functionFromHandlerSpec(HANDLER, {
    name: `prime-counter-${memoryMb}`,
    memoryMb,
    timeoutSeconds: 60,
  }),
);
const emulator = new Emulator({ functions });
const sandbox = await emulator.sandbox();
process.stderr.write(
  `Running examples/cpu-bound on the embedded Lambda emulator (CPU limited by ${sandbox.mechanism}: memory / 1,769 MB of one CPU)\n\n`,
);
const rows = [];
try {
  for (const memoryMb of MEMORY_SIZES) {
    process.stderr.write(`  ${memoryMb} MB...\n`);
    await emulator.invoke(`prime-counter-${memoryMb}`, { payload }); // cold start, left out
    const { record } = await emulator.invoke(`prime-counter-${memoryMb}`, { payload });
    const cost = costPerInvocation(prices, {
      memoryMb,
      billedDurationMs: record.report.billedDurationMs,
    });
    rows.push({ memoryMb, ...record.report, perMillionUsd: cost.totalUsd * 1e6 });
  }
} finally {
  await emulator.stop();
}

const cheapest = rows.reduce((best, row) => (row.perMillionUsd < best.perMillionUsd ? row : best));
const lines = [
  "",
  "memory   warm duration   billed    max memory   cost per 1M invocations (x86_64, us-east-1)",
  ...rows.map(
    (row) =>
      `${String(row.memoryMb).padStart(5)} MB ${row.durationMs.toFixed(1).padStart(10)} ms ${String(row.billedDurationMs).padStart(6)} ms ${String(row.maxMemoryUsedMb).padStart(8)} MB   $${row.perMillionUsd.toFixed(2)}${row === cheapest ? "  ← cheapest" : ""}`,
  ),
  "",
  `Prices read ${prices.date}. One warm invocation each: \`lambda-optimizer tune\` (coming next) samples many and reports the noise.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
