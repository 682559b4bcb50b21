/** Every tool the server offers, in the order an agent meets them in the guide: measure, audit, tune, price, plan (the function's billing, then its DynamoDB table's), then event source mappings (simulate one, optimize them). */
import type { McpTool } from "../tool.js";
import { auditTool } from "./audit.js";
import { compareRunsTool } from "./compare-runs.js";
import { esmOptimizeTool } from "./esm-optimize.js";
import { esmSimulateTool } from "./esm-simulate.js";
import { estimateCostTool } from "./estimate-cost.js";
import { getMetricsTool } from "./get-metrics.js";
import { invokeLocalTool } from "./invoke-local.js";
import { planBillingTool } from "./plan-billing.js";
import { planDynamoDbBillingTool } from "./plan-dynamodb-billing.js";
import { powerTuneTool } from "./power-tune.js";

export const TOOLS: readonly McpTool[] = [
  getMetricsTool,
  auditTool,
  invokeLocalTool,
  powerTuneTool,
  compareRunsTool,
  estimateCostTool,
  planBillingTool,
  planDynamoDbBillingTool,
  esmSimulateTool,
  esmOptimizeTool,
];
