/**
 * The `plan_billing` tool: `plan` for an agent. The input is the library's
 * PlanOptionsSchema (trafficFile, logFiles or aws with function; memoryMb,
 * durationMs, runtime...), the output the PlanResult `plan --json` prints, the
 * summary a few lines with each model's month and the recommendation.
 */
import { planBilling } from "../../planning/plan-billing.js";
import { PlanOptionsSchema } from "../../planning/plan-options.js";
import { PlanResultSchema } from "../../planning/plan-result.js";
import { summarizePlan } from "../../report/plan-text.js";
import { defineTool } from "../tool.js";

export const planBillingTool = defineTool({
  name: "plan_billing",
  title: "Choose a Lambda billing model from the function's traffic",
  description:
    "Price every AWS Lambda billing model on one function's real traffic and recommend one: " +
    "on-demand, provisioned concurrency (the cheapest level, or a level per hour of day), " +
    "SnapStart (Java 11+, Python 3.12+, .NET 8+) and Lambda Managed Instances (EC2 instances " +
    "that serve many requests per environment). Use it after get_metrics and power_tune have " +
    "settled the memory and the duration, to answer the last cost question: which way to pay " +
    "for that traffic. Traffic, exactly one: trafficFile (CSV or JSON lines: timestamp, " +
    "invocations, optional concurrency and duration_ms per fixed step), logFiles (Lambda REPORT " +
    "lines, as get_metrics reads), or aws: true with function (CloudWatch, the last `days`). " +
    "Give memoryMb and durationMs when the traffic lacks them, runtime for SnapStart, and " +
    "maxColdStartShare or latencySensitive when cold starts matter. It returns each model's " +
    "cost over the profile and per month, its cold starts, the database connections it holds " +
    "at the peak (Managed Instances' shared pools against one per environment; connectionPoolSize), " +
    "its bill line by line with the " +
    "formula, the traffic's pattern in the guide's decision table (unpredictable, steady " +
    "baseline + spikes, batch, infrequent), the recommendation with its saving and runner-up, " +
    "each model's cost with the traffic scaled 0.1× to 10×, and every modelled assumption. " +
    "Read-only: it never changes anything.",
  input: PlanOptionsSchema,
  output: PlanResultSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
  async run(input, context) {
    let step = 0;
    const result = await planBilling(input, undefined, {
      onProgress: (message) => {
        step += 1;
        void context.progress(step, undefined, message);
      },
    });
    return { structured: result, summary: summarizePlan(result) };
  },
});
