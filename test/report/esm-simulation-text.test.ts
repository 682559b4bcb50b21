/** `esm simulate`'s text: the run's figures, the bill, the two charts, what is modelled; and esm_simulate's summary. */
import { describe, expect, it } from "vitest";
import {
  renderEsmSimulationText,
  renderSimulationCharts,
  summarizeEsmSimulation,
} from "../../src/report/esm-simulation-text.js";
import { SIMULATION_RESULT } from "./esm-fixtures.js";

describe("esm simulate's text", () => {
  const text = renderEsmSimulationText(SIMULATION_RESULT);
  const lines = text.split("\n");

  it("says what ran and with which settings, in CloudFormation's names", () => {
    expect(lines[0]).toBe(
      "SQS mapping, 1 hour simulated (seed 7, 1.15M events): 360,005 records arrived",
    );
    // Wrapped to the terminal's width between settings, each whole on its line.
    expect(lines.slice(1, 5)).toEqual([
      "Settings: BatchSize 10, MaximumBatchingWindowInSeconds 0,",
      " ScalingConfig.MaximumConcurrency 5, VisibilityTimeout 30,",
      " ReportBatchItemFailures false, MemorySize 1,024, Architecture x86_64,",
      " ReservedConcurrentExecutions unset",
    ]);
  });

  it("lists every figure the issue asks for, amounts aligned on the right", () => {
    const figure = (name: string) => lines.find((line) => line.trimStart().startsWith(name));
    expect(figure("Records processed")).toMatch(/^ {2}Records processed +360,000$/);
    expect(figure("Backlog at the end")).toMatch(/ 5$/);
    expect(figure("Invocations")).toMatch(/ 36,000 \(mean batch 10\)$/);
    expect(figure("Age when processed")).toMatch(/ p50 40 ms, p99 39 s, max 60 s$/);
    expect(figure("Peak concurrency")).toMatch(/ 5$/);
    expect(figure("Throttles")).toMatch(/ 3$/);
    expect(figure("Retries")).toMatch(/ 3$/);
    expect(figure("Cost over the run (1 hour)")).toMatch(/ \$0\.05$/);
    // 36,000 × $0.20 per million + 2,520 GB-s × $0.0000166667 = $0.0492, × 730 = $35.92.
    expect(figure("Cost per month (730 h)")).toMatch(/ \$35\.92$/);
    const widths = lines
      .slice(
        lines.indexOf(figure("Records processed")!),
        lines.indexOf(figure("Records processed")!) + 10,
      )
      .map((line) => line.length)
      .filter((width, _, all) => width === all[0]);
    expect(widths).toHaveLength(10);
  });

  it("shows the bill line by line with its arithmetic", () => {
    expect(text).toContain("The bill over the run (1 hour): $0.05");
    expect(text).toContain("  Requests  $0.0072\n    36,000 invocations × $0.20 per million");
    expect(text).toContain("    36,000 × 0.07 s × 1 GB = 2,520 GB-s × $0.0000166667");
    expect(text).toContain("  A month is 730 hours: × 730 = $35.92.");
  });

  it("draws the backlog and the oldest age over the hour, on one time axis", () => {
    const charts = renderSimulationCharts(SIMULATION_RESULT, 80);
    const chartLines = charts.split("\n");
    expect(chartLines[0]).toBe("  Backlog (records not yet processed)");
    // The burst's peak is the top row's label, the calm the bottom's.
    expect(chartLines[1]).toMatch(/^ {2}6,005 ┤ +╭╮$/);
    expect(chartLines[8]).toMatch(/^ {6}5 ┤─+╯ +╰─+$/);
    expect(charts).toContain("  Age of the oldest record not yet processed");
    expect(charts).toMatch(/60 s ┤ +╭╮/);
    expect(charts).toMatch(/0\.1 s ┤─+╯ +╰─+/);
    // Both x axes start at 0 and are labelled in minutes; nothing is wider than the terminal.
    expect(chartLines.filter((line) => /^ +0 3m 5m 8m/.test(line))).toHaveLength(2);
    for (const line of chartLines) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain(charts);
  });

  it("labels what is modelled, and keeps the notes", () => {
    expect(text).toContain(
      "Modelled, not documented by AWS or given:\n  - pollerStartupSeconds = 1: Lambda does not document how long a new poller takes to start receiving",
    );
    expect(text).toContain("Prices: us-east-1 as of 2026-11-01.");
    expect(text).toMatch(/Notes:\n {2}- 3 invocations were throttled/);
  });

  it("has no chart for a run of one point, and says so", () => {
    const single = { ...SIMULATION_RESULT, timeline: SIMULATION_RESULT.timeline.slice(0, 1) };
    expect(renderSimulationCharts(single)).toBe(
      "  (no chart: the run has fewer than two points in time)",
    );
  });

  it("summarises the same figures for an MCP client in a few lines", () => {
    const summary = summarizeEsmSimulation(SIMULATION_RESULT).split("\n");
    expect(summary[0]).toBe(
      "SQS mapping, 1 hour simulated (seed 7, 1.15M events): 360,005 records arrived.",
    );
    expect(summary[2]).toContain(
      "Records processed: 360,000; Backlog at the end: 5; Discarded: 0; Invocations: 36,000 (mean batch 10); Age when processed: p50 40 ms, p99 39 s, max 60 s",
    );
    expect(summary[2]).toContain("Cost per month (730 h): $35.92.");
    expect(summary[3]).toMatch(
      /^Prices: us-east-1 as of 2026-11-01\. Modelled: pollerStartupSeconds = 1/,
    );
  });
});
