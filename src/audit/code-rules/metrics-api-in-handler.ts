/**
 * metrics-api-in-handler: CloudWatch PutMetricData called from a function.
 * Each call is a synchronous API request on the invocation's clock, billed
 * per request, and throttled; Embedded Metric Format writes the same metrics
 * as a log line that CloudWatch turns into metrics asynchronously.
 */
import type { CodeRule } from "../code/code-rule.js";
import { handlerCalls } from "../code/function-code.js";
import { docsFor } from "../rule.js";
import { callText, isSdkMethod } from "./code-patterns.js";

export const metricsApiInHandler: CodeRule = {
  meta: {
    id: "metrics-api-in-handler",
    severity: "warning",
    title: "CloudWatch PutMetricData called from the handler",
    rationale:
      "PutMetricData is an API call on every invocation: added latency, a per-request charge and a throttling limit. Embedded Metric Format (EMF) log lines become metrics with no API call.",
    fix: "Emit metrics as EMF: Powertools Metrics (`@aws-lambda-powertools/metrics`, `aws_lambda_powertools.Metrics`) or aws-embedded-metrics.",
    docs: docsFor("metrics-api-in-handler"),
  },
  check(fn) {
    return handlerCalls(fn).flatMap(({ module, item: call }) => {
      const putMetricData =
        call.qualifiedName === "@aws-sdk/client-cloudwatch.PutMetricDataCommand" ||
        isSdkMethod(fn, call, ["putMetricData", "put_metric_data"], ["@aws-sdk/client-cloudwatch"]);
      if (!putMetricData) return [];
      return [
        {
          file: module.file,
          position: call.position,
          message: `${callText(call)} sends metrics through the CloudWatch API on every invocation.`,
        },
      ];
    });
  },
};
