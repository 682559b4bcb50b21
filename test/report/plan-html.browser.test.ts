/**
 * `plan --html` in headless Chromium: the three charts drawn with every model that can run the
 * function (and not the one that cannot), the scaling chart on a log axis, the table's figures
 * those of the JSON, no error and no request but the file itself.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { formatUsd } from "../../src/format.js";
import { renderPlanHtml } from "../../src/report/plan-html.js";
import { PLAN_RESULT } from "../planning/fixtures/plan-result.js";
import { ensureChromium } from "../setup/ensure-chromium.js";

let executablePath: string;
beforeAll(async () => {
  executablePath = await ensureChromium();
}, 600_000);

interface DrawnChart {
  id: string;
  type: string;
  xScale: string;
  labels: string[];
  points: number[];
  /** The scaling chart's points, as drawn. */
  firstPoints: unknown[];
}

describe("plan --html", () => {
  it("draws the traffic, each model's cost over time and against scaled traffic, offline", async () => {
    // A name that would break the page if it were not escaped.
    const result = { ...PLAN_RESULT, function: { ...PLAN_RESULT.function, name: "orders <api>" } };
    const file = join(mkdtempSync(join(tmpdir(), "lo-plan-html-")), "plan.html");
    writeFileSync(file, renderPlanHtml(result));

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
          type Chart = {
            config: { type: string };
            scales: { x: { type: string } };
            data: { datasets: { label: string; data: unknown[] }[] };
          };
          const chart = (
            window as unknown as { Chart: { getChart(canvas: HTMLCanvasElement): Chart } }
          ).Chart.getChart(canvas);
          return {
            id: canvas.id,
            type: chart.config.type,
            xScale: chart.scales.x.type,
            labels: chart.data.datasets.map((dataset) => dataset.label),
            points: chart.data.datasets.map((dataset) => dataset.data.length),
            firstPoints: chart.data.datasets.map((dataset) => dataset.data[0]),
            drawn: canvas.width > 0 && canvas.height > 0,
          };
        }),
      );
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);

      const byId = Object.fromEntries(charts.map((chart) => [chart.id, chart])) as Record<
        string,
        DrawnChart & { drawn: boolean }
      >;
      expect(Object.keys(byId)).toEqual(["traffic-chart", "cost-time-chart", "scaling-chart"]);
      expect(charts.every((chart) => chart.drawn)).toBe(true);
      // 336 hourly points: invocations and the busiest concurrency of each.
      expect(byId["traffic-chart"]).toMatchObject({
        labels: ["invocations", "peak concurrency"],
        points: [336, 336],
      });
      // SnapStart cannot run nodejs22.x: drawn in no chart.
      const models = ["on-demand", "provisioned concurrency", "Managed Instances"];
      expect(byId["cost-time-chart"]).toMatchObject({ labels: models, points: [336, 336, 336] });
      expect(byId["scaling-chart"]).toMatchObject({
        labels: models,
        xScale: "logarithmic",
        points: [7, 7, 7],
      });
      // At 0.1×, on-demand costs 26.6157 over the 336 hours: × 730/336 = 57.83 a month.
      const [onDemandAtTenth] = byId["scaling-chart"]!.firstPoints as { x: number; y: number }[];
      expect(onDemandAtTenth!.x).toBe(0.1);
      expect(onDemandAtTenth!.y.toFixed(2)).toBe("57.83");

      // The table's figures are the JSON's.
      const rows = await page.$$eval("#options tbody tr", (trs) =>
        trs.map((tr) => ({
          model: tr.getAttribute("data-model"),
          recommended: tr.classList.contains("recommended"),
          cells: [...tr.querySelectorAll("td")].map((td) => td.textContent),
        })),
      );
      expect(rows.map((row) => row.model)).toEqual(PLAN_RESULT.options.map((o) => o.model));
      for (const option of PLAN_RESULT.options.filter((candidate) => candidate.available)) {
        const row = rows.find((candidate) => candidate.model === option.model)!;
        expect(row.cells[1]).toBe(formatUsd(option.monthlyUsd));
        expect(row.cells[2]).toBe(formatUsd(option.periodUsd));
        expect(row.cells[3]).toBe(Math.round(option.monthlyColdStarts).toLocaleString("en-US"));
      }
      expect(rows.find((row) => row.recommended)?.cells.slice(0, 2)).toEqual([
        "Managed Instances",
        "$463.58",
      ]);
      expect(rows.find((row) => row.model === "snapstart")?.cells[5]).toContain(
        "unavailable: nodejs22.x does not support SnapStart",
      );
      expect(await page.textContent("#recommended-model")).toBe("Managed Instances");
      expect(await page.textContent("#scaling-summary")).toBe(
        "As traffic changes: cheapest: provisioned concurrency up to 0.81×, then Managed Instances (traffic scaled 0.1× to 10×).",
      );
      const body = await page.textContent("body");
      expect(body).toContain("orders <api>");
      expect(body).toContain("11 environments × 1 GB × 1,209,600 s × $0.0000041667");
      expect(body).toContain(
        "coldStarts (idleReclaimMinutes = 10): on-demand, provisioned concurrency",
      );
    } finally {
      await browser.close();
    }
  });
});
