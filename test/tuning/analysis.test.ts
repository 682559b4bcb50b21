/**
 * From samples to figures and a choice, at us-east-1's published rates: x86_64 $0.0000166667 and
 * arm64 $0.0000133334 per GB-s, $0.20 per million requests. Samples are recorded through
 * SampleTally from REPORT-line figures, as a run records them.
 */
import { describe, expect, it } from "vitest";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../src/pricing/price-table.js";
import {
  chooseConfiguration,
  configurationResults,
  summariseConfiguration,
} from "../../src/tuning/analysis.js";
import type { ConfigurationKey } from "../../src/tuning/configuration-key.js";
import { type Measurement, SampleTally } from "../../src/tuning/sample-tally.js";

const PRICING = { priceTable: BUNDLED_PRICE_TABLE, region: "us-east-1", discard: 0.2 };
const REQUEST_USD = 0.0000002;
const X86_GB_SECOND = 0.0000166667;
const ARM_GB_SECOND = 0.0000133334;

/** Invocations as [duration ms, init ms]; billed is their sum rounded up, as Lambda bills it. */
function measure(configuration: ConfigurationKey, invocations: [number, number?][]): Measurement {
  const tally = new SampleTally({
    memoryMb: configuration.memoryMb,
    prices: pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", configuration.architecture),
    allowedExceptions: [],
    spend: () => {},
  });
  for (const [durationMs, initDurationMs] of invocations) {
    tally.record({
      report: {
        requestId: "3c1d9a52-0000-4000-8000-000000000000",
        durationMs,
        billedDurationMs: Math.ceil(durationMs + (initDurationMs ?? 0)),
        memorySizeMb: configuration.memoryMb,
        maxMemoryUsedMb: 88,
        ...(initDurationMs !== undefined ? { initDurationMs } : {}),
      },
      errorType: undefined,
      errorMessage: undefined,
    });
  }
  return tally.measurement();
}

const X86_512 = { memoryMb: 512, architecture: "x86_64" } as const;
/** Four warm samples and one cold one: 90 ms plus 410 ms of init, billed 500 ms. */
const FIVE = measure(X86_512, [[100], [110], [120], [130], [90, 410]]);

describe("configurationResults", () => {
  it("summarises a configuration measured on AWS: speed counts init, cost is billed duration", () => {
    const [result, ...others] = configurationResults(
      FIVE,
      X86_512,
      { host: undefined, pricedOnly: [] },
      PRICING,
    );
    expect(others).toEqual([]);
    expect(result).toMatchObject({
      memoryMb: 512,
      architecture: "x86_64",
      status: "ok",
      error: null,
      invocations: 5,
      errors: 0,
      // Speeds 100, 110, 120, 130 and 90 + 410 = 500.
      durationMs: { mean: 192, trimmedMean: 120, min: 100, max: 500 },
      billedDurationMs: { mean: 192 },
      maxMemoryUsedMb: { max: 88 },
      coldStart: null,
      modelled: null,
    });
    // 0.5 GB × 0.192 s × $0.0000166667 + $0.0000002 = $0.0000018000032
    expect(result!.costPerInvocationUsd).toBeCloseTo(0.5 * 0.192 * X86_GB_SECOND + REQUEST_USD, 15);
    expect(result!.costPer1MInvocationsUsd).toBeCloseTo(1.8000032, 6);
    expect(result!.costCi95.low).toBeLessThan(result!.costPerInvocationUsd);
    expect(result!.costCi95.high).toBeGreaterThan(result!.costPerInvocationUsd);
  });

  it("prices a local run's samples again at the architecture it only models", () => {
    const [measured, modelled] = configurationResults(
      FIVE,
      X86_512,
      { host: "x86_64", pricedOnly: ["arm64"] },
      PRICING,
    );
    expect(measured).toMatchObject({ architecture: "x86_64", modelled: null });
    expect(modelled).toMatchObject({
      memoryMb: 512,
      architecture: "arm64",
      status: "ok",
      modelled: { duration: "assumed equal (not measured on Graviton)", measuredOn: "x86_64" },
    });
    // The same durations, at arm64's rate: 0.5 GB × 0.192 s × $0.0000133334 + $0.0000002.
    expect(modelled!.durationMs).toEqual(measured!.durationMs);
    expect(modelled!.costPerInvocationUsd).toBeCloseTo(
      0.5 * 0.192 * ARM_GB_SECOND + REQUEST_USD,
      15,
    );
    expect(modelled!.samples[0]!.costUsd).toBeCloseTo(0.5 * 0.1 * ARM_GB_SECOND + REQUEST_USD, 15);
    expect(measured!.samples[0]!.costUsd).toBeCloseTo(0.5 * 0.1 * X86_GB_SECOND + REQUEST_USD, 15);
  });
});

describe("summariseConfiguration", () => {
  it("fails a configuration that had an error, with its first error, or that measured nothing", () => {
    const input = {
      ...X86_512,
      discard: 0.2,
      modelled: null,
      coldStart: null,
    };
    expect(
      summariseConfiguration({
        ...input,
        samples: [],
        errors: 1,
        firstError: { type: "Runtime.OutOfMemory", message: "Runtime exited with error: killed" },
      }),
    ).toMatchObject({
      status: "failed",
      error: { type: "Runtime.OutOfMemory", message: "Runtime exited with error: killed" },
      invocations: 0,
      errors: 1,
      costPerInvocationUsd: 0,
    });
    // One failure among good samples fails the configuration too: it is never recommended.
    expect(
      summariseConfiguration({
        ...input,
        samples: FIVE.samples,
        errors: 1,
        firstError: { type: "Sandbox.Timedout", message: "Task timed out after 3.00 seconds" },
      }),
    ).toMatchObject({ status: "failed", invocations: 5, errors: 1 });
    expect(
      summariseConfiguration({ ...input, samples: [], errors: 0, firstError: null }),
    ).toMatchObject({
      status: "failed",
      error: { type: "Tuner.NoSamples", message: "no invocation was measured" },
    });
  });
});

describe("chooseConfiguration", () => {
  // CPU-bound: twice the memory, a bit more than twice as fast. Billed 200 ms at 128 MB, 90 ms at 256 MB.
  const sizes = (architecture: "x86_64" | "arm64") => [
    { memoryMb: 128, architecture, invocations: [[200], [200], [200], [200]] as [number][] },
    { memoryMb: 256, architecture, invocations: [[90], [90], [90], [90]] as [number][] },
  ];
  const SETTINGS = { strategy: "cost", balancedWeight: 0.5 } as const;

  it("on a local run, keeps a function declared arm64 on arm64 and says the figures are modelled", () => {
    const results = sizes("x86_64").flatMap(({ invocations, ...key }) =>
      configurationResults(
        measure(key, invocations),
        key,
        { host: "x86_64", pricedOnly: ["arm64"] },
        PRICING,
      ),
    );
    const original = { memoryMb: 1024, architecture: "arm64" } as const;
    const { recommendation, closestToSlo } = chooseConfiguration(
      results,
      original,
      SETTINGS,
      "x86_64",
    );
    expect(closestToSlo).toBeNull();
    // 0.25 GB × 0.09 s × $0.0000133334 + $0.0000002 = $0.0000005000015, the cheapest of the four.
    expect(recommendation).toMatchObject({ memoryMb: 256, architecture: "arm64" });
    expect(recommendation!.costPerInvocationUsd).toBeCloseTo(
      0.25 * 0.09 * ARM_GB_SECOND + REQUEST_USD,
      15,
    );
    expect(recommendation!.reason).toMatch(/^Cheapest per invocation/);
    expect(recommendation!.reason).toContain(
      " Modelled: the arm64 figures are this machine's x86_64 samples priced at arm64's rates, durations assumed equal (not measured on Graviton), so arm64 is preferred on price alone. x86_64 was not considered: the function is declared arm64, and a local run cannot tell the two apart.",
    );
  });

  it("on AWS, gives the strategy's own reason, nothing modelled", () => {
    const results = [...sizes("x86_64"), ...sizes("arm64")].flatMap(({ invocations, ...key }) =>
      configurationResults(
        measure(key, invocations),
        key,
        { host: undefined, pricedOnly: [] },
        PRICING,
      ),
    );
    const original = { memoryMb: 128, architecture: "x86_64" } as const;
    const { recommendation } = chooseConfiguration(results, original, SETTINGS, undefined);
    expect(recommendation).toMatchObject({ memoryMb: 256, architecture: "arm64" });
    expect(recommendation!.reason).not.toContain("Modelled");
    // Against 128 MB x86_64 at 0.125 × 0.2 × $0.0000166667 + $0.0000002 = $0.0000006166675.
    const originalCost = 0.125 * 0.2 * X86_GB_SECOND + REQUEST_USD;
    const chosenCost = 0.25 * 0.09 * ARM_GB_SECOND + REQUEST_USD;
    expect(recommendation!.savingVsOriginal!.percent).toBeCloseTo(
      ((originalCost - chosenCost) / originalCost) * 100,
      9,
    );
  });

  it("passes the slo bound on: none met names the closest", () => {
    const results = sizes("x86_64").flatMap(({ invocations, ...key }) =>
      configurationResults(
        measure(key, invocations),
        key,
        { host: undefined, pricedOnly: [] },
        PRICING,
      ),
    );
    const outcome = chooseConfiguration(
      results,
      { memoryMb: 128, architecture: "x86_64" },
      { strategy: "slo", balancedWeight: 0.5, maxP95Ms: 50 },
      undefined,
    );
    expect(outcome).toEqual({
      recommendation: null,
      closestToSlo: { memoryMb: 256, architecture: "x86_64", percentileMs: 90 },
    });
  });
});
