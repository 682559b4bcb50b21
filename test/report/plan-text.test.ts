/** `plan`'s words: the table, the recommendation, the arithmetic and the MCP summary, on a two-week fixture. */
import { describe, expect, it } from "vitest";
import type { PlanResult } from "../../src/planning/plan-result.js";
import { renderPlanText, summarizePlan } from "../../src/report/plan-text.js";
import { describeSchedule, scalingCrossings } from "../../src/report/plan-wording.js";
import { PLAN_RESULT } from "../planning/fixtures/plan-result.js";

describe("renderPlanText", () => {
  const text = renderPlanText(PLAN_RESULT);
  const lines = text.split("\n");

  it("names the function, the traffic and its shape with the figures that place it", () => {
    expect(lines[0]).toBe("orders-api: 1,024 MB x86_64, nodejs22.x, mean 120 ms, init 850 ms");
    expect(lines[1]).toBe(
      "Traffic: 14 days from 2026-11-16 00:00 UTC in 1-minute steps, 120.96M invocations (traffic/orders-api.csv)",
    );
    expect(lines[2]).toBe(
      "Shape: steady baseline + spikes: peak-to-mean 2.58, 0% of steps idle, coefficient of variation 0.29; concurrency mean 12, baseline 11, peak 31",
    );
  });

  it("prints a row per model: monthly cost, cold starts a month and their share, what sets it apart", () => {
    const row = (label: string) => lines.find((line) => line.includes(` ${label}  `))!;
    // 266.157 over 336 h × 730/336 = 578.26; 3,150 cold starts × 2.1726 = 6,844
    expect(row("on-demand")).toMatch(/^\s+on-demand\s+\$578\.26\s+6,844\s+0\.0026%$/);
    // 248.058 × 2.1726 = 538.94; 410 × 2.1726 = 891
    expect(row("provisioned concurrency")).toMatch(
      /\$538\.94\s+891\s+0\.0003%\s+level 11; utilisation 80%, break-even 60%$/,
    );
    expect(row("SnapStart")).toMatch(
      /—\s+—\s+—\s+unavailable: nodejs22\.x does not support SnapStart \(Java 11\+, Python 3\.12\+ and \.NET 8\+ do\)$/,
    );
    // (3 × 0.1632 × 336) × 1.15 + 24.192 = 213.37 over the period, × 2.1726 = 463.58
    expect(row("Managed Instances")).toMatch(
      /^ {2}→ Managed Instances\s+\$463\.58\s+0\s+0%\s+3 × c7i\.xlarge at the peak$/,
    );
  });

  it("gives the recommendation, its saving, the runner-up and by how much, and why", () => {
    expect(text).toContain(
      "Recommendation: Managed Instances at $463.58 a month saves $114.68 a month against on-demand.",
    );
    expect(text).toContain(
      "  Runner-up: provisioned concurrency costs $75.36 a month more ($538.94).",
    );
    expect(text).toContain(`  Why: ${PLAN_RESULT.recommendation.reason}`);
    expect(text).toContain(
      "  Left out: on-demand: latency-sensitive: 6,844 cold starts a month (0.0026% of invocations)",
    );
    // Provisioned concurrency is cheapest at 0.5× (124.03 against 201.28), Managed Instances at 1×.
    expect(text).toContain(
      "  As traffic changes: cheapest: provisioned concurrency up to 0.81×, then Managed Instances (traffic scaled 0.1× to 10×).",
    );
  });

  it("shows each bill line by line with its formula, and how a month is scaled", () => {
    expect(text).toContain("The arithmetic, over the profile's 14 days:");
    // Each amount beside its label, the formula under it.
    expect(text).toContain(
      [
        "  on-demand: $266.16",
        "    compute      $241.92",
        "      120,960,000 × 0.12 s × 1 GB = 14,515,200 GB-s × $0.0000166667",
        "    requests      $24.19",
        "      120,960,000 requests × $0.20 per million",
        "    billed init    $0.04",
        "      3,150 cold starts × 0.85 s × 1 GB × $0.0000166667",
      ].join("\n"),
    );
    expect(text).toMatch(
      /allocation\s+\$55\.44\n {6}11 environments × 1 GB × 1,209,600 s × \$0\.0000041667\n/,
    );
    expect(text).toContain("A month is 730 hours: each total × 2.1726 (730 h ÷ 336 h).");
  });

  it("lists the prices, every modelled figure and every note", () => {
    expect(text).toContain("Prices: us-east-1 as of 2026-11-28.");
    expect(text).toContain(
      [
        "Modelled, not priced from AWS's tables or measured:",
        "  - idleReclaimMinutes = 10",
        "  - maxConcurrencyPerEnvironment = 64",
        "  - instance launch time = 40 s",
        "  - coldStarts (idleReclaimMinutes = 10): on-demand, provisioned concurrency",
      ].join("\n"),
    );
    expect(text).toContain("  - architecture assumed x86_64: give --arch if it is arm64");
    expect(text).toContain(
      "  - Managed Instances: the code must be thread-safe: an environment serves many requests at once (audit rule managed-instances-thread-safety)",
    );
  });

  it("shows a provisioned-concurrency schedule as runs of hours", () => {
    const schedule = [...Array(8).fill(4), ...Array(12).fill(14), ...Array(4).fill(6)];
    expect(describeSchedule(schedule)).toBe("00–07h 4, 08–19h 14, 20–23h 6 UTC");
    const scheduled: PlanResult = {
      ...PLAN_RESULT,
      options: PLAN_RESULT.options.map((option) =>
        option.model === "provisioned-concurrency" ? { ...option, schedule } : option,
      ),
    };
    // The table gives the range; the summary (and the HTML) every run of hours.
    expect(renderPlanText(scheduled)).toMatch(
      /provisioned concurrency\s+\$538\.94\s+891\s+0\.0003%\s+schedule 4–14 by hour of day; utilisation 80%/,
    );
    expect(summarizePlan(scheduled)).toContain(
      "schedule 00–07h 4, 08–19h 14, 20–23h 6 UTC; utilisation 80%",
    );
  });

  it("says so when one model is cheapest at every scale, and names no saving for on-demand", () => {
    const flat: PlanResult = {
      ...PLAN_RESULT,
      scaling: PLAN_RESULT.scaling.map((point) => ({
        ...point,
        periodUsd: { ...point.periodUsd, "managed-instances": 1 },
      })),
    };
    expect(scalingCrossings(flat)).toEqual([]);
    expect(renderPlanText(flat)).toContain(
      "As traffic changes: Managed Instances is the cheapest throughout (traffic scaled 0.1× to 10×).",
    );
    const onDemand: PlanResult = {
      ...PLAN_RESULT,
      recommendation: {
        ...PLAN_RESULT.recommendation,
        model: "on-demand",
        monthlyUsd: 578.26,
        monthlySavingUsd: 0,
      },
    };
    expect(renderPlanText(onDemand)).toContain("Recommendation: on-demand at $578.26 a month.");
  });
});

describe("summarizePlan", () => {
  it("says in a few lines what each model costs and which to use", () => {
    expect(summarizePlan(PLAN_RESULT).split("\n")).toEqual([
      "orders-api: 1,024 MB x86_64, nodejs22.x, mean 120 ms, init 850 ms. Traffic: 14 days from 2026-11-16 00:00 UTC in 1-minute steps, 120.96M invocations (traffic/orders-api.csv).",
      "Shape: steady baseline + spikes: peak-to-mean 2.58, 0% of steps idle, coefficient of variation 0.29; concurrency mean 12, baseline 11, peak 31.",
      "on-demand: $578.26 a month, 6,844 cold starts (0.0026%).",
      "provisioned concurrency: $538.94 a month, 891 cold starts (0.0003%); level 11; utilisation 80%, break-even 60%.",
      "SnapStart: unavailable: nodejs22.x does not support SnapStart (Java 11+, Python 3.12+ and .NET 8+ do).",
      "Managed Instances: $463.58 a month, 0 cold starts (0%); 3 × c7i.xlarge at the peak.",
      `Recommendation: Managed Instances at $463.58 a month saves $114.68 a month against on-demand. Why: ${PLAN_RESULT.recommendation.reason}`,
      "Runner-up: provisioned concurrency costs $75.36 a month more ($538.94).",
      "As traffic changes: cheapest: provisioned concurrency up to 0.81×, then Managed Instances (traffic scaled 0.1× to 10×).",
      "Prices: us-east-1 as of 2026-11-28. Modelled: idleReclaimMinutes = 10; maxConcurrencyPerEnvironment = 64; instance launch time = 40 s; coldStarts (idleReclaimMinutes = 10): on-demand, provisioned concurrency.",
    ]);
  });
});
