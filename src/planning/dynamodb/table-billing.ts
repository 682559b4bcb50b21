/**
 * Which billing mode fits a DynamoDB table, from its own traffic: the
 * consumed read and write capacity units per step (CloudWatch's
 * ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits, Sum per period)
 * priced on ON_DEMAND (per million request units: a consumed unit is a
 * request unit) and on PROVISIONED with auto scaling (capacity that tracks
 * the traffic at a target utilisation, billed per unit-hour whether used or
 * not). Pure: plain numbers in, plain numbers out, no I/O.
 *
 * Each global secondary index is billed too, as a table of its own: on
 * ON_DEMAND its consumed units are request units like the table's, on
 * PROVISIONED it has its own read and write capacity, scaled by its own
 * auto scaling policy, so its hourly peaks are its own. A table with two
 * indexes that every write updates pays for three times the writes.
 *
 * Auto scaling is modelled simply, and every result says so:
 * - each clock hour is provisioned at its own peak: the highest per-second
 *   rate of any step in it (a step's Sum over its seconds) divided by the
 *   target utilisation, rounded up to a whole unit, never under the minimum
 *   of 1 unit a table can have;
 * - scale-out is in time for the peak. Target tracking really reacts after
 *   about two minutes over the target; until then a burst is served from
 *   DynamoDB's burst capacity (up to 300 s of unused capacity) or throttled;
 * - scale-in happens at the hour's end. Target tracking really waits for
 *   15 minutes under the target, and DynamoDB allows 4 decreases a day plus
 *   one per hour after them (27 a day): an hour-by-hour schedule stays within
 *   that, but real capacity lingers after a peak, so the provisioned cost
 *   here is a lower bound and on-demand wins any close call.
 */
import { formatNumber, formatPercent, formatUsd } from "../../format.js";

export interface TableTraffic {
  /** The first step's start, ms since the epoch: steps are grouped into clock hours from it. */
  readonly startMs: number;
  /** Seconds per step: 60, 300 or 3600 (CloudWatch's periods), a divisor of an hour. */
  readonly stepSeconds: number;
  /** Read capacity units consumed in each step (ConsumedReadCapacityUnits, Sum). */
  readonly readUnits: readonly number[];
  /** Write capacity units consumed in each step (ConsumedWriteCapacityUnits, Sum). */
  readonly writeUnits: readonly number[];
  /** The table's global secondary indexes, each with its own series over the same steps (none when left out). */
  readonly indexes?: readonly IndexTraffic[];
}

/** A global secondary index's consumed units (the metrics with a GlobalSecondaryIndexName). */
export interface IndexTraffic {
  readonly name: string;
  readonly readUnits: readonly number[];
  readonly writeUnits: readonly number[];
}

export interface CapacityPrices {
  readonly onDemandPerMillionReadUnits: number;
  readonly onDemandPerMillionWriteUnits: number;
  readonly provisionedPerReadUnitHour: number;
  readonly provisionedPerWriteUnitHour: number;
}

export interface TableBillingSettings {
  /** The auto scaling target: consumed capacity over provisioned capacity, 0.2 to 0.9 (AWS's default 0.7). */
  readonly targetUtilization: number;
}

/** AWS's default target for DynamoDB auto scaling, and the range it accepts (20% to 90%). */
export const DEFAULT_TARGET_UTILIZATION = 0.7;
export const TARGET_UTILIZATION_RANGE = { minimum: 0.2, maximum: 0.9 } as const;
/** The least capacity a provisioned table (and an auto scaling MinCapacity) can have. */
export const MINIMUM_CAPACITY_UNITS = 1;
/** A month as AWS prices one: 730 hours. */
export const HOURS_PER_MONTH = 730;

const SECONDS_PER_HOUR = 3600;
const HOUR_MS = SECONDS_PER_HOUR * 1000;

export type BillingMode = "ON_DEMAND" | "PROVISIONED";

/** One kind of capacity (reads or writes) through the window, and its cost each way. */
export interface CapacityFigures {
  /** Units consumed over the window: request units on ON_DEMAND. */
  readonly consumedUnits: number;
  /** The mean rate over the window, units per second. */
  readonly meanPerSecond: number;
  /** The highest step's rate, units per second. */
  readonly peakPerSecond: number;
  /** Peak over mean; null when nothing was consumed. */
  readonly peakToMean: number | null;
  /** ON_DEMAND over the window: consumedUnits at the price per million. */
  readonly onDemandUsd: number;
  /** PROVISIONED: the unit-hours auto scaling would have set, hour by hour. */
  readonly provisionedUnitHours: number;
  /** The highest hour's provisioned capacity, units. */
  readonly peakProvisionedUnits: number;
  readonly provisionedUsd: number;
  /** Consumed over provisioned (unit-seconds): how much of the capacity paid for did work. */
  readonly utilization: number;
  /** The utilisation above which provisioned is the cheaper mode: the unit-hour price over 3,600 request units' price. */
  readonly breakEvenUtilization: number;
}

export interface TableBillingModel {
  readonly stepSeconds: number;
  /** The window's length in hours (steps × stepSeconds / 3600). */
  readonly hours: number;
  readonly targetUtilization: number;
  /** The table's own reads and writes. */
  readonly reads: CapacityFigures;
  readonly writes: CapacityFigures;
  /** Each global secondary index's, priced and provisioned on its own. */
  readonly indexes: readonly IndexFigures[];
  /** Clock hours in which the table and its indexes consumed nothing, reads or writes. */
  readonly idleHours: number;
  /** Clock hours the window touches. */
  readonly clockHours: number;
  readonly idleHourShare: number;
  /** The table and its indexes together. */
  readonly onDemand: ModeCost;
  readonly provisioned: ModeCost;
  /**
   * The share of the provisioned dollars that bought consumed capacity, and
   * the share at which both modes cost the same: provisioned is cheaper
   * exactly when the first is above the second. Null when nothing was consumed.
   */
  readonly pricedUtilization: number | null;
  readonly breakEvenUtilization: number | null;
  readonly recommendation: {
    readonly mode: BillingMode;
    /** What the recommended mode saves a month against the other. */
    readonly monthlySavingUsd: number;
    readonly reasons: readonly string[];
  };
}

export interface IndexFigures {
  readonly name: string;
  readonly reads: CapacityFigures;
  readonly writes: CapacityFigures;
  /** The index's share of each mode's cost (its reads and writes). */
  readonly onDemand: ModeCost;
  readonly provisioned: ModeCost;
}

export interface ModeCost {
  /** Over the window. */
  readonly windowUsd: number;
  /** The window scaled to a 730-hour month. */
  readonly monthlyUsd: number;
}

/** Price `traffic` on both modes and say which fits. Throws on series that do not fit together. */
export function modelTableBilling(
  traffic: TableTraffic,
  prices: CapacityPrices,
  settings: TableBillingSettings,
): TableBillingModel {
  const { stepSeconds, readUnits, writeUnits, indexes: indexTraffic = [] } = traffic;
  if (readUnits.length !== writeUnits.length)
    throw new Error(
      `reads and writes must have a value per step: ${readUnits.length} reads, ${writeUnits.length} writes`,
    );
  for (const index of indexTraffic)
    if (index.readUnits.length !== readUnits.length || index.writeUnits.length !== readUnits.length)
      throw new Error(
        `index ${index.name} must have a value per step like the table: ${index.readUnits.length} reads, ${index.writeUnits.length} writes, not ${readUnits.length}`,
      );
  if (!(stepSeconds > 0) || SECONDS_PER_HOUR % stepSeconds !== 0)
    throw new Error(`stepSeconds must divide an hour: ${stepSeconds}`);
  if (readUnits.length === 0) throw new Error("the traffic has no steps");
  const hourOf = (step: number) =>
    Math.floor((traffic.startMs + step * stepSeconds * 1000) / HOUR_MS);
  const hours = (readUnits.length * stepSeconds) / SECONDS_PER_HOUR;
  // Reads and writes, of the table and of each index, are provisioned and scaled apart.
  const figuresOf = (series: { readUnits: readonly number[]; writeUnits: readonly number[] }) => ({
    reads: capacityFigures(
      series.readUnits,
      stepSeconds,
      hourOf,
      prices.onDemandPerMillionReadUnits,
      prices.provisionedPerReadUnitHour,
      settings.targetUtilization,
    ),
    writes: capacityFigures(
      series.writeUnits,
      stepSeconds,
      hourOf,
      prices.onDemandPerMillionWriteUnits,
      prices.provisionedPerWriteUnitHour,
      settings.targetUtilization,
    ),
  });
  const month = HOURS_PER_MONTH / hours;
  const cost = (windowUsd: number): ModeCost => ({ windowUsd, monthlyUsd: windowUsd * month });
  const { reads, writes } = figuresOf(traffic);
  const indexes = indexTraffic.map((index): IndexFigures => {
    const figures = figuresOf(index);
    return {
      name: index.name,
      ...figures,
      onDemand: cost(figures.reads.onDemandUsd + figures.writes.onDemandUsd),
      provisioned: cost(figures.reads.provisionedUsd + figures.writes.provisionedUsd),
    };
  });
  const everySeries = [traffic, ...indexTraffic].flatMap((series) => [
    series.readUnits,
    series.writeUnits,
  ]);
  const busy = new Map<number, boolean>();
  for (let step = 0; step < readUnits.length; step++) {
    const hour = hourOf(step);
    busy.set(hour, (busy.get(hour) ?? false) || everySeries.some((units) => units[step]! > 0));
  }
  const clockHours = busy.size;
  const idleHours = [...busy.values()].filter((isBusy) => !isBusy).length;
  const everyFigures = [reads, writes, ...indexes.flatMap((index) => [index.reads, index.writes])];
  const total = (figure: (figures: CapacityFigures) => number) =>
    everyFigures.reduce((sum, figures) => sum + figure(figures), 0);
  const onDemand = cost(total((figures) => figures.onDemandUsd));
  const provisioned = cost(total((figures) => figures.provisionedUsd));
  // Consumed capacity priced at the provisioned unit-hour rate, against what each mode costs.
  const consumedAtProvisionedRate =
    [{ reads, writes }, ...indexes].reduce(
      (sum, figures) =>
        sum +
        figures.reads.consumedUnits * prices.provisionedPerReadUnitHour +
        figures.writes.consumedUnits * prices.provisionedPerWriteUnitHour,
      0,
    ) / SECONDS_PER_HOUR;
  const consumedAny = total((figures) => figures.consumedUnits) > 0;
  const pricedUtilization =
    consumedAny && provisioned.windowUsd > 0
      ? consumedAtProvisionedRate / provisioned.windowUsd
      : null;
  const breakEvenUtilization =
    consumedAny && onDemand.windowUsd > 0 ? consumedAtProvisionedRate / onDemand.windowUsd : null;
  // A tie goes to ON_DEMAND: the provisioned figure is a lower bound (see above).
  const mode: BillingMode =
    provisioned.monthlyUsd < onDemand.monthlyUsd ? "PROVISIONED" : "ON_DEMAND";
  const model = {
    stepSeconds,
    hours,
    targetUtilization: settings.targetUtilization,
    reads,
    writes,
    indexes,
    idleHours,
    clockHours,
    idleHourShare: idleHours / clockHours,
    onDemand,
    provisioned,
    pricedUtilization,
    breakEvenUtilization,
  };
  return {
    ...model,
    recommendation: {
      mode,
      monthlySavingUsd: Math.abs(onDemand.monthlyUsd - provisioned.monthlyUsd),
      reasons: reasonsFor(mode, model),
    },
  };
}

function capacityFigures(
  units: readonly number[],
  stepSeconds: number,
  hourOf: (step: number) => number,
  onDemandPerMillion: number,
  provisionedPerUnitHour: number,
  targetUtilization: number,
): CapacityFigures {
  let consumedUnits = 0;
  let peakPerSecond = 0;
  const hourPeaks = new Map<number, number>();
  const hourSteps = new Map<number, number>();
  for (let step = 0; step < units.length; step++) {
    const consumed = units[step]!;
    if (!Number.isFinite(consumed) || consumed < 0)
      throw new Error(
        `consumed units must be finite and not negative: ${consumed} at step ${step}`,
      );
    consumedUnits += consumed;
    const perSecond = consumed / stepSeconds;
    peakPerSecond = Math.max(peakPerSecond, perSecond);
    const hour = hourOf(step);
    hourPeaks.set(hour, Math.max(hourPeaks.get(hour) ?? 0, perSecond));
    hourSteps.set(hour, (hourSteps.get(hour) ?? 0) + 1);
  }
  let provisionedUnitHours = 0;
  let peakProvisionedUnits = 0;
  for (const [hour, peak] of hourPeaks) {
    const provisioned = provisionedFor(peak, targetUtilization);
    peakProvisionedUnits = Math.max(peakProvisionedUnits, provisioned);
    // An hour the window covers in part is paid for that part: the window is what was measured.
    provisionedUnitHours += (provisioned * hourSteps.get(hour)! * stepSeconds) / SECONDS_PER_HOUR;
  }
  const seconds = units.length * stepSeconds;
  const meanPerSecond = consumedUnits / seconds;
  return {
    consumedUnits,
    meanPerSecond,
    peakPerSecond,
    peakToMean: consumedUnits > 0 ? peakPerSecond / meanPerSecond : null,
    onDemandUsd: (consumedUnits / 1_000_000) * onDemandPerMillion,
    provisionedUnitHours,
    peakProvisionedUnits,
    provisionedUsd: provisionedUnitHours * provisionedPerUnitHour,
    utilization: consumedUnits / (provisionedUnitHours * SECONDS_PER_HOUR),
    breakEvenUtilization:
      onDemandPerMillion > 0
        ? provisionedPerUnitHour / ((SECONDS_PER_HOUR * onDemandPerMillion) / 1_000_000)
        : Number.POSITIVE_INFINITY,
  };
}

/**
 * The capacity auto scaling sets for a peak rate: the rate over the target,
 * in whole units, at least the minimum. The small allowance keeps a rate
 * that is an exact multiple (70 at 70%) from rounding up a unit on a
 * floating-point remainder.
 */
export function provisionedFor(peakPerSecond: number, targetUtilization: number): number {
  return Math.max(MINIMUM_CAPACITY_UNITS, Math.ceil(peakPerSecond / targetUtilization - 1e-9));
}

const percent = (share: number) => formatPercent(share, 1);
const ratio = (value: number | null) => (value === null ? "none" : `${formatNumber(value, 1)}×`);

function reasonsFor(mode: BillingMode, model: Omit<TableBillingModel, "recommendation">): string[] {
  const { onDemand, provisioned, reads, writes, indexes } = model;
  const target = percent(model.targetUtilization);
  const floor = `${MINIMUM_CAPACITY_UNITS} RCU and ${MINIMUM_CAPACITY_UNITS} WCU`;
  // Each index has its own minimum capacity, as the table has.
  const floorOnEach =
    indexes.length === 0
      ? ""
      : indexes.length === 1
        ? " on the table and on its global secondary index"
        : ` on the table and on each of its ${indexes.length} global secondary indexes`;
  const reasons: string[] = [];
  if (model.pricedUtilization === null) {
    reasons.push(
      `no capacity consumed in ${model.hours} hours: ON_DEMAND costs nothing, PROVISIONED still pays for ${floor} every hour${floorOnEach} (${formatUsd(provisioned.monthlyUsd)} a month)`,
    );
    return reasons;
  }
  const [cheaper, dearer] =
    mode === "ON_DEMAND" ? [onDemand, provisioned] : [provisioned, onDemand];
  const saving = dearer.monthlyUsd - cheaper.monthlyUsd;
  reasons.push(
    `ON_DEMAND costs ${formatUsd(onDemand.monthlyUsd)} a month, PROVISIONED with auto scaling at a ${target} target ${formatUsd(provisioned.monthlyUsd)}: ${mode} saves ${formatUsd(saving)} a month (${percent(dearer.monthlyUsd > 0 ? saving / dearer.monthlyUsd : 0)})${indexShare(model)}`,
  );
  const utilizations = `reads ${percent(reads.utilization)}, writes ${percent(writes.utilization)}`;
  reasons.push(
    `auto-scaled capacity would do work ${percent(model.pricedUtilization)} of the time it is paid for (${indexes.length === 0 ? utilizations : `the table's ${utilizations}; its indexes' ${percent(indexesPricedUtilization(indexes))}`}); PROVISIONED is the cheaper mode above ${percent(model.breakEvenUtilization!)}, the break-even utilisation`,
  );
  reasons.push(
    `peak-to-mean: reads ${ratio(reads.peakToMean)}, writes ${ratio(writes.peakToMean)} (peak ${formatNumber(reads.peakPerSecond, 1)} RCU/s and ${formatNumber(writes.peakPerSecond, 1)} WCU/s, mean ${formatNumber(reads.meanPerSecond, 2)} and ${formatNumber(writes.meanPerSecond, 2)})${indexes.map((index) => `; index ${index.name}: reads ${ratio(index.reads.peakToMean)}, writes ${ratio(index.writes.peakToMean)}`).join("")}${mode === "ON_DEMAND" ? ": capacity set for the peaks stands idle between them" : ": steady enough for capacity to track it"}`,
  );
  reasons.push(
    `${model.idleHours} of ${model.clockHours} hours (${percent(model.idleHourShare)}) idle${model.idleHours > 0 ? `: ON_DEMAND pays nothing for them, PROVISIONED pays for at least ${floor}${floorOnEach}` : ""}`,
  );
  return reasons;
}

/** "; the costs include 2 global secondary indexes (by-customer, by-status) at $X a month on ON_DEMAND and $Y on PROVISIONED", or nothing. */
function indexShare(model: Omit<TableBillingModel, "recommendation">): string {
  const { indexes } = model;
  if (indexes.length === 0) return "";
  const sum = (mode: (index: IndexFigures) => ModeCost) =>
    indexes.reduce((total, index) => total + mode(index).monthlyUsd, 0);
  const onDemandUsd = sum((index) => index.onDemand);
  const provisionedUsd = sum((index) => index.provisioned);
  const names = indexes.map((index) => index.name).join(", ");
  const what =
    indexes.length === 1
      ? `1 global secondary index (${names})`
      : `${indexes.length} global secondary indexes (${names})`;
  return `; the costs include ${what} at ${formatUsd(onDemandUsd)} a month on ON_DEMAND and ${formatUsd(provisionedUsd)} on PROVISIONED`;
}

/** Consumed over provisioned across the indexes' reads and writes, weighted by what each unit-hour costs. */
function indexesPricedUtilization(indexes: readonly IndexFigures[]): number {
  let consumedUsd = 0;
  let provisionedUsd = 0;
  for (const figures of indexes.flatMap((index) => [index.reads, index.writes])) {
    provisionedUsd += figures.provisionedUsd;
    consumedUsd += figures.provisionedUsd * figures.utilization;
  }
  return provisionedUsd > 0 ? consumedUsd / provisionedUsd : 0;
}
