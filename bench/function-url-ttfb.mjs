// Function URL TTFB: what the emulator adds to a streamed answer's time to first byte. A
// RESPONSE_STREAM handler stamps its first write with the machine's monotonic clock
// (process.hrtime, shared by every process here); the client notes the same clock when that first
// chunk arrives: the difference is the way from the handler's write, through the runtime, the
// Runtime API, the Function URL server and the socket, to the client. The baseline, measured in
// the same run: a bare Node.js HTTP server in a process of its own doing the same stamped write,
// the least any local HTTP hop costs.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Emulator, functionFromHandlerSpec } from "../dist/index.js";

const ROUNDS = Number(process.env.TTFB_ROUNDS ?? 300);
const WARMUP = 20;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** GET `url`; the ms between the stamp in the first chunk and its arrival, once the answer ends. */
function firstChunkDelay(url) {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let delay;
      response.on("data", (chunk) => {
        if (delay !== undefined) return;
        const arrived = process.hrtime.bigint();
        const stamp = /data: (\d+)/.exec(chunk.toString("utf8"));
        if (!stamp) return reject(new Error(`no stamp in the first chunk: ${chunk}`));
        delay = Number(arrived - BigInt(stamp[1])) / 1e6;
      });
      response.on("end", () => resolve(delay));
      response.on("error", reject);
    }).on("error", reject);
  });
}

async function measure(url) {
  const delays = [];
  for (let round = -WARMUP; round < ROUNDS; round++) {
    const delay = await firstChunkDelay(url);
    if (round >= 0) delays.push(delay);
  }
  return { p50: percentile(delays, 50), p95: percentile(delays, 95), p99: percentile(delays, 99) };
}

const STAMPED_HANDLER = `
export const handler = awslambda.streamifyResponse(async (_event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 200,
    headers: { "content-type": "text/event-stream" },
  });
  stream.write(\`data: \${process.hrtime.bigint()}\\n\\n\`);
  await new Promise((resolve) => setTimeout(resolve, 2));
  stream.write("data: [DONE]\\n\\n");
  stream.end();
});
`;

const BARE_SERVER = `
const { createServer } = require("node:http");
const server = createServer((request, response) => {
  response.writeHead(200, { "content-type": "text/event-stream" });
  response.write(\`data: \${process.hrtime.bigint()}\\n\\n\`);
  setTimeout(() => response.end("data: [DONE]\\n\\n"), 2);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(\`\${server.address().port}\\n\`));
`;

export async function functionUrlTtfb() {
  const folder = mkdtempSync(join(tmpdir(), "lo-bench-ttfb-"));
  writeFileSync(join(folder, "stamped.mjs"), STAMPED_HANDLER);

  const bare = spawn(process.execPath, ["-e", BARE_SERVER], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let baseline;
  try {
    const [port] = await once(bare.stdout, "data");
    baseline = await measure(`http://127.0.0.1:${String(port).trim()}/`);
  } finally {
    bare.kill();
  }

  const emulator = new Emulator({
    functions: [
      functionFromHandlerSpec(join(folder, "stamped.mjs:handler"), {
        name: "stamped",
        memoryMb: 1769,
      }),
    ],
    stateDir: join(folder, "state"),
  });
  let emulated;
  try {
    const url = await emulator.functionUrls.create("stamped", undefined, {
      authType: "NONE",
      invokeMode: "RESPONSE_STREAM",
    });
    emulated = await measure(url.url);
  } finally {
    await emulator.stop();
  }
  return { rounds: ROUNDS, baseline, emulated, pass: emulated.p50 < 3 };
}

export function functionUrlTtfbMarkdown(result) {
  const ms = (value) => value.toFixed(3);
  const row = (label, figures) =>
    `| ${label} | ${ms(figures.p50)} | ${ms(figures.p95)} | ${ms(figures.p99)} | ${(figures.p50 / result.baseline.p50).toFixed(1)}× |`;
  return [
    "| first chunk: from the handler's write to the client | p50 (ms) | p95 (ms) | p99 (ms) | p50 against the baseline |",
    "|---|---:|---:|---:|---:|",
    row("bare Node.js HTTP server writing the same chunk (baseline)", result.baseline),
    row(
      "RESPONSE_STREAM Function URL: runtime → Runtime API → URL server → client",
      result.emulated,
    ),
    "",
    `${result.rounds} warm requests each (after 20 to warm up), one at a time, 1,769 MB (one vCPU). Target: the emulator adds under 3 ms at p50: **${result.pass ? "pass" : "FAIL"}**`,
  ].join("\n");
}
