/** The metrics HTML report in headless Chromium: charts drawn, no error, no request but the file. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { MetricsAggregator } from "../../src/metrics/aggregate.js";
import { buildMetricsReport } from "../../src/metrics/build-report.js";
import { BUNDLED_PRICE_TABLE } from "../../src/pricing/price-table.js";
import { renderMetricsHtml } from "../../src/report/metrics-html.js";
import { ensureChromium } from "../setup/ensure-chromium.js";

let executablePath: string;
beforeAll(async () => {
  executablePath = await ensureChromium();
}, 600_000);

describe("metrics --html", () => {
  it("draws a duration histogram and a memory chart per function, offline", async () => {
    const aggregator = new MetricsAggregator();
    for (let index = 0; index < 200; index++) {
      for (const name of ["api", "worker <script>"]) {
        aggregator.report(
          name,
          {
            requestId: `r-${index}`,
            durationMs: 20 + (index % 30),
            billedDurationMs: 21 + (index % 30),
            memorySizeMb: 512,
            maxMemoryUsedMb: 80 + (index % 9),
          },
          Date.UTC(2026, 10, 28) + index * 60_000,
        );
      }
    }
    const report = buildMetricsReport({
      aggregator,
      aws: [],
      source: { kind: "files", inputs: ["generated"], region: "us-east-1" },
      priceTable: BUNDLED_PRICE_TABLE,
      problems: [],
    });
    const file = join(mkdtempSync(join(tmpdir(), "lo-metrics-html-")), "metrics.html");
    writeFileSync(file, renderMetricsHtml(report));

    const browser = await chromium.launch({
      executablePath,
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
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href);
      const charts = await page.evaluate(() =>
        [...document.querySelectorAll("canvas")].map((canvas) => {
          const chart = (
            window as unknown as {
              Chart: {
                getChart(
                  canvas: HTMLCanvasElement,
                ): { data: { datasets: { data: number[] }[] } } | undefined;
              };
            }
          ).Chart.getChart(canvas);
          return chart ? chart.data.datasets[0]!.data.reduce((sum, count) => sum + count, 0) : -1;
        }),
      );
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      // Two functions, two charts each, every invocation in every histogram.
      expect(charts).toEqual([200, 200, 200, 200]);
      expect(await page.textContent("body")).toContain("worker <script>");
    } finally {
      await browser.close();
    }
  });
});
