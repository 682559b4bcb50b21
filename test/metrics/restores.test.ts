/**
 * SnapStart restores are cold starts: a REPORT line with Restore Duration
 * counts as one, apart from inits, with its own duration statistics, and is
 * priced from Billed Duration alone (which already holds the billed restore).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseReport } from "../../src/lambda/report-line.js";
import { MetricsAggregator } from "../../src/metrics/aggregate.js";
import { buildMetricsReport } from "../../src/metrics/build-report.js";
import { coldStartsHigh } from "../../src/metrics/rules/cold-starts-high.js";
import { readLogFiles } from "../../src/metrics/sources/log-files.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../src/pricing/price-table.js";
import { renderMetricsHtml } from "../../src/report/metrics-html.js";
import { renderMetricsTable } from "../../src/report/metrics-terminal.js";
import { asLines, generateLog, type LogFormat } from "./generate-logs.js";

const folder = mkdtempSync(join(tmpdir(), "lo-restores-"));

function typeSeven(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  return (
    sorted[below]! +
    (sorted[Math.min(below + 1, sorted.length - 1)]! - sorted[below]!) * (position - below)
  );
}

async function reportOf(file: string) {
  const aggregator = new MetricsAggregator();
  await readLogFiles([file], aggregator, { parallel: false });
  return buildMetricsReport({
    aggregator,
    aws: [],
    source: { kind: "files", inputs: [file], region: "us-east-1" },
    priceTable: BUNDLED_PRICE_TABLE,
    problems: [],
  });
}

describe("SnapStart restores in the metrics report", () => {
  it("parses a real restore line: Billed Duration already holds the billed restore", () => {
    const line =
      "REPORT RequestId: 8a5c4d6e-1111-4222-8333-944445555666\tDuration: 14.21 ms\tBilled Duration: 285 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB\tRestore Duration: 270.08 ms\tBilled Restore Duration: 270 ms\t";
    const parsed = parseReport(line);
    expect(parsed.ok && parsed.report).toMatchObject({
      durationMs: 14.21,
      billedDurationMs: 285,
      restoreDurationMs: 270.08,
      billedRestoreDurationMs: 270,
    });
    const aggregator = new MetricsAggregator();
    if (parsed.ok) aggregator.report("snap", parsed.report);
    const fn = buildMetricsReport({
      aggregator,
      aws: [],
      source: { kind: "files", inputs: ["line"], region: "us-east-1" },
      priceTable: BUNDLED_PRICE_TABLE,
      problems: [],
    }).functions[0]!;
    expect(fn).toMatchObject({ coldStarts: 1, restores: 1, coldStartRate: 1 });
    expect(fn.restoreDurationMs).toEqual({ p50: 270.08, p99: 270.08 });
    expect(fn.initDurationMs).toEqual({ p50: null, p99: null });
    // 285 ms at 512 MB, not 285 + 270 ms.
    const prices = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");
    const expected =
      0.5 * 0.285 * prices.architecturePrices.durationTiers[0]!.perGbSecond +
      prices.requestsPerMillion / 1_000_000;
    expect(fn.costUsd).toBeCloseTo(expected, 15);
  });

  it.each(["text", "json"] as const)(
    "counts restores apart from inits, with their statistics and an unchanged cost (%s log format)",
    async (format: LogFormat) => {
      const log = generateLog({
        functionNames: ["snap"],
        invocationsPerFunction: 400,
        format,
        seed: 5,
        coldStartRate: 0.2,
        restoreRate: 0.6,
        timeoutRate: 0,
      });
      const file = join(folder, `${format}.log`);
      writeFileSync(file, `${asLines(log, "export").lines.join("\n")}\n`);
      const fn = (await reportOf(file)).functions[0]!;

      const reports = log.invocations.map((invocation) => invocation.report);
      const restores = reports.filter((report) => report.restoreDurationMs !== undefined);
      const inits = reports.filter((report) => report.initDurationMs !== undefined);
      expect(restores.length).toBeGreaterThan(20);
      expect(inits.length).toBeGreaterThan(10);
      expect(fn.reportLines).toBe(400);
      expect(fn.restores).toBe(restores.length);
      expect(fn.coldStarts).toBe(restores.length + inits.length);
      expect(fn.coldStartRate).toBeCloseTo((restores.length + inits.length) / 400, 12);
      const restoreMs = restores.map((report) => report.restoreDurationMs!);
      expect(fn.restoreDurationMs.p50).toBeCloseTo(typeSeven(restoreMs, 0.5), 9);
      expect(fn.restoreDurationMs.p99).toBeCloseTo(typeSeven(restoreMs, 0.99), 9);
      const initMs = inits.map((report) => report.initDurationMs!);
      expect(fn.initDurationMs.p50).toBeCloseTo(typeSeven(initMs, 0.5), 9);

      // The cost is Billed Duration's, the billed restores not added a second time.
      const prices = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");
      const perGbSecond = prices.architecturePrices.durationTiers[0]!.perGbSecond;
      const billedGbSeconds = reports.reduce(
        (sum, report) => sum + (report.memorySizeMb / 1024) * (report.billedDurationMs / 1000),
        0,
      );
      expect(fn.costUsd).toBeCloseTo(
        billedGbSeconds * perGbSecond + (400 * prices.requestsPerMillion) / 1_000_000,
        12,
      );
    },
  );

  it("shows restores in the table, the HTML and the cold-starts rule", async () => {
    const log = generateLog({
      functionNames: ["snap"],
      invocationsPerFunction: 200,
      format: "text",
      seed: 9,
      coldStartRate: 0.3,
      restoreRate: 1,
      timeoutRate: 0,
    });
    const file = join(folder, "all-restores.log");
    writeFileSync(file, `${asLines(log, "export").lines.join("\n")}\n`);
    const report = await reportOf(file);
    const fn = report.functions[0]!;
    expect(fn.restores).toBe(fn.coldStarts);
    expect(fn.restores).toBeGreaterThan(40);
    expect(renderMetricsTable(report)).toContain(`(${fn.restores} restored)`);
    const html = renderMetricsHtml(report);
    expect(html).toContain("SnapStart restores");
    expect(html).toContain("Restore p50 / p99");
    const recommendation = fn.recommendations.find(({ id }) => id === "cold-starts-high");
    expect(recommendation?.message).toContain("SnapStart is on");
    expect(recommendation?.evidence).toContain(`${fn.restores} SnapStart restores, restore p50`);
    expect(recommendation?.evidence).not.toContain("init p50");
    expect(
      coldStartsHigh.check(fn, {
        priceTable: BUNDLED_PRICE_TABLE,
        region: "us-east-1",
        windowDays: null,
      })?.message,
    ).toContain("before-checkpoint");
  });
});
