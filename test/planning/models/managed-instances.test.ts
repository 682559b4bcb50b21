import { describe, expect, it } from "vitest";
import { bursts, priceManagedInstances } from "../../../src/planning/models/managed-instances.js";
import { priceOnDemand } from "../../../src/planning/models/on-demand.js";
import { prepareTraffic } from "../../../src/planning/models/prepared-traffic.js";
import { priceProvisionedConcurrency } from "../../../src/planning/models/provisioned-concurrency.js";
import {
  BUNDLED_MANAGED_INSTANCES_PRICES,
  managedInstancesPricesFor,
} from "../../../src/pricing/managed-instances-prices.js";
import { DAY_STEPS, functionOf, inputOf, profileOf, settingsOf } from "../profile-builder.js";

// 1,000 requests a second (60,000 a minute) of 100 ms for a day: 100 busy at once (Little's law).
const highSteady = profileOf(DAY_STEPS, () => ({ invocations: 60_000 }));
const node = functionOf({
  runtime: "nodejs22.x",
  memoryMb: 2048,
  architecture: "arm64",
  meanDurationMs: 100,
});

describe("Managed Instances", () => {
  it("wins at high steady throughput: three c7g.large serve 100 concurrent requests", () => {
    const input = inputOf(highSteady, node);
    expect(input.traffic.peakConcurrency).toBe(100);
    const { option } = priceManagedInstances(input);
    // 2 GB environment = 1 vCPU at 2 GiB per vCPU; Node.js serves 64 per vCPU: ⌈100 ÷ 64⌉ = 2
    // environments. A c7g.large (2 vCPU, 4 GiB) holds 2: one instance, raised to AWS's minimum of 3.
    expect(option.instanceType).toBe("c7g.large");
    expect(option.instances).toBe(3);
    // EC2: 3 × 24 h × $0.0725 = $5.22; fee: 72 instance-hours × $0.0725 × 0.15 = $0.783;
    // requests: 86,400,000 ÷ 1M × $0.20 = $17.28.
    expect(option.lines.map((line) => [line.label, line.usd])).toEqual([
      ["EC2 instances (c7g.large)", expect.closeTo(5.22, 10)],
      ["management fee", expect.closeTo(0.783, 10)],
      ["requests", expect.closeTo(17.28, 10)],
    ]);
    expect(option.periodUsd).toBeCloseTo(23.283, 10);
    expect(option.coldStarts).toBe(0);
    expect(option.notes).toContain(
      "code must be thread-safe: many requests share one environment; run `lambda-optimizer audit` (rule managed-instances-thread-safety)",
    );
    expect(option.notes.some((note) => note.startsWith("too bursty"))).toBe(false);
    // On-demand arm64: 86,400,000 × 0.1 s × 2 GB = 17,280,000 GB-s × $0.0000133334 + $17.28.
    const onDemand = priceOnDemand(input);
    expect(onDemand.option.periodUsd).toBeCloseTo(17_280_000 * 0.0000133334 + 17.28, 8);
    // Provisioned concurrency at 100: 17,280,000 GB-s allocated × $0.0000033334 + the same served
    // × $0.0000077778 + requests.
    const pc = priceProvisionedConcurrency(input, onDemand.effectivePerGbSecond);
    expect(pc.option.provisionedConcurrency).toBe(100);
    expect(pc.option.periodUsd).toBeCloseTo(
      17_280_000 * 0.0000033334 + 17_280_000 * 0.0000077778 + 17.28,
      8,
    );
    expect(option.periodUsd).toBeLessThan(pc.option.periodUsd);
  });

  it("takes off a Savings Plan from the instances but not from the management fee", () => {
    const { option } = priceManagedInstances(
      inputOf(highSteady, node, settingsOf({ savingsPlanDiscount: 0.3 })),
    );
    // EC2: $5.22 × 0.7 = $3.654; the fee stays 15% of the On-Demand $5.22 = $0.783.
    expect(option.lines[0]!.usd).toBeCloseTo(3.654, 10);
    expect(option.lines[1]!.usd).toBeCloseTo(0.783, 10);
    expect(option.lines[0]!.formula).toBe(
      "3 × c7g.large × 24 hours × $0.0725/hour × (1 − 0.3 Savings Plan)",
    );
  });

  it("packs larger environments and honours maxConcurrencyPerEnvironment", () => {
    // 8 GB Python at 2 GiB per vCPU = 4 vCPU per environment; 10 requests each (the option):
    // ⌈100 ÷ 10⌉ = 10 environments. x86: c7i.xlarge (4 vCPU, 8 GiB) holds 1 -> 10 × $0.1785/h;
    // m7i.2xlarge (8, 32) holds 2 -> 5 × $0.4032; c7i.2xlarge (8, 16) holds 2 -> 5 × $0.357 = $1.785/h,
    // c7i.4xlarge (16, 32) holds 4 -> 3 × $0.714 = $2.142/h. Cheapest: c7i.xlarge or c7i.2xlarge at
    // $1.785 an hour; the first listed (xlarge) is kept.
    const fn = functionOf({ runtime: "python3.13", memoryMb: 8192, meanDurationMs: 100 });
    const { option } = priceManagedInstances(
      inputOf(highSteady, fn, settingsOf({ maxConcurrencyPerEnvironment: 10 })),
    );
    expect(option.instanceType).toBe("c7i.xlarge");
    expect(option.instances).toBe(10);
    expect(option.periodUsd).toBeCloseTo(10 * 24 * 0.1785 * 1.15 + 17.28, 8);
  });

  it("says when concurrency more than doubles within five minutes", () => {
    // Quiet at 5 environments, then 40 for ten minutes every two hours.
    const bursty = profileOf(DAY_STEPS, (step) =>
      step % 120 < 10 && step >= 120
        ? { invocations: 24_000, concurrency: 40 }
        : { invocations: 3000, concurrency: 5 },
    );
    const traffic = prepareTraffic(bursty, 100);
    // 11 rises (at steps 120, 240, ... 1320): 40 > 2 × 5. The next four steps still have a 5 in
    // their five-minute window, but they are the same rise.
    expect(bursts(traffic)).toEqual({ count: 11, from: 5, to: 40 });
    const { option } = priceManagedInstances(inputOf(bursty, node));
    expect(option.notes.find((note) => note.startsWith("too bursty"))).toBe(
      "too bursty for Managed Instances' scaling: concurrency more than doubled within 5 minutes 11 times (largest 5 → 40); AWS's docs say throttles may follow while instances launch (tens of seconds), unless the fleet stays at the peak size priced here",
    );
  });

  it("is unavailable for runtimes it does not run", () => {
    expect(
      priceManagedInstances(inputOf(highSteady, functionOf({ runtime: "python3.12" }))).option,
    ).toMatchObject({ available: false });
    expect(
      priceManagedInstances(inputOf(highSteady, functionOf({ runtime: "nodejs20.x" }))).option
        .reason,
    ).toContain("nodejs20.x cannot run on Managed Instances");
    expect(
      priceManagedInstances(inputOf(highSteady, functionOf({ runtime: "java21" }))).option
        .available,
    ).toBe(true);
  });

  it("labels prices outside us-east-1 as modelled on us-east-1's", () => {
    expect(managedInstancesPricesFor("us-east-1", "arm64")?.modelledOn).toBeUndefined();
    expect(managedInstancesPricesFor("eu-west-1", "arm64")?.modelledOn).toBe("us-east-1");
    const { option } = priceManagedInstances(
      inputOf(highSteady, node, settingsOf({ region: "eu-west-1" })),
    );
    expect(option.modelled).toContain(
      "EC2 prices for eu-west-1 modelled on us-east-1: no price was read for eu-west-1",
    );
    // Every region of the Lambda price table has an entry.
    expect(Object.keys(BUNDLED_MANAGED_INSTANCES_PRICES.regions)).toHaveLength(25);
  });
});
