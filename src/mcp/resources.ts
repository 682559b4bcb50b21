/**
 * What the server offers to read besides its tools: each audit rule's docs
 * page (why the rule matters, how to fix what it finds) and the tuning runs
 * saved under .lambda-optimizer/runs/ in the server's working folder, which
 * `tune` and power_tune write and compare_runs reads.
 *
 * Both are resource templates, listed in full and completed by id, so an
 * agent that met a rule id in an audit finding, or a run id in a summary,
 * reads the page or the run by its URI.
 */
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { McpError, type ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { CODE_RULES } from "../audit/code-rules/index.js";
import { RULE_IDS } from "../audit/rule-ids.js";
import { TEMPLATE_RULES } from "../audit/rules/index.js";
import { packageRoot } from "../emulator/runtimes/package-root.js";
import { formatUsd } from "../format.js";
import { RUNS_FOLDER, readSavedTuneResults } from "../tuning/saved-runs.js";
import type { TuneResult } from "../tuning/tune-result.js";
import { type CompletionSource, startingWith } from "./completions.js";

export const RULE_URI_TEMPLATE = "lambda-optimizer://rules/{ruleId}";
export const RUN_URI_TEMPLATE = "lambda-optimizer://runs/{runId}";

/** The protocol's error code for a resource that is not there. */
const RESOURCE_NOT_FOUND = -32002;

/** Register the rules' pages and the saved runs; returns what their URIs complete. */
export function registerResources(server: McpServer): CompletionSource[] {
  server.registerResource(
    "rule",
    new ResourceTemplate(RULE_URI_TEMPLATE, {
      list: async () => ({ resources: RULE_IDS.map(rulePage) }),
    }),
    {
      title: "Audit rule",
      description:
        "The docs page of an audit rule: what it finds, why it costs money or latency, and how to fix it. The rule id is the one in an audit finding.",
      mimeType: "text/markdown",
    },
    async (uri, variables) => readRulePage(uri, single(variables.ruleId)),
  );
  server.registerResource(
    "tuning-run",
    new ResourceTemplate(RUN_URI_TEMPLATE, {
      list: async () => ({ resources: savedRuns().map(({ id, result }) => runEntry(id, result)) }),
    }),
    {
      title: "Saved tuning run",
      description:
        "A complete tuning run saved under .lambda-optimizer/runs/ in the server's working folder: every configuration measured, its cost and durations, and the recommendation.",
      mimeType: "application/json",
    },
    async (uri, variables) => readRun(uri, single(variables.runId)),
  );
  return [
    { ref: { type: "ref/resource", uri: RULE_URI_TEMPLATE }, arguments: { ruleId: completeRule } },
    { ref: { type: "ref/resource", uri: RUN_URI_TEMPLATE }, arguments: { runId: completeRun } },
  ];
}

// --- rules ---------------------------------------------------------------------------------

const RULE_METAS = new Map(
  [...TEMPLATE_RULES, ...CODE_RULES].map((rule) => [rule.meta.id, rule.meta]),
);

function ruleUri(id: string): string {
  return `lambda-optimizer://rules/${id}`;
}

function rulePage(id: string) {
  const meta = RULE_METAS.get(id);
  return {
    uri: ruleUri(id),
    name: id,
    title: meta?.title ?? id,
    ...(meta ? { description: meta.rationale } : {}),
    mimeType: "text/markdown",
  };
}

/** docs/rules/ of the installed package: beside dist/ in a build or an npm install, beside src/ in a checkout. */
function rulesFolder(): string {
  return join(packageRoot(), "docs", "rules");
}

function readRulePage(uri: URL, id: string): ReadResourceResult {
  if (!RULE_IDS.includes(id)) throw notFound(uri, "no audit rule has that id");
  return {
    contents: [
      {
        uri: uri.href,
        mimeType: "text/markdown",
        text: readFileSync(join(rulesFolder(), `${id}.md`), "utf8"),
      },
    ],
  };
}

function completeRule(typed: string): readonly string[] {
  return startingWith(RULE_IDS, typed).sort();
}

// --- saved runs ----------------------------------------------------------------------------

interface SavedRun {
  /** The file's name without .json: "20261202T185501-a1b2c3-thumbnailer". */
  readonly id: string;
  readonly result: TuneResult;
}

/** Complete runs in the server's working folder, newest first; a file that is not a run is left out. */
function savedRuns(): SavedRun[] {
  return readSavedTuneResults(resolve(RUNS_FOLDER)).results.map(({ file, result }) => ({
    id: basename(file, ".json"),
    result,
  }));
}

function runEntry(id: string, result: TuneResult) {
  const where = result.target.kind === "local" ? "locally" : `on AWS in ${result.target.region}`;
  const recommends = result.recommendation
    ? `recommends ${result.recommendation.memoryMb} MB ${result.recommendation.architecture} at ${formatUsd(result.recommendation.costPerInvocationUsd)} per invocation`
    : "recommends nothing";
  return {
    uri: `lambda-optimizer://runs/${id}`,
    name: id,
    title: `${result.target.functionName} tuned ${where}, ${result.createdAt}`,
    description: `${result.results.length} configurations measured; ${recommends}.`,
    mimeType: "application/json",
  };
}

function readRun(uri: URL, id: string): ReadResourceResult {
  // Found among the folder's runs by name, never joined into a path: an id cannot reach another file.
  const run = savedRuns().find((saved) => saved.id === id);
  if (!run) throw notFound(uri, `no complete tuning run of that id in ${RUNS_FOLDER}`);
  return {
    contents: [
      { uri: uri.href, mimeType: "application/json", text: JSON.stringify(run.result, null, 2) },
    ],
  };
}

function completeRun(typed: string): readonly string[] {
  return startingWith(
    savedRuns().map((run) => run.id),
    typed,
  );
}

// --- shared --------------------------------------------------------------------------------

/** A URI template variable's value (an exploded variable would be a list: take its first). */
function single(value: string | string[] | undefined): string {
  return decodeURIComponent((Array.isArray(value) ? value[0] : value) ?? "");
}

function notFound(uri: URL, why: string): McpError {
  return new McpError(RESOURCE_NOT_FOUND, `resource ${uri.href} not found: ${why}`, {
    uri: uri.href,
  });
}
