import { describe, expect, it } from "vitest";
import {
  renderRecommendation,
  renderTuneChart,
  renderTuneTable,
} from "../../src/report/terminal.js";
import type { TuneResult } from "../../src/tuning/tune-result.js";
import { configuration, tuneResult } from "./fixture.js";

const lines = (text: string) => text.split("\n");
const widest = (text: string) => Math.max(...lines(text).map((line) => [...line].length));

function allFailed(): TuneResult {
  return tuneResult({
    results: [128, 256].map((memoryMb) =>
      configuration({
        memoryMb,
        architecture: "x86_64",
        durationMs: 0,
        failed: { type: "Sandbox.Timedout", message: "Task timed out after 3.00 seconds" },
      }),
    ),
    recommendation: null,
  });
}

describe("renderTuneTable", () => {
  const table = renderTuneTable(tuneResult());

  it("has a row per configuration with memory, architecture, percentiles, costs, init and status", () => {
    expect(lines(table)[0]).toMatch(
      /Memory\s+Arch\s+p50 ms\s+p95 ms\s+Per invocation\s+Per 1M\s+Init ms\s+Status/,
    );
    const row = lines(table).find((line) => /1,769 MB\s+x86_64/.test(line))!;
    expect(row).toMatch(/1,769 MB\s+x86_64\s+200\s+224\s+\$0\.0000060161\s+\$6\.02\s+213\s+ok$/);
  });

  it("marks the winner with * and the ties with ~", () => {
    const rows = lines(table).filter((line) => line.includes(" MB "));
    expect(rows.filter((line) => line.startsWith("  *"))).toHaveLength(1);
    expect(rows.find((line) => line.startsWith("  *"))).toMatch(/128 MB\s+arm64/);
    expect(rows.filter((line) => line.startsWith("  ~"))).toHaveLength(4);
    expect(table).toContain("* recommended");
    expect(table).toContain("~ tied with it within noise");
  });

  it("shows a failed configuration's error on the line under it", () => {
    const rows = lines(table);
    const index = rows.findIndex((line) => /128 MB\s+x86_64/.test(line));
    expect(rows[index]).toMatch(/—\s+failed$/);
    expect(rows[index + 1]).toMatch(/└ Runtime\.OutOfMemory: RequestId: 1f0c Error:/);
  });

  it("fits 80 columns", () => {
    expect(widest(table)).toBeLessThanOrEqual(80);
  });

  it("drops terminal escapes from error messages", () => {
    const result = allFailed();
    result.results[0]!.error = { type: "Error", message: "bad \u001b[31mred\u001b[0m\nnext line" };
    const text = renderTuneTable(result);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("└ Error: bad [31mred[0m next line");
  });
});

describe("renderTuneChart", () => {
  const chart = renderTuneChart(tuneResult());

  it("draws cost and duration, one line style per architecture, readable at 80 columns", () => {
    expect(chart).toContain("Cost per 1M invocations (USD)");
    expect(chart).toContain("Duration p50 (ms)");
    expect(chart).toContain("── x86_64");
    expect(chart).toContain("══ arm64");
    expect(chart).toContain("● recommended");
    expect(chart).toMatch(/═/);
    expect(chart).toMatch(/─/);
    expect(widest(chart)).toBeLessThanOrEqual(80);
    expect(chart).not.toContain("\u001b");
  });

  it("labels the memory axis and the value axis", () => {
    const axis = lines(chart).filter((line) =>
      /128\s+256\s+512\s+1024\s+1769\s+3008 MB/.test(line),
    );
    expect(axis).toHaveLength(2);
    expect(chart).toMatch(/\$9\.72 ┤/);
    expect(chart).toMatch(/3,179 ms ┤●/);
  });

  it("leaves a gap for a failed configuration instead of drawing through it", () => {
    // 128 MB x86_64 failed: the x86_64 line starts at 256 MB, past the first point's column.
    const costRows = lines(chart).slice(1, 9);
    const firstColumn = costRows.map((line) => line.indexOf("┤") + 1);
    costRows.forEach((line, index) => {
      expect(line[firstColumn[index]!]).not.toBe("─");
    });
  });

  it("says so when there is nothing to draw", () => {
    expect(renderTuneChart(allFailed())).toContain("no configuration succeeded");
  });

  it("draws a single configuration", () => {
    const one = tuneResult({
      results: [configuration({ memoryMb: 512, architecture: "arm64", durationMs: 40 })],
    });
    const text = renderTuneChart(one);
    expect(text).toContain("512 MB");
    expect(widest(text)).toBeLessThanOrEqual(80);
  });
});

describe("renderRecommendation", () => {
  it("names the winner, its reason, its saving and what the run cost", () => {
    const text = renderRecommendation(tuneResult());
    expect(text).toMatch(/^Recommended: 128 MB arm64$/m);
    expect(text).toContain("The cheapest configuration per invocation: 128 MB arm64.");
    expect(text).toMatch(/Saves \$0\.00000047\d* per invocation \(\$0\.47 per 1M, 7\.8%\)/);
    expect(text).toMatch(/against the original\s+1,024 MB x86_64/);
    expect(text).toContain("us-east-1 as of 2025-08-01");
    expect(text).toContain("$0.00231");
    // A local run says how its CPU and memory were limited, and how faithfully.
    expect(text.replace(/\s+/g, " ")).toContain(
      "Sandbox: cgroup-v2; memory cgroup memory.max; 2 host CPUs; CPU law d(128)/d(1769) 14.05 (Lambda: 13.82, +1.7%).",
    );
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it("says when the winner costs more than the original", () => {
    const result = tuneResult();
    result.recommendation!.savingVsOriginal = {
      perInvocationUsd: -0.000001,
      per1MInvocationsUsd: -1,
      percent: -20,
    };
    expect(renderRecommendation(result)).toMatch(
      /Costs \$0\.000001 more per invocation \(\$1\.00 per 1M, \+20%\)/,
    );
  });

  it("says when the original was not measured", () => {
    const result = tuneResult();
    result.recommendation!.savingVsOriginal = null;
    expect(renderRecommendation(result)).toMatch(/was not measured/);
  });

  it("says every configuration failed, with their errors", () => {
    const text = renderRecommendation(allFailed());
    expect(text).toMatch(/^No recommendation: every configuration failed\.$/m);
    expect(text).toContain("128 MB x86_64: Sandbox.Timedout: Task timed out after 3.00 seconds");
    expect(text).toContain("keeps its original configuration, 1,024 MB x86_64");
  });

  it("names the configuration closest to an SLO that none met", () => {
    const base = tuneResult();
    const result = tuneResult({
      settings: { ...base.settings, strategy: "slo", maxP95Ms: 150 },
      recommendation: null,
      closestToSlo: { memoryMb: 3008, architecture: "x86_64", percentileMs: 215.04 },
    });
    const text = renderRecommendation(result);
    expect(text).toContain("no configuration meets the SLO (p95 ≤ 150 ms)");
    expect(text).toContain("The closest is 3,008 MB x86_64, at 215 ms.");
  });

  it("tells where the winner was applied", () => {
    const result = tuneResult({
      applied: { memoryMb: 128, architecture: "arm64", alias: "live", version: "7" },
    });
    expect(renderRecommendation(result)).toContain(
      "Applied: 128 MB arm64 on alias live (version 7).",
    );
  });
});
