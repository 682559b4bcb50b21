import { describe, expect, it } from "vitest";
import { priceOnDemand } from "../../../src/planning/models/on-demand.js";
import { priceSnapStart, RESTORE_DURATION_MS } from "../../../src/planning/models/snapstart.js";
import { DAY_STEPS, functionOf, inputOf, profileOf } from "../profile-builder.js";

const ON_DEMAND = 0.0000166667;
// One day, one 100 ms invocation every 30 minutes: 48 invocations, each a cold start.
const everyHalfHour = profileOf(DAY_STEPS, (step) => ({ invocations: step % 30 === 0 ? 1 : 0 }));

describe("SnapStart", () => {
  it("is free for Java: cold starts become 200 ms restores instead of a 2 s init", () => {
    const fn = functionOf({ runtime: "java21", initDurationMs: 2000 });
    const { option } = priceSnapStart(inputOf(everyHalfHour, fn));
    expect(option.available).toBe(true);
    expect(RESTORE_DURATION_MS).toBe(200);
    expect(option.coldStarts).toBe(48);
    // Duration 48 × 0.1 s × 1 GB = 4.8 GB-s; restores 48 × 0.2 s × 1 GB = 9.6 GB-s; no snapshot charges.
    expect(option.periodUsd).toBeCloseTo((4.8 + 9.6) * ON_DEMAND + 48 * 0.2e-6, 12);
    expect(option.lines.map((line) => line.label)).toEqual([
      "duration",
      "restore billed on cold starts",
      "requests",
    ]);
    expect(option.notes).toContain("java21: SnapStart itself is free (no cache or restore charge)");
    expect(option.modelled[0]).toBe(
      "restoreDurationMs = 200 (billed restore duration of one restore; AWS publishes no figure)",
    );
    // On-demand bills 4.8 + 48 × 2 s = 100.8 GB-s.
    const onDemand = priceOnDemand(inputOf(everyHalfHour, fn)).option;
    expect(onDemand.periodUsd).toBeCloseTo(100.8 * ON_DEMAND + 48 * 0.2e-6, 12);
    expect(option.periodUsd).toBeLessThan(onDemand.periodUsd);
  });

  it("charges Python the snapshot cache for the whole period and each restore by the GB", () => {
    const { option } = priceSnapStart(
      inputOf(everyHalfHour, functionOf({ runtime: "python3.12", initDurationMs: 2000 })),
    );
    // Cache: 1 GB × 24 h × 3,600 s × $0.0000015046 = $0.12999744.
    // Restores: 48 × 1 GB × $0.0001397998 = $0.0067103904.
    const cache = option.lines.find((line) => line.label === "snapshot cache")!;
    const restores = option.lines.find((line) => line.label === "snapshot restores")!;
    expect(cache.usd).toBeCloseTo(0.12999744, 10);
    expect(restores.usd).toBeCloseTo(0.0067103904, 12);
    expect(option.periodUsd).toBeCloseTo(
      14.4 * ON_DEMAND + 48 * 0.2e-6 + 0.12999744 + 0.0067103904,
      10,
    );
    expect(cache.formula).toBe(
      "1 GB × 24 hours × 3600 × $0.0000015046 (one version active the whole period, three hours at least)",
    );
  });

  it("charges the cache for three hours at least", () => {
    // One hour of traffic, .NET: the cache bills 1 GB × 3 h × 3,600 s × $0.0000015046 = $0.01624968.
    const hour = profileOf(60, (step) => ({ invocations: step === 0 ? 1 : 0 }));
    const { option } = priceSnapStart(inputOf(hour, functionOf({ runtime: "dotnet8" })));
    expect(option.lines.find((line) => line.label === "snapshot cache")!.usd).toBeCloseTo(
      0.01624968,
      10,
    );
  });

  it("is unavailable without a runtime, for runtimes without it, and with more than 512 MB of /tmp", () => {
    expect(priceSnapStart(inputOf(everyHalfHour)).option).toMatchObject({
      available: false,
      reason:
        "runtime unknown: give the runtime (java21, python3.12, dotnet8...) to price SnapStart",
    });
    expect(
      priceSnapStart(inputOf(everyHalfHour, functionOf({ runtime: "nodejs22.x" }))).option.reason,
    ).toBe(
      "nodejs22.x has no SnapStart: it needs Java 11+, Python 3.12+ or .NET 8+ as a zip function (https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html)",
    );
    expect(
      priceSnapStart(inputOf(everyHalfHour, functionOf({ runtime: "python3.11" }))).option
        .available,
    ).toBe(false);
    expect(
      priceSnapStart(
        inputOf(everyHalfHour, functionOf({ runtime: "java21", ephemeralStorageMb: 1024 })),
      ).option.reason,
    ).toBe("SnapStart needs ephemeral storage of 512 MB; this function has 1024 MB");
  });
});
