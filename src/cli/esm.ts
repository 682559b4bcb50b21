/**
 * `lambda-optimizer esm`: event source mappings (SQS, Kinesis, DynamoDB Streams, Kafka) tuned
 * from numbers. `esm simulate` runs one mapping's settings against a traffic and a function's
 * speed; `esm optimize` searches a template's or a deployed function's mappings for the cheapest
 * settings that keep the lag under a bound. A thin surface over simulateEventSourceMapping and
 * optimizeEventSourceMappings: flags become the library's options through one table of names,
 * every check is the options schemas'.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { UsageError } from "../errors.js";
import { optimizeEventSourceMappings } from "../esm/optimize/optimize-mappings.js";
import {
  ESM_OPTIMIZE_DEFAULTS,
  type EsmOptimizeOptionsInput,
} from "../esm/optimize/optimize-options.js";
import { simulateEventSourceMapping } from "../esm/simulation/simulate.js";
import {
  ESM_SIMULATE_DEFAULTS,
  type EsmSimulateOptionsInput,
} from "../esm/simulation/simulate-options.js";
import { flagName, type OptionName } from "../options.js";
import { renderEsmOptimizeHtml } from "../report/esm-optimize-html.js";
import { renderEsmOptimizeText } from "../report/esm-optimize-text.js";
import { renderEsmSimulationHtml } from "../report/esm-simulation-html.js";
import { renderEsmSimulationText } from "../report/esm-simulation-text.js";
import { printJson } from "./format.js";
import { numberOrText, parseCount, shareOrText } from "./option-parsers.js";
import { checkWritableOutput, writeOutputFile } from "./output-paths.js";

/** The flags both subcommands take: the traffic, the function's speed and cost, the run. */
interface CommonFlags {
  rate?: string;
  rateProfile?: string;
  arrival?: string;
  burstRate?: string;
  burstAt?: string;
  burstSeconds?: string;
  recordBytes?: string;
  batchMs?: string;
  recordMs?: string;
  overheadMs?: string;
  tuneFile?: string;
  logs?: string[];
  errorRate?: string;
  reservedConcurrency?: string;
  timeout?: string;
  memory?: string;
  arch?: string;
  ephemeralMb?: string;
  seconds?: string;
  seed?: string;
  maxEvents?: string;
  region?: string;
  priceFile?: string;
  json?: boolean;
  html?: string;
  quiet?: boolean;
}

interface SimulateFlags extends CommonFlags {
  source?: string;
  batchSize?: string;
  windowS?: string;
  maxConcurrency?: string;
  fifo?: boolean;
  messageGroups?: string;
  visibilityTimeout?: string;
  maxReceiveCount?: string;
  reportBatchItemFailures?: boolean;
  shards?: string;
  parallelization?: string;
  tumblingWindowS?: string;
  maxRetries?: string;
  bisectOnError?: boolean;
  maxRecordAgeS?: string;
  partitions?: string;
  pollers?: string;
}

interface OptimizeFlags extends CommonFlags {
  template?: string;
  settings?: string;
  eventSource?: string;
  fifo?: boolean;
  function?: string;
  mapping?: string;
  aws?: boolean;
  days?: string;
  awsProfile?: string;
  endpointUrl?: string;
  maxAgeS?: string;
  allowThrottles?: boolean;
  searchMemory?: boolean;
  shards?: string;
  partitions?: string;
}

/**
 * The library's option names as this command's flags, where they differ from the plain
 * camelCase-to-kebab one (rateProfile is --rate-profile without a table).
 */
const ESM_FLAGS: Record<string, string> = {
  windowSeconds: "--window-s",
  visibilityTimeoutSeconds: "--visibility-timeout",
  tumblingWindowSeconds: "--tumbling-window-s",
  maximumRetryAttempts: "--max-retries",
  maximumRecordAgeSeconds: "--max-record-age-s",
  burstAtSeconds: "--burst-at",
  logFiles: "--logs",
  timeoutSeconds: "--timeout",
  memoryMb: "--memory",
  architecture: "--arch",
  ephemeralStorageMb: "--ephemeral-mb",
  maxAgeSeconds: "--max-age-s",
  profile: "--aws-profile",
  function: "FUNCTION",
};
export const esmFlagName: OptionName = (path) => ESM_FLAGS[String(path.at(-1))] ?? flagName(path);

const number = (value: string | undefined) =>
  value === undefined ? undefined : numberOrText(value);
/** A count such as 200000000 or 200M; anything else goes to the schema as typed, for it to refuse. */
const count = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  try {
    return parseCount(flag, value);
  } catch {
    return numberOrText(value);
  }
};
const flag = (value: boolean | undefined) => (value === true ? true : undefined);

/** The traffic and function flags as the library's options (syntax only). */
function commonOptionsOf(flags: CommonFlags) {
  return {
    rate: number(flags.rate),
    rateProfile: flags.rateProfile,
    arrival: flags.arrival,
    burstRate: number(flags.burstRate),
    burstAtSeconds: number(flags.burstAt),
    burstSeconds: number(flags.burstSeconds),
    recordBytes: number(flags.recordBytes),
    batchMs: number(flags.batchMs),
    recordMs: number(flags.recordMs),
    overheadMs: number(flags.overheadMs),
    tuneFile: flags.tuneFile,
    logFiles: flags.logs,
    errorRate: flags.errorRate === undefined ? undefined : shareOrText(flags.errorRate),
    reservedConcurrency: number(flags.reservedConcurrency),
    timeoutSeconds: number(flags.timeout),
    memoryMb: number(flags.memory),
    architecture: flags.arch,
    ephemeralStorageMb: number(flags.ephemeralMb),
    seconds: number(flags.seconds),
    seed: number(flags.seed),
    maxEvents: count("--max-events", flags.maxEvents),
    region: flags.region,
    priceFile: flags.priceFile,
  };
}

/** Only the options given: an unset flag leaves the schema's default (and its "unset" meaning). */
function given<T extends Record<string, unknown>>(options: T): T {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as T;
}

export function simulateOptionsOf(flags: SimulateFlags): EsmSimulateOptionsInput {
  return given({
    source: flags.source,
    batchSize: number(flags.batchSize),
    windowSeconds: number(flags.windowS),
    maxConcurrency: number(flags.maxConcurrency),
    fifo: flag(flags.fifo),
    messageGroups: number(flags.messageGroups),
    visibilityTimeoutSeconds: number(flags.visibilityTimeout),
    maxReceiveCount: number(flags.maxReceiveCount),
    reportBatchItemFailures: flag(flags.reportBatchItemFailures),
    shards: number(flags.shards),
    parallelization: number(flags.parallelization),
    tumblingWindowSeconds: number(flags.tumblingWindowS),
    maximumRetryAttempts: number(flags.maxRetries),
    bisectOnError: flag(flags.bisectOnError),
    maximumRecordAgeSeconds: number(flags.maxRecordAgeS),
    partitions: number(flags.partitions),
    pollers: number(flags.pollers),
    ...commonOptionsOf(flags),
    // Values go to the schema as typed: it refuses what is not allowed, naming the flag.
  }) as EsmSimulateOptionsInput;
}

export function optimizeOptionsOf(
  positional: string | undefined,
  flags: OptimizeFlags,
): EsmOptimizeOptionsInput {
  if (positional !== undefined && flags.function !== undefined && positional !== flags.function)
    throw new UsageError(
      `FUNCTION ${JSON.stringify(positional)} and --function ${JSON.stringify(flags.function)} differ: give the function once`,
    );
  return given({
    template: flags.template,
    settings: flags.settings === undefined ? undefined : settingsOf(flags.settings),
    eventSource: flags.eventSource,
    fifo: flags.fifo,
    aws: flags.aws === true,
    function: positional ?? flags.function,
    mapping: flags.mapping,
    days: number(flags.days),
    profile: flags.awsProfile,
    endpointUrl: flags.endpointUrl,
    maxAgeSeconds: number(flags.maxAgeS),
    allowThrottles: flags.allowThrottles === true,
    searchMemory: flags.searchMemory === true,
    shards: number(flags.shards),
    partitions: number(flags.partitions),
    ...commonOptionsOf(flags),
  }) as EsmOptimizeOptionsInput;
}

/**
 * --settings: one mapping's configuration as JSON, typed inline or in a file (what
 * `aws lambda get-event-source-mapping` prints); the schema checks what it holds.
 */
function settingsOf(value: string): unknown {
  const inline = /^\s*[{[]/.test(value);
  let text = value;
  if (!inline) {
    try {
      text = readFileSync(value, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UsageError(`--settings ${value}: cannot read it (${reason})`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--settings ${inline ? "" : `${value}: `}is not JSON (${(error as Error).message}): expected the mapping's settings as an object, inline or in a file`,
    );
  }
}

/** The traffic flags, the same on both subcommands. */
function withTrafficFlags(command: Command): Command {
  return command
    .option("--rate <records/s>", "records arriving per second")
    .option(
      "--rate-profile <file>",
      "records per step from a CSV or JSON lines file, as `plan --profile` reads it (timestamp, invocations = records)",
    )
    .option(
      "--arrival <process>",
      `constant (evenly spaced) or poisson (random gaps, seeded) (default: ${ESM_SIMULATE_DEFAULTS.arrival})`,
    )
    .option("--burst-rate <records/s>", "a burst: records per second during it, instead of --rate")
    .option("--burst-at <s>", "when the burst starts (default: a quarter of the way in)")
    .option("--burst-seconds <s>", "how long the burst lasts (default: to the end: a step)")
    .option(
      "--record-bytes <bytes>",
      `the size of one record (default: ${ESM_SIMULATE_DEFAULTS.recordBytes})`,
    );
}

/** The function's speed and cost, and the run's own flags, the same on both subcommands. */
function withFunctionFlags(command: Command): Command {
  return command
    .option("--batch-ms <ms>", "the function's duration per batch, whatever its size")
    .option(
      "--record-ms <ms>",
      "ms per record of a batch (with --overhead-ms): overhead + per-record × batch size",
    )
    .option("--overhead-ms <ms>", "ms per batch whatever its size (with --record-ms)")
    .option(
      "--tune-file <file>",
      "a saved `tune --json` result: the duration at the function's memory size",
    )
    .option(
      "--logs <files...>",
      "the function's REPORT lines (log exports, plain or gzip; - for stdin): its mean duration",
    )
    .option("--error-rate <share>", "the share of batches that fail: 0.02 or 2% (default: 0)")
    .option("--reserved-concurrency <n>", "the function's reserved concurrency (default: none)")
    .option(
      "--timeout <s>",
      `the function's timeout in seconds (default: ${ESM_SIMULATE_DEFAULTS.timeoutSeconds})`,
    )
    .option(
      "--memory <mb>",
      `memory size in MB, 128–10240, for the cost (default: ${ESM_SIMULATE_DEFAULTS.memoryMb})`,
    )
    .option("--arch <arch>", "x86_64 or arm64, for the cost (default: x86_64)")
    .option("--ephemeral-mb <mb>", "/tmp size in MB, 512–10240, for the cost")
    .option(
      "--seconds <s>",
      `how long to simulate (default: the profile's length, else ${ESM_SIMULATE_DEFAULTS.seconds})`,
    )
    .option(
      "--seed <n>",
      `the random seed: the same seed gives the same run (default: ${ESM_SIMULATE_DEFAULTS.seed})`,
    )
    .option(
      "--max-events <n>",
      "stop with an error past this many simulated events in one run: 200M, 1B (default: 200M)",
    )
    .option(
      "--region <region>",
      "the region whose prices apply (default: AWS_REGION, else us-east-1)",
    )
    .option("--price-file <file>", "price with this table (JSON) instead of the bundled one")
    .option("--json", "print one JSON document (docs/commands/esm.md)")
    .option("--html <file>", "write a self-contained HTML report with the charts")
    .option("--quiet", "no progress on stderr");
}

export function esmSimulateCommand(): Command {
  const command = new Command("simulate")
    .summary("simulate one event source mapping: backlog, record ages, concurrency, cost")
    .description(
      "Simulate one Lambda event source mapping, event by event: records arrive (a rate, a\n" +
        "burst, or a profile file), Lambda's pollers batch them by size, window and payload, the\n" +
        "function takes overhead + per-record × batch size per batch, and the run reports the\n" +
        "records processed, the backlog over time and at the end, the age of records when\n" +
        "processed (p50, p99, max), invocations, peak concurrency, throttles, retries and the\n" +
        "function's cost over the run and per month. Seeded: the same flags give the same run.\n" +
        "Figures Lambda does not document are modelled and listed as such (docs/esm-model.md).",
    )
    .option("--source <source>", "what feeds the mapping: sqs, kinesis, dynamodb or kafka")
    .option(
      "--batch-size <n>",
      "BatchSize (default Lambda's: 10 for SQS, 100 for streams and Kafka)",
    )
    .option("--window-s <s>", "MaximumBatchingWindowInSeconds, 0–300 (default: 0)")
    .option("--max-concurrency <n>", "SQS: ScalingConfig.MaximumConcurrency, 2–1000")
    .option("--fifo", "SQS: a FIFO queue")
    .option("--message-groups <n>", "SQS FIFO: message groups the records spread over (default: 1)")
    .option("--visibility-timeout <s>", "SQS: the queue's VisibilityTimeout (default: 30)")
    .option(
      "--max-receive-count <n>",
      "SQS: the redrive policy's maxReceiveCount (default: no DLQ)",
    )
    .option(
      "--report-batch-item-failures",
      "FunctionResponseTypes ReportBatchItemFailures: only failed records are retried",
    )
    .option("--shards <n>", "Kinesis, DynamoDB: shards (default: 1)")
    .option("--parallelization <n>", "Kinesis, DynamoDB: ParallelizationFactor, 1–10 (default: 1)")
    .option("--tumbling-window-s <s>", "Kinesis, DynamoDB: TumblingWindowInSeconds, 0–900")
    .option(
      "--max-retries <n>",
      "Kinesis, DynamoDB: MaximumRetryAttempts, -1 (until expiry) to 10000 (default: -1)",
    )
    .option("--bisect-on-error", "Kinesis, DynamoDB: BisectBatchOnFunctionError")
    .option(
      "--max-record-age-s <s>",
      "Kinesis, DynamoDB: MaximumRecordAgeInSeconds, -1 or 60–604800 (default: -1)",
    )
    .option("--partitions <n>", "Kafka: the topic's partitions (default: 1)")
    .option("--pollers <n>", "Kafka provisioned mode: event pollers (default: on-demand mode)");
  withFunctionFlags(withTrafficFlags(command));
  return command
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer esm simulate --source sqs --rate 200 --batch-size 10 \\\n" +
        "      --record-ms 4 --overhead-ms 30 --max-concurrency 20\n" +
        "  $ lambda-optimizer esm simulate --source kinesis --shards 4 --parallelization 2 \\\n" +
        "      --rate-profile clicks.csv --batch-ms 250 --window-s 1 --html clicks.html\n" +
        "  $ lambda-optimizer esm simulate --source sqs --rate 50 --burst-rate 500 \\\n" +
        "      --burst-at 600 --burst-seconds 300 --seconds 3600 --tune-file tune.json --json\n",
    )
    .configureHelp({ minWidthToWrap: 30 })
    .action((flags: SimulateFlags) => runSimulate(flags));
}

export function esmOptimizeCommand(): Command {
  const command = new Command("optimize")
    .summary("the cheapest mapping settings that keep the lag under --max-age-s")
    .description(
      "Search each event source mapping's settings (BatchSize, MaximumBatchingWindowInSeconds,\n" +
        "ParallelizationFactor, TumblingWindowInSeconds where a stream mapping has a window,\n" +
        "ScalingConfig.MaximumConcurrency, the queue's VisibilityTimeout,\n" +
        "and with --search-memory the memory sizes a tune result measured) by simulating each\n" +
        "candidate, and recommend the cheapest whose simulated p99 record age stays under\n" +
        "--max-age-s without throttles (unless --allow-throttles). The mappings come from a\n" +
        "template (--template), a deployed function (FUNCTION --aws, through\n" +
        "ListEventSourceMappings) or one mapping's settings (--settings); the traffic is given (--rate, --rate-profile) or, with --aws,\n" +
        "read from CloudWatch. Per mapping it prints today's settings beside the recommended\n" +
        "ones, the predicted lag and cost of both, why, and the guide's fixed advice.",
    )
    .argument(
      "[function]",
      "with --aws: the deployed function (name or ARN); with --template: its logical id",
    )
    .option("--template <file>", "a SAM or CloudFormation template whose mappings are optimized")
    .option(
      "--settings <json|file>",
      "one mapping's settings as JSON, inline or a file (what `aws lambda get-event-source-mapping` prints)",
    )
    .option(
      "--event-source <source>",
      "with --settings: sqs, kinesis, dynamodb or kafka (default: from its EventSourceArn)",
    )
    .option("--fifo", "with --settings: the queue is FIFO (default: its ARN ends in .fifo)")
    .option("--function <name>", "the function, as the positional FUNCTION")
    .option("--mapping <id>", "only this mapping: a logical id, a SAM event name or a UUID")
    .option("--aws", "optimize the deployed FUNCTION's mappings, its traffic from CloudWatch")
    .option(
      "--days <n>",
      `with --aws: days of CloudWatch data (default: ${ESM_OPTIMIZE_DEFAULTS.days})`,
    )
    .option("--aws-profile <name>", "with --aws: the AWS profile")
    .option("--endpoint-url <url>", "with --aws: another AWS endpoint (moto_server, LocalStack)")
    .option("--max-age-s <s>", "required: the bound on a record's p99 age when processed")
    .option("--allow-throttles", "accept settings under which the function throttles")
    .option("--search-memory", "with --tune-file: search the memory sizes it measured too")
    .option(
      "--shards <n>",
      "Kinesis, DynamoDB: the stream's shards where the template does not say (default: 1)",
    )
    .option("--partitions <n>", "Kafka: the topic's partitions (default: 1)");
  withFunctionFlags(withTrafficFlags(command));
  return command
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer esm optimize --template template.yaml --rate 300 \\\n" +
        "      --record-ms 3 --overhead-ms 40 --max-age-s 60\n" +
        "  $ lambda-optimizer esm optimize Worker --template template.yaml \\\n" +
        "      --rate-profile jobs.csv --tune-file tune.json --search-memory --max-age-s 30\n" +
        "  $ lambda-optimizer esm optimize orders-consumer --aws --days 7 --max-age-s 120 \\\n" +
        "      --html esm.html\n",
    )
    .configureHelp({ minWidthToWrap: 30 })
    .action((positional: string | undefined, flags: OptimizeFlags) =>
      runOptimize(positional, flags),
    );
}

export function esmCommand(): Command {
  return new Command("esm")
    .summary(
      "tune event source mappings (SQS, Kinesis, DynamoDB Streams, Kafka) from numbers: simulate and optimize",
    )
    .description(
      "Event source mappings tuned from numbers, not canned advice. `esm simulate` runs one\n" +
        "mapping's settings against your traffic and your function's speed and shows the\n" +
        "backlog, the age of records, concurrency, throttles and cost. `esm optimize` searches\n" +
        "the settings of a template's or a deployed function's mappings for the cheapest that\n" +
        "keep the p99 age under your bound, beside today's settings and their predicted lag.",
    )
    .addCommand(esmSimulateCommand())
    .addCommand(esmOptimizeCommand())
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer esm simulate --source sqs --rate 200 --batch-ms 120\n" +
        "  $ lambda-optimizer esm optimize --template template.yaml --rate 300 \\\n" +
        "      --overhead-ms 40 --record-ms 3 --max-age-s 60\n",
    );
}

async function runSimulate(flags: SimulateFlags): Promise<void> {
  const options = simulateOptionsOf(flags);
  checkWritableOutput("--html", flags.html);
  const result = await simulateEventSourceMapping(options, esmFlagName);
  if (flags.html) writeOutputFile(flags.html, renderEsmSimulationHtml(result));
  if (flags.json) printJson(result);
  else process.stdout.write(`${renderEsmSimulationText(result, terminalWidth())}\n`);
}

async function runOptimize(positional: string | undefined, flags: OptimizeFlags): Promise<void> {
  const options = optimizeOptionsOf(positional, flags);
  // Before any reading: a long search is wasted if the report cannot be written.
  checkWritableOutput("--html", flags.html);
  const result = await optimizeEventSourceMappings(options, esmFlagName, {
    ...(flags.quiet ? {} : { onProgress: (message) => process.stderr.write(`${message}\n`) }),
  });
  if (flags.html) writeOutputFile(flags.html, renderEsmOptimizeHtml(result));
  if (flags.json) printJson(result);
  else process.stdout.write(`${renderEsmOptimizeText(result)}\n`);
}

/** The terminal's width for the charts, 80 when not a terminal (a file, a pipe, a test). */
function terminalWidth(): number {
  return Math.max(60, Math.min(process.stdout.columns ?? 80, 120));
}
