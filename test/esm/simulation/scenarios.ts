/**
 * Scenarios for the simulator's tests, settled by hand: each test states
 * only what its arithmetic depends on and takes the rest from here.
 */
import type {
  ArrivalRates,
  FunctionModel,
  KafkaMapping,
  Scenario,
  SqsMapping,
  StreamMapping,
} from "../../../src/esm/simulation/scenario.js";
import { BUNDLED_PRICE_TABLE, pricesFor } from "../../../src/pricing/price-table.js";

export const PRICES = pricesFor(BUNDLED_PRICE_TABLE, "us-east-1", "x86_64");

export function constantRate(perSecond: number, seconds: number): ArrivalRates {
  return { perSecond: [perSecond], stepSeconds: seconds, process: "constant" };
}

export function poissonRate(perSecond: number, seconds: number): ArrivalRates {
  return { perSecond: [perSecond], stepSeconds: seconds, process: "poisson" };
}

export function sqs(overrides: Partial<SqsMapping> = {}): SqsMapping {
  return {
    source: "sqs",
    fifo: false,
    messageGroups: 1,
    batchSize: 10,
    windowSeconds: 0,
    maximumConcurrency: undefined,
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: undefined,
    retentionSeconds: 345_600,
    reportBatchItemFailures: false,
    ...overrides,
  };
}

export function stream(overrides: Partial<StreamMapping> = {}): StreamMapping {
  return {
    source: "kinesis",
    shards: 1,
    parallelizationFactor: 1,
    batchSize: 100,
    windowSeconds: 0,
    tumblingWindowSeconds: 0,
    maximumRetryAttempts: -1,
    bisectBatchOnFunctionError: false,
    maximumRecordAgeSeconds: -1,
    retentionSeconds: 86_400,
    reportBatchItemFailures: false,
    ...overrides,
  };
}

export function kafka(overrides: Partial<KafkaMapping> = {}): KafkaMapping {
  return {
    source: "kafka",
    partitions: 1,
    pollers: undefined,
    batchSize: 100,
    windowSeconds: 0.5,
    ...overrides,
  };
}

export function lambda(overrides: Partial<FunctionModel> = {}): FunctionModel {
  return {
    overheadMs: 100,
    perRecordMs: 0,
    errorRate: 0,
    reservedConcurrency: undefined,
    timeoutSeconds: 900,
    memoryMb: 1024,
    architecture: "x86_64",
    ephemeralStorageMb: 512,
    ...overrides,
  };
}

export function scenario(
  parts: Pick<Scenario, "mapping" | "arrivals"> & Partial<Scenario>,
): Scenario {
  return {
    function: lambda(),
    recordBytes: 1024,
    seed: 1,
    maxEvents: 100_000_000,
    prices: PRICES,
    timelinePoints: 100,
    ...parts,
  };
}
