/** `lambda-optimizer tune`: power tuning over the Lambda API, locally by default, on AWS with an ARN or --aws. */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import { formatFunctionArn, parseFunctionArn } from "../aws/arn.js";
import type { AwsRetry } from "../aws/client-config.js";
import { describeFailure } from "../aws/failure-description.js";
import { createLambdaClient } from "../aws/lambda-client.js";
import { LambdaApiServer } from "../emulator/control-api/lambda-api-server.js";
import { Emulator } from "../emulator/emulator.js";
import type { FunctionAwsAccess } from "../emulator/function-aws-access.js";
import { interpreterReport } from "../emulator/runtimes/interpreter.js";
import { EXIT, UsageError } from "../errors.js";
import { knownRegions, PriceTableError } from "../pricing/price-table.js";
import { renderCsv } from "../report/csv-report.js";
import { renderHtmlReport } from "../report/html-report.js";
import { renderRecommendation, renderTuneChart, renderTuneTable } from "../report/terminal.js";
import { shellCommand } from "../shell-word.js";
import { readHostLoad } from "../tuning/host-load.js";
import { UnreadableJournal } from "../tuning/journal.js";
import { LambdaTarget } from "../tuning/lambda-target.js";
import { checkPowerTuningFormat, powerTuningOutput } from "../tuning/power-tuning-output.js";
import { type RecoverReport, recoverJournals, recoveryIncomplete } from "../tuning/recover.js";
import { runTuning, TuningAborted, TuningFailed, type TuningTarget } from "../tuning/run-tuning.js";
import { RUNS_FOLDER } from "../tuning/saved-runs.js";
import type { TuneResult } from "../tuning/tune-result.js";
import { printJson } from "./format.js";
import { localFunctionToRun } from "./function-source.js";
import { invalid } from "./option-parsers.js";
import { checkWritableOutput, writeOutputFile } from "./output-paths.js";
import { mergePowerTuningInput } from "./power-tuning-input-flags.js";
import { loadPriceTable } from "./price-file.js";
import { createProgress } from "./progress.js";
import { emulatorProgress, warnAboutInterpreter } from "./runtime-warnings.js";
import {
  type FunctionAwsFlags,
  missingCredentialsNote,
  parseFunctionAwsFlags,
  parseSandboxMechanism,
  withLocalRunFlags,
} from "./sandbox-flags.js";
import { DEFAULT_MEMORY, parseTuneSettings, type TuneFlags } from "./tune-options.js";

interface TuneCommandFlags extends TuneFlags, FunctionAwsFlags {
  template?: string;
  env?: string[];
  aws?: boolean;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  sandbox?: string;
  priceFile?: string;
  out?: string;
  html?: string;
  csv?: string;
  json?: boolean;
  format: string;
  input?: string;
  quiet?: boolean;
  recover?: string | boolean;
}

const FORMATS = ["text", "json", "power-tuning"] as const;
type TuneFormat = (typeof FORMATS)[number];

const STATE_DIR = ".lambda-optimizer";
const JOURNAL_DIR = join(STATE_DIR, "journal");

export function tuneCommand(): Command {
  return withLocalRunFlags(
    new Command("tune")
      .summary(
        "find the best memory size (and architecture) by invoking the function at each and pricing every run",
      )
      .description(
        "Power tuning over the Lambda API. For each memory size (and architecture): publish the\n" +
          "configuration, warm it up (its cold start is reported apart), invoke it --num times, read\n" +
          "every REPORT line and price it. Recommends by --strategy with confidence intervals, and\n" +
          "always puts the function back as it was (journal in .lambda-optimizer/journal/).\n\n" +
          "A handler file or a template function runs on the embedded emulator; an ARN, or any\n" +
          "target with --aws, runs on AWS (or on --endpoint-url).",
      )
      .argument(
        "[target]",
        "app.mjs:handler, a template logical id with --template, a function name with --aws, or an ARN",
      )
      .option("--template <file>", "SAM/CloudFormation template holding the function")
      .option("--memory <sizes>", "128,256,512 | 128..3008:128 | ALL", DEFAULT_MEMORY)
      .option("--num <n>", "invocations per configuration, after the warm-up", "10")
      .option("--payload <json>", "the event")
      .option("--payload-file <file>", "read the event from a file")
      .option("--payloads <file>", 'weighted events: [{"payload": {...}, "weight": 3}, ...]')
      .option("--parallel", "invoke each configuration's --num invocations concurrently")
      .option("--concurrency <n>", "at most this many at once with --parallel (default: --num)")
      .option("--strategy <strategy>", "cost | speed | balanced | slo", "cost")
      .option("--balanced-weight <w>", "balanced: weight of cost against speed, 0–1", "0.5")
      .option("--max-p95-ms <ms>", "slo: the p95 duration bound")
      .option("--max-p99-ms <ms>", "slo: the p99 duration bound")
      .option("--discard <share>", "share of samples the trimmed mean leaves out", "0.2")
      .option("--arch <archs>", "x86_64, arm64 or x86_64,arm64 (default: the function's own)")
      .option(
        "--only-cold-starts",
        "measure cold starts only: a new execution environment for every invocation",
      )
      .option(
        "--allowed-exceptions <types>",
        "function error types that still count as samples, comma-separated",
      )
      .option("--sleep-between-ms <ms>", "pause between serial invocations", "0")
      .option(
        "--until-confident",
        "keep sampling until the cost interval is within ±5% of its mean",
      )
      .option(
        "--max-num <n>",
        "with --until-confident: at most this many invocations per configuration (default: 50, or --num if more)",
      )
      .option("--apply", "set the winner when done: on $LATEST, or behind --alias")
      .option("--alias <name>", "with --apply: publish the winner and point this alias at it")
      .option(
        "--dry-run",
        "invoke once per configuration to check the setup; recommends nothing you should trust",
      )
      .option(
        "--out <file>",
        "also write the result JSON here (every run is kept in .lambda-optimizer/runs/)",
      )
      .option("--html <file>", "write a self-contained HTML report")
      .option("--csv <file>", "write the results as CSV")
      .option("--json", "print the result as one JSON document (docs/commands/tune.md)")
      .option(
        "--format <format>",
        "text | json | power-tuning (AWS Lambda Power Tuning's output shape)",
        "text",
      )
      .option(
        "--input <file>",
        "AWS Lambda Power Tuning's execution input (JSON); flags given here win over its fields",
      )
      .option("--quiet", "no progress on stderr")
      .option("--aws", "the target is a deployed function: tune it through the Lambda API of AWS")
      .option(
        "--region <region>",
        "AWS region (default: the ARN's, else AWS_REGION); local runs price with it",
      )
      .option("--profile <name>", "AWS profile from your config and credentials files")
      .option(
        "--endpoint-url <url>",
        "another Lambda API: `lambda-optimizer emulate`, LocalStack, ...",
      ),
  )
    .option("--price-file <file>", "price with this table instead of the bundled one")
    .option("--recover [journal]", "finish restoring functions after a tune that was killed")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer tune examples/cpu-bound/handler.mjs:handler --strategy speed\n" +
        "  $ lambda-optimizer tune --template template.yaml Api --memory 128..1024:128 --html report.html\n" +
        "  $ lambda-optimizer tune --template template.yaml Orders --aws-endpoint-url http://127.0.0.1:5000\n" +
        "  $ lambda-optimizer tune arn:aws:lambda:eu-west-1:123456789012:function:api --arch x86_64,arm64 --num 50\n" +
        "  $ lambda-optimizer tune api --aws --strategy slo --max-p95-ms 200 --apply --alias live\n" +
        "  $ lambda-optimizer tune --input power-tuning-input.json --format power-tuning\n" +
        "  $ lambda-optimizer tune --recover\n",
    )
    .action((target: string | undefined, flags: TuneCommandFlags, command: Command) =>
      flags.recover
        ? runRecover(flags)
        : runTune(target, flags, (key) => command.getOptionValueSource(key) === "cli"),
    );
}

async function runTune(
  commandLineTarget: string | undefined,
  commandLineFlags: TuneCommandFlags,
  givenOnCommandLine: (key: string) => boolean,
): Promise<void> {
  const input = commandLineFlags.input
    ? mergePowerTuningInput(
        commandLineFlags.input,
        commandLineTarget,
        commandLineFlags,
        givenOnCommandLine,
      )
    : undefined;
  const target = input ? input.target : commandLineTarget;
  const flags = input ? input.flags : commandLineFlags;
  if (input && !flags.quiet) for (const note of input.notes) process.stderr.write(`${note}\n`);
  const format = outputFormat(flags);
  const settings = parseTuneSettings(flags);
  if (format === "power-tuning") checkPowerTuningFormat(settings.architectures);
  checkWritableOutput("--out", flags.out);
  checkWritableOutput("--html", flags.html);
  checkWritableOutput("--csv", flags.csv);
  const priceTable = loadPriceTable(flags.priceFile);
  const remote = flags.aws === true || target?.startsWith("arn:") === true;
  if (!remote && flags.endpointUrl)
    throw new UsageError(
      "--endpoint-url goes with --aws or an ARN target (for the function's own AWS calls: --aws-endpoint-url)",
    );
  const awsAccess = parseFunctionAwsFlags(flags);
  if (
    remote &&
    (flags.awsEndpointUrl !== undefined || flags.passAwsCredentials || flags.env !== undefined)
  ) {
    const flag =
      flags.awsEndpointUrl !== undefined
        ? "--aws-endpoint-url"
        : flags.passAwsCredentials
          ? "--pass-aws-credentials"
          : "--env";
    throw new UsageError(
      `${flag} is for functions on the embedded emulator: a deployed function keeps its own configuration`,
    );
  }
  if (remote && flags.template)
    throw new UsageError("--template runs on the embedded emulator: leave out --aws");
  const progress = createProgress({ quiet: flags.quiet === true, unit: "invocations" });
  const onRetry = (retry: AwsRetry) => progress.retry(retry);
  const opened = remote
    ? openRemote(target, flags, onRetry)
    : await openLocal(target, flags, settings.concurrency, awsAccess, onRetry);
  const runId = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    controller.abort();
    progress.note(
      interrupts === 1
        ? "stopping: restoring the function..."
        : "still restoring the function: wait, or it stays changed until `tune --recover`",
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let result: TuneResult;
  try {
    result = await runTuning({
      target: opened.target,
      settings,
      priceTable,
      journalFolder: resolve(JOURNAL_DIR),
      runId,
      signal: controller.signal,
      ...(opened.target.kind === "local" ? { readHostLoad: () => readHostLoad() } : {}),
      onProgress: (event) => {
        if (event.kind === "start") progress.start(event.totalInvocations);
        else if (event.kind === "configuration")
          progress.step(
            `${event.memoryMb} MB ${event.architecture} (${event.index + 1}/${event.count})`,
          );
        else if (event.kind === "invocation") progress.step();
        else if (event.kind === "restoring") progress.note("restoring the function");
      },
    });
  } catch (error) {
    progress.stop();
    if (error instanceof TuningAborted) {
      const saved = error.partial ? savePartial(error.partial, runId) : "";
      process.stderr.write(`lambda-optimizer: tune stopped; the function is as it was${saved}\n`);
      process.exitCode = 130;
      return;
    }
    if (error instanceof TuningFailed) {
      const saved = error.partial ? savePartial(error.partial, runId) : "";
      const cause = describeFailure(error.cause);
      process.stderr.write(
        error.unrestoredJournal
          ? `lambda-optimizer: tune failed (${cause}) and could not put the function back${saved}.\n` +
              `Once the Lambda API answers again, run: ${recoverCommand(error.unrestoredJournal, opened.target)}\n`
          : `lambda-optimizer: tune failed (${cause}); the function is as it was${saved}\n`,
      );
      process.exitCode = EXIT.runtime;
      return;
    }
    if (error instanceof PriceTableError)
      throw new UsageError(
        `${error.message}: give a --price-file that covers it (docs/pricing.md), or tune in one of ${knownRegions(priceTable).join(", ")}`,
      );
    throw error;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await opened.close();
  }
  progress.stop();
  const htmlFile = writeOutputs(result, runId, flags, format === "power-tuning");
  const failedFor = result.results.find((configuration) => configuration.error)?.error?.type;
  const note = remote ? undefined : missingCredentialsNote(awsAccess, failedFor);
  if (note !== undefined) process.stderr.write(note);
  if (format === "json") printJson(result);
  else if (format === "power-tuning") {
    printJson(
      powerTuningOutput(result, {
        // Power Tuning lists every configuration only when asked; without --input nothing says no.
        includeStats: input?.includeOutputResults ?? true,
        visualization: pathToFileURL(resolve(htmlFile as string)).href,
        dryRun: settings.dryRun,
      }),
    );
  } else {
    process.stdout.write(
      `${renderTuneTable(result)}\n\n${renderTuneChart(result)}\n\n${renderRecommendation(result)}\n`,
    );
  }
  if (result.results.every((configuration) => configuration.status === "failed"))
    process.exitCode = EXIT.runtime;
  else if (result.settings.strategy === "slo" && result.recommendation === null)
    process.exitCode = EXIT.gateFailed;
}

/** --json, or --format; "text" by default. */
function outputFormat(flags: TuneCommandFlags): TuneFormat {
  if (!(FORMATS as readonly string[]).includes(flags.format))
    throw invalid("--format", flags.format, FORMATS.join(", "));
  if (flags.json && flags.format !== "text" && flags.format !== "json")
    throw new UsageError(`give --json or --format ${flags.format}, not both`);
  return flags.json ? "json" : (flags.format as TuneFormat);
}

/**
 * Save the run and write --out, --html and --csv. Returns the HTML report's
 * path: --html's, or, when `needHtml` (Power Tuning's output points at a
 * chart), one written beside the saved run.
 */
function writeOutputs(
  result: TuneResult,
  runId: string,
  flags: TuneCommandFlags,
  needHtml: boolean,
): string | undefined {
  const json = `${JSON.stringify(result, null, 2)}\n`;
  mkdirSync(RUNS_FOLDER, { recursive: true });
  const saved = join(RUNS_FOLDER, `${runId}-${result.target.functionName}.json`);
  writeFileSync(saved, json);
  const written = [saved];
  const write = (file: string | undefined, content: () => string) => {
    if (!file) return;
    writeOutputFile(file, content());
    written.push(file);
  };
  const htmlFile =
    flags.html ??
    (needHtml ? join(RUNS_FOLDER, `${runId}-${result.target.functionName}.html`) : undefined);
  write(flags.out, () => json);
  write(htmlFile, () => renderHtmlReport(result));
  write(flags.csv, () => renderCsv(result));
  if (!flags.quiet) process.stderr.write(`Saved ${written.join(", ")}\n`);
  return htmlFile;
}

/** A stopped run's measurements, kept in .lambda-optimizer/runs/ marked partial; " (what was measured: FILE)". */
function savePartial(result: TuneResult, runId: string): string {
  try {
    mkdirSync(RUNS_FOLDER, { recursive: true });
    const saved = join(RUNS_FOLDER, `${runId}-${result.target.functionName}.partial.json`);
    writeFileSync(saved, `${JSON.stringify(result, null, 2)}\n`);
    return ` (what was measured: ${saved})`;
  } catch {
    return "";
  }
}

/** The whole `tune --recover` command for a journal, with the flags that reach the same Lambda API. */
function recoverCommand(journalFile: string, target: TuningTarget): string {
  const words = ["lambda-optimizer", "tune", "--recover", journalFile, "--region", target.region];
  if (target.profile) words.push("--profile", target.profile);
  if (target.kind === "aws" && target.endpointUrl) words.push("--endpoint-url", target.endpointUrl);
  return shellCommand(words);
}

interface OpenedTarget {
  readonly target: TuningTarget;
  close(): Promise<void>;
}

/** A handler or template function on a fresh embedded emulator, reached through its Lambda API. */
async function openLocal(
  target: string | undefined,
  flags: TuneCommandFlags,
  concurrency: number,
  awsAccess: FunctionAwsAccess,
  onRetry: (retry: AwsRetry) => void,
): Promise<OpenedTarget> {
  const { definition: fn, local } = localFunctionToRun(target, flags);
  const sandboxMechanism = parseSandboxMechanism(flags.sandbox);
  const region = flags.region ?? "us-east-1";
  const emulator = new Emulator({
    functions: [fn],
    region,
    maxEnvironmentsPerFunction: Math.max(10, concurrency),
    awsAccess,
    ...(sandboxMechanism ? { sandboxMechanism } : {}),
    onProgress: emulatorProgress(flags.quiet === true),
  });
  // Before the first configuration: a Node.js binary to fetch is fetched here, not in a cold start.
  const interpreter = await emulator.interpreter(fn.name).catch(async (error: unknown) => {
    await emulator.stop();
    throw error;
  });
  warnAboutInterpreter(interpreter);
  const server = new LambdaApiServer(emulator);
  const endpointUrl = await server.listen(0);
  const client = createLambdaClient({ region, endpointUrl, anonymous: true, onRetry });
  const sandbox = await emulator.sandbox();
  return {
    target: {
      lambda: new LambdaTarget(client, fn.name),
      kind: "local",
      region,
      endpointUrl,
      local,
      // Every configuration runs on this CPU, whatever architecture it is given.
      hostArchitecture: process.arch === "arm64" ? "arm64" : "x86_64",
      sandbox: {
        mechanism: sandbox.mechanism,
        memoryEnforcement: sandbox.memoryEnforcement,
        hostCpus: sandbox.hostCpus,
      },
      runtime: interpreterReport(interpreter),
    },
    close: async () => {
      client.destroy();
      await server.close();
      await emulator.stop();
    },
  };
}

/** A deployed function: an ARN, or a name with --aws, through the Lambda API of AWS or --endpoint-url. */
function openRemote(
  target: string | undefined,
  flags: TuneCommandFlags,
  onRetry: (retry: AwsRetry) => void,
): OpenedTarget {
  if (!target) throw new UsageError("give the function to tune: a name with --aws, or an ARN");
  const arn = parseFunctionArn(target);
  if (target.startsWith("arn:") && !arn) {
    throw new UsageError(
      `${target} is not a Lambda function ARN (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])`,
    );
  }
  const region =
    flags.region ?? arn?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region)
    throw new UsageError("--region is needed: the target is not an ARN and AWS_REGION is not set");
  // A qualified ARN names a version or alias, which cannot change: tune the function itself.
  const functionName = arn ? formatFunctionArn({ ...arn, qualifier: undefined }) : target;
  const client = createLambdaClient({
    region,
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
    onRetry,
  });
  return {
    target: {
      lambda: new LambdaTarget(client, functionName),
      kind: "aws",
      region,
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
    },
    close: async () => client.destroy(),
  };
}

/**
 * `tune --recover [journal]`: restore every function a killed tune left
 * changed (tuning/recover.ts), and print a line per journal. --region,
 * --profile and --endpoint-url, when given, replace what the journal says (an
 * endpoint that moved). Exits 3 when a journal is left to recover later.
 */
async function runRecover(flags: TuneCommandFlags): Promise<void> {
  let report: RecoverReport;
  try {
    report = await recoverJournals({
      journalFolder: resolve(JOURNAL_DIR),
      ...(typeof flags.recover === "string" ? { journal: flags.recover } : {}),
      ...(flags.region ? { region: flags.region } : {}),
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.endpointUrl ? { endpointUrl: flags.endpointUrl } : {}),
    });
  } catch (error) {
    if (error instanceof UnreadableJournal) throw new UsageError(`--recover ${error.message}`);
    throw error;
  }
  if (flags.json) printJson(report);
  else if (report.recovered.length === 0)
    process.stdout.write("Nothing to recover: no unfinished tuning journal.\n");
  else
    for (const entry of report.recovered)
      process.stdout.write(
        entry.functionName === null
          ? `${entry.journal}: ${entry.outcome}\n`
          : `${entry.functionName}: ${entry.outcome} (${entry.journal})\n`,
      );
  if (recoveryIncomplete(report)) process.exitCode = EXIT.runtime;
}
