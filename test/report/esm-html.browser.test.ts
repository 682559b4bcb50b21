/**
 * `esm simulate --html` and `esm optimize --html` in headless Chromium: every chart drawn with
 * the run's points, the figures those of the result, no error and no request but the file.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, join as joinPath } from "node:path";
import { pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { optimizeEventSourceMappings } from "../../src/esm/optimize/optimize-mappings.js";
import { simulateEventSourceMapping } from "../../src/esm/simulation/simulate.js";
import { renderEsmOptimizeHtml } from "../../src/report/esm-optimize-html.js";
import { renderEsmSimulationHtml } from "../../src/report/esm-simulation-html.js";
import { ensureChromium } from "../setup/ensure-chromium.js";
import { OPTIMIZE_RESULT, SIMULATION_RESULT } from "./esm-fixtures.js";

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: await ensureChromium(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

interface DrawnChart {
  id: string;
  type: string;
  labels: string[];
  points: number[];
  data: unknown[][];
  drawn: boolean;
}

/** Open the page as a file, and read back every chart Chart.js drew, with the errors and requests seen. */
async function open(html: string): Promise<{
  page: Page;
  charts: DrawnChart[];
  errors: string[];
  requests: string[];
  url: string;
}> {
  const file = join(mkdtempSync(join(tmpdir(), "lo-esm-html-")), "esm.html");
  writeFileSync(file, html);
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("request", (request) => requests.push(request.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll("canvas")].map((canvas) => {
      type Chart = {
        config: { type: string };
        data: { datasets: { label: string; data: unknown[] }[] };
      };
      const chart = (
        window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): Chart } }
      ).Chart.getChart(canvas);
      return {
        id: canvas.id,
        type: chart.config.type,
        labels: chart.data.datasets.map((dataset) => dataset.label),
        points: chart.data.datasets.map((dataset) => dataset.data.length),
        data: chart.data.datasets.map((dataset) => dataset.data),
        drawn: canvas.width > 0 && canvas.height > 0,
      };
    }),
  );
  return { page, charts, errors, requests, url };
}

describe("esm simulate --html", () => {
  it("draws the backlog, the oldest age and the concurrency over the run, offline", async () => {
    const { page, charts, errors, requests, url } = await open(
      renderEsmSimulationHtml({
        ...SIMULATION_RESULT,
        // A note that would break the page if it were not escaped.
        notes: ["a note with </script><b>markup</b>"],
      }),
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(charts.map((chart) => chart.id)).toEqual([
      "backlog-chart",
      "age-chart",
      "concurrency-chart",
    ]);
    expect(charts.every((chart) => chart.drawn)).toBe(true);
    const [backlog, age, concurrency] = charts;
    // 61 points, one a minute: the burst's backlog peaks at 6,005 at minute 20.
    expect(backlog).toMatchObject({ type: "line", labels: ["backlog"], points: [61] });
    expect(Math.max(...(backlog!.data[0] as number[]))).toBe(6_005);
    expect((backlog!.data[0] as number[])[20]).toBe(6_005);
    expect(age).toMatchObject({ labels: ["oldest age (s)"], points: [61] });
    expect((age!.data[0] as number[])[20]).toBeCloseTo(60.05, 5);
    expect(concurrency).toMatchObject({ labels: ["concurrency", "throttles"], points: [61, 61] });
    expect((concurrency!.data[1] as number[]).reduce((sum, value) => sum + value, 0)).toBe(3);

    expect(await page.textContent("#kpi-age .value")).toBe("39 s");
    expect(await page.textContent("#kpi-cost .value")).toBe("$35.92");
    const figures = await page.$$eval("#figures tr", (rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent)),
    );
    expect(figures).toContainEqual(["Records processed", "360,000"]);
    expect(figures).toContainEqual(["Age when processed", "p50 40 ms, p99 39 s, max 60 s"]);
    const settings = await page.$$eval("#settings tr", (rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent)),
    );
    expect(settings).toContainEqual(["ScalingConfig.MaximumConcurrency", "5"]);
    const body = await page.textContent("body");
    expect(body).toContain("36,000 × 0.07 s × 1 GB = 2,520 GB-s × $0.0000166667");
    expect(body).toContain("pollerStartupSeconds = 1: Lambda does not document");
    expect(body).toContain("a note with </script><b>markup</b>");
    await page.close();
  });
});

describe("esm simulate --html on a real run", () => {
  it("draws a stream falling behind: the backlog's last point is the run's backlog at the end", async () => {
    // Two shards each carrying 100 records per 340 ms batch: 588 of 800 records/s.
    const run = await simulateEventSourceMapping({
      ...{ source: "kinesis", shards: 2, rate: 800, batchSize: 100 },
      ...{ recordMs: 3, overheadMs: 40, seconds: 900 },
    });
    const { page, charts, errors } = await open(renderEsmSimulationHtml(run));
    expect(errors).toEqual([]);
    const backlog = charts[0]!.data[0] as number[];
    expect(backlog.at(-1)).toBe(run.backlogEnd);
    expect(Math.abs(run.backlogEnd - 212 * 900)).toBeLessThan(212 * 900 * 0.02);
    // It only grows: each point at least the one before, less the jitter of Poisson arrivals.
    expect(
      backlog.every((value, index) => index === 0 || value >= backlog[index - 1]! - 2_000),
    ).toBe(true);
    expect(await page.textContent("#kpi-backlog .value")).toBe(
      run.backlogEnd.toLocaleString("en-US"),
    );
    await page.close();
  });
});

describe("esm optimize --html", () => {
  it("sets each mapping's settings beside the recommended ones, with both predictions drawn", async () => {
    const { page, charts, errors, requests, url } = await open(
      renderEsmOptimizeHtml(OPTIMIZE_RESULT),
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(charts.map((chart) => chart.id)).toEqual(["mapping-chart-0", "mapping-chart-1"]);
    expect(charts.every((chart) => chart.drawn)).toBe(true);
    expect(charts[0]).toMatchObject({
      type: "bar",
      labels: ["p99 age (s)", "USD a month"],
      data: [
        [1_800, 1.2],
        [584, 17.67],
      ],
    });
    // No setting met the bound for the Kinesis mapping: today's bar alone.
    expect(charts[1]!.data).toEqual([
      [95, null],
      [7.3, null],
    ]);
    const rows = await page.$$eval('[data-mapping="Worker/JobQueue"] tbody tr', (trs) =>
      trs.map((tr) => ({
        setting: tr.getAttribute("data-setting"),
        changed: tr.classList.contains("changed"),
        cells: [...tr.querySelectorAll("td")].slice(1).map((td) => td.textContent),
      })),
    );
    expect(rows).toEqual([
      { setting: "BatchSize", changed: true, cells: ["1", "50"] },
      { setting: "MaximumBatchingWindowInSeconds", changed: true, cells: ["unset", "1"] },
      { setting: "ScalingConfig.MaximumConcurrency", changed: false, cells: ["5", "5"] },
      { setting: "VisibilityTimeout", changed: true, cells: ["30", "180"] },
    ]);
    const body = await page.textContent("body");
    expect(body).toContain("Worker/JobQueue (SQS, function Worker, line 19)");
    expect(body).toContain("warning (line 21) FunctionResponseTypes: A failed record");
    expect(body).toContain("no setting meets the bound");
    await page.close();
  });
});

describe("esm optimize --html on a real search", () => {
  it("draws one chart per mapping of the three-mapping template, the figures those of the result", async () => {
    const result = await optimizeEventSourceMappings({
      template: joinPath(import.meta.dirname, "../fixtures/esm-optimize/template.yaml"),
      ...{
        rate: 50,
        arrival: "constant",
        overheadMs: 50,
        recordMs: 5,
        maxAgeSeconds: 30,
        seconds: 600,
      },
    });
    const { page, charts, errors } = await open(renderEsmOptimizeHtml(result));
    expect(errors).toEqual([]);
    expect(charts.map((chart) => chart.id)).toEqual([
      "mapping-chart-0",
      "mapping-chart-1",
      "mapping-chart-2",
    ]);
    result.mappings.forEach((mapping, index) => {
      expect(charts[index]!.data).toEqual([
        [
          mapping.predicted.current.ageP99Seconds,
          mapping.predicted.recommended?.ageP99Seconds ?? null,
        ],
        [mapping.predicted.current.monthlyUsd, mapping.predicted.recommended?.monthlyUsd ?? null],
      ]);
    });
    const sqs = result.mappings.find((mapping) => mapping.eventSource === "sqs")!;
    const visibility = await page.$$eval(
      `[data-mapping="${sqs.id}"] tr[data-setting="VisibilityTimeout"] td`,
      (cells) => cells.map((cell) => cell.textContent),
    );
    expect(visibility).toEqual([
      "VisibilityTimeout",
      "30",
      String(sqs.recommended!.VisibilityTimeout),
    ]);
    await page.close();
  });
});
