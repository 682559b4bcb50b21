/**
 * What each invocation counts as, priced at us-east-1's published rates: 512 MB x86_64 is
 * 0.5 GB × $0.0000166667 per GB-s, plus $0.20 per million requests.
 */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/lambda/report-line.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../src/pricing/price-table.js";
import type { InvocationOutcome } from "../../src/tuning/lambda-target.js";
import { SampleTally } from "../../src/tuning/sample-tally.js";

const REQUEST_USD = 0.2 / 1_000_000;
/** 512 MB x86_64 in us-east-1, by hand: 0.5 GB × billed s × $0.0000166667, plus the request. */
const x86At512 = (billedMs: number) => 0.5 * (billedMs / 1000) * 0.0000166667 + REQUEST_USD;

function report(durationMs: number, extra: Partial<Report> = {}): Report {
  return {
    requestId: "8f5c1f0e-0000-4000-8000-000000000000",
    durationMs,
    billedDurationMs: Math.ceil(durationMs + (extra.initDurationMs ?? 0)),
    memorySizeMb: 512,
    maxMemoryUsedMb: 71,
    ...extra,
  };
}

const ok = (durationMs: number, extra?: Partial<Report>): InvocationOutcome => ({
  report: report(durationMs, extra),
  errorType: undefined,
  errorMessage: undefined,
});
const failed = (errorType: string, errorMessage: string, durationMs = 30): InvocationOutcome => ({
  report: report(durationMs),
  errorType,
  errorMessage,
});

function tally(allowedExceptions: string[] = []) {
  const spent: number[] = [];
  const counter = new SampleTally({
    memoryMb: 512,
    prices: pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64"),
    allowedExceptions,
    spend: (usd) => spent.push(usd),
  });
  return { counter, spent };
}

describe("SampleTally", () => {
  it("prices each sample from its billed duration and tells the run what it spent", () => {
    const { counter, spent } = tally();
    counter.record(ok(99.2));
    counter.record(ok(140.6));
    const { samples, errors, firstError } = counter.measurement();
    expect(errors).toBe(0);
    expect(firstError).toBeNull();
    expect(samples.map((sample) => sample.billedDurationMs)).toEqual([100, 141]);
    // 0.05 GB-s × $0.0000166667 + $0.0000002 = $0.000001033335
    expect(samples[0]!.costUsd).toBeCloseTo(0.000001033335, 15);
    expect(samples[1]!.costUsd).toBeCloseTo(x86At512(141), 15);
    expect(spent).toEqual(samples.map((sample) => sample.costUsd));
    expect(counter.costs).toEqual(spent);
    expect(samples[0]).toMatchObject({
      durationMs: 99.2,
      initDurationMs: null,
      restoreDurationMs: null,
      maxMemoryUsedMb: 71,
      errorType: null,
    });
  });

  it("counts a failure as an error, keeps the first one, and still charges it", () => {
    const { counter, spent } = tally();
    counter.record(ok(100));
    counter.record(failed("Runtime.OutOfMemory", "Runtime exited with error: signal: killed"));
    counter.record(failed("Sandbox.Timedout", "Task timed out after 3.00 seconds"));
    const measurement = counter.measurement();
    expect(measurement.samples).toHaveLength(1);
    expect(measurement.errors).toBe(2);
    expect(measurement.firstError).toEqual({
      type: "Runtime.OutOfMemory",
      message: "Runtime exited with error: signal: killed",
    });
    // Three invocations billed: 100 ms, and 30 ms for each failure.
    expect(spent).toHaveLength(3);
    expect(spent[1]).toBeCloseTo(x86At512(30), 15);
  });

  it("counts an allowed exception as a sample, marked with its type", () => {
    const { counter } = tally(["ValidationError"]);
    counter.record(failed("ValidationError", "orderId is required", 12.1));
    const { samples, errors } = counter.measurement();
    expect(errors).toBe(0);
    expect(samples).toEqual([
      expect.objectContaining({ billedDurationMs: 13, errorType: "ValidationError" }),
    ]);
  });

  it("counts an invocation without a REPORT line as an error that cost nothing", () => {
    const { counter, spent } = tally();
    counter.record({ report: undefined, errorType: undefined, errorMessage: undefined });
    expect(counter.measurement()).toMatchObject({
      errors: 1,
      firstError: { type: "Tuner.NoReport", message: "the log tail held no REPORT line" },
    });
    expect(spent).toEqual([]);
  });

  it("keeps the warm-up's cold start apart from the samples", () => {
    const { counter, spent } = tally();
    expect(counter.recordWarmUp(ok(120.4, { initDurationMs: 310.7 }))).toBe(true);
    const measurement = counter.measurement();
    expect(measurement.samples).toEqual([]);
    // Billed: ceil(120.4 + 310.7) = 432 ms, init included.
    expect(measurement.coldStart).toEqual({
      durationMs: 120.4,
      initDurationMs: 310.7,
      billedDurationMs: 432,
    });
    expect(spent[0]).toBeCloseTo(x86At512(432), 15);
  });

  it("reports a warm-up that fails as unhealthy, unless its exception is allowed", () => {
    const { counter } = tally();
    expect(counter.recordWarmUp(failed("Runtime.ExitError", "exit status 137"))).toBe(false);
    expect(counter.measurement()).toMatchObject({
      errors: 1,
      firstError: { type: "Runtime.ExitError", message: "exit status 137" },
    });
    const allowed = tally(["Runtime.ExitError"]).counter;
    expect(allowed.recordWarmUp(failed("Runtime.ExitError", "exit status 137"))).toBe(true);
    expect(allowed.errorCount).toBe(0);
  });
});
