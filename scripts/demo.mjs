// `npm run demo`: tune the bundled examples on the embedded Lambda emulator —
// no AWS account needed — and write an HTML report for each; then invoke the
// streaming example and show how soon its first token arrives against its whole run.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const reports = join(root, ".lambda-optimizer", "demo");
mkdirSync(reports, { recursive: true });

const runs = [
  {
    title:
      "An I/O-bound function (waits 100 ms on a downstream call): the cheapest size should be the smallest",
    args: [
      "examples/io-bound/handler.mjs:handler",
      "--memory",
      "128,256,512,1024,1769",
      "--num",
      "5",
    ],
    report: join(reports, "io-bound.html"),
  },
  {
    title:
      "A CPU-bound function (counts primes): speed grows with memory up to a full vCPU at 1,769 MB",
    args: [
      "examples/cpu-bound/handler.mjs:handler",
      ...["--memory", "128,512,1024,1769,3008", "--num", "5", "--strategy", "balanced"],
      ...["--payload", '{"limit":500000}'],
    ],
    report: join(reports, "cpu-bound.html"),
  },
];

for (const run of runs) {
  process.stdout.write(`\n━━ ${run.title}\n\n`);
  const result = spawnSync(
    process.execPath,
    ["dist/cli/main.js", "tune", ...run.args, "--html", run.report],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (result.status !== 0) {
    process.exitCode = result.status ?? 1;
    break;
  }
}
if (!process.exitCode) streamingStep();
if (!process.exitCode) {
  process.stdout.write(
    `\nHTML reports (open them in a browser, no network needed):\n${runs.map((run) => `  ${run.report}`).join("\n")}\n`,
  );
}

/** examples/streaming once: time to first byte against total duration, from `invoke --json`. */
function streamingStep() {
  process.stdout.write(
    "\n━━ A streaming function (an SSE token streamer): the first token arrives long before the last\n\n",
  );
  const result = spawnSync(
    process.execPath,
    ["dist/cli/main.js", "invoke", "--template", "examples/streaming/template.yaml", "--json"],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  if (result.status !== 0) {
    process.exitCode = result.status ?? 1;
    return;
  }
  const { payload, response, report } = JSON.parse(result.stdout);
  const tokens = String(payload)
    .split("\n\n")
    .filter((event) => event.startsWith("data: {"))
    .map((event) => JSON.parse(event.slice("data: ".length)).token)
    .join("");
  process.stdout.write(`  answer: ${tokens}\n`);
  const init = report.initDurationMs ?? 0;
  const ms = (value) => `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })} ms`;
  process.stdout.write(
    `  first byte after ${ms(response.ttfbMs)}, whole answer after ${ms(response.durationMs)} ` +
      `(${response.chunks} chunks, ${response.bytes} bytes)\n`,
  );
  if (init > 0) {
    process.stdout.write(
      `  both include the cold start's init (${ms(init)}); warm, the first token comes after ` +
        `${ms(response.ttfbMs - init)} of ${ms(response.durationMs - init)}\n`,
    );
  }
  process.stdout.write(
    `  buffered, a reader would see nothing until the end (${ms(response.durationMs)}); ` +
      `streamed, the first token shows after ${ms(response.ttfbMs)}.\n`,
  );
}
