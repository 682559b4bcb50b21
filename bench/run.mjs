// Runs the benchmarks and prints a markdown section for docs/benchmarks.md.
//   npm run bench                 every benchmark
//   npm run bench -- fidelity     one of: fidelity, overhead, tune-overhead, metrics-parse, audit,
//                                 mcp-latency, mcp-metrics, plan, esm, function-url-ttfb
import { cpus } from "node:os";
import { detectSandbox } from "../dist/index.js";
import { auditBench, auditBenchMarkdown } from "./audit.mjs";
import { esmBench, esmBenchMarkdown } from "./esm.mjs";
import { fidelity, fidelityMarkdown, fidelityTitle } from "./fidelity.mjs";
import { functionUrlTtfb, functionUrlTtfbMarkdown } from "./function-url-ttfb.mjs";
import { mcpLatency, mcpLatencyMarkdown, mcpMetricsBench, mcpMetricsMarkdown } from "./mcp.mjs";
import { metricsParse, metricsParseMarkdown } from "./metrics-parse.mjs";
import { overhead, overheadMarkdown } from "./overhead.mjs";
import { planBench, planBenchMarkdown } from "./plan.mjs";
import { tuneOverhead, tuneOverheadMarkdown } from "./tune-overhead.mjs";

const wanted = new Set(process.argv.slice(2));
const run = (name) => wanted.size === 0 || wanted.has(name);
const sections = [];
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node.js ${process.version}`;
sections.push(`## ${new Date().toISOString().slice(0, 10)} — ${machine}`);

if (run("fidelity")) {
  // FIDELITY_MECHANISMS=duty-cycle,portable picks; by default the cgroup (where usable) and the duty cycle
  const detected = await detectSandbox();
  const mechanisms = process.env.FIDELITY_MECHANISMS?.split(",") ?? [
    ...(detected.mechanism === "cgroup-v1" || detected.mechanism === "cgroup-v2" ? ["cgroup"] : []),
    "duty-cycle",
  ];
  for (const mechanism of mechanisms) {
    for (const busy of [false, true]) {
      process.stderr.write(`fidelity (${mechanism}${busy ? ", other core busy" : ""})...\n`);
      const result = await fidelity(mechanism, { busy });
      sections.push(`### ${fidelityTitle(result)}\n\n${fidelityMarkdown(result)}`);
    }
  }
}
if (run("overhead")) {
  process.stderr.write("overhead...\n");
  sections.push(
    `### Overhead: a no-op round trip through the Lambda API\n\n${overheadMarkdown(await overhead())}`,
  );
}
if (run("tune-overhead")) {
  process.stderr.write("tune-overhead...\n");
  sections.push(
    `### Tuning overhead: wall time against the measured durations\n\n${tuneOverheadMarkdown(await tuneOverhead())}`,
  );
}
if (run("metrics-parse")) {
  process.stderr.write("metrics-parse...\n");
  sections.push(
    `### Metrics: parsing a log file against grep\n\n${metricsParseMarkdown(await metricsParse())}`,
  );
}
if (run("audit")) {
  process.stderr.write("audit...\n");
  sections.push(
    `### Audit: our template and code rules against cfn-lint\n\n${auditBenchMarkdown(await auditBench())}`,
  );
}
if (run("mcp-latency")) {
  process.stderr.write("mcp-latency...\n");
  sections.push(
    `### MCP: tools/list and estimate_cost over stdio, against ping\n\n${mcpLatencyMarkdown(await mcpLatency())}`,
  );
}
if (run("mcp-metrics")) {
  process.stderr.write("mcp-metrics...\n");
  sections.push(
    `### MCP: get_metrics on a 100 MB log against the CLI\n\n${mcpMetricsMarkdown(await mcpMetricsBench())}`,
  );
}
if (run("plan")) {
  process.stderr.write("plan...\n");
  sections.push(
    `### Plan: a 30-day, 1-minute profile end to end, against wc -l\n\n${planBenchMarkdown(await planBench())}`,
  );
}
if (run("esm")) {
  process.stderr.write("esm...\n");
  sections.push(
    `### Event source mappings: a simulated day against a plain loop, and a 5-knob search against one run\n\n${esmBenchMarkdown(await esmBench())}`,
  );
}
if (run("function-url-ttfb")) {
  process.stderr.write("function-url-ttfb...\n");
  sections.push(
    `### Function URL: time to first byte the emulator adds to a streamed answer\n\n${functionUrlTtfbMarkdown(await functionUrlTtfb())}`,
  );
}
process.stdout.write(`${sections.join("\n\n")}\n`);
