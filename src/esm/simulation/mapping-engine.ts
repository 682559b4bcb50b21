/**
 * The event loop every source shares. Events exist only for what Lambda does
 * (a lane waking to poll or to close its batching window, an invocation
 * ending, a throttled poller resuming, the SQS pollers rescaling, a timeline
 * sample), never one per record: records are counts read off the arrival
 * curves (arrival-curves.ts), and a batch carries its records as segments
 * (count, oldest and newest arrival time). So a day at 1,000 records/s costs
 * a few events per invocation, not per record.
 */
import { type RandomSource, seededRandom } from "../../statistics.js";
import { AgeTally } from "./age-tally.js";
import { ArrivalCurves } from "./arrival-curves.js";
import { EventQueue } from "./event-queue.js";
import { SQS_SCALING_TICK_SECONDS, THROTTLE_BACKOFF_SECONDS } from "./lambda-figures.js";
import { binomial, firstFailure } from "./random-draws.js";
import type { Scenario } from "./scenario.js";
import type { SimulationPoint } from "./simulation-result.js";
import type { EngineModel } from "./source-models.js";

/** Thrown when a run would take more than `scenario.maxEvents` events. */
export class SimulationTooLongError extends Error {
  override readonly name = "SimulationTooLongError";
}

/** Records that arrived together and travel together: oldest and newest arrival, receives so far. */
interface Segment {
  count: number;
  first: number;
  last: number;
  receives: number;
}

interface Batch {
  lane: number;
  segments: Segment[];
  count: number;
  /**
   * Identical full batches received at the same instant (SQS standard with a backlog and idle
   * pollers): they run side by side and end together, so they travel as one, `count` records
   * in all, `count / copies` each. Always 1 on lanes that run one batch at a time.
   */
  copies: number;
}

interface Returning {
  segment: Segment;
  visibleAt: number;
}

const COMPLETE = 0;
const WAKE = 1;
const UNBLOCK = 2;
const POLLER_FREE = 3;
const SCALE = 4;

export interface EngineOutcome {
  arrived: number;
  processed: number;
  discarded: number;
  invocations: number;
  billedMs: number;
  batchedRecords: number;
  throttles: number;
  retries: number;
  concurrencyMax: number;
  ages: AgeTally;
  timeline: SimulationPoint[];
  events: number;
}

export function runEngine(scenario: Scenario, model: EngineModel): EngineOutcome {
  return new MappingEngine(scenario, model).run();
}

class MappingEngine {
  private readonly random: RandomSource;
  private readonly curves: ArrivalCurves;
  private readonly queue = new EventQueue();
  private readonly period: number;
  private now = 0;
  private events = 0;

  // Per lane.
  private readonly taken: Float64Array;
  private readonly gatherStart: Float64Array;
  private readonly busy: Uint8Array;
  private readonly wakeAt: Float64Array;
  private readonly pending: (Batch[] | undefined)[];
  private readonly queuedForGroup: Uint8Array;
  private readonly lastTumblingWindow: Float64Array;
  private readonly lastRead: Float64Array;

  // Per group of pollers.
  private readonly groupBusy: Int32Array;
  private readonly groupCap: Int32Array;
  private readonly groupWaiting: number[][];
  private readonly groupReadFreeAt: Float64Array;

  // In flight. Most batches are fresh records only (one segment, received once): those are kept
  // in the slot's fields (slotFresh) instead of as a Batch object, so the common invocation
  // allocates nothing; the others keep their Batch in slots.
  private readonly slots: (Batch | undefined)[] = [];
  private readonly slotStart: number[] = [];
  private readonly slotTimedOut: boolean[] = [];
  /** The slot's lane; -1 when the slot is free. */
  private readonly slotLane: number[] = [];
  private readonly slotFresh: boolean[] = [];
  private readonly slotCount: number[] = [];
  private readonly slotCopies: number[] = [];
  private readonly slotFirst: number[] = [];
  private readonly slotLast: number[] = [];
  private readonly freeSlots: number[] = [];
  private inFlight = 0;

  // SQS standard: records back in the queue after a failure or throttle, in visibility order.
  private readonly returning: Returning[] = [];
  private returningHead = 0;
  /** returning[returningHead .. visibleEnd) are visible; visibleSum is their records (kept as time moves on). */
  private visibleEnd = 0;
  private visibleSum = 0;

  // Tallies.
  private readonly ages = new AgeTally();
  private processed = 0;
  private discarded = 0;
  private invocations = 0;
  private billedMs = 0;
  private batchedRecords = 0;
  private throttles = 0;
  private throttlesAtLastScale = 0;
  private retries = 0;
  private concurrencyMax = 0;
  private readonly timeline: SimulationPoint[] = [];
  private intervalConcurrency = 0;
  private intervalProcessed = 0;
  private intervalThrottles = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly model: EngineModel,
  ) {
    this.random = seededRandom(scenario.seed);
    this.curves = new ArrivalCurves(scenario.arrivals, model.lanes, this.random);
    this.period = this.curves.periodSeconds;
    const lanes = model.lanes;
    this.taken = new Float64Array(lanes);
    this.gatherStart = new Float64Array(lanes).fill(Number.NaN);
    this.busy = new Uint8Array(lanes);
    this.wakeAt = new Float64Array(lanes).fill(Number.POSITIVE_INFINITY);
    this.pending = new Array(lanes);
    this.queuedForGroup = new Uint8Array(lanes);
    this.lastTumblingWindow = new Float64Array(lanes).fill(-1);
    this.lastRead = new Float64Array(lanes).fill(Number.NEGATIVE_INFINITY);
    this.groupBusy = new Int32Array(model.groups);
    this.groupCap = new Int32Array(model.groups).fill(model.groupCap);
    this.groupWaiting = Array.from({ length: model.groups }, () => []);
    this.groupReadFreeAt = new Float64Array(model.groups);
  }

  run(): EngineOutcome {
    const { model, scenario, queue } = this;
    for (let lane = 0; lane < model.lanes; lane++) this.scheduleIdle(lane, 0);
    if (model.scaling !== undefined) queue.push(SQS_SCALING_TICK_SECONDS, SCALE, 0);
    // The timeline's samples are known from the start: kept out of the heap (which they would
    // otherwise deepen for the whole run), in the places in push order they would have had.
    const points = Math.max(1, scenario.timelinePoints);
    const firstSampleOrder = queue.reserve(points);
    let point = 1;
    const limit = scenario.maxEvents;
    for (;;) {
      const eventTime = queue.peekTime();
      const sampleTime =
        point <= points ? (this.period * point) / points : Number.POSITIVE_INFINITY;
      const sampleFirst =
        sampleTime < eventTime ||
        (sampleTime === eventTime &&
          sampleTime !== Number.POSITIVE_INFINITY &&
          queue.topAfter(firstSampleOrder + point - 1));
      const time = sampleFirst ? sampleTime : eventTime;
      if (time > this.period) break;
      if (time < this.now)
        throw new Error(`simulator bug: an event at ${time} s after ${this.now} s`);
      this.now = time;
      if (++this.events > limit) {
        throw new SimulationTooLongError(
          `the simulation passed ${limit.toLocaleString("en-US")} events at ${Math.round(time).toLocaleString("en-US")} s of ${Math.round(this.period).toLocaleString("en-US")} s simulated: shorten the period, lower the rate, raise the batch size or the batching window, or allow more events (maxEvents)`,
        );
      }
      if (sampleFirst) {
        this.sample();
        point++;
        continue;
      }
      const kind = queue.topKind();
      const id = queue.topId();
      queue.pop();
      switch (kind) {
        case COMPLETE:
          this.complete(id);
          break;
        case WAKE:
          if (this.wakeAt[id] === time) {
            this.wakeAt[id] = Number.POSITIVE_INFINITY;
            this.tryDispatch(id);
          }
          break;
        case UNBLOCK:
          this.busy[id] = 0;
          this.tryDispatch(id);
          break;
        case POLLER_FREE:
          this.groupBusy[id]!--;
          this.releaseGroup(id);
          break;
        case SCALE:
          this.rescale();
          break;
      }
    }
    let arrived = 0;
    for (let lane = 0; lane < model.lanes; lane++)
      arrived += this.curves.countBy(lane, this.period);
    return {
      arrived,
      processed: this.processed,
      discarded: this.discarded,
      invocations: this.invocations,
      billedMs: this.billedMs,
      batchedRecords: this.batchedRecords,
      throttles: this.throttles,
      retries: this.retries,
      concurrencyMax: this.concurrencyMax,
      ages: this.ages,
      timeline: this.timeline,
      events: this.events,
    };
  }

  // ---- Batching -----------------------------------------------------------

  /** Records visible to the lane now: returned ones (SQS standard) and fresh arrivals. */
  private visibleReturning(): number {
    const returning = this.returning;
    while (
      this.visibleEnd < returning.length &&
      returning[this.visibleEnd]!.visibleAt <= this.now
    ) {
      this.visibleSum += returning[this.visibleEnd]!.segment.count;
      this.visibleEnd++;
    }
    return this.visibleSum;
  }

  /** Give up fresh records older than the lane's age limit (retention, MaximumRecordAgeInSeconds). */
  private expireFresh(lane: number): void {
    const limit = this.model.maxAgeSeconds;
    if (limit === Number.POSITIVE_INFINITY) return;
    const cutoff = this.now - limit;
    if (cutoff <= 0) return;
    const next = this.taken[lane]! + 1;
    if (!(this.curves.timeOf(lane, next) < cutoff)) return;
    // Find the last record older than the cutoff by bisection over record numbers.
    let low = next;
    let high = this.curves.countBy(lane, this.now);
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.curves.timeOf(lane, middle) < cutoff) low = middle;
      else high = middle - 1;
    }
    this.discarded += low - next + 1;
    this.taken[lane] = low;
    this.curves.release(lane, low + 1);
  }

  private tryDispatch(lane: number): void {
    const model = this.model;
    for (;;) {
      if (model.sequential && this.busy[lane] === 1) return;
      const group = model.groupOf(lane);
      const held = this.pending[lane];
      const hasHeld = held !== undefined && held.length > 0;
      if (this.groupBusy[group]! >= this.groupCap[group]!) {
        if (hasHeld || this.freshOrReturning(lane) > 0) this.waitForGroup(lane, group);
        else this.scheduleIdle(lane, this.now);
        return;
      }
      if (hasHeld) {
        const batch = held.shift()!;
        this.expireBatch(batch);
        if (batch.count > 0) this.dispatch(batch, group);
        else if (model.sequential) continue;
        if (model.sequential) return;
        continue;
      }
      this.expireFresh(lane);
      const returned = model.failure === "queue" ? this.visibleReturning() : 0;
      const arrived = this.curves.countBy(lane, this.now) - this.taken[lane]!;
      const available = returned + arrived;
      if (available <= 0) {
        this.gatherStart[lane] = Number.NaN;
        this.scheduleIdle(lane, this.now);
        return;
      }
      let ready = available >= model.batchMax || model.windowSeconds === 0;
      let deadline = Number.POSITIVE_INFINITY;
      if (!ready) {
        if (Number.isNaN(this.gatherStart[lane]!)) this.gatherStart[lane] = this.now;
        deadline = this.gatherStart[lane]! + model.windowSeconds;
        if (model.tumblingSeconds > 0) {
          const boundary =
            (Math.floor(this.gatherStart[lane]! / model.tumblingSeconds) + 1) *
            model.tumblingSeconds;
          if (boundary < deadline) deadline = boundary;
        }
        ready = this.now >= deadline - 1e-9;
      }
      if (!ready) {
        const fill = this.curves.timeOf(lane, this.taken[lane]! + model.batchMax - returned);
        this.scheduleWake(lane, Math.min(deadline, fill));
        return;
      }
      if (model.minReadGapSeconds > 0) {
        const readable = this.lastRead[lane]! + model.minReadGapSeconds;
        if (this.now < readable - 1e-9) {
          this.scheduleWake(lane, readable);
          return;
        }
        this.lastRead[lane] = this.now;
      }
      if (model.partialOnPoll && available < model.batchMax && model.windowSeconds === 0) {
        const tick = this.nextPoll(lane, this.now);
        if (tick > this.now + 1e-9) {
          this.scheduleWake(lane, tick);
          return;
        }
      }
      this.gatherStart[lane] = Number.NaN;
      let copies = 1;
      if (!model.sequential && available >= 2 * model.batchMax) {
        const pollers = this.groupCap[group]! - this.groupBusy[group]!;
        const concurrency = model.concurrencyLimit - this.inFlight;
        copies = Math.max(
          1,
          Math.min(Math.floor(available / model.batchMax), pollers, concurrency),
        );
      }
      const count = copies > 1 ? copies * model.batchMax : Math.min(available, model.batchMax);
      if (returned === 0 && this.inFlight < model.concurrencyLimit)
        this.dispatchFresh(lane, count, copies, group);
      else {
        const batch = this.takeBatch(lane, count, returned);
        batch.copies = copies;
        this.dispatch(batch, group);
      }
      if (model.sequential) return;
    }
  }

  private freshOrReturning(lane: number): number {
    const returned = this.model.failure === "queue" ? this.visibleReturning() : 0;
    return returned + this.curves.countBy(lane, this.now) - this.taken[lane]!;
  }

  private waitForGroup(lane: number, group: number): void {
    if (this.queuedForGroup[lane] === 1) return;
    this.queuedForGroup[lane] = 1;
    this.groupWaiting[group]!.push(lane);
  }

  private releaseGroup(group: number): void {
    const waiting = this.groupWaiting[group]!;
    while (waiting.length > 0 && this.groupBusy[group]! < this.groupCap[group]!) {
      const lane = waiting.shift()!;
      this.queuedForGroup[lane] = 0;
      this.tryDispatch(lane);
    }
  }

  /** Take `count` records: returned ones first (they are older), then fresh ones in order. */
  private takeBatch(lane: number, count: number, returned: number): Batch {
    const segments: Segment[] = [];
    let left = count;
    if (returned > 0) {
      while (left > 0 && this.returningHead < this.returning.length) {
        const entry = this.returning[this.returningHead]!;
        if (entry.visibleAt > this.now) break;
        const segment = entry.segment;
        if (segment.count <= left) {
          segments.push(segment);
          left -= segment.count;
          this.visibleSum -= segment.count;
          this.returningHead++;
        } else {
          const [head, tail] = splitSegment(segment, left);
          segments.push(head);
          entry.segment = tail;
          this.visibleSum -= left;
          left = 0;
        }
      }
      if (this.returningHead > 1024 && this.returningHead * 2 > this.returning.length) {
        this.returning.splice(0, this.returningHead);
        this.visibleEnd -= this.returningHead;
        this.returningHead = 0;
      }
    }
    if (left > 0) {
      const from = this.taken[lane]! + 1;
      const to = this.taken[lane]! + left;
      segments.push({
        count: left,
        first: this.curves.timeOf(lane, from),
        last: this.curves.timeOf(lane, to),
        receives: 0,
      });
      this.taken[lane] = to;
      this.curves.release(lane, to + 1);
    }
    return { lane, segments, count, copies: 1 };
  }

  /** Drop the records of a held batch that are past the age limit. */
  private expireBatch(batch: Batch): void {
    const limit = this.model.maxAgeSeconds;
    if (limit === Number.POSITIVE_INFINITY) return;
    const cutoff = this.now - limit;
    const kept: Segment[] = [];
    for (const segment of batch.segments) {
      if (segment.last < cutoff) {
        this.discarded += segment.count;
        batch.count -= segment.count;
      } else if (segment.first < cutoff && segment.count > 1) {
        const share = (cutoff - segment.first) / Math.max(segment.last - segment.first, 1e-12);
        const drop = Math.min(segment.count - 1, Math.floor(segment.count * share));
        if (drop > 0) {
          const [, tail] = splitSegment(segment, drop);
          this.discarded += drop;
          batch.count -= drop;
          kept.push(tail);
        } else kept.push(segment);
      } else kept.push(segment);
    }
    batch.segments = kept;
  }

  // ---- Invocations ----------------------------------------------------------

  private dispatch(batch: Batch, group: number): void {
    if (this.inFlight >= this.model.concurrencyLimit) {
      this.throttle(batch, group);
      return;
    }
    for (const segment of batch.segments) segment.receives++;
    const slot = this.launch(batch.lane, batch.count, batch.copies, group);
    this.slots[slot] = batch;
    this.slotFresh[slot] = false;
  }

  /**
   * What takeBatch then dispatch do for a batch of fresh records only, when the function has
   * room for it (no throttle): the records' span goes into the slot, no Batch is made.
   */
  private dispatchFresh(lane: number, count: number, copies: number, group: number): void {
    const from = this.taken[lane]! + 1;
    const to = this.taken[lane]! + count;
    const first = this.curves.timeOf(lane, from);
    const last = this.curves.timeOf(lane, to);
    this.taken[lane] = to;
    this.curves.release(lane, to + 1);
    const slot = this.launch(lane, count, copies, group);
    this.slotFresh[slot] = true;
    this.slotFirst[slot] = first;
    this.slotLast[slot] = last;
  }

  /** The invocation's start, duration, bill and completion event; answers its slot. */
  private launch(lane: number, count: number, copies: number, group: number): number {
    const model = this.model;
    const fn = this.scenario.function;
    let start = this.now;
    if (model.groupBytesPerSecond !== Number.POSITIVE_INFINITY) {
      // Kafka provisioned mode: the poller reads the batch at its throughput before invoking.
      start = Math.max(start, this.groupReadFreeAt[group]!);
      start += (count * this.scenario.recordBytes) / model.groupBytesPerSecond;
      this.groupReadFreeAt[group] = start;
    }
    const durationMs = fn.overheadMs + (fn.perRecordMs * count) / copies;
    const timeoutMs = fn.timeoutSeconds * 1000;
    const timedOut = durationMs > timeoutMs;
    const billed = Math.ceil(timedOut ? timeoutMs : durationMs);
    this.billedMs += billed * copies;
    this.invocations += copies;
    this.batchedRecords += count;
    this.inFlight += copies;
    this.groupBusy[group]! += copies;
    if (this.inFlight > this.concurrencyMax) this.concurrencyMax = this.inFlight;
    if (this.inFlight > this.intervalConcurrency) this.intervalConcurrency = this.inFlight;
    if (model.sequential) this.busy[lane] = 1;
    const slot = this.freeSlots.length > 0 ? this.freeSlots.pop()! : this.slotLane.length;
    this.slots[slot] = undefined;
    this.slotStart[slot] = start;
    this.slotTimedOut[slot] = timedOut;
    this.slotLane[slot] = lane;
    this.slotCount[slot] = count;
    this.slotCopies[slot] = copies;
    this.queue.push(start + billed / 1000, COMPLETE, slot);
    return slot;
  }

  private throttle(batch: Batch, group: number): void {
    const model = this.model;
    this.throttles++;
    this.intervalThrottles++;
    if (model.throttleCountsAsReceive) {
      for (const segment of batch.segments) segment.receives++;
      // The poller that received the batch backs off before receiving again.
      this.groupBusy[group]!++;
      this.queue.push(this.now + THROTTLE_BACKOFF_SECONDS, POLLER_FREE, group);
      this.giveBack(batch, batch.segments, this.now, true, 0);
      return;
    }
    this.heldOf(batch.lane).unshift(batch);
    this.busy[batch.lane] = 1;
    this.queue.push(this.now + THROTTLE_BACKOFF_SECONDS, UNBLOCK, batch.lane);
  }

  private complete(slot: number): void {
    const model = this.model;
    const start = this.slotStart[slot]!;
    const timedOut = this.slotTimedOut[slot]!;
    const lane = this.slotLane[slot]!;
    const copies = this.slotCopies[slot]!;
    const errorRate = this.scenario.function.errorRate;
    let batch = this.slots[slot];
    this.slots[slot] = undefined;
    this.slotLane[slot] = -1;
    this.freeSlots.push(slot);
    this.inFlight -= copies;
    const group = model.groupOf(lane);
    this.groupBusy[group]! -= copies;
    if (model.sequential) this.busy[lane] = 0;
    if (this.slotFresh[slot]) {
      const count = this.slotCount[slot]!;
      const first = this.slotFirst[slot]!;
      const last = this.slotLast[slot]!;
      if (!timedOut && errorRate === 0 && model.tumblingSeconds === 0) {
        // The common case, as the general path below would do it, without a Batch.
        this.ages.add(count, start - last, start - first);
        this.processed += count;
        this.intervalProcessed += count;
        if (model.sequential) this.tryDispatch(lane);
        this.releaseGroup(group);
        return;
      }
      batch = { lane, segments: [{ count, first, last, receives: 1 }], count, copies };
    }
    if (batch === undefined) throw new Error(`simulator bug: slot ${slot} completed twice`);
    let succeeded: Segment[] = batch.segments;
    let failed: Segment[] = [];
    let failedBatches = 0;
    if (timedOut) {
      succeeded = [];
      failed = batch.segments;
      failedBatches = batch.copies;
    } else if (errorRate > 0) {
      if (model.reportBatchItemFailures) {
        if (model.failure === "queue") {
          const failures = binomial(this.random, batch.count, errorRate);
          if (failures > 0)
            [succeeded, failed] = splitSegments(batch.segments, batch.count - failures);
        } else {
          const first = firstFailure(this.random, batch.count, errorRate);
          if (first > 0) [succeeded, failed] = splitSegments(batch.segments, first - 1);
        }
      } else if (batch.copies === 1) {
        if (this.random() < errorRate) {
          succeeded = [];
          failed = batch.segments;
          failedBatches = 1;
        }
      } else {
        failedBatches = binomial(this.random, batch.copies, errorRate);
        const size = batch.count / batch.copies;
        if (failedBatches > 0)
          [succeeded, failed] = splitSegments(
            batch.segments,
            (batch.copies - failedBatches) * size,
          );
      }
    }
    for (const segment of succeeded) {
      this.ages.add(segment.count, start - segment.last, start - segment.first);
      this.processed += segment.count;
      this.intervalProcessed += segment.count;
    }
    if (model.tumblingSeconds > 0 && succeeded.length > 0)
      this.closeTumblingWindow(batch.lane, start);
    if (failed.length > 0) this.giveBack(batch, failed, start, false, failedBatches);
    // A lane that runs one batch at a time is free again. A shared queue's records that wait for
    // a poller are in the group's waiting list; the others have their wake-up already.
    if (model.sequential) this.tryDispatch(batch.lane);
    this.releaseGroup(group);
  }

  /**
   * A tumbling window ends with one more invocation carrying its state
   * (isFinalInvokeForWindow); modelled as one overhead-only invocation per
   * lane for each window in which the lane processed records.
   */
  private closeTumblingWindow(lane: number, start: number): void {
    const window = Math.floor(start / this.model.tumblingSeconds);
    if (this.lastTumblingWindow[lane] === window) return;
    this.lastTumblingWindow[lane] = window;
    this.invocations++;
    this.billedMs += Math.ceil(this.scenario.function.overheadMs);
  }

  /** Failed (or throttled) records: back to the queue, to the head of their lane, or given up. */
  private giveBack(
    batch: Batch,
    failed: Segment[],
    receivedAt: number,
    throttled: boolean,
    failedBatches: number,
  ): void {
    const model = this.model;
    let failedCount = 0;
    for (const segment of failed) failedCount += segment.count;
    if (model.bisect && !throttled && failedCount > 1 && !model.reportBatchItemFailures) {
      // BisectBatchOnFunctionError: the halves are retried without spending a retry attempt.
      for (const segment of failed) segment.receives--;
      const half = Math.floor(failedCount / 2);
      const [head, tail] = splitSegments(failed, half);
      this.retries += 1;
      this.heldOf(batch.lane).unshift(
        { lane: batch.lane, segments: head, count: half, copies: 1 },
        { lane: batch.lane, segments: tail, count: failedCount - half, copies: 1 },
      );
      return;
    }
    const kept: Segment[] = [];
    let keptCount = 0;
    for (const segment of failed) {
      if (segment.receives >= model.receiveLimit) this.discarded += segment.count;
      else {
        kept.push(segment);
        keptCount += segment.count;
      }
    }
    if (keptCount === 0) return;
    if (kept.length > 1) kept.splice(0, kept.length, ...coalesce(kept));
    if (!throttled)
      this.retries += model.reportBatchItemFailures ? keptCount : Math.max(1, failedBatches);
    if (model.failure === "queue") {
      const visibleAt = receivedAt + model.retryDelaySeconds;
      for (const segment of kept) this.returning.push({ segment, visibleAt });
      this.scheduleWake(batch.lane, visibleAt);
      return;
    }
    this.heldOf(batch.lane).unshift({
      lane: batch.lane,
      segments: kept,
      count: keptCount,
      copies: 1,
    });
    if (model.retryDelaySeconds > 0) {
      this.busy[batch.lane] = 1;
      this.queue.push(
        Math.max(this.now, receivedAt + model.retryDelaySeconds),
        UNBLOCK,
        batch.lane,
      );
    }
  }

  /** A lane's batches waiting to be retried ahead of new records. */
  private heldOf(lane: number): Batch[] {
    let held = this.pending[lane];
    if (held === undefined) {
      held = [];
      this.pending[lane] = held;
    }
    return held;
  }

  // ---- Scheduling -----------------------------------------------------------

  private scheduleWake(lane: number, at: number): void {
    // Never in the past: a record visible since before now (a 0 s visibility timeout) is looked at now.
    const time = Math.max(at, this.now);
    if (!(time < this.wakeAt[lane]!) || time === Number.POSITIVE_INFINITY) return;
    this.wakeAt[lane] = time;
    this.queue.push(time, WAKE, lane);
  }

  /** An empty lane wakes when its next record arrives (or at the next poll after it). */
  private scheduleIdle(lane: number, from: number): void {
    let next = this.curves.timeOf(lane, this.taken[lane]! + 1);
    if (this.model.failure === "queue" && this.returningHead < this.returning.length)
      next = Math.min(next, this.returning[this.returningHead]!.visibleAt);
    if (next === Number.POSITIVE_INFINITY) return;
    if (this.model.pollSeconds > 0) next = this.nextPoll(lane, Math.max(next, from));
    // A record due now that the count does not see yet (rounding): look again a nanosecond on.
    this.scheduleWake(lane, next > from ? next : from + 1e-9);
  }

  /** The lane's first poll at or after `time` (lanes' polls are staggered over the interval). */
  private nextPoll(lane: number, time: number): number {
    const poll = this.model.pollSeconds;
    const phase = (poll * lane) / this.model.lanes;
    const ticks = Math.max(0, Math.ceil((time - phase) / poll - 1e-9));
    return phase + ticks * poll;
  }

  /** SQS standard: more pollers while records wait, back toward the start when none do. */
  private rescale(): void {
    const scaling = this.model.scaling!;
    const waiting = this.freshOrReturning(0);
    const cap = this.groupCap[0]!;
    const throttled = this.throttles > this.throttlesAtLastScale;
    this.throttlesAtLastScale = this.throttles;
    // Throttled since the last look: adding pollers would only add throttles, so none join.
    if (waiting > 0 && this.groupBusy[0]! >= cap && !throttled) {
      this.groupCap[0] = Math.min(scaling.ceiling, cap + scaling.perTick);
      this.releaseGroup(0);
      if (this.groupWaiting[0]!.length === 0) this.tryDispatch(0);
    } else if (waiting <= 0) {
      this.groupCap[0] = Math.max(
        Math.min(this.model.groupCap, scaling.ceiling),
        this.groupBusy[0]!,
      );
    }
    this.queue.push(this.now + SQS_SCALING_TICK_SECONDS, SCALE, 0);
  }

  private sample(): void {
    let arrived = 0;
    let oldest = Number.POSITIVE_INFINITY;
    for (let lane = 0; lane < this.model.lanes; lane++) {
      const count = this.curves.countBy(lane, this.now);
      arrived += count;
      if (count > this.taken[lane]!)
        oldest = Math.min(oldest, this.curves.timeOf(lane, this.taken[lane]! + 1));
      for (const batch of this.pending[lane] ?? [])
        for (const segment of batch.segments) oldest = Math.min(oldest, segment.first);
    }
    // Records back in the queue are in the order they failed, so the oldest are near the head:
    // looking at the first 10,000 entries bounds a sample's work when millions wait.
    const end = Math.min(this.returning.length, this.returningHead + 10_000);
    for (let index = this.returningHead; index < end; index++)
      oldest = Math.min(oldest, this.returning[index]!.segment.first);
    for (let slot = 0; slot < this.slotLane.length; slot++) {
      if (this.slotLane[slot]! < 0) continue;
      const batch = this.slots[slot];
      if (batch === undefined) oldest = Math.min(oldest, this.slotFirst[slot]!);
      else for (const segment of batch.segments) oldest = Math.min(oldest, segment.first);
    }
    const backlog = Math.max(0, arrived - this.processed - this.discarded);
    this.timeline.push({
      atSeconds: this.now,
      backlog,
      oldestAgeSeconds: oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, this.now - oldest),
      concurrency: Math.max(this.intervalConcurrency, this.inFlight),
      processed: this.intervalProcessed,
      throttles: this.intervalThrottles,
    });
    this.intervalConcurrency = this.inFlight;
    this.intervalProcessed = 0;
    this.intervalThrottles = 0;
  }
}

/** The first `count` records of a segment and the rest, arrival times split in proportion. */
function splitSegment(segment: Segment, count: number): [Segment, Segment] {
  const at = segment.first + ((segment.last - segment.first) * count) / segment.count;
  return [
    { count, first: segment.first, last: at, receives: segment.receives },
    { count: segment.count - count, first: at, last: segment.last, receives: segment.receives },
  ];
}

/** The first `count` records of a batch's segments and the rest. */
function splitSegments(segments: Segment[], count: number): [Segment[], Segment[]] {
  const head: Segment[] = [];
  const tail: Segment[] = [];
  let left = count;
  for (const segment of segments) {
    if (left <= 0) tail.push(segment);
    else if (segment.count <= left) {
      head.push(segment);
      left -= segment.count;
    } else {
      const [first, rest] = splitSegment(segment, left);
      head.push(first);
      tail.push(rest);
      left = 0;
    }
  }
  return [head, tail];
}

/**
 * Records that failed together and were received as often travel on as one segment (their
 * arrival times spread from the oldest to the newest): a batch's segments stay few however
 * often its records are retried, and the work per batch with them.
 */
function coalesce(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  for (const segment of segments) {
    const same = merged.find((candidate) => candidate.receives === segment.receives);
    if (same === undefined) merged.push({ ...segment });
    else {
      same.count += segment.count;
      same.first = Math.min(same.first, segment.first);
      same.last = Math.max(same.last, segment.last);
    }
  }
  return merged;
}
