/** `esm optimize`'s text: per mapping today's settings beside the recommended ones, the predictions, why, the advice. */
import { describe, expect, it } from "vitest";
import {
  renderEsmOptimizeText,
  summarizeEsmOptimization,
} from "../../src/report/esm-optimize-text.js";
import { OPTIMIZE_RESULT } from "./esm-fixtures.js";

describe("esm optimize's text", () => {
  const text = renderEsmOptimizeText(OPTIMIZE_RESULT);
  const lines = text.split("\n");

  it("states the question: the mappings, the bound, throttles", () => {
    expect(lines[0]).toBe(
      "2 event source mappings in template.yaml; the bound: p99 age under 60 s, without throttles.",
    );
  });

  it("puts each setting's current value beside the recommended one, the changed ones marked", () => {
    const start = lines.indexOf("Worker/JobQueue (SQS, function Worker, line 19)");
    expect(start).toBeGreaterThan(0);
    expect(lines[start + 1]).toBe(
      "  Traffic: 300 records/s on average, 300 at the peak, over 1 hour (given rate)",
    );
    expect(lines[start + 2]).toBe(
      "  Duration per batch: 40 ms + 3 ms per record (--overhead-ms, --record-ms)",
    );
    const row = (name: string) =>
      lines
        .slice(start)
        .find((line) => line.slice(6).startsWith(name))
        ?.trim()
        .split(/ {2,}/);
    expect(row("BatchSize")).toEqual(["→ BatchSize", "1", "50"]);
    expect(row("MaximumBatchingWindowInSeconds")).toEqual([
      "→ MaximumBatchingWindowInSeconds",
      "unset",
      "1",
    ]);
    expect(row("ScalingConfig.MaximumConcurrency")).toEqual([
      "ScalingConfig.MaximumConcurrency",
      "5",
      "5",
    ]);
    expect(row("VisibilityTimeout")).toEqual(["→ VisibilityTimeout", "30", "180"]);
    expect(row("p99 age (predicted)")).toEqual(["p99 age (predicted)", "30 min", "1.2 s"]);
    expect(row("cost a month")).toEqual(["cost a month", "$584.00", "$17.67"]);
    expect(row("within the bound")).toEqual(["within the bound", "no", "yes"]);
    expect(text).toContain(
      "  Recommended (240 settings simulated).\n  Why:\n    - Today's settings fall behind",
    );
    expect(text).toContain(
      "  The guide's advice (esm-config):\n    - warning line 21 FunctionResponseTypes: A failed record makes Lambda retry its whole batch. Fix: Add ReportBatchItemFailures to FunctionResponseTypes.",
    );
  });

  it("says when no setting meets the bound, with today's prediction still shown", () => {
    const start = lines.indexOf("ClickMapping (Kinesis, function ClickConsumer, line 41)");
    const table = lines.slice(start, start + 20);
    expect(
      table
        .find((line) => line.includes("ParallelizationFactor"))
        ?.trim()
        .split(/ {2,}/),
    ).toEqual(["ParallelizationFactor", "1", "—"]);
    expect(
      table
        .find((line) => line.includes("p99 age"))
        ?.trim()
        .split(/ {2,}/),
    ).toEqual(["p99 age (predicted)", "95 s", "—"]);
    expect(text).toContain("  No setting searched meets the bound (90 settings simulated).");
    expect(text).toContain("Modelled, not documented by AWS or given:\n  - pollersAtStart = 5: ");
  });

  it("summarises each mapping in a few lines for an MCP client", () => {
    const summary = summarizeEsmOptimization(OPTIMIZE_RESULT);
    expect(summary).toContain(
      "  Current: BatchSize 1, MaximumBatchingWindowInSeconds unset, ScalingConfig.MaximumConcurrency 5, VisibilityTimeout 30: p99 age 30 min, $584.00 a month (outside the bound).",
    );
    expect(summary).toContain(
      "  Recommended: BatchSize 50, MaximumBatchingWindowInSeconds 1, ScalingConfig.MaximumConcurrency 5, VisibilityTimeout 180: p99 age 1.2 s, $17.67 a month.",
    );
    expect(summary).toContain("  Recommended: none of the 90 settings simulated meets the bound.");
  });
});
