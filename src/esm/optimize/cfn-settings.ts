/**
 * A mapping's settings in CloudFormation's names, as the result shows them
 * (`current`, `recommended`): the event source mapping's own properties, the
 * SQS queue's VisibilityTimeout, Kafka's provisioned pollers, and the
 * function's MemorySize when memory is searched, a stream's
 * TumblingWindowInSeconds when it has a window. Null where unset.
 */
import type { MappingModel, Scenario } from "../simulation/scenario.js";

/** Each knob's CloudFormation name, for the reasons' sentences. */
export const CFN_NAME: Record<string, string> = {
  batchSize: "BatchSize",
  windowSeconds: "MaximumBatchingWindowInSeconds",
  maximumConcurrency: "ScalingConfig.MaximumConcurrency",
  parallelizationFactor: "ParallelizationFactor",
  tumblingWindowSeconds: "TumblingWindowInSeconds",
  memoryMb: "MemorySize",
};

export function cfnSettings(
  scenario: Scenario,
  withMemory: boolean,
): Record<string, number | null> {
  const mapping: MappingModel = scenario.mapping;
  const settings: Record<string, number | null> = {
    BatchSize: mapping.batchSize,
    MaximumBatchingWindowInSeconds: mapping.windowSeconds,
  };
  if (mapping.source === "sqs") {
    settings["ScalingConfig.MaximumConcurrency"] = mapping.maximumConcurrency ?? null;
    settings.VisibilityTimeout = mapping.visibilityTimeoutSeconds;
  } else if (mapping.source === "kafka") {
    settings["ProvisionedPollerConfig.MinimumPollers"] = mapping.pollers ?? null;
  } else {
    settings.ParallelizationFactor = mapping.parallelizationFactor;
    // Only a mapping that has a window: the optimizer never adds one (it is aggregation the
    // function is written for), so there is nothing to show for the others.
    if (mapping.tumblingWindowSeconds > 0)
      settings.TumblingWindowInSeconds = mapping.tumblingWindowSeconds;
  }
  if (withMemory) settings.MemorySize = scenario.function.memoryMb;
  return settings;
}
