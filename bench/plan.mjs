// Plan: `lambda-optimizer plan` over a 30-day, 1-minute profile (43,200 rows), end to end
// (a process started, the CSV read, every billing model priced, the JSON printed), beside
// `wc -l` on the same file in the same run: the baseline of reading it at all. The CLI's own
// start (`plan --help`: Node.js, the CLI and plan's modules loading) is measured too, so the ratio can be read against what starting costs.
// Needs the build (dist/): `npm run build` first.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT, seededRandom } from "./support.mjs";

const CLI = join(ROOT, "dist", "cli", "main.js");
const DAYS = 30;
const ROUNDS = Number(process.env.PLAN_BENCH_ROUNDS ?? 7);

/** A month of a web API's minutes: a daily swing, a weekly dip, noise, and a few spikes. */
function writeProfile(file) {
  const random = seededRandom(15);
  const start = Date.UTC(2026, 9, 1);
  const rows = ["timestamp,invocations,concurrency,duration_ms"];
  for (let minute = 0; minute < DAYS * 1_440; minute++) {
    const hour = (minute / 60) % 24;
    const weekend = Math.floor(minute / 1_440) % 7 >= 5 ? 0.6 : 1;
    const spike = random() < 0.002 ? 4 : 1;
    const perSecond =
      40 *
      weekend *
      spike *
      (1 + 0.5 * Math.sin(((hour - 8) * Math.PI) / 12)) *
      (0.9 + 0.2 * random());
    const durationMs = 110 + 30 * random();
    const invocations = Math.round(perSecond * 60);
    const concurrency = Math.ceil(perSecond * (durationMs / 1000) * (1.2 + 0.4 * random()));
    rows.push(
      `${new Date(start + minute * 60_000).toISOString()},${invocations},${concurrency},${durationMs.toFixed(1)}`,
    );
  }
  writeFileSync(file, `${rows.join("\n")}\n`);
  return rows.length - 1;
}

function timed(command, args) {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${run.stderr}`);
  return { ms, stdout: run.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function planBench() {
  const folder = mkdtempSync(join(tmpdir(), "lo-bench-plan-"));
  try {
    const file = join(folder, "month.csv");
    const rows = writeProfile(file);
    const planArgs = [
      CLI,
      "plan",
      "--profile",
      file,
      "--memory",
      "1024",
      "--duration-ms",
      "120",
      "--json",
    ];
    // Warm the page cache and Node's compile cache for every contender alike.
    execFileSync("wc", ["-l", file]);
    timed(process.execPath, planArgs);
    const wc = [];
    const start = [];
    const plan = [];
    let answer;
    for (let round = 0; round < ROUNDS; round++) {
      wc.push(timed("wc", ["-l", file]).ms);
      start.push(timed(process.execPath, [CLI, "plan", "--help"]).ms);
      const run = timed(process.execPath, planArgs);
      plan.push(run.ms);
      answer = JSON.parse(run.stdout);
    }
    if (answer.profile.steps !== rows)
      throw new Error(`plan read ${answer.profile.steps} steps of ${rows}`);
    return {
      rows,
      rounds: ROUNDS,
      wcMs: median(wc),
      startMs: median(start),
      planMs: median(plan),
      planRuns: plan,
      recommended: answer.recommendation.model,
      pattern: answer.shape.pattern,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export function planBenchMarkdown(result) {
  const ms = (value) => `${value.toFixed(0)} ms`;
  const rows = [
    "| run | median | against `wc -l` |",
    "|---|---:|---:|",
    `| \`wc -l FILE\` (baseline) | ${ms(result.wcMs)} | 1.00× |`,
    `| \`lambda-optimizer plan --help\` (Node.js, the CLI and plan's modules loading) | ${ms(result.startMs)} | ${(result.startMs / result.wcMs).toFixed(1)}× |`,
    `| \`lambda-optimizer plan --profile FILE --memory 1024 --duration-ms 120 --json\` | ${ms(result.planMs)} | ${(result.planMs / result.wcMs).toFixed(1)}× |`,
  ];
  const verdict = result.planMs < 1000 ? "**pass**" : "**fail**";
  return `${rows.join("\n")}\n\nFile: ${result.rows.toLocaleString("en-US")} one-minute rows (${DAYS} days) with concurrency and duration_ms; the plan: ${result.pattern}, ${result.recommended} recommended. Median of ${result.rounds} rounds, alternating, page cache warm; plan's rounds: ${result.planRuns.map((value) => ms(value)).join(", ")}. Plan end to end ${ms(result.planMs)}, of which about ${ms(result.startMs)} is starting the CLI (target under 1 s): ${verdict}.`;
}
