/**
 * The `estimate_cost` tool: the `cost` command for an agent. The input is the
 * library's CostOptionsSchema (memoryMb, durationMs, invocations, ...), the
 * output the CostEstimate `cost --json` prints, the summary a few lines.
 */
import { CostEstimateSchema } from "../../pricing/cost-estimate.js";
import { CostOptionsSchema } from "../../pricing/cost-options.js";
import { priceConfiguration } from "../../pricing/price-configuration.js";
import { summarizeCostEstimate } from "../../report/cost-estimate-text.js";
import { defineTool } from "../tool.js";

export const estimateCostTool = defineTool({
  name: "estimate_cost",
  title: "Estimate the cost of a Lambda configuration",
  description:
    "Price one AWS Lambda configuration from its memory (memoryMb), mean duration (durationMs) " +
    "and invocations a month: the cost of one invocation and of a month, broken into compute, " +
    "requests and ephemeral storage, beside the same workload on the other architecture " +
    "(x86_64 or arm64). Use it to put a dollar figure on a memory size, an architecture, a " +
    "cold-start rate (initDurationMs with coldStartRate) or provisioned concurrency, e.g. after " +
    "get_metrics or power_tune measured the durations. Prices come from the bundled AWS price " +
    "table for the region (default us-east-1), or a priceFile; figures are modelled, not measured.",
  input: CostOptionsSchema,
  output: CostEstimateSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run(input) {
    const estimate = priceConfiguration(input);
    return { structured: estimate, summary: summarizeCostEstimate(estimate) };
  },
});
