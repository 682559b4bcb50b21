// Tuning overhead: the wall time of a local tuning run against the sum of the
// durations it measured (the limit: a tuner with no overhead at all would take
// exactly that long). Every configuration change, publish, alias, restore, the
// Lambda API round trips and the cold starts count as overhead.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  BUNDLED_PRICE_TABLE,
  createLambdaClient,
  Emulator,
  functionFromHandlerSpec,
  LambdaApiServer,
  LambdaTarget,
  runTuning,
} from "../dist/index.js";

const HANDLER_MS = 100;
const MEMORY_SIZES = [128, 256, 512, 1024, 1769];
const NUM = Number(process.env.TUNE_OVERHEAD_NUM ?? 20);

export async function tuneOverhead() {
  const folder = mkdtempSync(join(tmpdir(), "lo-bench-tune-"));
  writeFileSync(
    join(folder, "wait.mjs"),
    `export const handler = async () => { await new Promise((resolve) => setTimeout(resolve, ${HANDLER_MS})); return "ok"; };\n`,
  );
  const emulator = new Emulator({
    functions: [
      functionFromHandlerSpec(join(folder, "wait.mjs:handler"), { name: "wait", memoryMb: 1024 }),
    ],
    stateDir: join(folder, "state"),
  });
  const server = new LambdaApiServer(emulator);
  const endpointUrl = await server.listen(0);
  const client = createLambdaClient({ region: "us-east-1", endpointUrl, anonymous: true });
  const started = performance.now();
  let result;
  try {
    result = await runTuning({
      target: {
        lambda: new LambdaTarget(client, "wait"),
        kind: "local",
        region: "us-east-1",
        endpointUrl,
      },
      settings: {
        memorySizes: MEMORY_SIZES,
        architectures: [],
        num: NUM,
        payloads: [{ payload: Buffer.from("{}"), weight: 1 }],
        strategy: "cost",
        balancedWeight: 0.5,
        discard: 0.2,
        parallel: false,
        concurrency: 1,
        onlyColdStarts: false,
        allowedExceptions: [],
        sleepBetweenMs: 0,
        untilConfident: false,
        maxNum: NUM,
        dryRun: false,
        apply: false,
      },
      priceTable: BUNDLED_PRICE_TABLE,
      journalFolder: join(folder, "journal"),
      runId: "bench",
    });
  } finally {
    client.destroy();
    await server.close();
    await emulator.stop();
  }
  const wallMs = performance.now() - started;
  let measuredMs = 0;
  for (const configuration of result.results) {
    for (const sample of configuration.samples)
      measuredMs += sample.durationMs + (sample.initDurationMs ?? 0);
    if (configuration.coldStart)
      measuredMs +=
        configuration.coldStart.durationMs + (configuration.coldStart.initDurationMs ?? 0);
  }
  const ratio = wallMs / measuredMs;
  return {
    wallMs,
    measuredMs,
    ratio,
    invocations: MEMORY_SIZES.length * (NUM + 1),
    pass: ratio <= 1.15,
  };
}

export function tuneOverheadMarkdown(result) {
  return [
    "| measure | value |",
    "|---|---:|",
    `| invocations (${MEMORY_SIZES.length} sizes × (1 warm-up + ${NUM})) of a ${HANDLER_MS} ms handler | ${result.invocations} |`,
    `| sum of measured durations, init included (the limit, baseline) | ${(result.measuredMs / 1000).toFixed(2)} s |`,
    `| wall time of the tuning run | ${(result.wallMs / 1000).toFixed(2)} s |`,
    "",
    `Overhead ratio ${result.ratio.toFixed(3)} (target at most 1.15): **${result.pass ? "pass" : "FAIL"}**`,
  ].join("\n");
}
