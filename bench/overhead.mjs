// Overhead: a no-op handler's warm round trip through the Lambda API (the real
// SDK over HTTP to the emulator, into the sandboxed runtime and back), beside
// the same handler called in-process: the baseline measured in the same run.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { Emulator, functionFromHandlerSpec, LambdaApiServer } from "../dist/index.js";

const ROUNDS = Number(process.env.OVERHEAD_ROUNDS ?? 1000);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function overhead() {
  const folder = mkdtempSync(join(tmpdir(), "lo-bench-noop-"));
  writeFileSync(join(folder, "noop.mjs"), "export const handler = async (event) => event;\n");
  const { handler } = await import(join(folder, "noop.mjs"));

  const inProcess = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await handler({ round });
    inProcess.push(performance.now() - started);
  }

  const emulator = new Emulator({
    functions: [
      functionFromHandlerSpec(join(folder, "noop.mjs:handler"), { name: "noop", memoryMb: 1769 }),
    ],
    stateDir: join(folder, "state"),
  });
  const server = new LambdaApiServer(emulator);
  const endpoint = await server.listen(0);
  const lambda = new LambdaClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  const throughApi = [];
  try {
    for (let round = -20; round < ROUNDS; round++) {
      const started = performance.now();
      await lambda.send(
        new InvokeCommand({ FunctionName: "noop", Payload: Buffer.from(`{"round":${round}}`) }),
      );
      if (round >= 0) throughApi.push(performance.now() - started); // the first 20 warm up
    }
  } finally {
    lambda.destroy();
    await server.close();
    await emulator.stop();
  }
  const summary = (values) => ({ p50: percentile(values, 50), p99: percentile(values, 99) });
  const api = summary(throughApi);
  const direct = summary(inProcess);
  return { rounds: ROUNDS, api, direct, pass: api.p50 < 2 };
}

export function overheadMarkdown(result) {
  const ms = (value) => value.toFixed(3);
  return [
    `| path | p50 (ms) | p99 (ms) |`,
    `|---|---:|---:|`,
    `| in-process call (baseline) | ${ms(result.direct.p50)} | ${ms(result.direct.p99)} |`,
    `| Lambda API → emulator → sandboxed runtime → back | ${ms(result.api.p50)} | ${ms(result.api.p99)} |`,
    "",
    `${result.rounds} warm invocations each. Round trip p50 is ${(result.api.p50 / result.direct.p50).toFixed(0)}× the in-process call; target p50 under 2 ms: **${result.pass ? "pass" : "FAIL"}**`,
  ].join("\n");
}
