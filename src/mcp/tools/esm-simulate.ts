/**
 * The `esm_simulate` tool: `esm simulate` for an agent. The input is the library's
 * EsmSimulateOptionsSchema (source, the mapping's settings, the traffic, the function's speed),
 * the output the EsmSimulationResult `esm simulate --json` prints, the summary a few lines with
 * the run's figures.
 */
import { simulateEventSourceMapping } from "../../esm/simulation/simulate.js";
import { EsmSimulateOptionsSchema } from "../../esm/simulation/simulate-options.js";
import { EsmSimulationResultSchema } from "../../esm/simulation/simulation-result.js";
import { summarizeEsmSimulation } from "../../report/esm-simulation-text.js";
import { defineTool } from "../tool.js";

export const esmSimulateTool = defineTool({
  name: "esm_simulate",
  title: "Simulate a Lambda event source mapping",
  description:
    "Simulate one AWS Lambda event source mapping (SQS standard or FIFO, Kinesis, DynamoDB " +
    "Streams, Kafka) against a traffic and a function's speed, to see what its settings do " +
    "before changing them. Give source; the traffic as rate (records/s, with arrival constant " +
    "or poisson and an optional burstRate/burstAtSeconds/burstSeconds) or rateProfile (a CSV or " +
    "JSON lines file: timestamp, invocations = records per step); the function's duration per " +
    "batch as batchMs, or recordMs with overheadMs, or tuneFile (a tune result) or logFiles " +
    "(REPORT lines); and the settings to try (batchSize, windowSeconds, maxConcurrency, fifo, " +
    "shards, parallelization, partitions, pollers...). It returns the records processed, the " +
    "backlog at the end and over time, the age of records when processed (p50, p99, max), " +
    "invocations, peak concurrency, throttles, retries, the cost over the run and per month " +
    "line by line, and every modelled figure. Seeded and reproducible. Use esm_optimize to " +
    "search the settings instead of trying them one by one. Read-only.",
  input: EsmSimulateOptionsSchema,
  output: EsmSimulationResultSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run(input) {
    const result = await simulateEventSourceMapping(input);
    return { structured: result, summary: summarizeEsmSimulation(result) };
  },
});
