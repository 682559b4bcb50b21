/**
 * The `esm_optimize` tool: `esm optimize` for an agent, under the parameters of AWS's Serverless
 * MCP server's tool of that name too (action, optimization_targets, event_source, configs,
 * esm_uuid, optimized_configs, region, project_name), so the optimization guide's instructions
 * work unchanged. Given a traffic (rate, rateProfile, or aws with function: CloudWatch) and a
 * bound (maxAgeSeconds), it searches the settings with the simulator (optimizeEventSourceMappings)
 * for a template's mappings, a deployed function's, or the one mapping whose settings are given
 * in configs. Without a traffic it answers as before: esm-config's checks and their reasons, on a
 * template's mappings or on the settings given.
 */
import { z } from "zod";
import { checkEventSourceMappings } from "../../audit/esm-check.js";
import { ESM_EVENT_SOURCES } from "../../audit/esm-check-options.js";
import { type EsmCheckReport, EsmCheckReportSchema } from "../../audit/esm-check-report.js";
import { UsageError } from "../../errors.js";
import { optimizeEventSourceMappings } from "../../esm/optimize/optimize-mappings.js";
import {
  EsmOptimizeOptionsFields,
  type EsmOptimizeOptionsInput,
} from "../../esm/optimize/optimize-options.js";
import {
  type EsmOptimizeResult,
  EsmOptimizeResultSchema,
} from "../../esm/optimize/optimize-result.js";
import { fieldName, type OptionName } from "../../options.js";
import { summarizeEsmOptimization } from "../../report/esm-optimize-text.js";
import { defineTool, type ToolContext } from "../tool.js";

const ACTIONS = ["analyze", "validate", "generate_template"] as const;
const TARGETS = ["failure_rate", "latency", "throughput", "cost"] as const;

/** A defaulted field, optional instead: left out, the mapping's own function says. */
function withoutDefault<Inner extends z.ZodType>(field: z.ZodDefault<Inner>) {
  return field
    .unwrap()
    .optional()
    .describe(`${field.description ?? ""} (default: the template's or the deployed function's)`);
}

/** Our options (the optimizer's and the checks'), and AWS's tool's parameters under their own names. */
const EsmOptimizeInput = EsmOptimizeOptionsFields.extend({
  /** Without a traffic, the checks stand alone: the bound is needed only to optimize. */
  maxAgeSeconds: EsmOptimizeOptionsFields.shape.maxAgeSeconds.optional(),
  // Without their defaults here: the optimizer takes the template's or the deployed function's
  // memory, architecture and timeout unless the caller gave them, and a default would be "given".
  memoryMb: withoutDefault(EsmOptimizeOptionsFields.shape.memoryMb),
  architecture: withoutDefault(EsmOptimizeOptionsFields.shape.architecture),
  timeoutSeconds: withoutDefault(EsmOptimizeOptionsFields.shape.timeoutSeconds),
  /** AWS's: analyze and validate both check (and optimize, given a traffic); generate_template is not offered (it writes a deployment). */
  action: z.enum(ACTIONS, { error: `expected ${ACTIONS.join(", ")}` }).default("analyze"),
  /** AWS's: the goals; the search's goal is always the cheapest setting within maxAgeSeconds. */
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
  /** AWS's: a deployed mapping's UUID: with aws, the mapping to optimize; with configs, their name. */
  esm_uuid: z.string({ error: "expected an event source mapping's UUID" }).optional(),
  /** AWS's, for generate_template only. */
  optimized_configs: z.record(z.string(), z.json()).optional(),
  /** AWS's, for generate_template only; accepted and unused. */
  project_name: z.string().optional(),
});
type EsmOptimizeToolInput = z.output<typeof EsmOptimizeInput>;

const EsmOptimizeOutput = EsmCheckReportSchema.partial().extend({
  action: z.enum(["analyze", "validate"]),
  optimization_targets: z.array(z.enum(TARGETS)),
  /** As AWS's validate action says it: "failed" when a setting fails the deployment (an error finding). */
  validation_result: z.enum(["passed", "failed"]),
  /** The search's answer (what `esm optimize --json` prints) when a traffic was given; null for the checks alone. */
  optimization: EsmOptimizeResultSchema.nullable(),
});

/** The library's names, as the caller spelt them: an agent that used AWS's names (configs, event_source) reads them. */
function callerNames(input: EsmOptimizeToolInput): OptionName {
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

/** Asked to optimize: a traffic, a bound, a duration or a deployed function given (else the checks alone). */
function wantsOptimization(input: EsmOptimizeToolInput): boolean {
  return (
    input.aws ||
    [
      input.maxAgeSeconds,
      input.rate,
      input.rateProfile,
      input.batchMs,
      input.recordMs,
      input.overheadMs,
      input.tuneFile,
      input.logFiles,
    ].some((value) => value !== undefined)
  );
}

/** The optimizer's own options out of the tool's input. */
function optimizeOptionsOf(input: EsmOptimizeToolInput): EsmOptimizeOptionsInput {
  const keys = Object.keys(EsmOptimizeOptionsFields.shape);
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => keys.includes(key) && value !== undefined),
  ) as EsmOptimizeOptionsInput;
}

async function optimize(
  options: EsmOptimizeOptionsInput,
  nameOf: OptionName,
  context: ToolContext,
): Promise<EsmOptimizeResult> {
  let step = 0;
  return optimizeEventSourceMappings(options, nameOf, {
    onProgress: (message) => {
      step += 1;
      void context.progress(step, undefined, message);
    },
  });
}

/** What predictions this answer holds, in place of the checks' note when the search ran. */
const OPTIMIZED_NOTE =
  "Predicted lag and cost are in optimization: each mapping's current and recommended settings, each simulated, with its p99 age and monthly cost.";

export const esmOptimizeTool = defineTool({
  name: "esm_optimize",
  title: "Optimize and check event source mappings",
  description:
    "Find the cheapest settings of Lambda event source mappings (SQS, Kinesis, DynamoDB " +
    "Streams, Kafka) that keep the lag under a bound, by simulating each candidate: BatchSize, " +
    "MaximumBatchingWindowInSeconds, ParallelizationFactor, TumblingWindowInSeconds (only a " +
    "stream mapping's that has a window), ScalingConfig.MaximumConcurrency, the queue's " +
    "VisibilityTimeout (and memory, with tuneFile and searchMemory). The mappings: " +
    "`template` (narrow with `function` or `mapping`), `aws: true` with `function` (a deployed " +
    "function, ListEventSourceMappings; `esm_uuid` picks one), or one mapping's settings as " +
    "AWS's esm_optimize takes them (`configs` with `event_source`). To optimize, give the " +
    "traffic (`rate` records/s or `rateProfile`; with aws it is read from CloudWatch), the " +
    "function's duration per batch (`batchMs`, or `recordMs` with `overheadMs`, or `tuneFile` / " +
    "`logFiles`) and `maxAgeSeconds`, the bound on a record's p99 age. The answer's " +
    "`optimization` has per mapping the current and recommended settings in CloudFormation's " +
    "names, the predicted p99 age and monthly cost of both, the reasons and the guide's advice. " +
    "Without a traffic it only checks: esm-config's findings with reasons, fixes and template " +
    "lines, and validation_result (failed when a setting would fail the deployment). Read-only; " +
    "generate_template is not offered.",
  input: EsmOptimizeInput,
  output: EsmOptimizeOutput,
  annotations: { readOnlyHint: true, openWorldHint: true },
  async run(input, context) {
    const {
      action,
      optimization_targets,
      event_source,
      configs,
      esm_uuid,
      optimized_configs,
      project_name: _project,
    } = input;
    if (action === "generate_template" || optimized_configs !== undefined)
      throw new UsageError(
        "action generate_template is not offered: this server never writes a deployment; call esm_optimize with action analyze or validate, then change the template yourself",
      );
    if (event_source !== undefined && input.eventSource !== undefined)
      throw new UsageError("give event_source or eventSource, not both");
    if (configs !== undefined && input.settings !== undefined)
      throw new UsageError("give configs or settings, not both");
    const settings = configs ?? input.settings;
    const eventSource = event_source ?? input.eventSource;
    const nameOf = callerNames(input);
    const optimizing = wantsOptimization(input);
    if (esm_uuid !== undefined && settings === undefined && !input.aws)
      throw new UsageError(
        "esm_uuid names a deployed mapping: give aws: true with its function to read it, or its settings in configs (aws lambda get-event-source-mapping prints them), or the template that declares it",
      );

    // The checks: on a template's mappings or on the settings given (a deployed function's come with the search).
    const report: EsmCheckReport | undefined = input.aws
      ? undefined
      : checkEventSourceMappings(
          {
            ...(input.template !== undefined ? { template: input.template } : {}),
            ...(input.function !== undefined ? { function: input.function } : {}),
            ...(input.mapping !== undefined ? { mapping: input.mapping } : {}),
            ...(input.cwd !== undefined ? { cwd: input.cwd } : {}),
            ...(settings !== undefined ? { settings } : {}),
            ...(eventSource !== undefined ? { eventSource } : {}),
            ...(input.fifo !== undefined ? { fifo: input.fifo } : {}),
          },
          nameOf,
        );
    const checks = report && {
      ...report,
      mappings:
        esm_uuid !== undefined && settings !== undefined
          ? report.mappings.map((mapping) => ({ ...mapping, id: esm_uuid }))
          : report.mappings,
    };

    let optimization: EsmOptimizeResult | null = null;
    if (optimizing) {
      optimization = await optimize(
        {
          ...optimizeOptionsOf(input),
          ...(settings !== undefined ? { settings } : {}),
          ...(eventSource !== undefined ? { eventSource } : {}),
          ...(input.aws && esm_uuid !== undefined ? { mapping: esm_uuid } : {}),
        },
        nameOf,
        context,
      );
      // Settings named by esm_uuid: the answer names them so, as the checks do.
      if (settings !== undefined && esm_uuid !== undefined)
        optimization = {
          ...optimization,
          mappings: optimization.mappings.map((mapping) => ({ ...mapping, id: esm_uuid })),
        };
    }
    const errors = checks
      ? checks.summary.error
      : (optimization?.mappings ?? []).flatMap((mapping) =>
          mapping.advice.filter((finding) => finding.severity === "error"),
        ).length;
    const structured = {
      ...(checks ?? {}),
      ...(checks && optimization ? { predictions: OPTIMIZED_NOTE } : {}),
      action,
      optimization_targets: optimization_targets ?? [],
      validation_result: errors > 0 ? ("failed" as const) : ("passed" as const),
      optimization,
    };
    return { structured, summary: esmSummary(checks, structured.validation_result, optimization) };
  },
});

function esmSummary(
  report: EsmCheckReport | undefined,
  validation: string,
  optimization: EsmOptimizeResult | null,
): string {
  const lines: string[] = [];
  if (report) {
    const { summary } = report;
    const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
    lines.push(
      `${plural(summary.mappings, "event source mapping")}${report.template ? ` in ${report.template}` : ""}: ` +
        `${plural(summary.error, "error")}, ${plural(summary.warning, "warning")}; validation ${validation}`,
    );
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
  }
  if (optimization) lines.push(summarizeEsmOptimization(optimization));
  else if (report) lines.push(report.predictions);
  return lines.join("\n");
}
