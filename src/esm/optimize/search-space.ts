/**
 * What the optimizer may change on each kind of mapping, and the scenario
 * each setting makes:
 *
 * - every source: BatchSize and MaximumBatchingWindowInSeconds (and the
 *   function's memory, when a tune result measured several sizes);
 * - SQS: ScalingConfig.MaximumConcurrency (unset, or 2–1,000). A BatchSize
 *   above 10 needs a window of at least 1 s (CloudFormation refuses it
 *   otherwise), a FIFO queue takes at most 10. The queue's VisibilityTimeout
 *   follows: at least 6× the function's timeout plus the window, AWS's advice
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html);
 * - Kinesis and DynamoDB Streams: ParallelizationFactor 1–10, and
 *   TumblingWindowInSeconds only where the mapping already has a window (see
 *   tumblingWindowLengths): a window is stateful aggregation the function is
 *   written for, never one the optimizer may add or remove;
 * - Kafka in provisioned mode: the pollers follow from the throughput, each
 *   poller carrying up to 5 MB/s and 5 concurrent invocations
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-low-latency.html),
 *   never more than the topic's partitions.
 *
 * A setting whose batch would outlast the function's timeout is not one to
 * recommend: every such batch times out and is retried.
 */

import { MB_PER_GB, SECONDS_PER_MONTH } from "../../pricing/cost.js";
import {
  BATCH_PAYLOAD_BYTES,
  KAFKA_POLLER_BYTES_PER_SECOND,
  KAFKA_POLLER_CONCURRENCY,
  SQS_MAXIMUM_BATCHES,
} from "../simulation/lambda-figures.js";
import type { FunctionModel, MappingModel, Scenario } from "../simulation/scenario.js";
import type { Bound, Estimate, Knob, Knobs, SearchSpace, SettledKnob } from "./search-settings.js";

/** A memory size a tune result measured, with the batch duration there. */
export interface MemoryCandidate {
  readonly memoryMb: number;
  readonly overheadMs: number;
  readonly perRecordMs: number;
}

/** AWS's advice: a queue's visibility timeout at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** One Kafka event poller in provisioned mode: throughput and concurrent invocations (the simulator's figures, cited there). */
export const KAFKA_POLLER_INVOCATIONS = KAFKA_POLLER_CONCURRENCY;
export { KAFKA_POLLER_BYTES_PER_SECOND };
/** The most batches an SQS mapping processes at once. */
export const SQS_MAX_CONCURRENCY = SQS_MAXIMUM_BATCHES;
/** The share of the expected records the cost's lower bound counts on. */
const POISSON_SHORTFALL = 0.95;

const BATCH_COARSE = [1, 10, 100, 1_000, 10_000];
const BATCH_FINE = [
  1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000,
];
const FIFO_BATCH_COARSE = [1, 5, 10];
const FIFO_BATCH_FINE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const WINDOW_COARSE = [0, 1, 5, 30, 300];
const WINDOW_FINE = [0, 1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300];
const CONCURRENCY_COARSE = [undefined, 5, 50, 500];
const CONCURRENCY_FINE = [
  undefined,
  2,
  3,
  5,
  10,
  15,
  20,
  30,
  50,
  75,
  100,
  150,
  200,
  300,
  500,
  750,
  1_000,
];
/**
 * Tumbling window lengths tried (AWS allows 0–900 s): the round lengths
 * aggregations are usually kept over (10 s, 30 s, 1, 2, 5, 10 and 15 minutes).
 * A window changes what the function aggregates, so these few, not every
 * second: the cost falls with the length (one invocation per lane and window
 * carries the state at its end), and the freshness bound caps it.
 */
export const TUMBLING_WINDOW_LENGTHS = [10, 30, 60, 120, 300, 600, 900];
const PARALLELIZATION_COARSE = [1, 2, 5, 10];
const PARALLELIZATION_FINE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export interface MappingSearch {
  readonly space: SearchSpace;
  /** Today's setting as knobs. */
  readonly current: Knobs;
}

/**
 * The tumbling window lengths a stream mapping's search may choose: none when
 * it has no window (0); else the standard lengths under the bound (a record's
 * aggregate is out only when its window closes, so a window as long as the
 * bound already misses it), and today's length when it too is under it. With
 * no standard length under the bound, the longest whole second under it; with
 * none at all (a bound of 1 s or less), today's alone.
 */
export function tumblingWindowLengths(today: number, maxAgeSeconds: number): number[] {
  if (today <= 0) return [];
  const under = (length: number) => length < maxAgeSeconds;
  const lengths = new Set(TUMBLING_WINDOW_LENGTHS.filter(under));
  if (under(today)) lengths.add(today);
  if (lengths.size === 0) {
    const longest = Math.ceil(maxAgeSeconds) - 1;
    lengths.add(longest >= 1 ? longest : today);
  }
  return [...lengths].sort((a, b) => a - b);
}

/**
 * A tumbling window's length as a settled knob: today's length held through the
 * climb (else the longest allowed, the cheapest); with a length, the age that
 * counts is the window plus the p99 age of processing: a record that arrives
 * as a window opens has its aggregate out when the window closes and its last
 * batch has run (a bound on it, not its exact p99: on the safe side).
 */
function tumblingKnob(today: number, maxAgeSeconds: number): SettledKnob | undefined {
  const values = tumblingWindowLengths(today, maxAgeSeconds);
  if (values.length === 0) return undefined;
  return {
    name: "tumblingWindowSeconds",
    start: values.includes(today) ? today : values.at(-1)!,
    values,
    ageWith: (value, result) => value + result.ageP99Seconds,
  };
}

/**
 * The search space of the mapping in `base` (today's scenario). `bound` caps
 * the tumbling window lengths searched; without it none is searched.
 */
export function searchSpaceOf(
  base: Scenario,
  memory: readonly MemoryCandidate[] = [],
  bound?: Pick<Bound, "maxAgeSeconds">,
): MappingSearch {
  const { mapping } = base;
  const knobs: Knob[] = [];
  const current: Record<string, number | undefined> = {
    batchSize: mapping.batchSize,
    windowSeconds: mapping.windowSeconds,
  };
  const fifo = mapping.source === "sqs" && mapping.fifo;
  knobs.push(
    withCurrent(
      {
        name: "batchSize",
        coarse: fifo ? FIFO_BATCH_COARSE : BATCH_COARSE,
        fine: fifo ? FIFO_BATCH_FINE : BATCH_FINE,
      },
      mapping.batchSize,
    ),
    withCurrent(
      { name: "windowSeconds", coarse: WINDOW_COARSE, fine: WINDOW_FINE },
      mapping.windowSeconds,
    ),
  );
  if (mapping.source === "sqs") {
    current.maximumConcurrency = mapping.maximumConcurrency;
    knobs.push(
      withCurrent(
        { name: "maximumConcurrency", coarse: CONCURRENCY_COARSE, fine: CONCURRENCY_FINE },
        mapping.maximumConcurrency,
      ),
    );
  }
  if (mapping.source === "kinesis" || mapping.source === "dynamodb") {
    current.parallelizationFactor = mapping.parallelizationFactor;
    knobs.push(
      withCurrent(
        {
          name: "parallelizationFactor",
          coarse: PARALLELIZATION_COARSE,
          fine: PARALLELIZATION_FINE,
        },
        mapping.parallelizationFactor,
      ),
    );
  }
  const todayWindow =
    mapping.source === "kinesis" || mapping.source === "dynamodb"
      ? mapping.tumblingWindowSeconds
      : 0;
  const tumbling = bound ? tumblingKnob(todayWindow, bound.maxAgeSeconds) : undefined;
  if (tumbling) current.tumblingWindowSeconds = todayWindow;
  const sizes = [...new Set(memory.map((candidate) => candidate.memoryMb))].sort((a, b) => a - b);
  if (sizes.length > 0) {
    current.memoryMb = base.function.memoryMb;
    knobs.push(
      withCurrent({ name: "memoryMb", coarse: sizes, fine: sizes }, base.function.memoryMb),
    );
  }
  const functionAt = (knobs: Knobs): FunctionModel => {
    const size = knobs.memoryMb;
    const measured = memory.find((candidate) => candidate.memoryMb === size);
    return measured && size !== undefined
      ? {
          ...base.function,
          memoryMb: size,
          overheadMs: measured.overheadMs,
          perRecordMs: measured.perRecordMs,
        }
      : base.function;
  };
  const peakPerSecond = peakRate(base);
  const arrivals = cumulativeArrivals(base);
  const space: SearchSpace = {
    estimate: (knobs) => estimate(space.apply(knobs), arrivals),
    knobs,
    ...(tumbling ? { settled: [tumbling] } : {}),
    isValid: (knobs) => {
      const length = knobs.tumblingWindowSeconds;
      if (tumbling && length !== undefined && !tumbling.values.includes(length)) return false;
      const batchSize = knobs.batchSize ?? mapping.batchSize;
      const window = knobs.windowSeconds ?? 0;
      if (mapping.source === "sqs" && !mapping.fifo && batchSize > 10 && window < 1) return false;
      const fn = functionAt(knobs);
      return fn.overheadMs + fn.perRecordMs * batchSize < fn.timeoutSeconds * 1000;
    },
    apply: (knobs) => {
      const fn = functionAt(knobs);
      return {
        ...base,
        mapping: mappingAt(mapping, knobs, fn, peakPerSecond, base.recordBytes),
        function: fn,
      };
    },
  };
  return { space, current };
}

/** The mapping with the knobs' values, and what follows from them (SQS visibility, Kafka pollers). */
function mappingAt(
  mapping: MappingModel,
  knobs: Knobs,
  fn: FunctionModel,
  peakPerSecond: number,
  recordBytes: number,
): MappingModel {
  const batchSize = knobs.batchSize ?? mapping.batchSize;
  const windowSeconds = knobs.windowSeconds ?? mapping.windowSeconds;
  if (mapping.source === "sqs")
    return {
      ...mapping,
      batchSize,
      windowSeconds,
      maximumConcurrency: knobs.maximumConcurrency,
      visibilityTimeoutSeconds: adviseVisibilityTimeout(
        mapping.visibilityTimeoutSeconds,
        fn.timeoutSeconds,
        windowSeconds,
      ),
    };
  if (mapping.source === "kafka")
    return {
      ...mapping,
      batchSize,
      windowSeconds,
      pollers:
        mapping.pollers === undefined
          ? undefined
          : kafkaPollers({
              peakPerSecond,
              recordBytes,
              batchSize,
              batchMs: fn.overheadMs + fn.perRecordMs * batchSize,
              partitions: mapping.partitions,
            }),
    };
  return {
    ...mapping,
    batchSize,
    windowSeconds,
    parallelizationFactor: knobs.parallelizationFactor ?? mapping.parallelizationFactor,
    tumblingWindowSeconds: knobs.tumblingWindowSeconds ?? mapping.tumblingWindowSeconds,
  };
}

/** The queue's visibility timeout as AWS advises it: today's, raised to 6× the function's timeout plus the window. */
export function adviseVisibilityTimeout(
  currentSeconds: number,
  timeoutSeconds: number,
  windowSeconds: number,
): number {
  return Math.max(currentSeconds, VISIBILITY_TIMEOUT_FACTOR * timeoutSeconds + windowSeconds);
}

/**
 * Provisioned Kafka pollers for the peak: enough for its bytes at 5 MB/s a
 * poller and for its concurrent invocations at 5 a poller, at most one per
 * partition (Lambda caps MaximumPollers at the partitions to keep order).
 */
export function kafkaPollers(traffic: {
  readonly peakPerSecond: number;
  readonly recordBytes: number;
  readonly batchSize: number;
  readonly batchMs: number;
  readonly partitions: number;
}): number {
  const forBytes = Math.ceil(
    (traffic.peakPerSecond * traffic.recordBytes) / KAFKA_POLLER_BYTES_PER_SECOND,
  );
  const concurrency = ((traffic.peakPerSecond / traffic.batchSize) * traffic.batchMs) / 1000;
  const forInvocations = Math.ceil(concurrency / KAFKA_POLLER_INVOCATIONS);
  return Math.max(1, Math.min(traffic.partitions, Math.max(forBytes, forInvocations)));
}

/** The expected arrivals up to the end of each step. */
interface Cumulative {
  readonly ends: Float64Array;
  readonly stepSeconds: number;
  readonly total: number;
  readonly periodSeconds: number;
}

function cumulativeArrivals(scenario: Scenario): Cumulative {
  const { perSecond, stepSeconds } = scenario.arrivals;
  const ends = new Float64Array(perSecond.length);
  let total = 0;
  for (let index = 0; index < perSecond.length; index++) {
    total += perSecond[index]! * stepSeconds;
    ends[index] = total;
  }
  return { ends, stepSeconds, total, periodSeconds: perSecond.length * stepSeconds };
}

/** When the expected arrivals reach `count`. */
function timeOfArrival(arrivals: Cumulative, count: number): number {
  const { ends, stepSeconds } = arrivals;
  let step = 0;
  while (step < ends.length && ends[step]! < count) step++;
  if (step >= ends.length) return arrivals.periodSeconds;
  const before = step > 0 ? ends[step - 1]! : 0;
  const inStep = ends[step]! - before;
  return (step + (inStep > 0 ? (count - before) / inStep : 0)) * stepSeconds;
}

/**
 * Bounds for a setting without running it. Its capacity: the most batches at
 * once (MaximumConcurrency or the SQS pollers' ceiling, shards ×
 * ParallelizationFactor, partitions; never past reserved concurrency) each
 * of the largest batch it can take (BatchSize, within 6 MB) in that batch's
 * time. By the end of the run at most capacity × T records are processed, so
 * the oldest unprocessed one arrived no later than when capacity × T had
 * arrived: it is at least that old. The cost: a request per full batch and
 * every record's and batch's time at the lowest duration price.
 */
function estimate(scenario: Scenario, arrivals: Cumulative): Estimate {
  const { mapping, function: fn, prices } = scenario;
  const batch = Math.max(
    1,
    Math.min(mapping.batchSize, Math.floor(BATCH_PAYLOAD_BYTES / scenario.recordBytes)),
  );
  const reserved = fn.reservedConcurrency ?? Number.POSITIVE_INFINITY;
  const limit = Math.min(
    reserved,
    mapping.source === "sqs"
      ? Math.min(
          mapping.maximumConcurrency ?? SQS_MAX_CONCURRENCY,
          mapping.fifo ? mapping.messageGroups : SQS_MAX_CONCURRENCY,
        )
      : mapping.source === "kafka"
        ? mapping.partitions
        : mapping.shards * mapping.parallelizationFactor,
  );
  const batchSeconds = (fn.overheadMs + fn.perRecordMs * batch) / 1000;
  const capacity = batchSeconds > 0 ? (limit * batch) / batchSeconds : Number.POSITIVE_INFINITY;
  const processedAtMost = capacity * arrivals.periodSeconds;
  const ageLowerBoundSeconds =
    processedAtMost >= arrivals.total
      ? 0
      : arrivals.periodSeconds - timeOfArrival(arrivals, processedAtMost);
  // Poisson arrivals may fall a little short of the expected count.
  const records = arrivals.total * POISSON_SHORTFALL;
  const invocations = records / mapping.batchSize;
  const lowestPerGbSecond = Math.min(
    ...prices.architecturePrices.durationTiers.map((tier) => tier.perGbSecond),
  );
  const gbSeconds =
    (fn.memoryMb / MB_PER_GB) * ((invocations * fn.overheadMs + records * fn.perRecordMs) / 1000);
  const periodUsd =
    (invocations / 1_000_000) * prices.requestsPerMillion + gbSeconds * lowestPerGbSecond;
  return {
    ageLowerBoundSeconds,
    monthlyUsdLowerBound:
      arrivals.periodSeconds > 0 ? (periodUsd * SECONDS_PER_MONTH) / arrivals.periodSeconds : 0,
  };
}

/** The highest rate of any step. */
export function peakRate(scenario: Scenario): number {
  let peak = 0;
  const { perSecond } = scenario.arrivals;
  for (let index = 0; index < perSecond.length; index++) peak = Math.max(peak, perSecond[index]!);
  return peak;
}

/** Today's value on both lists, so the climb can start from it and the grid holds it. */
function withCurrent(knob: Knob, value: number | undefined): Knob {
  const insert = (values: readonly (number | undefined)[]) =>
    values.includes(value)
      ? values
      : [...values, value].sort((a, b) => (a === undefined ? -1 : b === undefined ? 1 : a - b));
  return { ...knob, fine: insert(knob.fine) };
}
