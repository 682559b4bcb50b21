/**
 * The settings a run used, keyed as CloudFormation names them
 * (AWS::Lambda::EventSourceMapping, the queue's or stream's own properties)
 * plus the function's, so a reader can copy them into a template.
 */
import type { Scenario } from "./scenario.js";

type Setting = number | string | boolean | null;

export function settingsOf(scenario: Scenario): Record<string, Setting> {
  const mapping = scenario.mapping;
  const fn = scenario.function;
  const common: Record<string, Setting> = {
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.windowSeconds,
  };
  let source: Record<string, Setting>;
  if (mapping.source === "sqs")
    source = {
      MaximumConcurrency: mapping.maximumConcurrency ?? null,
      FifoQueue: mapping.fifo,
      MessageGroups: mapping.fifo ? mapping.messageGroups : null,
      VisibilityTimeout: mapping.visibilityTimeoutSeconds,
      maxReceiveCount: mapping.maxReceiveCount ?? null,
      MessageRetentionPeriod: mapping.retentionSeconds,
      ReportBatchItemFailures: mapping.reportBatchItemFailures,
    };
  else if (mapping.source === "kafka")
    source = { Partitions: mapping.partitions, Pollers: mapping.pollers ?? null };
  else
    source = {
      Shards: mapping.shards,
      ParallelizationFactor: mapping.parallelizationFactor,
      TumblingWindowInSeconds: mapping.tumblingWindowSeconds,
      MaximumRetryAttempts: mapping.maximumRetryAttempts,
      BisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
      MaximumRecordAgeInSeconds: mapping.maximumRecordAgeSeconds,
      RetentionPeriodHours: mapping.retentionSeconds / 3600,
      ReportBatchItemFailures: mapping.reportBatchItemFailures,
    };
  return {
    ...common,
    ...source,
    MemorySize: fn.memoryMb,
    Architecture: fn.architecture,
    Timeout: fn.timeoutSeconds,
    ReservedConcurrentExecutions: fn.reservedConcurrency ?? null,
    OverheadMs: fn.overheadMs,
    PerRecordMs: fn.perRecordMs,
    ErrorRate: fn.errorRate,
    RecordBytes: scenario.recordBytes,
  };
}
