import { resolve } from "node:path";
import { Command } from "commander";
import { localFunctionFromHandlerSpec } from "../emulator/functions/from-handler.js";
import { UsageError } from "../errors.js";
import { MetricsAggregator } from "../metrics/aggregate.js";
import type { AwsFunctionObservations } from "../metrics/aws-observations.js";
import { buildMetricsReport } from "../metrics/build-report.js";
import type { SourceProblem } from "../metrics/observations.js";
import { UnknownFunctionError } from "../metrics/sources/aws-functions.js";
import { observeFunctions } from "../metrics/sources/aws-source.js";
import { readEmulatorLogs } from "../metrics/sources/emulator-logs.js";
import { LogFileError, readLogFiles } from "../metrics/sources/log-files.js";
import { knownRegions } from "../pricing/price-table.js";
import { renderMetricsHtml } from "../report/metrics-html.js";
import { renderMetricsRecommendations, renderMetricsTable } from "../report/metrics-terminal.js";
import { printJson } from "./format.js";
import { invalid, parseArchitecture } from "./option-parsers.js";
import { writeOutputFile } from "./output-paths.js";
import { loadPriceTable } from "./price-file.js";
import { createProgress } from "./progress.js";

interface MetricsFlags {
  function?: string;
  local?: boolean;
  aws?: boolean;
  all?: boolean;
  since: string;
  period?: string;
  maxLogEvents: string;
  arch?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  priceFile?: string;
  html?: string;
  json?: boolean;
  quiet?: boolean;
}

export function metricsCommand(): Command {
  return new Command("metrics")
    .summary("measure what functions do today and say what to change, with the dollars attached")
    .description(
      "Read Lambda's REPORT lines — from log files (CloudWatch exports, `aws logs tail`,\n" +
        "`aws logs filter-log-events` JSON, plain or gzip), from the embedded emulator's logs\n" +
        "(--local), or from CloudWatch (--aws NAME..., an ARN, or --all) — and report per function:\n" +
        "invocations, errors, timeouts, cold starts, durations, memory used, cost, and recommendations.",
    )
    .argument("[inputs...]", "log files (- for stdin); with --aws, function names or ARNs")
    .option(
      "--function <name>",
      "the function the log files belong to (default: from the log group, else the file name); with --local, only this function (a name or a handler such as app.mjs:handler)",
    )
    .option("--local", "read the embedded emulator's logs under .lambda-optimizer/logs/")
    .option("--aws", "measure deployed functions through CloudWatch and the Lambda API")
    .option("--all", "with --aws: every function in the region")
    .option("--since <duration>", "AWS window: 14d, 24h, 90m", "14d")
    .option(
      "--period <duration>",
      "what files without timestamps cover, for monthly figures: 1d, 7d",
    )
    .option(
      "--max-log-events <n>",
      "at most this many REPORT lines read from CloudWatch Logs per function",
      "10000",
    )
    .option(
      "--arch <arch>",
      "price log-only functions as x86_64 or arm64 (default: x86_64, assumed)",
    )
    .option(
      "--region <region>",
      "AWS region, and the prices used",
      process.env.AWS_REGION ?? "us-east-1",
    )
    .option("--profile <name>", "AWS profile")
    .option("--endpoint-url <url>", "another AWS endpoint (moto_server, LocalStack)")
    .option("--price-file <file>", "price with this table")
    .option("--html <file>", "write a self-contained HTML report with histograms")
    .option("--json", "print one JSON document (docs/commands/metrics.md)")
    .option("--quiet", "no progress on stderr")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ aws logs tail /aws/lambda/api --since 1d > api.log && lambda-optimizer metrics api.log\n" +
        "  $ lambda-optimizer metrics exports/*.gz --period 7d --html metrics.html\n" +
        "  $ lambda-optimizer metrics --local\n" +
        "  $ lambda-optimizer metrics --aws --all --region eu-west-1 --since 14d\n",
    )
    .action((inputs: string[], flags: MetricsFlags) => runMetrics(inputs, flags));
}

/**
 * `--function` with --local: a function name as the emulator keeps its logs, or a handler
 * (`examples/io-bound/handler.mjs:handler`), named as `invoke` and `tune` name it.
 */
function localFunctionNameOf(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return localFunctionFromHandlerSpec(value).definition.name;
}

/** "14d", "24h", "90m" in milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0)
    throw invalid(flag, value, "a length such as 90m, 24h, 14d or 2w");
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[
    match[2] as "m" | "h" | "d" | "w"
  ];
  return Number(match[1]) * unit;
}

async function runMetrics(inputs: string[], flags: MetricsFlags): Promise<void> {
  const priceTable = loadPriceTable(flags.priceFile);
  const region = flags.region ?? "us-east-1";
  if (!knownRegions(priceTable).includes(region)) {
    throw invalid(
      "--region",
      region,
      `a region the price table covers (${knownRegions(priceTable).join(", ")})`,
    );
  }
  const architecture =
    flags.arch === undefined ? undefined : parseArchitecture("--arch", flags.arch);
  const aws =
    flags.aws === true || flags.all === true || inputs.some((input) => input.startsWith("arn:"));
  if (flags.all && inputs.length > 0)
    throw new UsageError("give function names or --all, not both");
  if (aws && flags.local)
    throw new UsageError("--local reads the emulator's logs: leave out --aws");
  const maxLogEvents = Number(flags.maxLogEvents);
  if (!Number.isInteger(maxLogEvents) || maxLogEvents < 0)
    throw invalid("--max-log-events", flags.maxLogEvents, "a whole number ≥ 0");
  const periodMs = flags.period === undefined ? undefined : parseDuration("--period", flags.period);
  const progress = createProgress({ quiet: flags.quiet === true, unit: "functions" });

  const aggregator = new MetricsAggregator();
  const problems: SourceProblem[] = [];
  const notes: string[] = [];
  let observations: AwsFunctionObservations[] = [];
  let window: { start: Date; end: Date } | undefined;
  let source: { kind: "files" | "local" | "aws"; inputs: string[]; region: string };

  if (aws) {
    if (!flags.all && inputs.length === 0)
      throw new UsageError("--aws needs function names, ARNs, or --all");
    const end = new Date();
    window = { start: new Date(end.getTime() - parseDuration("--since", flags.since)), end };
    source = { kind: "aws", inputs: flags.all ? [`all functions in ${region}`] : inputs, region };
    try {
      observations = await observeFunctions(
        {
          region,
          ...(flags.profile ? { profile: flags.profile } : {}),
          ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
          onRetry: (retry) => progress.retry(retry),
        },
        {
          ...(flags.all ? { all: true } : { functions: inputs }),
          window,
          maxLogEvents,
          onNote: (note) => notes.push(note),
          onFunctionDone: (name, done, total) => {
            if (done === 1) progress.start(total);
            progress.step(name);
            progress.step();
          },
        },
        aggregator,
      );
    } catch (error) {
      if (error instanceof UnknownFunctionError) throw new UsageError(error.message);
      throw error;
    }
  } else if (flags.local) {
    source = { kind: "local", inputs: [resolve(".lambda-optimizer", "logs")], region };
    const wanted = [...inputs, ...(flags.function ? [localFunctionNameOf(flags.function)] : [])];
    try {
      await readEmulatorLogs(
        resolve(".lambda-optimizer"),
        aggregator,
        wanted.length > 0 ? { functionNames: wanted } : {},
      );
    } catch (error) {
      if (error instanceof LogFileError) throw new UsageError(error.message);
      throw error;
    }
  } else {
    const files = inputs.length > 0 ? inputs : process.stdin.isTTY ? [] : ["-"];
    if (files.length === 0)
      throw new UsageError("give log files (or - for stdin), --local, or --aws");
    source = { kind: "files", inputs: files, region };
    try {
      const read = await readLogFiles(
        files.length === 1 && files[0] === "-" ? "-" : files,
        aggregator,
        flags.function ? { functionName: flags.function } : {},
      );
      problems.push(...read.problems);
    } catch (error) {
      if (error instanceof LogFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  progress.stop();
  if (periodMs !== undefined && !aws) {
    const end = new Date();
    window = { start: new Date(end.getTime() - periodMs), end };
  }

  const report = buildMetricsReport({
    aggregator,
    aws: observations,
    source,
    priceTable,
    ...(architecture ? { architecture } : {}),
    ...(window ? { window } : {}),
    problems,
    notes: [...new Set(notes)],
  });
  if (report.functions.length === 0 && source.kind === "files") {
    // Nothing to measure in what the user pointed at: most likely the wrong file.
    throw new UsageError(
      `${source.inputs.join(", ")}: no Lambda log lines found (no REPORT line among ${report.skippedLines} lines read); give Lambda's logs, e.g. a CloudWatch Logs export or \`aws logs tail /aws/lambda/NAME\` output`,
    );
  }
  if (report.functions.length === 0 && !flags.quiet) {
    process.stderr.write(
      `lambda-optimizer: no Lambda REPORT line in ${source.inputs.join(", ")} (${report.skippedLines} other lines skipped)\n`,
    );
  }
  if (flags.html) writeOutputFile(flags.html, renderMetricsHtml(report));
  if (flags.json) printJson(report);
  else
    process.stdout.write(
      `${renderMetricsTable(report)}\n\n${renderMetricsRecommendations(report)}\n`,
    );
}
