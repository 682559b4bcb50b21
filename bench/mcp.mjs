// MCP: what an agent waits for from `lambda-optimizer mcp` over stdio (the built CLI, as MCP
// clients launch it), each figure beside a baseline measured in the same run:
//  - latency: `tools/list` and a small `estimate_cost` call on a warm server, against the
//    protocol's `ping` round trip over the same connection (the transport's own cost), the three
//    interleaved so load hits them alike. Target: each under 50 ms.
//  - get_metrics on a ~100 MB CloudWatch export through MCP (the call on a running server, and a
//    fresh server started, initialized and called), against `metrics FILE --json` from the CLI on
//    the same file, rounds alternating, page cache warm. Target: at most 1.2× the CLI.
// A tool this build does not have yet (a placeholder answering isError) is reported, not fatal.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ListToolsResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { generateCloudWatchExport } from "./metrics-parse.mjs";
import { ROOT, seededRandom } from "./support.mjs";

const CLI = join(ROOT, "dist", "cli", "main.js");
const FOLDER = join(tmpdir(), "lo-bench-mcp");
const MB = 1024 * 1024;
const LATENCY_ROUNDS = Number(process.env.MCP_LATENCY_ROUNDS ?? 200);
const WARMUP_ROUNDS = 20;
const METRICS_MB = Number(process.env.MCP_METRICS_MB ?? 100);
const METRICS_ROUNDS = Number(process.env.MCP_METRICS_ROUNDS ?? 3);
/** The example: 1,024 MB × 100 ms × 10M invocations ($18.67). */
const ESTIMATE_ARGS = { memoryMb: 1024, durationMs: 100, invocations: 10_000_000 };

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function connect() {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, "mcp"],
    env: { ...process.env, NO_COLOR: "1" },
    stderr: "ignore",
  });
  const client = new Client({ name: "lambda-optimizer-bench", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

async function timed(action) {
  const started = performance.now();
  const result = await action();
  return { ms: performance.now() - started, result };
}

/** Fisher–Yates with the bench's seeded random. */
function shuffled(items, random) {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

const firstText = (result) => result.content?.find((item) => item.type === "text")?.text ?? "";

export async function mcpLatency() {
  const client = await connect();
  try {
    const estimate = () => client.callTool({ name: "estimate_cost", arguments: ESTIMATE_ARGS });
    const probe = await estimate();
    const estimateMissing = probe.isError ? firstText(probe) : undefined;
    const listed = await client.request({ method: "tools/list" }, ListToolsResultSchema);
    const actions = {
      ping: () => client.ping(),
      // The request as it travels: the server's answer, read and checked by the SDK's schema.
      toolsList: () => client.request({ method: "tools/list" }, ListToolsResultSchema),
      // Client.listTools also compiles an output-schema validator (Ajv) per tool, on the client.
      clientListTools: () => client.listTools(),
      ...(estimateMissing ? {} : { estimateCost: estimate }),
    };
    const times = Object.fromEntries(Object.keys(actions).map((name) => [name, []]));
    const entries = Object.entries(actions);
    const random = seededRandom(14);
    for (let round = 0; round < WARMUP_ROUNDS + LATENCY_ROUNDS; round++) {
      // A seeded shuffle each round, so no request always follows the heaviest one.
      const order = shuffled(entries, random);
      for (const [name, action] of order) {
        const { ms } = await timed(action);
        if (round >= WARMUP_ROUNDS) times[name].push(ms);
      }
    }
    const summary = (values) => ({ p50: median(values), p95: percentile(values, 0.95) });
    return {
      rounds: LATENCY_ROUNDS,
      ping: summary(times.ping),
      toolsList: summary(times.toolsList),
      clientListTools: summary(times.clientListTools),
      listBytes: Buffer.byteLength(JSON.stringify(listed)),
      toolCount: listed.tools.length,
      estimateCost: estimateMissing ? undefined : summary(times.estimateCost),
      estimateSummary: estimateMissing ? undefined : firstText(probe),
      estimateMissing,
    };
  } finally {
    await client.close();
  }
}

export function mcpLatencyMarkdown(result) {
  const ms = (value) => `${value.toFixed(2)} ms`;
  const row = (label, figures) =>
    `| ${label} | ${ms(figures.p50)} | ${ms(figures.p95)} | ${(figures.p50 / result.ping.p50).toFixed(2)}× |`;
  const verdict = (figures) => (figures.p50 < 50 ? "**pass**" : "**fail**");
  const rows = [
    "| request (warm, stdio) | p50 | p95 | p50 against ping |",
    "|---|---:|---:|---:|",
    row("`ping` (baseline: the transport's round trip)", result.ping),
    row(
      `\`tools/list\` request (${result.toolCount} tools, ${(result.listBytes / 1024).toFixed(1)} KB of JSON)`,
      result.toolsList,
    ),
    row(
      "`Client.listTools()` (the same, plus the SDK client compiling a validator per output schema)",
      result.clientListTools,
    ),
  ];
  if (result.estimateCost)
    rows.push(row("`estimate_cost` 1,024 MB × 100 ms × 10M", result.estimateCost));
  const lines = [
    `${rows.join("\n")}`,
    "",
    `${result.rounds} rounds after ${WARMUP_ROUNDS} warm-up rounds, the requests interleaved on one connection in a seeded random order each round.`,
    `\`tools/list\` p50 ${ms(result.toolsList.p50)} (target under 50 ms): ${verdict(result.toolsList)}.`,
    result.estimateCost
      ? `\`estimate_cost\` p50 ${ms(result.estimateCost.p50)} (target under 50 ms): ${verdict(result.estimateCost)}; its summary: "${result.estimateSummary.split("\n")[0]}".`
      : `\`estimate_cost\` not measured: this build answers "${result.estimateMissing}".`,
  ];
  return lines.join("\n");
}

async function ensureLog() {
  mkdirSync(FOLDER, { recursive: true });
  const path = join(FOLDER, `export-${METRICS_MB}MB.log`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const recorded = JSON.parse(readFileSync(meta, "utf8"));
    if (recorded.bytes === statSync(path).size) return { path, ...recorded };
  }
  process.stderr.write(`  generating ${METRICS_MB} MB of logs in ${path}...\n`);
  const written = await generateCloudWatchExport(path, METRICS_MB);
  writeFileSync(meta, JSON.stringify(written));
  return { path, ...written };
}

/** The CLI as a user runs it: a process start to finish, its JSON read back for the count. */
function cliMetrics(file) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, "metrics", file, "--json", "--quiet"], {
    encoding: "utf8",
    maxBuffer: 64 * MB,
  });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`metrics failed: ${run.stderr}`);
  return { ms, invocations: JSON.parse(run.stdout).functions[0].invocations };
}

async function mcpMetrics(client, file) {
  const { ms, result } = await timed(() =>
    client.callTool({ name: "get_metrics", arguments: { logFiles: [file] } }),
  );
  if (result.isError) throw new Error(`get_metrics failed: ${firstText(result)}`);
  return { ms, invocations: result.structuredContent.functions[0].invocations };
}

/** A fresh server: start, initialize, one call (to its answer), then close, timed apart. */
async function mcpMetricsCold(file) {
  const started = performance.now();
  const client = await connect();
  let answered;
  try {
    const { invocations } = await mcpMetrics(client, file);
    answered = { ms: performance.now() - started, invocations };
  } finally {
    const closing = performance.now();
    await client.close();
    if (answered) answered.closeMs = performance.now() - closing;
  }
  return answered;
}

export async function mcpMetricsBench() {
  const file = await ensureLog();
  const client = await connect();
  const runs = { cli: [], mcp: [], mcpCold: [] };
  try {
    // Warm the page cache and both code paths once.
    cliMetrics(file.path);
    await mcpMetrics(client, file.path);
    for (let round = 0; round < METRICS_ROUNDS; round++) {
      runs.cli.push(cliMetrics(file.path));
      runs.mcp.push(await mcpMetrics(client, file.path));
      runs.mcpCold.push(await mcpMetricsCold(file.path));
    }
  } finally {
    await client.close();
  }
  for (const [name, list] of Object.entries(runs)) {
    for (const run of list) {
      if (run.invocations !== file.reports)
        throw new Error(`${name} counted ${run.invocations} invocations of ${file.reports}`);
    }
  }
  if (!process.env.MCP_METRICS_KEEP) rmSync(FOLDER, { recursive: true, force: true });
  const ms = (list) => median(list.map((run) => run.ms));
  return {
    sizeMb: file.bytes / MB,
    reports: file.reports,
    rounds: METRICS_ROUNDS,
    cliMs: ms(runs.cli),
    mcpMs: ms(runs.mcp),
    mcpColdMs: ms(runs.mcpCold),
    closeMs: median(runs.mcpCold.map((run) => run.closeMs)),
    all: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((run) => run.ms)])),
  };
}

export function mcpMetricsMarkdown(result) {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const ratio = (ms) => `${(ms / result.cliMs).toFixed(2)}×`;
  const each = (list) => list.map(s).join(", ");
  const verdict = result.mcpMs / result.cliMs <= 1.2 ? "**pass**" : "**fail**";
  return [
    "| run | median | against the CLI | each round |",
    "|---|---:|---:|---|",
    `| \`metrics FILE --json\`, CLI process start to finish (baseline) | ${s(result.cliMs)} | 1.00× | ${each(result.all.cli)} |`,
    `| \`get_metrics\` {logFiles: [FILE]}, call on a running server | ${s(result.mcpMs)} | ${ratio(result.mcpMs)} | ${each(result.all.mcp)} |`,
    `| \`get_metrics\`, a fresh server: start, initialize, call to its answer (then ${s(result.closeMs)} to close) | ${s(result.mcpColdMs)} | ${ratio(result.mcpColdMs)} | ${each(result.all.mcpCold)} |`,
    "",
    `File: ${result.sizeMb.toFixed(0)} MB CloudWatch export (bench/metrics-parse.mjs's generator), ${result.reports.toLocaleString("en-US")} REPORT lines; every run counted all of them. ${result.rounds} rounds, alternating, page cache warm. get_metrics on a running server is ${ratio(result.mcpMs)} the CLI's time (target at most 1.2×): ${verdict}.`,
  ].join("\n");
}
