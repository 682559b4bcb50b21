/**
 * `metrics --aws --all` through AWS's weather: the seeded fault proxy
 * (test/support/fault-proxy.ts) in front of moto_server answers 5% of
 * requests with 500, drops 5% of connections and delays 5% of answers. The
 * report must hold the same figures as without faults, and the retries show
 * on the progress lines.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReportText, type Report } from "../../../src/lambda/report-line.js";
import { type FinishedCli, startCli } from "../../cli/run-cli.js";
import { type MotoServer, startMotoServer } from "../../setup/moto-server.js";
import { startFaultProxy } from "../../support/fault-proxy.js";
import {
  createFunction,
  createRole,
  motoClients,
  putLambdaMetrics,
  putLogLines,
  REGION,
} from "./moto-fixtures.js";

const HOUR = 3_600_000;
const FUNCTIONS = ["orders", "billing", "search", "thumbnails", "emails", "reports"];

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMotoServer();
  const { lambda, cloudwatch, logs } = motoClients(moto.endpoint);
  await createRole(moto.endpoint);
  const now = Date.now();
  for (const [index, name] of FUNCTIONS.entries()) {
    await createFunction(lambda, { FunctionName: name, MemorySize: 256 * (index + 1) });
    await putLambdaMetrics(cloudwatch, name, [
      {
        MetricName: "Invocations",
        Value: 10 + index,
        Unit: "Count",
        Timestamp: new Date(now - 2 * HOUR),
      },
      { MetricName: "Errors", Value: index, Unit: "Count", Timestamp: new Date(now - 2 * HOUR) },
    ]);
    const reports: Report[] = Array.from({ length: 6 }, (_, line) => ({
      requestId: `00000000-0000-4000-8000-${String(index * 10 + line).padStart(12, "0")}`,
      durationMs: 20 + line * 3.5 + index,
      billedDurationMs: Math.ceil(20 + line * 3.5 + index),
      memorySizeMb: 256 * (index + 1),
      maxMemoryUsedMb: 70 + line,
      ...(line === 0 ? { initDurationMs: 180.25 } : {}),
    }));
    await putLogLines(
      logs,
      `/aws/lambda/${name}`,
      "2026/01/01/[$LATEST]weather",
      reports.map((report, line) => ({
        timestamp: now - 3 * HOUR + line * 1000,
        message: formatReportText(report),
      })),
    );
  }
  lambda.destroy();
  cloudwatch.destroy();
  logs.destroy();
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

function metrics(endpoint: string): Promise<FinishedCli> {
  return startCli(
    ["metrics", "--all", "--region", REGION, "--endpoint-url", endpoint, "--since", "1d", "--json"],
    {
      cwd: mkdtempSync(join(tmpdir(), "lo-metrics-weather-")),
      env: { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: REGION },
    },
  ).finished;
}

/** The figures of a report, without what depends on the moment it ran. */
function figures(stdout: string) {
  const report = JSON.parse(stdout);
  return {
    functions: report.functions,
    skippedLines: report.skippedLines,
    problems: report.problems,
  };
}

describe("metrics --aws --all through 5% errors, 5% dropped connections, 5% delays", () => {
  it("reports the same figures as without faults, and its retries", async () => {
    const calm = await metrics(moto.endpoint);
    expect(calm.code).toBe(0);
    const expected = figures(calm.stdout);
    expect(expected.functions.map((entry: { name: string }) => entry.name).sort()).toEqual(
      [...FUNCTIONS].sort(),
    );
    expect(
      expected.functions.find((entry: { name: string }) => entry.name === "orders").reportLines,
    ).toBe(6);

    const proxy = await startFaultProxy({ upstream: moto.endpoint, seed: 7 });
    let stormy: Awaited<ReturnType<typeof metrics>>;
    try {
      stormy = await metrics(proxy.endpoint);
    } finally {
      await proxy.close();
    }
    expect(proxy.injected.error + proxy.injected["drop-request"]).toBeGreaterThan(0);
    expect(proxy.injected["drop-response"]).toBeGreaterThan(0);
    expect(proxy.injected.delay).toBeGreaterThan(0);
    expect(stormy.code).toBe(0);
    expect(figures(stormy.stdout)).toEqual(expected);
    expect(stormy.stderr).toMatch(/retrying \w+ \(attempt 2 of 6\): /);
  });
});
