/**
 * A region whose prices are modelled on another region's says so in every output that
 * shows money: cost (JSON and text), tune (terminal and HTML) and metrics (terminal and
 * HTML). Each takes the label from the one lookup, priceBasis / pricesUsed.
 */
import { describe, expect, it } from "vitest";
import { MetricsAggregator } from "../../src/metrics/aggregate.js";
import { buildMetricsReport } from "../../src/metrics/build-report.js";
import { estimateCost } from "../../src/pricing/cost-estimate.js";
import {
  BUNDLED_PRICE_TABLE,
  type PriceTable,
  parsePriceTable,
  pricesUsed,
} from "../../src/pricing/price-table.js";
import { renderHtmlReport } from "../../src/report/html-report.js";
import { renderMetricsHtml } from "../../src/report/metrics-html.js";
import { renderMetricsRecommendations } from "../../src/report/metrics-terminal.js";
import { renderRecommendation } from "../../src/report/terminal.js";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { tuneResult } from "../report/fixture.js";

const LABEL =
  "prices for ap-southeast-3 modelled on ap-southeast-1: no AWS price was found for ap-southeast-3";

function tableWithJakartaModelled(): PriceTable {
  const table = structuredClone(BUNDLED_PRICE_TABLE);
  table.regions["ap-southeast-3"] = { priceSet: "ap-southeast-1", modelled: true };
  return parsePriceTable(table);
}

describe("the modelled label", () => {
  const table = tableWithJakartaModelled();

  it("reaches a cost estimate's prices and assumptions, at Singapore's figures", () => {
    const input = {
      memoryMb: 1024,
      durationMs: 100,
      invocations: 10_000_000,
      architecture: "x86_64" as const,
      ephemeralStorageMb: 512,
      freeTier: false,
    };
    const jakarta = estimateCost(table, { ...input, region: "ap-southeast-3" });
    const singapore = estimateCost(table, { ...input, region: "ap-southeast-1" });
    expect(jakarta.prices.modelledOn).toBe("ap-southeast-1");
    expect(jakarta.assumptions[0]).toBe(`${LABEL}.`);
    expect(jakarta.monthly.totalUsd).toBe(singapore.monthly.totalUsd);
    expect(singapore.prices.modelledOn).toBeUndefined();
    expect(singapore.assumptions.join("\n")).not.toContain("modelled on");
  });

  it("reaches a tune result, its terminal verdict and its HTML report", () => {
    const result = TuneResultSchema.parse(
      tuneResult({ prices: pricesUsed(table, "ap-southeast-3") }),
    );
    expect(result.prices).toEqual({
      date: "2026-11-28",
      region: "ap-southeast-3",
      modelledOn: "ap-southeast-1",
    });
    expect(renderRecommendation(result).replace(/\s+/g, " ")).toContain(
      `Prices: ap-southeast-3 as of 2026-11-28 (${LABEL}).`,
    );
    expect(renderHtmlReport(result)).toContain(LABEL);
    const own = tuneResult({ prices: pricesUsed(table, "ap-southeast-1") });
    expect(renderRecommendation(own)).not.toContain("modelled on");
  });

  it("reaches a metrics report, its text and its HTML", () => {
    const aggregator = new MetricsAggregator();
    aggregator.report(
      "orders",
      {
        requestId: "r-1",
        durationMs: 50.2,
        billedDurationMs: 51,
        memorySizeMb: 512,
        maxMemoryUsedMb: 80,
      },
      Date.UTC(2026, 10, 1),
    );
    const report = buildMetricsReport({
      aggregator,
      aws: [],
      source: { kind: "files", inputs: ["app.log"], region: "ap-southeast-3" },
      priceTable: table,
      problems: [],
    });
    expect(report.prices.modelledOn).toBe("ap-southeast-1");
    expect(renderMetricsRecommendations(report)).toContain(
      `Prices: ap-southeast-3 as of 2026-11-28 (${LABEL}); costs are billed durations`,
    );
    expect(renderMetricsHtml(report)).toContain(LABEL);
  });
});
