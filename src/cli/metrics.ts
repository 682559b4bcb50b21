import { Command } from "commander";
import { measureFunctions } from "../metrics/measure-functions.js";
import { METRICS_DEFAULTS, type MetricsOptionsInput } from "../metrics/metrics-options.js";
import type { MetricsReport } from "../metrics/metrics-report.js";
import { flagName, type OptionName } from "../options.js";
import { renderMetricsHtml } from "../report/metrics-html.js";
import { renderMetricsRecommendations, renderMetricsTable } from "../report/metrics-terminal.js";
import { printJson } from "./format.js";
import { numberOrText } from "./option-parsers.js";
import { writeOutputFile } from "./output-paths.js";
import { createProgress } from "./progress.js";

interface MetricsFlags {
  function?: string;
  local?: boolean;
  aws?: boolean;
  all?: boolean;
  since?: string;
  start?: string;
  end?: string;
  period?: string;
  maxLogEvents?: string;
  retuneAfterDays?: string;
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
    .option("--since <duration>", `AWS window: 14d, 24h, 90m (default: ${METRICS_DEFAULTS.since})`)
    .option("--start <time>", "AWS window's start, ISO 8601 (instead of --since): 2026-11-01")
    .option("--end <time>", "AWS window's end, ISO 8601 (default: now): 2026-11-28T12:00:00Z")
    .option(
      "--period <duration>",
      "what files without timestamps cover, for monthly figures: 1d, 7d",
    )
    .option(
      "--max-log-events <n>",
      `at most this many REPORT lines read from CloudWatch Logs per function (default: ${METRICS_DEFAULTS.maxLogEvents})`,
    )
    .option(
      "--retune-after-days <days>",
      `recommend re-tuning when a function's last saved tune is older than this (default: ${METRICS_DEFAULTS.retuneAfterDays}); a code change since is due at any age`,
    )
    .option(
      "--arch <arch>",
      "price log-only functions as x86_64 or arm64 (default: x86_64, assumed)",
    )
    .option(
      "--region <region>",
      "AWS region, and the prices used (default: AWS_REGION, else us-east-1)",
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

/** The library's option names as this command's words: positional inputs are "function names" or "log files". */
const metricsFlagName: OptionName = (path) => {
  const key = path.at(-1);
  if (key === "functions") return "function names";
  if (key === "logFiles") return "log files";
  if (key === "architecture") return "--arch";
  return flagName(path);
};

/**
 * The flags as the library's options (a flag left out is undefined: the library's default).
 * The positional inputs are function names for --aws or --local (an ARN means --aws), else log
 * files; with none named and something piped in, stdin.
 */
function metricsOptionsOf(inputs: string[], flags: MetricsFlags): MetricsOptionsInput {
  const aws = flags.aws || flags.all || inputs.some((input) => input.startsWith("arn:"));
  const files = inputs.length > 0 ? inputs : process.stdin.isTTY ? [] : ["-"];
  const functions = aws || flags.local;
  return {
    logFiles: functions || files.length === 0 ? undefined : files,
    functions: functions && inputs.length > 0 ? inputs : undefined,
    local: flags.local,
    aws: flags.aws,
    all: flags.all,
    function: flags.function,
    since: flags.since,
    start: flags.start,
    end: flags.end,
    period: flags.period,
    maxLogEvents: flags.maxLogEvents === undefined ? undefined : numberOrText(flags.maxLogEvents),
    retuneAfterDays:
      flags.retuneAfterDays === undefined ? undefined : numberOrText(flags.retuneAfterDays),
    architecture: flags.arch,
    region: flags.region,
    profile: flags.profile,
    endpointUrl: flags.endpointUrl,
    priceFile: flags.priceFile,
    // Values go to the schema as typed: it refuses what is not allowed, naming the flag.
  } as MetricsOptionsInput;
}

async function runMetrics(inputs: string[], flags: MetricsFlags): Promise<void> {
  const progress = createProgress({ quiet: flags.quiet === true, unit: "functions" });
  let report: MetricsReport;
  try {
    report = await measureFunctions(
      metricsOptionsOf(inputs, flags),
      {
        onRetry: (retry) => progress.retry(retry),
        onFunctionDone: (name, done, total) => {
          if (done === 1) progress.start(total);
          progress.step(name);
          progress.step();
        },
      },
      metricsFlagName,
    );
  } finally {
    progress.stop();
  }
  if (report.functions.length === 0 && !flags.quiet) {
    process.stderr.write(
      `lambda-optimizer: no Lambda REPORT line in ${report.source.inputs.join(", ")} (${report.skippedLines} other lines skipped)\n`,
    );
  }
  if (flags.html) writeOutputFile(flags.html, renderMetricsHtml(report));
  if (flags.json) printJson(report);
  else
    process.stdout.write(
      `${renderMetricsTable(report)}\n\n${renderMetricsRecommendations(report)}\n`,
    );
}
