/** The aggregator and the report, on invocations whose true figures the test computes itself. */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/lambda/report-line.js";
import { MetricsAggregator } from "../../src/metrics/aggregate.js";
import type { AwsFunctionObservations } from "../../src/metrics/aws-observations.js";
import { buildMetricsReport } from "../../src/metrics/build-report.js";
import { ValueDistribution } from "../../src/metrics/value-distribution.js";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";

const DAY_MS = 86_400_000;
const START = Date.UTC(2026, 10, 1);

/** A deterministic stream of invocations: durations 10..109 ms, every 20th a cold start. */
function invocations(
  count: number,
  memoryMb: number,
  usedMb: (index: number) => number,
): { report: Report; at: number }[] {
  return Array.from({ length: count }, (_, index) => {
    const durationMs = 10 + (index % 100) + 0.5;
    const cold = index % 20 === 0;
    const initDurationMs = cold ? 200 + (index % 7) : undefined;
    return {
      at: START + (index / (count - 1)) * DAY_MS,
      report: {
        requestId: `r-${index}`,
        durationMs,
        billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
        memorySizeMb: memoryMb,
        maxMemoryUsedMb: usedMb(index),
        ...(initDurationMs !== undefined ? { initDurationMs } : {}),
      },
    };
  });
}

function typeSeven(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  return (
    sorted[below]! +
    (sorted[Math.min(below + 1, sorted.length - 1)]! - sorted[below]!) * (position - below)
  );
}

function reportFor(aggregator: MetricsAggregator, aws: AwsFunctionObservations[] = []) {
  return buildMetricsReport({
    aggregator,
    aws,
    source: { kind: "files", inputs: ["generated"], region: "us-east-1" },
    priceTable: BUNDLED_PRICE_TABLE,
    problems: [],
  });
}

describe("metrics report", () => {
  const stream = invocations(2000, 1024, (index) => 100 + (index % 50));
  const aggregator = new MetricsAggregator();
  for (const { report, at } of stream) aggregator.report("orders", report, at);
  aggregator.timeout("orders", START + 1000);
  aggregator.skipped(7);
  const report = reportFor(aggregator);
  const orders = report.functions[0]!;

  it("counts invocations, cold starts, timeouts and skipped lines", () => {
    expect(orders).toMatchObject({
      name: "orders",
      invocations: 2000,
      reportLines: 2000,
      coldStarts: 100,
      timeouts: 1,
    });
    expect(orders.coldStartRate).toBeCloseTo(0.05, 12);
    expect(report.skippedLines).toBe(7);
  });

  it("gives exact percentiles of durations, init and memory", () => {
    const durations = stream.map(({ report: entry }) => entry.durationMs);
    expect(orders.durationMs.p50).toBeCloseTo(typeSeven(durations, 0.5), 9);
    expect(orders.durationMs.p99).toBeCloseTo(typeSeven(durations, 0.99), 9);
    expect(orders.durationMs.max).toBe(109.5);
    expect(orders.durationMs.mean).toBeCloseTo(
      durations.reduce((a, b) => a + b, 0) / durations.length,
      9,
    );
    const inits = stream.flatMap(({ report: entry }) =>
      entry.initDurationMs === undefined ? [] : [entry.initDurationMs],
    );
    expect(orders.initDurationMs.p99).toBeCloseTo(typeSeven(inits, 0.99), 9);
    expect(orders.maxMemoryUsedMb).toEqual({
      max: 149,
      p99: typeSeven(
        stream.map(({ report: entry }) => entry.maxMemoryUsedMb),
        0.99,
      ),
    });
    expect(orders.memoryUtilization.max).toBeCloseTo(149 / 1024, 12);
  });

  it("prices every billed duration and projects the day to a 730-hour month", () => {
    // sum over invocations of 1 GB x billed s x $0.0000166667 + $0.0000002
    const expected = stream.reduce(
      (sum, { report: entry }) => sum + (entry.billedDurationMs / 1000) * 0.0000166667 + 0.0000002,
      0,
    );
    expect(orders.costUsd).toBeCloseTo(expected, 12);
    expect(report.window?.days).toBeCloseTo(1, 9);
    expect(orders.monthlyCostUsd).toBeCloseTo((expected * 730) / 24, 9);
    expect(orders.architectureKnown).toBe(false);
  });

  it("recommends a smaller memory size with the saving, and arm64", () => {
    const ids = orders.recommendations.map((recommendation) => recommendation.id);
    expect(ids).toEqual(
      expect.arrayContaining(["memory-oversized", "arm64-saving", "cold-starts-high"]),
    );
    const smaller = orders.recommendations.find(
      (recommendation) => recommendation.id === "memory-oversized",
    )!;
    // largest use 149 MB x 1.3 = 193.7 -> 256 MB (multiples of 64)
    expect(smaller.message).toContain("Try 256 MB instead of 1024 MB");
    expect(smaller.monthlySavingsUsd).toBeGreaterThan(0);
    const arm = orders.recommendations.find(
      (recommendation) => recommendation.id === "arm64-saving",
    )!;
    const compute = orders.monthlyCostUsd! - ((2000 * 0.2) / 1_000_000) * (730 / 24);
    expect(arm.monthlySavingsUsd).toBeCloseTo(compute * (1 - 0.0000133334 / 0.0000166667), 9);
  });

  it("says the memory is nearly full instead, and leaves out a function that fits", () => {
    const tight = new MetricsAggregator();
    for (const { report: entry, at } of invocations(50, 256, () => 240))
      tight.report("tight", entry, at);
    const fitting = new MetricsAggregator();
    for (const { report: entry, at } of invocations(50, 256, () => 150))
      fitting.report("fitting", entry, at);
    const tightIds = reportFor(tight).functions[0]!.recommendations.map(
      (recommendation) => recommendation.id,
    );
    expect(tightIds).toContain("memory-undersized");
    expect(tightIds).not.toContain("memory-oversized");
    const fittingIds = reportFor(fitting).functions[0]!.recommendations.map(
      (recommendation) => recommendation.id,
    );
    // 150 / 256 = 59% at p99: neither too big nor too small
    expect(fittingIds).not.toContain("memory-undersized");
    expect(fittingIds).not.toContain("memory-oversized");
  });

  it("uses CloudWatch's counts and the configuration on AWS, and proposes SnapStart where the runtime has it", () => {
    const aws: AwsFunctionObservations = {
      configuration: {
        functionName: "orders",
        functionArn: "arn:aws:lambda:us-east-1:123456789012:function:orders",
        runtime: "python3.12",
        memoryMb: 1024,
        architecture: "arm64",
        timeoutSeconds: 900,
        ephemeralStorageMb: 512,
        reservedConcurrency: 5,
        provisionedConcurrency: 0,
        packageType: "Zip",
        eventSources: [],
      },
      cloudWatch: {
        invocations: 10_000,
        errors: 300,
        throttles: 12,
        durationMs: { average: 60, maximum: 110, p50: null, p90: null, p99: null },
        concurrentExecutionsMax: 3,
        iteratorAgeMsMax: null,
      },
      logSample: { events: 2000, capped: true },
      window: { start: new Date(START).toISOString(), end: new Date(START + DAY_MS).toISOString() },
    };
    const figures = reportFor(aggregator, [aws]).functions[0]!;
    expect(figures).toMatchObject({
      invocations: 10_000,
      errors: 300,
      throttles: 12,
      architecture: "arm64",
      architectureKnown: true,
    });
    // The sample's mean cost per invocation, times CloudWatch's count.
    expect(figures.costUsd).toBeCloseTo(
      (orders.costUsd / 2000) * 10_000 * (0.0000133334 / 0.0000166667),
      3,
    );
    const ids = figures.recommendations.map((recommendation) => recommendation.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "cold-starts-high",
        "timeout-too-long",
        "errors-high",
        "throttles-present",
      ]),
    );
    expect(ids).not.toContain("arm64-saving");
    expect(
      figures.recommendations.find((recommendation) => recommendation.id === "cold-starts-high")!
        .message,
    ).toContain("SnapStart");
  });

  it("says nothing is projected when the logs carry no timestamps", () => {
    const untimed = new MetricsAggregator();
    for (const { report: entry } of invocations(10, 128, () => 60))
      untimed.report("untimed", entry);
    const result = reportFor(untimed);
    expect(result.window).toBeNull();
    expect(result.functions[0]!.monthlyCostUsd).toBeNull();
    expect(result.notes.join(" ")).toContain("--period");
  });
});

describe("ValueDistribution", () => {
  it("switches to a t-digest past its exact limit, within 1% at p50 and p99", () => {
    const distribution = new ValueDistribution(10_000);
    const values: number[] = [];
    for (let index = 0; index < 50_000; index++) {
      const value = ((index * 7919) % 50_000) / 10;
      values.push(value);
      distribution.add(value);
    }
    expect(distribution.approximate).toBe(true);
    expect(distribution.count).toBe(50_000);
    expect(distribution.percentile(0.5)!).toBeCloseTo(typeSeven(values, 0.5), -1);
    expect(Math.abs(distribution.percentile(0.99)! / typeSeven(values, 0.99) - 1)).toBeLessThan(
      0.01,
    );
    expect(distribution.histogram(10).counts.reduce((a, b) => a + b, 0)).toBeCloseTo(50_000, -2);
  });
});
