/**
 * A mapping's settings in CloudFormation's names, as the result shows them
 * (`current`, `recommended`): the event source mapping's own properties, the
 * SQS queue's VisibilityTimeout, Kafka's provisioned pollers, and the
 * function's MemorySize when memory is searched. Null where unset.
 */
import type { MappingModel, Scenario } from "../simulation/scenario.js";

/** Each knob's CloudFormation name, for the reasons' sentences. */
export const CFN_NAME: Record<string, string> = {
  batchSize: "BatchSize",
  windowSeconds: "MaximumBatchingWindowInSeconds",
  maximumConcurrency: "ScalingConfig.MaximumConcurrency",
  parallelizationFactor: "ParallelizationFactor",
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
  }
  if (withMemory) settings.MemorySize = scenario.function.memoryMb;
  return settings;
}
