import { describe, expect, it } from "vitest";
import { planBillingModels } from "../../../src/planning/plan-models.js";
import type { BillingModel, PlanResult } from "../../../src/planning/plan-result.js";
import { BUNDLED_PRICE_TABLE } from "../../../src/pricing/price-table.js";
import { DAY_STEPS, functionOf, profileOf, settingsOf } from "../profile-builder.js";

// 1,000 requests a second (60,000 a minute) of 100 ms for a day: 100 busy at once (Little's law).
const highSteady = profileOf(DAY_STEPS, () => ({ invocations: 60_000 }));
// Baseline 4 environments, 12 for the first 10 minutes of every hour.
const spiky = profileOf(DAY_STEPS, (step) =>
  step % 60 < 10 ? { invocations: 720, concurrency: 12 } : { invocations: 240, concurrency: 4 },
);

const optionOf = (result: PlanResult, model: BillingModel) =>
  result.options.find((option) => option.model === model)!;

describe("connections each billing model keeps", () => {
  it("Node.js on Managed Instances: 2 environments' pools of 10 hold 20 where on-demand holds 100", () => {
    const fn = functionOf({ runtime: "nodejs22.x", memoryMb: 2048, meanDurationMs: 100 });
    const result = planBillingModels(highSteady, fn, settingsOf(), BUNDLED_PRICE_TABLE);
    // On-demand: one environment per concurrent request, one connection each, opened on each of
    // the 100 cold starts (steady traffic: the environments live all day).
    expect(optionOf(result, "on-demand").connections).toEqual({
      peak: 100,
      opened: 100,
      basis:
        "one connection per environment, opened at init (the guide: clients and connections created outside the handler)",
    });
    // 2 GB = 1 vCPU, 64 requests each: ⌈100 ÷ 64⌉ = 2 environments, each a pool of 10.
    const managed = optionOf(result, "managed-instances");
    expect(managed.environments).toBe(2);
    expect(managed.concurrencyPerEnvironment).toBe(64);
    expect(managed.connections).toMatchObject({ peak: 20, opened: 20 });
    expect(managed.notes).toContain(
      "20 database connections at the peak, against on-demand's 100 (one per environment): 80 fewer: concurrent requests share warm pools",
    );
    expect(result.modelled).toContain(
      "connectionPoolSize = 10 (connections in one Managed Instances environment's pool; pg's Pool and mysql2's createPool default to 10)",
    );
  });

  it("a larger pool holds one connection per concurrent request until it is full", () => {
    const fn = functionOf({ runtime: "nodejs22.x", memoryMb: 2048, meanDurationMs: 100 });
    const result = planBillingModels(
      highSteady,
      fn,
      settingsOf({ connectionPoolSize: 64 }),
      BUNDLED_PRICE_TABLE,
    );
    const managed = optionOf(result, "managed-instances");
    // Two pools of 64 could hold 128; 100 requests at once open 100.
    expect(managed.connections).toMatchObject({ peak: 100, opened: 100 });
    expect(managed.notes).toContain(
      "100 database connections at the peak, against on-demand's 100 (one per environment): no fewer at this traffic: every concurrent request still has a connection, since the pools are never full",
    );
  });

  it("Python on Managed Instances shares no pool: each of an environment's processes holds its own", () => {
    const fn = functionOf({ runtime: "python3.13", memoryMb: 2048, meanDurationMs: 100 });
    const result = planBillingModels(highSteady, fn, settingsOf(), BUNDLED_PRICE_TABLE);
    const managed = optionOf(result, "managed-instances");
    // Python: 16 per vCPU, so ⌈100 ÷ 16⌉ = 7 environments of 16 processes, each initialised.
    expect(managed.environments).toBe(7);
    expect(managed.connections).toEqual({
      peak: 112,
      opened: 112,
      basis:
        "one connection per process: Python serves each of an environment's 16 concurrent requests in its own process, which shares no pool",
    });
    expect(managed.notes).toContain(
      "no shared pool on Python: its 112 processes each hold a connection, against on-demand's 100 (one per environment)",
    );
    expect(result.modelled.some((label) => label.startsWith("connectionPoolSize"))).toBe(false);
  });

  it("provisioned environments hold a connection idle or not, and spill-over adds its own", () => {
    const fn = functionOf({
      runtime: "nodejs20.x",
      meanDurationMs: 1000,
      initDurationMs: 1000,
    });
    const result = planBillingModels(spiky, fn, settingsOf(), BUNDLED_PRICE_TABLE);
    const onDemand = optionOf(result, "on-demand");
    const provisioned = optionOf(result, "provisioned-concurrency");
    expect(provisioned.provisionedConcurrency).toBe(4);
    expect(provisioned.schedule).toBeUndefined();
    // At the spike 4 provisioned + 8 spill-over environments: 12, as on-demand.
    expect(provisioned.connections?.peak).toBe(12);
    expect(onDemand.connections?.peak).toBe(12);
    // Each connection opened is an init: the 4 provisioned ones once, then every cold start.
    expect(onDemand.connections?.opened).toBe(onDemand.coldStarts);
    expect(provisioned.connections?.opened).toBe(4 + provisioned.coldStarts);
    expect(provisioned.coldStarts).toBe(onDemand.coldStarts - 4);
  });

  it("unavailable models count none", () => {
    const fn = functionOf({ runtime: "nodejs22.x", memoryMb: 2048 });
    const result = planBillingModels(highSteady, fn, settingsOf(), BUNDLED_PRICE_TABLE);
    const snapStart = optionOf(result, "snapstart");
    expect(snapStart.available).toBe(false);
    expect(snapStart.connections).toBeUndefined();
  });
});
