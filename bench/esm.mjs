// Event source mappings: the simulator's speed, and the optimizer's over a 5-knob search.
//
// 1. runSimulation over a day of an SQS queue at 1,000 records/s (86.4 million records,
//    Poisson arrivals, batches of 10 at 20 ms + 2 ms a record), in records simulated per second of
//    wall time, beside the baseline: a plain JavaScript loop over the same 86.4 million records
//    drawing each one's exponential gap and keeping the age stats a run must (a sum and a maximum)
//    — the least any simulator of this traffic does per record. Target: the day in under 2 s.
// 2. optimizeEventSourceMappings over the fixture template's SQS mapping with a tune result of
//    three memory sizes and searchMemory: BatchSize, MaximumBatchingWindowInSeconds,
//    ScalingConfig.MaximumConcurrency and MemorySize searched, the queue's VisibilityTimeout
//    following them (5 knobs), an hour at 200 records/s each run; beside the baseline of one
//    simulation of today's setting in the same run, so the ratio is the search's cost in runs.
//
// Both bundled from src/ with esbuild (the library's index need not export them) and run in this
// process, a warm-up first, then the median of ROUNDS.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bundleFromSource, ROOT, seededRandom } from "./support.mjs";

const ROUNDS = Number(process.env.ESM_BENCH_ROUNDS ?? 3);
const DAY_SECONDS = 86_400;
const RATE = 1_000;
const TEMPLATE = join(ROOT, "test", "fixtures", "esm-optimize", "template.yaml");

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function dayScenario(pricesFor, table) {
  return {
    mapping: {
      source: "sqs",
      fifo: false,
      messageGroups: 1,
      batchSize: 10,
      windowSeconds: 0,
      maximumConcurrency: undefined,
      visibilityTimeoutSeconds: 60,
      maxReceiveCount: undefined,
      retentionSeconds: 345_600,
      reportBatchItemFailures: true,
    },
    function: {
      overheadMs: 20,
      perRecordMs: 2,
      errorRate: 0,
      reservedConcurrency: undefined,
      timeoutSeconds: 10,
      memoryMb: 1024,
      architecture: "x86_64",
      ephemeralStorageMb: 512,
    },
    arrivals: { perSecond: [RATE], stepSeconds: DAY_SECONDS, process: "poisson" },
    recordBytes: 1024,
    seed: 1,
    maxEvents: 1_000_000_000,
    prices: pricesFor(table, "us-east-1", "x86_64"),
    timelinePoints: 200,
  };
}

/** The baseline: a loop over the same records doing the least a simulator must per record. */
function plainLoop(records) {
  const random = seededRandom(1);
  let time = 0;
  let sum = 0;
  let maximum = 0;
  for (let index = 0; index < records; index++) {
    time += -Math.log(1 - random()) / RATE;
    const age = time - Math.floor(time * 100) / 100;
    sum += age;
    if (age > maximum) maximum = age;
  }
  return { time, mean: sum / records, maximum };
}

function writeTuneResult(folder) {
  const configuration = (memoryMb, meanMs) => ({
    memoryMb,
    architecture: "x86_64",
    status: "ok",
    error: null,
    invocations: 10,
    errors: 0,
    durationMs: {
      mean: meanMs,
      trimmedMean: meanMs,
      p50: meanMs,
      p90: meanMs,
      p95: meanMs,
      p99: meanMs,
      min: meanMs,
      max: meanMs,
    },
    billedDurationMs: { mean: meanMs },
    maxMemoryUsedMb: { max: 80 },
    coldStart: null,
    costPerInvocationUsd: 1e-6,
    costPer1MInvocationsUsd: 1,
    costCi95: { low: 1e-6, high: 1e-6 },
    durationCi95: { low: meanMs, high: meanMs },
    samples: [],
  });
  const file = join(folder, "tune.json");
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 1,
      createdAt: "2026-12-03T00:00:00.000Z",
      target: {
        kind: "local",
        functionName: "order-worker",
        functionArn: "arn:aws:lambda:us-east-1:000000000000:function:order-worker",
        region: "us-east-1",
        endpoint: null,
      },
      settings: {
        memoryMb: [256, 512, 1024],
        architectures: ["x86_64"],
        num: 10,
        strategy: "cost",
        balancedWeight: 0.5,
        maxP95Ms: null,
        maxP99Ms: null,
        discard: 0.2,
        parallel: false,
        concurrency: 1,
        onlyColdStarts: false,
        allowedExceptions: [],
        untilConfident: false,
        maxNum: 10,
        payloads: 1,
      },
      original: { memoryMb: 512, architecture: "x86_64", costPerInvocationUsd: null },
      results: [configuration(256, 240), configuration(512, 120), configuration(1024, 70)],
      recommendation: null,
      closestToSlo: null,
      tuningCostUsd: 0,
      prices: { date: "2026-11-28", region: "us-east-1" },
      sandbox: null,
      applied: null,
    }),
  );
  return file;
}

export async function esmBench() {
  const folder = mkdtempSync(join(tmpdir(), "lo-bench-esm-"));
  try {
    const bundle = await bundleFromSource(
      [
        'export { runSimulation } from "./src/esm/simulation/run-simulation.ts";',
        'export { optimizeEventSourceMappings } from "./src/esm/optimize/optimize-mappings.ts";',
        'export { BUNDLED_PRICE_TABLE, pricesFor } from "./src/pricing/price-table.ts";',
        "",
      ].join("\n"),
      join(folder, "esm.mjs"),
    );
    const { runSimulation, optimizeEventSourceMappings, BUNDLED_PRICE_TABLE, pricesFor } =
      await import(bundle);
    const scenario = dayScenario(pricesFor, BUNDLED_PRICE_TABLE);
    const records = RATE * DAY_SECONDS;
    const tuneFile = writeTuneResult(folder);
    const optimizeInput = {
      template: TEMPLATE,
      mapping: "OrderWorker/OrderQueue",
      rate: 200,
      tuneFile,
      searchMemory: true,
      maxAgeSeconds: 20,
    };
    const loop = [];
    const simulate = [];
    const one = [];
    const optimize = [];
    let day;
    let answer;
    // A warm-up of each, then rounds alternating.
    plainLoop(records);
    runSimulation(scenario);
    await optimizeEventSourceMappings(optimizeInput);
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      plainLoop(records);
      loop.push(performance.now() - started);
      started = performance.now();
      day = runSimulation(scenario);
      simulate.push(performance.now() - started);
      // One run of today's setting as the optimizer simulates it: an hour at 200 records/s.
      started = performance.now();
      runSimulation({
        ...scenario,
        mapping: { ...scenario.mapping, visibilityTimeoutSeconds: 30 },
        function: {
          ...scenario.function,
          memoryMb: 512,
          overheadMs: 60,
          perRecordMs: 6,
          timeoutSeconds: 10,
        },
        arrivals: { perSecond: [200], stepSeconds: 3_600, process: "poisson" },
      });
      one.push(performance.now() - started);
      started = performance.now();
      answer = await optimizeEventSourceMappings(optimizeInput);
      optimize.push(performance.now() - started);
    }
    if (day.arrived < records * 0.99 || day.arrived > records * 1.01)
      throw new Error(`the day simulated ${day.arrived} records, expected about ${records}`);
    const [mapping] = answer.mappings;
    return {
      records,
      rounds: ROUNDS,
      loopMs: median(loop),
      simulateMs: median(simulate),
      simulateRuns: simulate,
      events: day.events,
      processed: day.processed,
      ageP99Seconds: day.ageP99Seconds,
      oneRunMs: median(one),
      optimizeMs: median(optimize),
      optimizeRuns: optimize,
      searched: mapping.searched,
      current: mapping.current,
      recommended: mapping.recommended,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export function esmBenchMarkdown(result) {
  const ms = (value) => `${value.toFixed(0)} ms`;
  const perSecond = (value) => `${(result.records / (value / 1000) / 1e6).toFixed(1)} M records/s`;
  const rows = [
    "| run | median | records per second of wall time | against the baseline |",
    "|---|---:|---:|---:|",
    `| plain JS loop over the day's ${result.records.toLocaleString("en-US")} records (baseline) | ${ms(result.loopMs)} | ${perSecond(result.loopMs)} | 1.00× |`,
    `| \`runSimulation\`: a day of SQS at 1,000 records/s | ${ms(result.simulateMs)} | ${perSecond(result.simulateMs)} | ${(result.simulateMs / result.loopMs).toFixed(1)}× |`,
    `| one simulation of today's setting, an hour at 200 records/s (baseline) | ${ms(result.oneRunMs)} | | 1.00× |`,
    `| \`optimizeEventSourceMappings\`: 5 knobs, ${result.searched} settings simulated | ${ms(result.optimizeMs)} | | ${(result.optimizeMs / result.oneRunMs).toFixed(1)}× |`,
  ];
  const verdict = result.simulateMs < 2000 ? "**pass**" : "**fail**";
  const show = (settings) =>
    settings === null
      ? "none within the bound"
      : Object.entries(settings)
          .map(([key, value]) => `${key} ${value}`)
          .join(", ");
  return `${rows.join("\n")}\n\nThe day: ${result.events.toLocaleString("en-US")} events, ${result.processed.toLocaleString("en-US")} records processed, p99 age ${result.ageP99Seconds.toFixed(3)} s; rounds ${result.simulateRuns.map(ms).join(", ")}. A day at 1,000 records/s in ${ms(result.simulateMs)} (target under 2 s): ${verdict}. The search: from ${show(result.current)} to ${show(result.recommended)}; rounds ${result.optimizeRuns.map(ms).join(", ")}. Median of ${result.rounds} rounds, alternating, after a warm-up.`;
}
