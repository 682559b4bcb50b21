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
 * - Kinesis and DynamoDB Streams: ParallelizationFactor 1–10;
 * - Kafka in provisioned mode: the pollers follow from the throughput, each
 *   poller carrying up to 5 MB/s and 5 concurrent invocations
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-kafka-low-latency.html),
 *   never more than the topic's partitions.
 *
 * A setting whose batch would outlast the function's timeout is not one to
 * recommend: every such batch times out and is retried.
 */
import type { FunctionModel, MappingModel, Scenario } from "../simulation/scenario.js";
import type { Knob, Knobs, SearchSpace } from "./search-settings.js";

/** A memory size a tune result measured, with the batch duration there. */
export interface MemoryCandidate {
  readonly memoryMb: number;
  readonly overheadMs: number;
  readonly perRecordMs: number;
}

/** AWS's advice: a queue's visibility timeout at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** One Kafka event poller in provisioned mode: throughput and concurrent invocations. */
export const KAFKA_POLLER_BYTES_PER_SECOND = 5 * 1024 * 1024;
export const KAFKA_POLLER_INVOCATIONS = 5;

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
const PARALLELIZATION_COARSE = [1, 2, 5, 10];
const PARALLELIZATION_FINE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export interface MappingSearch {
  readonly space: SearchSpace;
  /** Today's setting as knobs. */
  readonly current: Knobs;
}

/** The search space of the mapping in `base` (today's scenario). */
export function searchSpaceOf(
  base: Scenario,
  memory: readonly MemoryCandidate[] = [],
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
  const space: SearchSpace = {
    knobs,
    isValid: (knobs) => {
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
