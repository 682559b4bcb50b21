/**
 * The HTML report opened in a real browser (Debian's Chromium, driven by playwright-core): it
 * must draw both charts with no error and without a single request beyond the file itself.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Chart } from "chart.js";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtmlReport } from "../../src/report/html-report.js";
import { ensureChromium } from "../setup/ensure-chromium.js";
import { tuneResult } from "./fixture.js";

// Flags from the machine notes: without the background-networking ones Chromium tries to reach
// Google at start, which this network refuses (and which would show up as requests).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface ChartSummary {
  id: string;
  type: string;
  labels: string[];
  datasets: { label: string; points: number }[];
  width: number;
  height: number;
  paintedPixels: number;
}

describe("HTML report in Chromium", () => {
  let workDir: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  let reportUrl: string;

  beforeAll(
    async () => {
      const executablePath = await ensureChromium();
      workDir = await mkdtemp(join(tmpdir(), "lambda-optimizer-report-"));
      const reportPath = join(workDir, "report.html");
      await writeFile(reportPath, renderHtmlReport(tuneResult()));
      reportUrl = pathToFileURL(reportPath).href;

      context = await chromium.launchPersistentContext(join(workDir, "profile"), {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 900 },
      });
      page = await context.newPage();
      page.on("request", (request) => requests.push(request.url()));
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => pageErrors.push(error.message));
      await page.goto(reportUrl, { waitUntil: "load" });
    },
    10 * 60 * 1000,
  );

  afterAll(async () => {
    await context?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("loads with no error and requests nothing but the file itself", () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([reportUrl]);
  });

  it("draws the cost and duration charts with a series per architecture", async () => {
    const charts = await page.evaluate(() => {
      const chartApi = (window as unknown as { Chart: typeof Chart }).Chart;
      return [...document.querySelectorAll("canvas")].map((canvas) => {
        const chart = chartApi.getChart(canvas);
        const context = canvas.getContext("2d")!;
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index]! > 0) painted++;
        return {
          id: canvas.id,
          type: (chart?.config as { type?: string } | undefined)?.type ?? "",
          labels: (chart?.data.labels ?? []) as string[],
          datasets: (chart?.data.datasets ?? []).map((dataset) => ({
            label: dataset.label ?? "",
            points: (dataset.data as { y: number | null }[]).filter((point) => point.y !== null)
              .length,
          })),
          width: canvas.width,
          height: canvas.height,
          paintedPixels: painted,
        };
      });
    });
    const byId = Object.fromEntries(charts.map((chart: ChartSummary) => [chart.id, chart]));
    const cost = byId["cost-chart"] as ChartSummary;
    const duration = byId["duration-chart"] as ChartSummary;

    expect(cost.type).toBe("line");
    expect(cost.labels).toEqual(["128", "256", "512", "1024", "1769", "3008"]);
    expect(cost.datasets).toEqual([
      { label: "x86_64", points: 5 },
      { label: "arm64", points: 6 },
      { label: "Failed", points: 1 },
      { label: "Recommended", points: 1 },
    ]);
    expect(duration.datasets.map((dataset) => dataset.label)).toEqual([
      "x86_64 p50",
      "x86_64 p95",
      "arm64 p50",
      "arm64 p95",
      "Failed",
      "Recommended",
    ]);
    for (const chart of [cost, duration]) {
      expect(chart.width).toBeGreaterThan(300);
      expect(chart.height).toBeGreaterThan(200);
      // Lines, points, axes and labels: far more than a blank or nearly blank canvas.
      expect(chart.paintedPixels).toBeGreaterThan(chart.width * chart.height * 0.02);
    }
  });

  it("draws the cost chart's confidence intervals", async () => {
    // The error-bar plugin draws in each series' colour above and below every point.
    const whiskers = await page.evaluate(() => {
      const chartApi = (window as unknown as { Chart: typeof Chart }).Chart;
      const chart = chartApi.getChart("cost-chart")!;
      const point = chart.getDatasetMeta(1).data[5]!; // arm64 at 3008 MB
      const raw = chart.data.datasets[1]!.data[5] as unknown as { low: number; high: number };
      return {
        top: chart.scales.y!.getPixelForValue(raw.high),
        bottom: chart.scales.y!.getPixelForValue(raw.low),
        y: point.y,
        plugins: (chart.config.plugins ?? []).map((plugin) => plugin.id),
      };
    });
    expect(whiskers.plugins).toContain("errorBars");
    expect(whiskers.top).toBeLessThan(whiskers.y);
    expect(whiskers.bottom).toBeGreaterThan(whiskers.y);
  });

  it("states how the local run limited CPU and memory, and the CPU law measured for it", async () => {
    const sandbox = page.locator(".facts div", { has: page.locator("dt", { hasText: "Sandbox" }) });
    expect(await sandbox.isVisible()).toBe(true);
    expect(await sandbox.locator("dd").textContent()).toBe(
      "cgroup-v2; memory cgroup memory.max; 2 host CPUs; CPU law d(128)/d(1769) 14.05 (Lambda: 13.82, +1.7%)",
    );
  });

  it("lays out on a phone without a horizontal scroll of the page", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    // Chart.js resizes its canvases on the next frames after the viewport changes.
    await expect
      .poll(() =>
        page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      )
      .toBeLessThanOrEqual(0);
  });
});
