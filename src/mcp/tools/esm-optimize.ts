/**
 * The `esm_optimize` tool: takes the parameters of AWS's Serverless MCP
 * server's tool of that name (action, optimization_targets, event_source,
 * configs, esm_uuid, optimized_configs, region, project_name), so the
 * optimization guide's instructions work unchanged, and our own (a template,
 * a function, a mapping). Until the event source mapping simulator lands
 * (issue 16), it answers with esm-config's checks and their reasons, on a
 * template's mappings or on the settings given, and says that computed lag
 * and cost predictions are still to come.
 */
import { z } from "zod";
import { checkEventSourceMappings } from "../../audit/esm-check.js";
import { ESM_EVENT_SOURCES, EsmCheckOptionsFields } from "../../audit/esm-check-options.js";
import { type EsmCheckReport, EsmCheckReportSchema } from "../../audit/esm-check-report.js";
import { UsageError } from "../../errors.js";
import { fieldName, type OptionName } from "../../options.js";
import { defineTool } from "../tool.js";

const ACTIONS = ["analyze", "validate", "generate_template"] as const;
const TARGETS = ["failure_rate", "latency", "throughput", "cost"] as const;

/** Our options, and AWS's tool's parameters under their own names. */
const EsmOptimizeInput = EsmCheckOptionsFields.extend({
  /** AWS's: analyze and validate both check; generate_template is not offered (it writes a deployment). */
  action: z.enum(ACTIONS, { error: `expected ${ACTIONS.join(", ")}` }).default("analyze"),
  /** AWS's: the goals; every check runs whichever are given (the simulator will weigh them). */
  optimization_targets: z
    .array(z.enum(TARGETS, { error: `expected ${TARGETS.join(", ")}` }), {
      error: `expected a list of ${TARGETS.join(", ")}`,
    })
    .optional(),
  /** AWS's name for eventSource. */
  event_source: z
    .enum(ESM_EVENT_SOURCES, { error: `expected ${ESM_EVENT_SOURCES.join(", ")}` })
    .optional(),
  /** AWS's name for settings: one mapping's configuration in the Lambda API's names. */
  configs: z
    .record(z.string(), z.json(), {
      error: "expected an object of event source mapping settings (BatchSize, ...)",
    })
    .optional(),
  /** AWS's: a deployed mapping's UUID; here it names the configs given. */
  esm_uuid: z.string({ error: "expected an event source mapping's UUID" }).optional(),
  /** AWS's, for generate_template only. */
  optimized_configs: z.record(z.string(), z.json()).optional(),
  /** AWS's; accepted and unused: nothing here calls AWS. */
  region: z.string().optional(),
  /** AWS's, for generate_template only; accepted and unused. */
  project_name: z.string().optional(),
});

const EsmOptimizeOutput = EsmCheckReportSchema.extend({
  action: z.enum(["analyze", "validate"]),
  optimization_targets: z.array(z.enum(TARGETS)),
  /** As AWS's validate action says it: "failed" when a setting fails the deployment (an error finding). */
  validation_result: z.enum(["passed", "failed"]),
});

/** The library's names, as the caller spelt them: an agent that used AWS's names (configs, event_source) reads them. */
function callerNames(input: z.output<typeof EsmOptimizeInput>): OptionName {
  const awsNames =
    input.configs !== undefined ||
    input.event_source !== undefined ||
    input.optimization_targets !== undefined ||
    input.esm_uuid !== undefined;
  return (path) => {
    const [key] = path;
    if (key === "eventSource" && awsNames) return "event_source";
    if (key === "settings" && awsNames && input.settings === undefined) return "configs";
    return fieldName(path);
  };
}

export const esmOptimizeTool = defineTool({
  name: "esm_optimize",
  title: "Check and optimize event source mappings",
  description:
    "Check the event source mappings (SQS, Kinesis, DynamoDB Streams, Kafka) that feed Lambda " +
    "functions: batch size, batching window, maximum concurrency, parallelization, partial batch " +
    "responses, on-failure destinations and queue visibility timeouts, each finding with its " +
    "reason and fix. Give `template` (a SAM or CloudFormation template; narrow with `function` " +
    "or `mapping`) to check every mapping in it with the settings read and the lines to change; " +
    "or give one mapping's settings as AWS's esm_optimize takes them (`configs` with " +
    "`event_source`, action analyze or validate) to check those. Returns each mapping's settings " +
    "and findings, and validation_result (failed when a setting would fail the deployment). " +
    "Computed recommendations with predicted lag and cost are not here yet: they come with the " +
    "event source mapping simulator. Read-only; generate_template is not offered.",
  input: EsmOptimizeInput,
  output: EsmOptimizeOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(input) {
    const {
      action,
      optimization_targets,
      event_source,
      configs,
      esm_uuid,
      optimized_configs,
      region: _region,
      project_name: _project,
      ...ours
    } = input;
    if (action === "generate_template" || optimized_configs !== undefined)
      throw new UsageError(
        "action generate_template is not offered: this server never writes a deployment; call esm_optimize with action analyze or validate, then change the template yourself",
      );
    if (event_source !== undefined && ours.eventSource !== undefined)
      throw new UsageError("give event_source or eventSource, not both");
    if (configs !== undefined && ours.settings !== undefined)
      throw new UsageError("give configs or settings, not both");
    const settings = configs ?? ours.settings;
    if (esm_uuid !== undefined && settings === undefined)
      throw new UsageError(
        "esm_uuid names a deployed mapping, which this tool does not read yet: give its settings in configs (aws lambda get-event-source-mapping prints them), or the template that declares it",
      );
    const eventSource = event_source ?? ours.eventSource;
    const report = checkEventSourceMappings(
      {
        ...ours,
        ...(settings !== undefined ? { settings } : {}),
        ...(eventSource !== undefined ? { eventSource } : {}),
      },
      callerNames(input),
    );
    const mappings =
      esm_uuid !== undefined
        ? report.mappings.map((mapping) => ({ ...mapping, id: esm_uuid }))
        : report.mappings;
    const structured = {
      ...report,
      mappings,
      action,
      optimization_targets: optimization_targets ?? [],
      validation_result: report.summary.error > 0 ? ("failed" as const) : ("passed" as const),
    };
    return { structured, summary: esmSummary(structured) };
  },
});

function esmSummary(report: EsmCheckReport & { validation_result: string }): string {
  const { summary } = report;
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
  const lines = [
    `${plural(summary.mappings, "event source mapping")}${report.template ? ` in ${report.template}` : ""}: ` +
      `${plural(summary.error, "error")}, ${plural(summary.warning, "warning")}; validation ${report.validation_result}`,
  ];
  for (const mapping of report.mappings) {
    const s = mapping.settings;
    const shown = (value: number | null) => (value === null ? "unset" : String(value));
    lines.push(
      `${mapping.id} (${mapping.eventSource}${mapping.line !== null ? `, line ${mapping.line}` : ""}): ` +
        `BatchSize ${shown(s.batchSize)}, MaximumBatchingWindowInSeconds ${shown(s.maximumBatchingWindowInSeconds)}, ` +
        `MaximumConcurrency ${shown(s.maximumConcurrency)}, ParallelizationFactor ${shown(s.parallelizationFactor)}`,
    );
    for (const finding of mapping.findings)
      lines.push(
        `  ${finding.severity}${finding.line !== null ? ` line ${finding.line}` : ""} ${finding.property}: ${finding.message}`,
      );
  }
  lines.push(report.predictions);
  return lines.join("\n");
}
