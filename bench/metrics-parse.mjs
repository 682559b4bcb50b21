// Metrics parse: readLogFiles over a generated CloudWatch export of ~500 MB
// (REPORT lines among START/END and the function's own output), beside
// `grep -c 'REPORT RequestId'` on the same file in the same run: the baseline.
// Peak RSS is measured in a child process per file, on the 500 MB file and
// once on a 1 GB one (target: under 300 MB for 1 GB).
//
// The sources are not part of the library API, so they are bundled from src/
// with esbuild into a temporary folder first.
import { execFileSync, spawnSync } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bundleFromSource, seededRandom } from "./support.mjs";

const FOLDER = join(tmpdir(), "lo-bench-metrics-parse");
const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.METRICS_PARSE_MB ?? 500);
const RSS_SIZE_MB = Number(process.env.METRICS_PARSE_RSS_MB ?? 1024);
const ROUNDS = Number(process.env.METRICS_PARSE_ROUNDS ?? 3);

const OUTPUT = [
  (r) => `INFO\tprocessing order ${Math.floor(r() * 1e6)} for customer c-${Math.floor(r() * 1e4)}`,
  (r) =>
    `INFO\t{"event":"charged","orderId":"o-${Math.floor(r() * 1e6)}","amountUsd":${(r() * 500).toFixed(2)},"items":${Math.ceil(r() * 9)},"region":"us-east-1"}`,
  () => "DEBUG\tcache hit for key products:catalog:v7",
  (r) =>
    `WARN\tslow downstream call to inventory-service took ${Math.floor(r() * 900)} ms (retry 1 of 3), falling back to the cached price list for sku-${Math.floor(r() * 1e5)}`,
  () =>
    'ERROR\tInvoke Error \t{"errorType":"ValidationError","errorMessage":"quantity must be positive","stack":["ValidationError: quantity must be positive","    at validate (/var/task/index.js:41:11)"]}',
];

/**
 * A CloudWatch Logs export: each event as `<timestamp> <message>`. Returns what it wrote.
 * Also the file bench/mcp.mjs measures get_metrics on.
 */
export async function generateCloudWatchExport(path, sizeMb) {
  const random = seededRandom(42);
  const out = createWriteStream(path, { highWaterMark: 4 * MB });
  let bytes = 0;
  let reports = 0;
  let clock = Date.parse("2026-11-28T00:00:00.000Z");
  const hex = (length) =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join("");
  let block = "";
  while (bytes < sizeMb * MB) {
    clock += Math.floor(random() * 200);
    const time = new Date(clock).toISOString();
    const id = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
    const cold = random() < 0.02;
    const timedOut = random() < 0.002;
    if (cold) block += `${time} INIT_START Runtime Version: nodejs:20.v40\n`;
    block += `${time} START RequestId: ${id} Version: $LATEST\n`;
    const lines = Math.floor(random() * 6);
    for (let line = 0; line < lines; line++) {
      block += `${time} ${time}\t${id}\t${OUTPUT[Math.floor(random() * OUTPUT.length)](random)}\n`;
    }
    const duration = timedOut ? 3000 : 1 + random() * 800;
    const init = cold ? `Init Duration: ${(100 + random() * 400).toFixed(2)} ms\t` : "";
    if (timedOut) block += `${time} ${time} ${id} Task timed out after 3.00 seconds\n`;
    block += `${time} END RequestId: ${id}\n`;
    block += `${time} REPORT RequestId: ${id}\tDuration: ${duration.toFixed(2)} ms\tBilled Duration: ${Math.ceil(duration)} ms\tMemory Size: 512 MB\tMax Memory Used: ${70 + Math.floor(random() * 90)} MB\t${init}${timedOut ? "Status: timeout\t" : ""}\n`;
    reports++;
    if (block.length > MB) {
      bytes += Buffer.byteLength(block);
      if (!out.write(block)) await new Promise((resolve) => out.once("drain", resolve));
      block = "";
    }
  }
  bytes += Buffer.byteLength(block);
  out.write(block);
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return { bytes, reports };
}

async function bundle() {
  const outfile = join(FOLDER, "log-files.mjs");
  await bundleFromSource(
    'export { readLogFiles } from "./src/metrics/sources/log-files.ts";\n',
    outfile,
  );
  // The parallel reader's worker thread, where it looks for it: beside the module (as in dist/).
  await bundleFromSource(
    'import "./src/metrics/sources/log-range-worker.ts";\n',
    join(FOLDER, "log-range-worker.js"),
  );
  writeFileSync(join(FOLDER, "package.json"), '{ "type": "module" }\n');
  // The child: read one file with a counting sink, report time, counts and peak RSS.
  const child = join(FOLDER, "parse-child.mjs");
  writeFileSync(
    child,
    `import { performance } from "node:perf_hooks";
import { readLogFiles } from ${JSON.stringify(outfile)};
let reports = 0, timeouts = 0, skipped = 0;
const sink = { report() { reports++; }, timeout() { timeouts++; }, skipped(count = 1) { skipped += count; } };
const started = performance.now();
const result = await readLogFiles([process.argv[2]], sink);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ ms, reports, timeouts, skipped, lines: result.lines, problems: result.problems.length, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
`,
  );
  return child;
}

function parseInChild(child, file) {
  const run = spawnSync(process.execPath, [child, file], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`parse child failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function grepCount(file) {
  const started = performance.now();
  const output = execFileSync("grep", ["-c", "REPORT RequestId", file], { encoding: "utf8" });
  return { ms: performance.now() - started, count: Number(output.trim()) };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function ensureFile(sizeMb) {
  const path = join(FOLDER, `export-${sizeMb}MB.log`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const recorded = JSON.parse(readFileSync(meta, "utf8"));
    if (recorded.bytes === statSync(path).size) return { path, ...recorded };
  }
  process.stderr.write(`  generating ${sizeMb} MB of logs in ${path}...\n`);
  const written = await generateCloudWatchExport(path, sizeMb);
  writeFileSync(meta, JSON.stringify(written));
  return { path, ...written };
}

export async function metricsParse() {
  mkdirSync(FOLDER, { recursive: true });
  const child = await bundle();
  const file = await ensureFile(SIZE_MB);
  // Warm the page cache for both readers alike.
  grepCount(file.path);
  const grepRuns = [];
  const parseRuns = [];
  for (let round = 0; round < ROUNDS; round++) {
    grepRuns.push(grepCount(file.path));
    parseRuns.push(parseInChild(child, file.path));
  }
  const grep = { ms: median(grepRuns.map((run) => run.ms)), count: grepRuns[0].count };
  const parse = parseRuns.find((run) => run.ms === median(parseRuns.map((r) => r.ms)));
  if (parse.reports !== file.reports || grep.count !== file.reports) {
    throw new Error(
      `counts disagree: generated ${file.reports} REPORT lines, grep ${grep.count}, readLogFiles ${parse.reports}`,
    );
  }
  const result = {
    sizeMb: file.bytes / MB,
    reports: file.reports,
    lines: parse.lines,
    grepMs: grep.ms,
    parseMs: parse.ms,
    maxRssMb: Math.max(...parseRuns.map((run) => run.maxRssMb)),
    rounds: ROUNDS,
  };
  if (RSS_SIZE_MB > 0) {
    const large = await ensureFile(RSS_SIZE_MB);
    const run = parseInChild(child, large.path);
    result.large = { sizeMb: large.bytes / MB, ms: run.ms, maxRssMb: run.maxRssMb };
    if (!process.env.METRICS_PARSE_KEEP) rmSync(large.path, { force: true });
  }
  if (!process.env.METRICS_PARSE_KEEP) rmSync(FOLDER, { recursive: true, force: true });
  return result;
}

export function metricsParseMarkdown(result) {
  const ratio = result.parseMs / result.grepMs;
  const rows = [
    "| measure | value |",
    "|---|---:|",
    `| file: CloudWatch export, text format | ${result.sizeMb.toFixed(0)} MB, ${result.lines.toLocaleString("en-US")} lines, ${result.reports.toLocaleString("en-US")} REPORT lines |`,
    `| \`grep -c 'REPORT RequestId'\` (baseline) | ${(result.grepMs / 1000).toFixed(2)} s |`,
    `| \`readLogFiles\`, counting sink | ${(result.parseMs / 1000).toFixed(2)} s (${((result.sizeMb / result.parseMs) * 1000).toFixed(0)} MB/s) |`,
    `| peak RSS, ${result.sizeMb.toFixed(0)} MB file | ${result.maxRssMb.toFixed(0)} MB |`,
  ];
  if (result.large) {
    rows.push(
      `| peak RSS, ${result.large.sizeMb.toFixed(0)} MB file (${(result.large.ms / 1000).toFixed(2)} s) | ${result.large.maxRssMb.toFixed(0)} MB |`,
    );
  }
  const rss = result.large?.maxRssMb ?? result.maxRssMb;
  const verdict = (pass) => (pass ? "**pass**" : "**fail**");
  return `${rows.join("\n")}\n\nMedian of ${result.rounds} runs each, page cache warm. Parse time is ${ratio.toFixed(2)}× grep's (target within 3×): ${verdict(ratio <= 3)}. Peak RSS ${rss.toFixed(0)} MB on the largest file (target under 300 MB for 1 GB): ${verdict(rss < 300)}.`;
}
