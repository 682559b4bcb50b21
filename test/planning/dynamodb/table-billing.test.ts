/**
 * The DynamoDB billing-mode model on series whose bills are worked out by
 * hand here, at the bundled us-east-1 prices: $0.125 and $0.625 per million
 * read and write request units on ON_DEMAND, $0.00013 and $0.00065 per RCU-
 * and WCU-hour on PROVISIONED.
 */
import { describe, expect, it } from "vitest";
import {
  modelTableBilling,
  provisionedFor,
  type TableTraffic,
} from "../../../src/planning/dynamodb/table-billing.js";
import { BUNDLED_DYNAMODB_PRICES } from "../../../src/pricing/dynamodb-prices.js";

const PRICES = BUNDLED_DYNAMODB_PRICES.regions["us-east-1"]!;
const MIDNIGHT = Date.UTC(2026, 10, 30);
const MINUTES_A_DAY = 1440;
/** A day scaled to a 730-hour month. */
const MONTH = 730 / 24;

function day(read: (minute: number) => number, write: (minute: number) => number): TableTraffic {
  return {
    startMs: MIDNIGHT,
    stepSeconds: 60,
    readUnits: Array.from({ length: MINUTES_A_DAY }, (_, minute) => read(minute)),
    writeUnits: Array.from({ length: MINUTES_A_DAY }, (_, minute) => write(minute)),
  };
}

describe("modelTableBilling", () => {
  it("a steady day: 100 RCU/s and 20 WCU/s all day cost less PROVISIONED ($27.33 against $65.70 a month)", () => {
    // 6,000 read units and 1,200 write units a minute: 100 and 20 a second.
    const model = modelTableBilling(
      day(
        () => 6000,
        () => 1200,
      ),
      PRICES,
      { targetUtilization: 0.7 },
    );
    // ON_DEMAND: 8,640,000 read units × $0.125/M = $1.08; 1,728,000 write units × $0.625/M = $1.08.
    expect(model.reads.consumedUnits).toBe(8_640_000);
    expect(model.writes.consumedUnits).toBe(1_728_000);
    expect(model.reads.onDemandUsd).toBeCloseTo(1.08, 10);
    expect(model.writes.onDemandUsd).toBeCloseTo(1.08, 10);
    expect(model.onDemand.windowUsd).toBeCloseTo(2.16, 10);
    expect(model.onDemand.monthlyUsd).toBeCloseTo(2.16 * MONTH, 10); // $65.70
    // PROVISIONED: every hour ceil(100 / 0.7) = 143 RCU and ceil(20 / 0.7) = 29 WCU.
    expect(model.reads.peakProvisionedUnits).toBe(143);
    expect(model.writes.peakProvisionedUnits).toBe(29);
    expect(model.reads.provisionedUnitHours).toBe(143 * 24);
    expect(model.writes.provisionedUnitHours).toBe(29 * 24);
    // 3,432 RCU-hours × $0.00013 = $0.44616; 696 WCU-hours × $0.00065 = $0.4524.
    expect(model.provisioned.windowUsd).toBeCloseTo(0.44616 + 0.4524, 10);
    expect(model.provisioned.monthlyUsd).toBeCloseTo(0.89856 * MONTH, 10); // $27.33
    expect(model.recommendation.mode).toBe("PROVISIONED");
    expect(model.recommendation.monthlySavingUsd).toBeCloseTo((2.16 - 0.89856) * MONTH, 10);
    // Utilisation: 100 of 143 RCU, 20 of 29 WCU; break-even $0.00013 / (3,600 × $0.125/M) = 28.9%.
    expect(model.reads.utilization).toBeCloseTo(100 / 143, 10);
    expect(model.writes.utilization).toBeCloseTo(20 / 29, 10);
    expect(model.reads.breakEvenUtilization).toBeCloseTo(0.00013 / 0.00045, 10);
    expect(model.writes.breakEvenUtilization).toBeCloseTo(0.00065 / 0.00225, 10);
    expect(model.breakEvenUtilization).toBeCloseTo(0.00013 / 0.00045, 10);
    // Consumed at the unit-hour rates over the provisioned bill: (100 × $0.00013 + 20 × $0.00065) / (143 × $0.00013 + 29 × $0.00065).
    expect(model.pricedUtilization).toBeCloseTo(0.026 / 0.03744, 12); // 69.4%
    expect(model.reads.peakToMean).toBe(1);
    expect(model.idleHours).toBe(0);
    expect(model.recommendation.reasons).toEqual([
      "ON_DEMAND costs $65.70 a month, PROVISIONED with auto scaling at a 70% target $27.33: PROVISIONED saves $38.37 a month (58.4%)",
      "auto-scaled capacity would do work 69.4% of the time it is paid for (reads 69.9%, writes 69%); PROVISIONED is the cheaper mode above 28.9%, the break-even utilisation",
      "peak-to-mean: reads 1×, writes 1× (peak 100 RCU/s and 20 WCU/s, mean 100 and 20): steady enough for capacity to track it",
      "0 of 24 hours (0%) idle",
    ]);
  });

  it("a spiky, mostly idle day: one busy minute costs less ON_DEMAND ($0.46 against $11.85 a month)", () => {
    // At 12:00 one minute of 60,000 read units and 12,000 write units (1,000 and 200 a second); nothing else.
    const noon = 12 * 60;
    const model = modelTableBilling(
      day(
        (minute) => (minute === noon ? 60_000 : 0),
        (minute) => (minute === noon ? 12_000 : 0),
      ),
      PRICES,
      { targetUtilization: 0.7 },
    );
    // ON_DEMAND: 0.06 M × $0.125 + 0.012 M × $0.625 = $0.0075 + $0.0075.
    expect(model.onDemand.windowUsd).toBeCloseTo(0.015, 12);
    expect(model.onDemand.monthlyUsd).toBeCloseTo(0.015 * MONTH, 10); // $0.46
    // PROVISIONED: the noon hour ceil(1000 / 0.7) = 1,429 RCU and ceil(200 / 0.7) = 286 WCU,
    // the 23 others the minimum of 1 each: 1,452 RCU-hours and 309 WCU-hours.
    expect(model.reads.peakProvisionedUnits).toBe(1429);
    expect(model.writes.peakProvisionedUnits).toBe(286);
    expect(model.reads.provisionedUnitHours).toBe(1452);
    expect(model.writes.provisionedUnitHours).toBe(309);
    // 1,452 × $0.00013 + 309 × $0.00065 = $0.18876 + $0.20085 = $0.38961.
    expect(model.provisioned.windowUsd).toBeCloseTo(0.38961, 12);
    expect(model.provisioned.monthlyUsd).toBeCloseTo(0.38961 * MONTH, 10); // $11.85
    expect(model.recommendation.mode).toBe("ON_DEMAND");
    expect(model.recommendation.monthlySavingUsd).toBeCloseTo((0.38961 - 0.015) * MONTH, 10);
    // Peak 1,000 RCU/s against a mean of 60,000 / 86,400 s: 1,440×.
    expect(model.reads.peakToMean).toBeCloseTo(1440, 9);
    expect(model.writes.peakToMean).toBeCloseTo(1440, 9);
    expect(model.idleHours).toBe(23);
    expect(model.idleHourShare).toBeCloseTo(23 / 24, 12);
    // $0.0075 × 0.00013 / 0.00045 + ... : consumed capacity at the unit-hour rates over each bill.
    const consumedAtProvisionedRate = (60_000 * 0.00013 + 12_000 * 0.00065) / 3600;
    expect(model.pricedUtilization).toBeCloseTo(consumedAtProvisionedRate / 0.38961, 12);
    expect(model.breakEvenUtilization).toBeCloseTo(consumedAtProvisionedRate / 0.015, 12);
    expect(model.recommendation.reasons).toEqual([
      "ON_DEMAND costs $0.46 a month, PROVISIONED with auto scaling at a 70% target $11.85: ON_DEMAND saves $11.39 a month (96.1%)",
      "auto-scaled capacity would do work 1.1% of the time it is paid for (reads 1.1%, writes 1.1%); PROVISIONED is the cheaper mode above 28.9%, the break-even utilisation",
      "peak-to-mean: reads 1,440×, writes 1,440× (peak 1,000 RCU/s and 200 WCU/s, mean 0.69 and 0.14): capacity set for the peaks stands idle between them",
      "23 of 24 hours (95.8%) idle: ON_DEMAND pays nothing for them, PROVISIONED pays for at least 1 RCU and 1 WCU",
    ]);
  });

  it("a table that consumed nothing: ON_DEMAND, and PROVISIONED's floor of 1 RCU and 1 WCU an hour", () => {
    const model = modelTableBilling(
      day(
        () => 0,
        () => 0,
      ),
      PRICES,
      { targetUtilization: 0.7 },
    );
    expect(model.onDemand.monthlyUsd).toBe(0);
    // 730 hours × ($0.00013 + $0.00065) = $0.5694.
    expect(model.provisioned.monthlyUsd).toBeCloseTo(0.5694, 12);
    expect(model.recommendation.mode).toBe("ON_DEMAND");
    expect(model.pricedUtilization).toBeNull();
    expect(model.recommendation.reasons).toEqual([
      "no capacity consumed in 24 hours: ON_DEMAND costs nothing, PROVISIONED still pays for 1 RCU and 1 WCU every hour ($0.57 a month)",
    ]);
  });

  it("provisions an hour for its peak over the target, in whole units: 70 RCU/s at 70% is 100, not 101", () => {
    expect(provisionedFor(70, 0.7)).toBe(100);
    expect(provisionedFor(70.01, 0.7)).toBe(101);
    expect(provisionedFor(0.2, 0.7)).toBe(1);
    expect(provisionedFor(45, 0.9)).toBe(50);
  });

  it("a higher target provisions less: at 90% the steady day needs ceil(100 / 0.9) = 112 RCU", () => {
    const model = modelTableBilling(
      day(
        () => 6000,
        () => 1200,
      ),
      PRICES,
      { targetUtilization: 0.9 },
    );
    expect(model.reads.peakProvisionedUnits).toBe(112);
    expect(model.writes.peakProvisionedUnits).toBe(23);
    expect(model.provisioned.windowUsd).toBeCloseTo(112 * 24 * 0.00013 + 23 * 24 * 0.00065, 12);
  });

  it("a global secondary index is provisioned for its own hourly peaks: a nightly report on the index flips a steady table to ON_DEMAND", () => {
    // The steady table (100 RCU/s, 20 WCU/s all day) with one index, "by-day", that every write
    // updates (1,200 write units a minute, as the table's) and that a report Queries for one
    // minute at 02:00: 840,000 read units, 14,000 RCU/s.
    const twoAm = 2 * 60;
    const steady = day(
      () => 6000,
      () => 1200,
    );
    const model = modelTableBilling(
      {
        ...steady,
        indexes: [
          {
            name: "by-day",
            readUnits: Array.from({ length: MINUTES_A_DAY }, (_, minute) =>
              minute === twoAm ? 840_000 : 0,
            ),
            writeUnits: steady.writeUnits,
          },
        ],
      },
      PRICES,
      { targetUtilization: 0.7 },
    );
    // The table's own figures are the steady day's: 143 RCU and 29 WCU every hour.
    expect(model.reads.provisionedUnitHours).toBe(143 * 24);
    expect(model.writes.provisionedUnitHours).toBe(29 * 24);
    const [index] = model.indexes;
    expect(index?.name).toBe("by-day");
    // The index's reads: 02:00 at ceil(14,000 / 0.7) = 20,000 RCU, the 23 other hours at the
    // minimum of 1: 20,023 RCU-hours × $0.00013 = $2.60299. Its own capacity: the table's 143
    // RCU do not serve it, and its 20,000 are not the table's.
    expect(index?.reads.peakProvisionedUnits).toBe(20_000);
    expect(index?.reads.provisionedUnitHours).toBe(20_023);
    expect(index?.reads.provisionedUsd).toBeCloseTo(2.60299, 12);
    // ON_DEMAND for its reads: 0.84 M × $0.125 = $0.105.
    expect(index?.reads.onDemandUsd).toBeCloseTo(0.105, 12);
    expect(index?.reads.peakToMean).toBeCloseTo(1440, 9);
    // Its writes are the table's: 29 WCU × 24 h × $0.00065 = $0.4524; 1.728 M × $0.625 = $1.08.
    expect(index?.writes.provisionedUnitHours).toBe(29 * 24);
    expect(index?.writes.provisionedUsd).toBeCloseTo(0.4524, 12);
    expect(index?.writes.onDemandUsd).toBeCloseTo(1.08, 12);
    // A day: ON_DEMAND $2.16 (table) + $1.185 (index) = $3.345; PROVISIONED $0.89856 + $3.05539 = $3.95395.
    expect(model.onDemand.windowUsd).toBeCloseTo(3.345, 12);
    expect(model.provisioned.windowUsd).toBeCloseTo(3.95395, 12);
    // Without the index PROVISIONED saved $38.37 a month; with it ON_DEMAND saves
    // (3.95395 − 3.345) × 730 / 24 = $18.52.
    expect(model.recommendation.mode).toBe("ON_DEMAND");
    expect(model.recommendation.monthlySavingUsd).toBeCloseTo((3.95395 - 3.345) * MONTH, 10);
    // Consumed at the unit-hour rates: table (8.64 M × $0.00013 + 1.728 M × $0.00065) + index
    // (0.84 M × $0.00013 + 1.728 M × $0.00065) = $3,478.8 / 3,600 s = $0.96633 a day.
    expect(model.pricedUtilization).toBeCloseTo(3478.8 / 3600 / 3.95395, 12); // 24.4%
    expect(model.breakEvenUtilization).toBeCloseTo(3478.8 / 3600 / 3.345, 12); // 28.9%
    expect(model.recommendation.reasons).toEqual([
      // The index a month: $1.185 × 730 / 24 = $36.04 ON_DEMAND, $3.05539 × 730 / 24 = $92.93 PROVISIONED.
      "ON_DEMAND costs $101.74 a month, PROVISIONED with auto scaling at a 70% target $120.27: ON_DEMAND saves $18.52 a month (15.4%); the costs include 1 global secondary index (by-day) at $36.04 a month on ON_DEMAND and $92.93 on PROVISIONED",
      // The index's: $1,232.4 / 3,600 consumed at the unit-hour rates over its $3.05539: 11.2%.
      "auto-scaled capacity would do work 24.4% of the time it is paid for (the table's reads 69.9%, writes 69%; its indexes' 11.2%); PROVISIONED is the cheaper mode above 28.9%, the break-even utilisation",
      "peak-to-mean: reads 1×, writes 1× (peak 100 RCU/s and 20 WCU/s, mean 100 and 20); index by-day: reads 1,440×, writes 1×: capacity set for the peaks stands idle between them",
      "0 of 24 hours (0%) idle",
    ]);
  });

  it("an hour only an index worked in is not idle, and each index pays PROVISIONED's minimum", () => {
    // The table consumed nothing; its index "by-owner" was read for one minute at 05:00.
    const model = modelTableBilling(
      {
        ...day(
          () => 0,
          () => 0,
        ),
        indexes: [
          {
            name: "by-owner",
            readUnits: Array.from({ length: MINUTES_A_DAY }, (_, minute) =>
              minute === 5 * 60 ? 6_000 : 0,
            ),
            writeUnits: new Array<number>(MINUTES_A_DAY).fill(0),
          },
        ],
      },
      PRICES,
      { targetUtilization: 0.7 },
    );
    expect(model.idleHours).toBe(23);
    expect(model.reads.consumedUnits).toBe(0);
    expect(model.indexes[0]?.reads.consumedUnits).toBe(6_000);
    // The table's 1 RCU and 1 WCU, and the index's, every hour but the index's 05:00 at ceil(100 / 0.7) = 143 RCU.
    expect(model.provisioned.windowUsd).toBeCloseTo(
      24 * (0.00013 + 0.00065) + (23 + 143) * 0.00013 + 24 * 0.00065,
      12,
    );
    expect(model.recommendation.reasons.at(-1)).toBe(
      "23 of 24 hours (95.8%) idle: ON_DEMAND pays nothing for them, PROVISIONED pays for at least 1 RCU and 1 WCU on the table and on its global secondary index",
    );
  });

  it("refuses series that do not fit together", () => {
    expect(() =>
      modelTableBilling(
        { startMs: MIDNIGHT, stepSeconds: 60, readUnits: [1, 2], writeUnits: [1] },
        PRICES,
        { targetUtilization: 0.7 },
      ),
    ).toThrow("reads and writes must have a value per step: 2 reads, 1 writes");
    expect(() =>
      modelTableBilling(
        { startMs: MIDNIGHT, stepSeconds: 7, readUnits: [1], writeUnits: [1] },
        PRICES,
        { targetUtilization: 0.7 },
      ),
    ).toThrow("stepSeconds must divide an hour: 7");
    expect(() =>
      modelTableBilling(
        {
          startMs: MIDNIGHT,
          stepSeconds: 60,
          readUnits: [1, 2],
          writeUnits: [1, 2],
          indexes: [{ name: "by-day", readUnits: [1], writeUnits: [1, 2] }],
        },
        PRICES,
        { targetUtilization: 0.7 },
      ),
    ).toThrow("index by-day must have a value per step like the table: 1 reads, 2 writes, not 2");
  });
});
