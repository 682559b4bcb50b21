/**
 * The `get_metrics` tool: `metrics` for an agent. It takes the library's
 * metrics options by their own names, and also the arguments of the AWS
 * Serverless MCP server's tool of the same name (awslabs/mcp,
 * src/aws-serverless-mcp-server/.../tools/webapps/get_metrics.py), so an agent
 * following AWS's guide calls it unchanged: `project_name` is the function,
 * `start_time`/`end_time` the window. AWS's arguments that choose API Gateway
 * or CloudFront series, or CloudWatch's granularity, have nothing to change in
 * a report on Lambda functions: they are accepted and the report's notes say
 * so, and a call that asks for no Lambda figures at all is refused.
 */
import { z } from "zod";
import { formatCount, formatMs, formatPercent, formatUsd } from "../../format.js";
import { measureWithOptions } from "../../metrics/measure-functions.js";
import {
  checkMetricsOptions,
  DurationSchema,
  IsoTimeSchema,
  METRICS_DEFAULTS,
  type MetricsOptions,
  MetricsOptionsFields,
  metricsSourceKind,
} from "../../metrics/metrics-options.js";
import {
  type FunctionMetrics,
  type MetricsReport,
  MetricsReportSchema,
} from "../../metrics/metrics-report.js";
import { defineTool } from "../tool.js";

/** AWS's tool's resources: only Lambda's figures are in our report. */
const AWS_RESOURCES = ["lambda", "apiGateway", "cloudfront"] as const;
/** AWS's tool's window when it is given no start_time: the last 24 hours. */
const AWS_DEFAULT_SINCE = "24h";
const PERIOD_EXPECTED =
  "expected whole seconds (AWS's CloudWatch period, e.g. 60) or a length such as 7d (what log files cover)";

const GetMetricsFields = MetricsOptionsFields.extend({
  project_name: z
    .string({ error: "expected a function name" })
    .min(1, "expected a function name")
    .optional()
    .describe(
      "AWS Serverless MCP server's name: the Lambda function to measure on AWS (its FunctionName). The same as functions: [project_name].",
    ),
  start_time: IsoTimeSchema.optional().describe(
    "AWS's name for start: the window's start, ISO 8601 (default: 24 hours before end_time).",
  ),
  end_time: IsoTimeSchema.optional().describe(
    "AWS's name for end: the window's end, ISO 8601 (default: now).",
  ),
  period: z
    .union(
      [
        z
          .number()
          .int()
          .positive()
          .transform((seconds) => ({ cloudWatchSeconds: seconds })),
        DurationSchema.transform((ms) => ({ coveredMs: ms })),
      ],
      // parseOptions names the argument and the value before this.
      { error: PERIOD_EXPECTED },
    )
    .optional()
    .describe(
      "A number is AWS's CloudWatch period in seconds: accepted, and without effect (the report sums the whole window). A length such as 7d is what log files without timestamps cover, for monthly figures.",
    ),
  resources: z
    .array(z.enum(AWS_RESOURCES, { error: `expected some of ${AWS_RESOURCES.join(", ")}` }))
    .optional()
    .describe(
      'AWS\'s resources: must include "lambda"; apiGateway and cloudfront series are not measured (the report says so).',
    ),
  distribution_id: z
    .string()
    .optional()
    .describe("AWS's CloudFront distribution: accepted, not used (no CloudFront figures)."),
  stage: z
    .string()
    .optional()
    .describe("AWS's API Gateway stage: accepted, not used (no API Gateway figures)."),
  // Left without a default here: the window's default depends on whose names the caller used.
  since: DurationSchema.optional().describe(
    "The window back from end: 90m, 24h, 14d (default 14d; 24h when AWS's names are used, as AWS's tool does).",
  ),
});

/** What a call measures, as the library's options, and what it said that the report cannot honour. */
interface GetMetricsRequest {
  readonly options: MetricsOptions;
  readonly notes: readonly string[];
}

const GetMetricsInput = GetMetricsFields.transform((fields, context): GetMetricsRequest => {
  const fail = (message: string) => {
    context.addIssue({ code: "custom", message });
    return z.NEVER;
  };
  const {
    project_name,
    start_time,
    end_time,
    period,
    resources,
    distribution_id,
    stage,
    since,
    ...ours
  } = fields;
  if (project_name !== undefined && ours.functions !== undefined)
    return fail("give {project_name} (AWS's name) or {functions}, not both");
  if (start_time !== undefined && ours.start !== undefined)
    return fail("give {start_time} (AWS's name) or {start}, not both");
  if (end_time !== undefined && ours.end !== undefined)
    return fail("give {end_time} (AWS's name) or {end}, not both");
  if (start_time !== undefined && start_time >= (end_time ?? ours.end ?? new Date()))
    return fail(
      `{start_time} (${start_time.toISOString()}) must be before {end_time} (${end_time?.toISOString() ?? "now"})`,
    );
  if (resources !== undefined && !resources.includes("lambda"))
    return fail(
      `get_metrics measures Lambda functions: {resources} must include "lambda" (API Gateway and CloudFront metrics are not measured)`,
    );

  const awsNames = [project_name, start_time, end_time, resources, distribution_id, stage].some(
    (value) => value !== undefined,
  );
  const options: MetricsOptions = {
    ...ours,
    ...(project_name !== undefined ? { functions: [project_name], aws: true } : {}),
    ...(start_time !== undefined ? { start: start_time } : {}),
    ...(end_time !== undefined ? { end: end_time } : {}),
    ...(period && "coveredMs" in period ? { period: period.coveredMs } : {}),
    since: since ?? DurationSchema.parse(awsNames ? AWS_DEFAULT_SINCE : METRICS_DEFAULTS.since),
  };
  checkMetricsOptions(options, context);
  const cloudWatchSeconds =
    period && "cloudWatchSeconds" in period ? period.cloudWatchSeconds : undefined;
  if (cloudWatchSeconds !== undefined && metricsSourceKind(options) !== "aws")
    return fail(
      "{period} in seconds is CloudWatch's period, for a deployed function; for log files give what they cover as a length such as 7d",
    );

  const notes: string[] = [];
  const others = (resources ?? []).filter((resource) => resource !== "lambda");
  if (others.length > 0)
    notes.push(
      `resources ${others.join(", ")}: not measured; this report covers the Lambda function only`,
    );
  if (cloudWatchSeconds !== undefined)
    notes.push(
      `period ${cloudWatchSeconds}: CloudWatch's granularity in seconds, which changes nothing here: the report sums the whole window`,
    );
  if (distribution_id !== undefined)
    notes.push("distribution_id: not used; this report has no CloudFront figures");
  if (stage !== undefined) notes.push("stage: not used; this report has no API Gateway figures");
  return { options, notes };
});

export const getMetricsTool = defineTool({
  name: "get_metrics",
  title: "Measure Lambda functions: durations, memory, cold starts, cost and what to change",
  description:
    "Measure what Lambda functions do today and say what to change, with the dollars attached. " +
    "Call it first when optimizing a function (the guide's step 1): it reports per function the " +
    "invocations, errors, timeouts, throttles, cold starts, duration percentiles, memory used " +
    "against memory size, cost for the window and per month, and recommendations with their " +
    "monthly saving in dollars (memory size, arm64, timeout, cold starts...). " +
    "Sources, exactly one: logFiles (Lambda log files: CloudWatch exports, `aws logs tail` output, " +
    "plain or gzip), local (the embedded emulator's logs), or a deployed function on AWS: " +
    "project_name (the AWS Serverless MCP server's argument, with start_time/end_time) or " +
    "aws: true with functions (names or ARNs) or all. Read-only: it never changes anything.",
  input: GetMetricsInput,
  output: MetricsReportSchema,
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(request, context) {
    const measured = await measureWithOptions(request.options, {
      onFunctionDone: (name, done, total) => {
        void context.progress(done, total, `measured ${name}`);
      },
    });
    const report: MetricsReport = { ...measured, notes: [...measured.notes, ...request.notes] };
    return { structured: report, summary: summarize(report) };
  },
});

/** A few lines a function: what it did, what it costs, and the change that saves the most. */
function summarize(report: MetricsReport): string {
  const lines = report.functions.flatMap((fn) => [
    `${fn.name}: ${formatCount(fn.invocations)} invocations, ${formatCount(fn.errors)} errors, ` +
      `${formatCount(fn.coldStarts)} cold starts (${formatPercent(fn.coldStartRate)}); ` +
      `duration p50 ${msOf(fn.durationMs.p50)}, p99 ${msOf(fn.durationMs.p99)}, max ${msOf(fn.durationMs.max)}.`,
    `  memory used max ${memoryOf(fn)}; cost ${formatUsd(fn.costUsd)} in the window` +
      (fn.monthlyCostUsd === null ? "." : `, ${formatUsd(fn.monthlyCostUsd)} a month.`),
    `  ${headline(fn)}`,
  ]);
  const window = report.window
    ? `Window ${report.window.start} to ${report.window.end}.`
    : "Window: what the logs hold (give period for monthly figures).";
  return [...lines, window, ...report.notes].join("\n");
}

function headline(fn: FunctionMetrics): string {
  const [best] = [...fn.recommendations].sort(
    (a, b) => (b.monthlySavingsUsd ?? 0) - (a.monthlySavingsUsd ?? 0),
  );
  if (!best) return "Nothing to change found.";
  const saving =
    best.monthlySavingsUsd === null ? "" : ` Saves ${formatUsd(best.monthlySavingsUsd)} a month.`;
  const more = fn.recommendations.length > 1 ? ` (+${fn.recommendations.length - 1} more)` : "";
  return `Top recommendation [${best.id}]: ${best.message}${saving}${more}`;
}

function msOf(value: number | null): string {
  return value === null ? "—" : `${formatMs(value)} ms`;
}

function memoryOf(fn: FunctionMetrics): string {
  const used = fn.maxMemoryUsedMb.max;
  if (used === null) return "—";
  if (fn.memorySizeMb === null) return `${used} MB`;
  const share = fn.memoryUtilization.max;
  return `${used} of ${fn.memorySizeMb} MB${share === null ? "" : ` (${formatPercent(share)})`}`;
}
