/**
 * When records arrive, per lane, without one object or event per record.
 *
 * The run's rate profile gives the cumulative intensity Λ(t) (records expected
 * by time t; piecewise linear over the steps). Each lane (a queue, a shard's
 * partition-key lane, a Kafka partition, a FIFO message group) takes an equal
 * share 1/L of it. A lane's k-th record arrives when Λ(t)/L reaches S_k:
 *
 *  - constant arrivals: S_k = k − φ (evenly spaced at the step's rate; φ = l/L
 *    staggers the lanes so they do not all receive at the same instant);
 *  - Poisson arrivals: S_k is the sum of k unit exponentials, so the gaps in
 *    Λ-time are exponential and the process in real time is a (non-homogeneous)
 *    Poisson process. Splitting a Poisson process evenly at random over L lanes
 *    gives L independent Poisson processes of a 1/L share each.
 *
 * Poisson S values are drawn in chunks of `grain` records: the chunk's span is
 * a Gamma(grain) draw (the exact spacing of `grain` Poisson arrivals) and the
 * records inside it are spaced evenly. With grain 1 the process is exact; the
 * grain grows with the run so no run draws more than about a million chunks
 * (a day at 1,000 records/s: chunks of 87 records, 87 ms apart on average).
 *
 * The simulator asks how many records have arrived by a time (time only moves
 * forward) and when a given record arrived (only records not yet taken), so a
 * lane keeps only the chunks between its oldest untaken record and the present.
 */
import type { RandomSource } from "../../statistics.js";
import { gamma } from "./random-draws.js";
import type { ArrivalRates } from "./scenario.js";

/** The most Poisson chunks a run draws; the grain grows past it. */
const CHUNK_BUDGET = 1_000_000;
/** Guards floor() against a record landing a rounding error short of its own arrival time. */
const EPSILON = 1e-9;
const RELATIVE_EPSILON = 1e-12;

export class ArrivalCurves {
  readonly lanes: number;
  /** Records per Poisson chunk (1 = exact). */
  readonly grain: number;
  /** Λ at the end of the run, in records. */
  readonly expectedTotal: number;
  readonly periodSeconds: number;
  private readonly poisson: boolean;
  private readonly rates: ArrayLike<number>;
  private readonly step: number;
  /** cumulative[i] = Λ at the start of step i; cumulative[steps] = the total. */
  private readonly cumulative: Float64Array;
  private readonly random: RandomSource;
  /** Poisson: per lane, the S value at the start of each kept chunk, then of the next ones. */
  private readonly bounds: number[][];
  /** Poisson: per lane, the absolute index of bounds[lane][head]. */
  private readonly baseChunk: Float64Array;
  private readonly head: Int32Array;
  /** Poisson: per lane, the chunk the last count fell in (counts only move forward). */
  private readonly countChunk: Float64Array;
  private readonly countedAt: Float64Array;
  private readonly counted: Float64Array;

  constructor(arrivals: ArrivalRates, lanes: number, random: RandomSource) {
    this.lanes = lanes;
    this.rates = arrivals.perSecond;
    this.step = arrivals.stepSeconds;
    this.poisson = arrivals.process === "poisson";
    this.random = random;
    const steps = arrivals.perSecond.length;
    this.cumulative = new Float64Array(steps + 1);
    for (let index = 0; index < steps; index++)
      this.cumulative[index + 1] = this.cumulative[index]! + arrivals.perSecond[index]! * this.step;
    this.expectedTotal = this.cumulative[steps]!;
    this.periodSeconds = steps * this.step;
    this.grain = this.poisson ? Math.max(1, Math.ceil(this.expectedTotal / CHUNK_BUDGET)) : 1;
    this.bounds = [];
    this.baseChunk = new Float64Array(lanes);
    this.head = new Int32Array(lanes);
    this.countChunk = new Float64Array(lanes);
    this.countedAt = new Float64Array(lanes).fill(Number.NaN);
    this.counted = new Float64Array(lanes);
    if (this.poisson) for (let lane = 0; lane < lanes; lane++) this.bounds.push([0]);
  }

  /** Λ(t): records expected by time t, over all lanes. */
  intensity(time: number): number {
    if (time <= 0) return 0;
    const steps = this.rates.length;
    const index = Math.floor(time / this.step);
    if (index >= steps) return this.cumulative[steps]!;
    return this.cumulative[index]! + this.rates[index]! * (time - index * this.step);
  }

  /** The first time Λ reaches `level`; Infinity past the run's end. */
  timeAtIntensity(level: number): number {
    const steps = this.rates.length;
    if (level > this.cumulative[steps]!) return Number.POSITIVE_INFINITY;
    if (level <= 0) return 0;
    let low = 0;
    let high = steps - 1;
    // The first step whose end reaches the level.
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle + 1]! >= level) high = middle;
      else low = middle + 1;
    }
    const rate = this.rates[low]!;
    const before = this.cumulative[low]!;
    return low * this.step + (rate > 0 ? (level - before) / rate : 0);
  }

  /** Records of `lane` arrived by `time` (time must not go backwards between calls for a lane). */
  countBy(lane: number, time: number): number {
    // The engine asks several times at one instant: answer those from the last count.
    if (this.countedAt[lane] === time) return this.counted[lane]!;
    const count = this.count(lane, time);
    this.countedAt[lane] = time;
    this.counted[lane] = count;
    return count;
  }

  private count(lane: number, time: number): number {
    const exact = this.intensity(time) / this.lanes;
    const level = exact + exact * RELATIVE_EPSILON + EPSILON;
    if (!this.poisson) {
      const count = Math.floor(level + lane / this.lanes);
      return Math.max(count, 0);
    }
    const bounds = this.bounds[lane]!;
    let chunk = this.countChunk[lane]!;
    for (;;) {
      const local = chunk - this.baseChunk[lane]! + this.head[lane]!;
      while (local + 1 >= bounds.length) this.extend(lane);
      const start = bounds[local]!;
      const end = bounds[local + 1]!;
      if (end > level) {
        this.countChunk[lane] = chunk;
        const within = Math.floor((this.grain * (level - start)) / (end - start));
        return chunk * this.grain + Math.max(within, 0);
      }
      chunk++;
    }
  }

  /** When record `k` (1-based) of `lane` arrives; Infinity if it never does within the run. */
  timeOf(lane: number, k: number): number {
    if (!this.poisson) return this.timeAtIntensity((k - lane / this.lanes) * this.lanes);
    const chunk = Math.floor((k - 1) / this.grain);
    const bounds = this.bounds[lane]!;
    const local = chunk - this.baseChunk[lane]! + this.head[lane]!;
    while (local + 1 >= bounds.length) this.extend(lane);
    const start = bounds[local]!;
    const end = bounds[local + 1]!;
    const within = k - chunk * this.grain;
    return this.timeAtIntensity((start + (within * (end - start)) / this.grain) * this.lanes);
  }

  /** Records of `lane` before `k` will not be asked about again: forget their chunks. */
  release(lane: number, k: number): void {
    if (!this.poisson) return;
    const chunk = Math.floor((k - 1) / this.grain);
    const drop = Math.min(chunk, this.countChunk[lane]!) - this.baseChunk[lane]!;
    if (drop <= 0) return;
    this.baseChunk[lane] = this.baseChunk[lane]! + drop;
    this.head[lane] = this.head[lane]! + drop;
    const bounds = this.bounds[lane]!;
    if (this.head[lane]! > 4096 && this.head[lane]! * 2 > bounds.length) {
      bounds.splice(0, this.head[lane]!);
      this.head[lane] = 0;
    }
  }

  private extend(lane: number): void {
    const bounds = this.bounds[lane]!;
    const last = bounds[bounds.length - 1]!;
    // Past the run's end there are no more records: one far bound closes the lane.
    if (last * this.lanes > this.expectedTotal) {
      bounds.push(last + Number.MAX_SAFE_INTEGER);
      return;
    }
    bounds.push(last + gamma(this.random, this.grain));
  }
}
