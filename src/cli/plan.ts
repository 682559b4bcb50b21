/**
 * `lambda-optimizer plan`: which billing model to use (on-demand, provisioned
 * concurrency, SnapStart or Managed Instances) for a function's own traffic.
 * A thin surface over planBilling: flags become the library's options through
 * one table of names, every check is PlanOptionsSchema's.
 */
import { Command } from "commander";
import { UsageError } from "../errors.js";
import { flagName, type OptionName } from "../options.js";
import { planBilling } from "../planning/plan-billing.js";
import { PLAN_DEFAULTS, type PlanOptionsInput } from "../planning/plan-options.js";
import { renderPlanHtml } from "../report/plan-html.js";
import { renderPlanText } from "../report/plan-text.js";
import { printJson } from "./format.js";
import { numberOrText, shareOrText } from "./option-parsers.js";
import { checkWritableOutput, writeOutputFile } from "./output-paths.js";

interface PlanFlags {
  profile?: string;
  logs?: string[];
  aws?: boolean;
  function?: string;
  days?: string;
  template?: string;
  memory?: string;
  durationMs?: string;
  arch?: string;
  runtime?: string;
  initMs?: string;
  ephemeralMb?: string;
  region?: string;
  idleReclaimMinutes?: string;
  maxColdStartShare?: string;
  latencySensitive?: boolean;
  maxConcurrencyPerEnvironment?: string;
  savingsPlanDiscount?: string;
  poolSize?: string;
  priceFile?: string;
  awsProfile?: string;
  endpointUrl?: string;
  json?: boolean;
  html?: string;
  quiet?: boolean;
}

export function planCommand(): Command {
  return (
    new Command("plan")
      .summary(
        "choose the billing model from the function's own traffic: on-demand, provisioned concurrency, SnapStart or Managed Instances",
      )
      .description(
        "Price every Lambda billing model on one function's real traffic and say which to use:\n" +
          "on-demand, provisioned concurrency (the cheapest level, or a level per hour of day),\n" +
          "SnapStart (Java 11+, Python 3.12+, .NET 8+) and Lambda Managed Instances. The traffic\n" +
          "comes from one source: a profile file (--profile), Lambda's REPORT lines (--logs), or a\n" +
          "deployed function's CloudWatch metrics (FUNCTION --aws). The answer names the row of the\n" +
          "guide's decision table the traffic matches, the cheapest model that meets your cold-start\n" +
          "bound, the runner-up and by how much, and the arithmetic behind every figure; modelled\n" +
          "figures are labelled as such.",
      )
      .argument(
        "[function]",
        "with --aws: the deployed function (name or ARN); with --template: its logical id",
      )
      .option(
        "--profile <file>",
        "traffic profile: CSV or JSON lines with timestamp and invocations (optional concurrency, duration_ms), one row per fixed step",
      )
      .option(
        "--logs <files...>",
        "Lambda log files of REPORT lines (CloudWatch exports, `aws logs tail`, plain or gzip; - for stdin)",
      )
      .option("--aws", "read the deployed FUNCTION's traffic from CloudWatch")
      .option(
        "--function <name>",
        "the function, as the positional FUNCTION; with --logs, every REPORT line is read as its",
      )
      .option("--days <n>", `with --aws: days of CloudWatch data (default: ${PLAN_DEFAULTS.days})`)
      .option(
        "--template <file>",
        "a SAM or CloudFormation template holding FUNCTION's memory, architecture and runtime",
      )
      .option("--memory <mb>", "memory size in MB, 128–10240 (default: the function's)")
      .option(
        "--duration-ms <ms>",
        "mean duration of an invocation in ms, where the traffic lacks it",
      )
      .option("--arch <arch>", "x86_64 or arm64 (default: the function's, else x86_64)")
      .option("--runtime <id>", "the runtime, e.g. java21 or python3.12: decides SnapStart")
      .option(
        "--init-ms <ms>",
        "init duration of a cold start in ms (default: what the logs measured)",
      )
      .option("--ephemeral-mb <mb>", "/tmp size in MB, 512–10240")
      .option(
        "--region <region>",
        "the region whose prices apply (default: AWS_REGION, else us-east-1)",
      )
      .option(
        "--idle-reclaim-minutes <n>",
        `minutes an idle environment lives before Lambda reclaims it, modelled (default: ${PLAN_DEFAULTS.idleReclaimMinutes})`,
      )
      .option(
        "--max-cold-start-share <share>",
        "recommend only a model whose cold starts stay at or under this share of invocations: 0.05 or 5%",
      )
      .option(
        "--latency-sensitive",
        "the function serves users synchronously: cold starts count against a model",
      )
      .option(
        "--max-concurrency-per-environment <n>",
        "Managed Instances: concurrent requests one environment serves (default: AWS's for the runtime)",
      )
      .option(
        "--savings-plan-discount <share>",
        "Managed Instances: what an EC2 Savings Plan takes off instance prices: 0.3 or 30% (default: 0)",
      )
      .option(
        "--pool-size <n>",
        `Managed Instances: connections in one environment's database pool, to count what each model holds (default: ${PLAN_DEFAULTS.connectionPoolSize})`,
      )
      .option("--price-file <file>", "price with this table (JSON) instead of the bundled one")
      .option("--aws-profile <name>", "with --aws: the AWS profile (--profile is the traffic file)")
      .option("--endpoint-url <url>", "with --aws: another AWS endpoint (moto_server, LocalStack)")
      .option("--json", "print one JSON document (docs/commands/plan.md)")
      .option(
        "--html <file>",
        "write a self-contained HTML report with the traffic and each model's cost",
      )
      .option("--quiet", "no progress on stderr")
      .addHelpText(
        "after",
        "\nA profile file, one row per minute (CSV; JSON lines with the same names too):\n" +
          "  timestamp,invocations,concurrency,duration_ms\n" +
          "  2026-11-16T00:00:00Z,5820,11,118.5\n" +
          "\nExamples:\n" +
          "  $ lambda-optimizer plan --profile traffic.csv --memory 1024 --duration-ms 120\n" +
          "  $ aws logs tail /aws/lambda/orders --since 14d > orders.log\n" +
          "  $ lambda-optimizer plan --logs orders.log --runtime java21 --latency-sensitive\n" +
          "  $ lambda-optimizer plan orders --aws --days 14 --html plan.html\n" +
          "  $ lambda-optimizer plan Orders --template template.yaml --profile traffic.csv \\\n" +
          "      --max-cold-start-share 1%\n",
      )
      // --max-concurrency-per-environment leaves 39 columns for descriptions at 80: wrap them still.
      .configureHelp({ minWidthToWrap: 30 })
      .action((fn: string | undefined, flags: PlanFlags) => runPlan(fn, flags))
  );
}

/** The library's option names as this command's flags: trafficFile is --profile, profile is --aws-profile. */
const PLAN_FLAGS: Record<string, string> = {
  trafficFile: "--profile",
  logFiles: "--logs",
  function: "FUNCTION",
  memoryMb: "--memory",
  architecture: "--arch",
  initDurationMs: "--init-ms",
  ephemeralStorageMb: "--ephemeral-mb",
  profile: "--aws-profile",
  connectionPoolSize: "--pool-size",
};
const planFlagName: OptionName = (path) => PLAN_FLAGS[String(path.at(-1))] ?? flagName(path);

/** The flags as the library's options (syntax only: numbers and shares read; every check is PlanOptionsSchema's). */
function planOptionsOf(positional: string | undefined, flags: PlanFlags): PlanOptionsInput {
  if (positional !== undefined && flags.function !== undefined && positional !== flags.function)
    throw new UsageError(
      `FUNCTION ${JSON.stringify(positional)} and --function ${JSON.stringify(flags.function)} differ: give the function once`,
    );
  const number = (value: string | undefined) =>
    value === undefined ? undefined : numberOrText(value);
  const share = (value: string | undefined) =>
    value === undefined ? undefined : shareOrText(value);
  return {
    trafficFile: flags.profile,
    logFiles: flags.logs,
    aws: flags.aws === true,
    function: positional ?? flags.function,
    days: number(flags.days),
    template: flags.template,
    memoryMb: number(flags.memory),
    durationMs: number(flags.durationMs),
    architecture: flags.arch,
    runtime: flags.runtime,
    initDurationMs: number(flags.initMs),
    ephemeralStorageMb: number(flags.ephemeralMb),
    region: flags.region,
    idleReclaimMinutes: number(flags.idleReclaimMinutes),
    maxColdStartShare: share(flags.maxColdStartShare),
    latencySensitive: flags.latencySensitive === true,
    maxConcurrencyPerEnvironment: number(flags.maxConcurrencyPerEnvironment),
    savingsPlanDiscount: share(flags.savingsPlanDiscount),
    connectionPoolSize: number(flags.poolSize),
    priceFile: flags.priceFile,
    profile: flags.awsProfile,
    endpointUrl: flags.endpointUrl,
    // Values go to the schema as typed: it refuses what is not allowed, naming the flag.
  } as PlanOptionsInput;
}

async function runPlan(positional: string | undefined, flags: PlanFlags): Promise<void> {
  const options = planOptionsOf(positional, flags);
  // Before any reading: a long CloudWatch read is wasted if the report cannot be written.
  checkWritableOutput("--html", flags.html);
  const result = await planBilling(options, planFlagName, {
    ...(flags.quiet ? {} : { onProgress: (message) => process.stderr.write(`${message}\n`) }),
  });
  if (flags.html) writeOutputFile(flags.html, renderPlanHtml(result));
  if (flags.json) printJson(result);
  else process.stdout.write(`${renderPlanText(result)}\n`);
}
