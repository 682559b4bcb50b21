/**
 * The prompt `optimize-function`: the optimization guide's flow for one
 * function, measure → audit → tune → plan, written as the calls to make with
 * this server's tools, with the function's own arguments filled in, and what
 * to read in each answer before the next step.
 *
 * The function is a local handler, a template's function (both run on the
 * embedded emulator) or a deployed one; the steps differ only where they must:
 * a deployed function is measured from CloudWatch and tuned on AWS (which
 * needs --allow-write), a local one is measured by invoking it.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, type GetPromptResult, McpError } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { BUNDLED_PRICE_TABLE, knownRegions } from "../pricing/price-table.js";
import { type CompletionSource, startingWith } from "./completions.js";

export const OPTIMIZE_FUNCTION_PROMPT = "optimize-function";

/** The sizes to try: Power Tuning's usual list, with 1,769 MB, where a function gets one full vCPU. */
const POWER_VALUES = [128, 256, 512, 1024, 1769, 3008];

const PromptArguments = {
  handler: z
    .string()
    .optional()
    .describe(
      "A local handler file and its export, run on the embedded emulator: src/app.mjs:handler",
    ),
  template: z
    .string()
    .optional()
    .describe("A SAM or CloudFormation template whose function runs on the embedded emulator"),
  function: z
    .string()
    .optional()
    .describe("With template: the function's logical id (optional when the template has one)"),
  functionName: z.string().optional().describe("A deployed function: its name or ARN"),
  region: z
    .string()
    .optional()
    .describe("The AWS region of a deployed function, and the prices used (default us-east-1)"),
};

type PromptInput = { [Name in keyof typeof PromptArguments]?: string | undefined };

/** The function the flow is about, from the prompt's arguments. */
type Target =
  | { readonly kind: "handler"; readonly handler: string }
  | { readonly kind: "template"; readonly template: string; readonly function?: string }
  | { readonly kind: "deployed"; readonly functionName: string };

export function registerPrompts(server: McpServer): CompletionSource[] {
  server.registerPrompt(
    OPTIMIZE_FUNCTION_PROMPT,
    {
      title: "Optimize a Lambda function",
      description:
        "A guided flow for one function: measure it, audit its template and code, tune its memory, then plan its billing, each step with this server's tools and real numbers. Give handler, template (+ function) or functionName; region is optional.",
      argsSchema: PromptArguments,
    },
    (input) => optimizeFunctionPrompt(input),
  );
  const regions = knownRegions(BUNDLED_PRICE_TABLE);
  return [
    {
      ref: { type: "ref/prompt", name: OPTIMIZE_FUNCTION_PROMPT },
      arguments: { region: (typed) => startingWith(regions, typed) },
    },
  ];
}

export function optimizeFunctionPrompt(input: PromptInput): GetPromptResult {
  const target = targetOf(input);
  const region = input.region;
  return {
    description: `Optimize ${describeTarget(target)}: measure, audit, tune, plan`,
    messages: [{ role: "user", content: { type: "text", text: flowText(target, region) } }],
  };
}

function targetOf(input: PromptInput): Target {
  const given = (["handler", "template", "functionName"] as const).filter(
    (name) => input[name] !== undefined && input[name] !== "",
  );
  if (given.length !== 1) {
    throw new McpError(
      ErrorCode.InvalidParams,
      given.length === 0
        ? "optimize-function needs the function: give handler (a local handler such as src/app.mjs:handler), template (with function, its logical id) or functionName (a deployed function)"
        : `optimize-function takes one function: give only one of ${given.join(", ")}`,
    );
  }
  if (input.function && given[0] !== "template") {
    throw new McpError(
      ErrorCode.InvalidParams,
      "function is a template's logical id: give it with template (for a deployed function, give functionName)",
    );
  }
  if (input.handler) return { kind: "handler", handler: input.handler };
  if (input.template)
    return {
      kind: "template",
      template: input.template,
      ...(input.function ? { function: input.function } : {}),
    };
  return { kind: "deployed", functionName: input.functionName as string };
}

function describeTarget(target: Target): string {
  switch (target.kind) {
    case "handler":
      return `the handler ${target.handler}`;
    case "template":
      return target.function
        ? `the function ${target.function} of ${target.template}`
        : `the function of ${target.template}`;
    case "deployed":
      return `the deployed function ${target.functionName}`;
  }
}

/** The arguments that name the function to a tool run on the emulator. */
function localArguments(target: Exclude<Target, { kind: "deployed" }>): Record<string, string> {
  return target.kind === "handler"
    ? { handler: target.handler }
    : { template: target.template, ...(target.function ? { function: target.function } : {}) };
}

function call(tool: string, args: Record<string, unknown>): string {
  return `\`${tool}\` with \`${JSON.stringify(args)}\``;
}

function flowText(target: Target, region: string | undefined): string {
  const withRegion = region ? { region } : {};
  const deployed = target.kind === "deployed";
  const tuneArguments = deployed
    ? { target: { functionName: target.functionName, ...withRegion } }
    : { target: { ...localArguments(target), ...withRegion } };

  const measure = deployed
    ? [
        `1. Measure. Call ${call("get_metrics", { project_name: target.functionName, ...withRegion })}`,
        '   (the last 24 hours; give `start_time` and `end_time`, or `since` such as "14d", for a longer window).',
        "   Read: invocations and errors; p50 and p99 duration; cold starts and their init duration;",
        "   the most memory used against the memory size; the monthly cost; and each recommendation",
        "   with its saving in dollars. Memory used far below the size, or a function that is",
        "   CPU-bound, is what tuning will settle. Note the monthly invocations: step 4 prices them.",
      ]
    : [
        `1. Measure. Call ${call("invoke_local", { target: localArguments(target), payload: "<a representative event>" })}`,
        "   with an event like those the function gets in production (ask the user, or take one from the",
        "   project's events/ folder or tests). It runs once on the embedded emulator, with CPU in",
        "   proportion to memory as on Lambda. Read the REPORT: Duration, Billed Duration, Max Memory",
        "   Used against Memory Size, and Init Duration (the cold start); and the logs for errors.",
        `   After a few calls, ${call("get_metrics", { local: true })} sums every local run so far.`,
      ];

  const audit = [
    `2. Audit. Call ${call("audit", { paths: [auditPath(target)] })}.`,
    "   Read the findings about this function, errors first: each has the file, the line, the rule,",
    "   the message and the fix. The rule's page, `lambda-optimizer://rules/<rule id>` (a resource),",
    "   explains the cost or latency at stake. Look first at arm64-candidate (about 20% cheaper per",
    "   GB-second), clients or configuration created inside the handler (paid on every invocation),",
    "   timeouts far above the measured duration, log retention, and event source mappings. Propose",
    "   the changes to the user; do not edit their templates or code unasked.",
  ];

  const tune = [
    `3. Tune. Call ${call("power_tune", { ...tuneArguments, powerValues: POWER_VALUES, num: deployed ? 50 : 10, payload: "<the same event>", strategy: "cost" })}.`,
    deployed
      ? "   On AWS this sets the function's memory to each size in turn and restores it at the end, so the\n" +
        "   server must have been started with --allow-write. If the answer is an error naming\n" +
        "   --allow-write, tell the user, and offer to tune the function locally from its template instead\n" +
        "   (the same call with `target: {template, function}` in place of the deployed function)."
      : "   It runs on the embedded emulator: nothing in AWS is touched, and no permission is needed.",
    "   It reports progress per configuration. Read: the recommended memory and architecture, its",
    "   cost per invocation and p95 duration, the reason, the configurations tied with it within noise,",
    "   the saving against the current size, and the verdict (a busy machine or wide intervals mean",
    "   tune again with a larger `num`). 1,769 MB is one full vCPU: below it a CPU-bound function",
    '   speeds up as memory grows, often for the same cost. Use strategy "speed" or "balanced"',
    "   when latency matters more than cost. The run is saved and listed as a resource",
    "   (`lambda-optimizer://runs/<run id>`); after a code change, tune again and call `compare_runs`",
    "   with the two runs to see what changed.",
  ];

  const planTraffic = deployed
    ? { aws: true, function: target.functionName, days: 14 }
    : { trafficFile: "<traffic profile: CSV of timestamp,invocations per minute>" };
  const plan = [
    `4. Plan. Call ${call("estimate_cost", { memoryMb: "<recommended memory>", durationMs: "<its mean duration>", invocations: "<invocations a month>", architecture: "<recommended architecture>", ...withRegion })}`,
    "   and the same with today's memory and duration: the difference is the monthly saving. Take the",
    "   invocations from step 1 (per month), or ask the user for the traffic they expect.",
    `   Then choose how to pay for that traffic: call ${call("plan_billing", { ...planTraffic, memoryMb: "<recommended memory>", durationMs: "<its mean duration>", architecture: "<recommended architecture>", ...(deployed ? {} : { runtime: "<the function's runtime>" }), ...withRegion })}.`,
    deployed
      ? "   It reads the function's per-minute traffic and configuration from CloudWatch."
      : "   A local function has no production traffic: ask the user for a profile (one row per minute,\n" +
        "   `timestamp,invocations`, from their monitoring) or their Lambda log exports (`logFiles`).",
    "   It prices on-demand, provisioned concurrency, SnapStart and Managed Instances on that traffic.",
    "   Read: the traffic's pattern (unpredictable, steady baseline + spikes, batch, infrequent) and the",
    "   figures behind it; each model's monthly cost and cold starts; the recommendation, its saving",
    "   against on-demand and the runner-up; where the lines cross as traffic scales; and what is",
    "   modelled. When cold starts are visible to users, call it again with `latencySensitive: true`",
    "   or a `maxColdStartShare`. Managed Instances need thread-safe code: check the audit's",
    "   managed-instances-thread-safety finding before recommending them. When the function reads",
    "   from SQS, Kinesis, DynamoDB Streams or Kafka, call `esm_optimize` for its event source",
    "   mapping's settings: with the template (or aws and function), the traffic (rate or",
    "   rateProfile; CloudWatch with aws), the duration per batch and maxAgeSeconds, it returns the",
    "   cheapest settings that keep the lag under the bound, with today's predicted lag and cost;",
    "   `esm_simulate` shows what one set of settings does over time.",
  ];

  return [
    `Optimize ${describeTarget(target)} with the lambda-optimizer tools, in four steps. Every figure`,
    "you report must come from a tool's answer; say which are measured and which are modelled.",
    "",
    ...measure,
    "",
    ...audit,
    "",
    ...tune,
    "",
    ...plan,
    "",
    "Finish with a short table, today against recommended: memory, architecture, p95 duration, cost",
    "per invocation and cost a month, and the billing model; then the template changes to make",
    "(MemorySize, Architectures, Timeout, ProvisionedConcurrencyConfig or SnapStart, and the audit's",
    "fixes), each with its saving. Change nothing in AWS unless the user asks: the tools are",
    "read-only unless the server was started with --allow-write.",
  ].join("\n");
}

/** What to audit: the template itself, else the handler's folder, else the working folder (a deployed function's project). */
function auditPath(target: Target): string {
  if (target.kind === "template") return target.template;
  if (target.kind === "handler") {
    const file = target.handler.replace(/:[^:/\\]*$/, "");
    const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
    return slash > 0 ? file.slice(0, slash) : ".";
  }
  return ".";
}
