/**
 * The `plan_dynamodb_billing` tool: `dynamodb-billing` for an agent. The input
 * is the library's TableBillingOptionsSchema (table, days, targetUtilization,
 * region...), the output the TableBillingResult `dynamodb-billing --json`
 * prints, the summary the recommendation and its reasons.
 */
import { planTableBilling } from "../../planning/dynamodb/plan-table-billing.js";
import { TableBillingOptionsSchema } from "../../planning/dynamodb/table-billing-options.js";
import { TableBillingResultSchema } from "../../planning/dynamodb/table-billing-result.js";
import { summarizeTableBilling } from "../../report/table-billing-text.js";
import { defineTool } from "../tool.js";

export const planDynamoDbBillingTool = defineTool({
  name: "plan_dynamodb_billing",
  title: "Choose a DynamoDB table's billing mode from its traffic",
  description:
    "Say whether a DynamoDB table a Lambda function uses should be ON_DEMAND or PROVISIONED " +
    "with auto scaling, from the table's own traffic: its ConsumedReadCapacityUnits and " +
    "ConsumedWriteCapacityUnits in CloudWatch over the last `days` (default 14, minute by " +
    "minute), and each global secondary index's (found by ListMetrics). ON_DEMAND is priced " +
    "per million request units; PROVISIONED as auto scaling would set it, each hour's peak " +
    "over targetUtilization (default 0.7, AWS's), per unit-hour, every index with its own " +
    "capacity. It returns the table's figures and each index's, each mode's cost over the " +
    "window and per month (indexes included), the peak-to-mean ratio of reads and writes, " +
    "the share of idle hours, the utilisation of the provisioned capacity against the " +
    "break-even utilisation, the recommendation with its reasons, the prices with their " +
    "date, and every modelled assumption. Only us-east-1 prices are bundled: another " +
    "region needs priceFile. Read-only: it never changes anything.",
  input: TableBillingOptionsSchema,
  output: TableBillingResultSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
  async run(input, context) {
    let step = 0;
    const result = await planTableBilling(input, undefined, {
      onProgress: (message) => {
        step += 1;
        void context.progress(step, undefined, message);
      },
    });
    return { structured: result, summary: summarizeTableBilling(result) };
  },
});
