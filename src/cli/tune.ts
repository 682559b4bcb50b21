/** `lambda-optimizer tune`: power tuning over the Lambda API, locally by default, on AWS with an ARN or --aws. */
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import type { TargetOptions, TargetOptionsInput } from "../api/target-options.js";
import { tuneChecked } from "../api/tune.js";
import { TUNING_DEFAULTS, TuningOptionsSchema } from "../api/tuning-options.js";
import { describeFailure } from "../aws/failure-description.js";
import { parseEnvironmentAssignments } from "../emulator/functions/environment-overrides.js";
import { EXIT, UsageError } from "../errors.js";
import { parseOptions } from "../options.js";
import { knownRegions, PriceTableError } from "../pricing/price-table.js";
import { renderCsv } from "../report/csv-report.js";
import { renderHtmlReport } from "../report/html-report.js";
import { renderRecommendation, renderTuneChart, renderTuneTable } from "../report/terminal.js";
import { shellCommand } from "../shell-word.js";
import { JOURNAL_FOLDER, UnreadableJournal } from "../tuning/journal.js";
import { checkPowerTuningFormat, powerTuningOutput } from "../tuning/power-tuning-output.js";
import { type RecoverReport, recoverJournals, recoveryIncomplete } from "../tuning/recover.js";
import { newRunId } from "../tuning/run-id.js";
import { TuningAborted, TuningFailed } from "../tuning/run-tuning.js";
import { RUNS_FOLDER, savePartialTuneResult, saveTuneResult } from "../tuning/saved-runs.js";
import type { TuneResult } from "../tuning/tune-result.js";
import { printJson } from "./format.js";
import { invalid } from "./option-parsers.js";
import { checkWritableOutput, writeOutputFile } from "./output-paths.js";
import { mergePowerTuningInput } from "./power-tuning-input-flags.js";
import { loadPriceTable } from "./price-file.js";
import { createProgress } from "./progress.js";
import { emulatorProgress } from "./runtime-warnings.js";
import {
  type FunctionAwsFlags,
  missingCredentialsNote,
  withLocalRunFlags,
} from "./sandbox-flags.js";
import { type TuneFlags, tuneFlagName, tuneOptionsFromFlags } from "./tune-options.js";

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
      .option(
        "--memory <sizes>",
        `128,256,512 | 128..3008:128 | ALL (default: ${TUNING_DEFAULTS.memorySizes.join(",")})`,
      )
      .option(
        "--num <n>",
        `invocations per configuration, after the warm-up (default: ${TUNING_DEFAULTS.num})`,
      )
      .option("--payload <json>", "the event")
      .option("--payload-file <file>", "read the event from a file")
      .option("--payloads <file>", 'weighted events: [{"payload": {...}, "weight": 3}, ...]')
      .option("--parallel", "invoke each configuration's --num invocations concurrently")
      .option("--concurrency <n>", "at most this many at once with --parallel (default: --num)")
      .option(
        "--strategy <strategy>",
        `cost | speed | balanced | slo (default: ${TUNING_DEFAULTS.strategy})`,
      )
      .option(
        "--metric <metric>",
        `what speed the strategy ranks by: duration | ttfb, the time to the first byte of the answer (default: ${TUNING_DEFAULTS.metric})`,
      )
      .option(
        "--balanced-weight <w>",
        `balanced: weight of cost against speed, 0–1 (default: ${TUNING_DEFAULTS.balancedWeight})`,
      )
      .option("--max-p95-ms <ms>", "slo: the p95 duration bound")
      .option("--max-p99-ms <ms>", "slo: the p99 duration bound")
      .option(
        "--discard <share>",
        `share of samples the trimmed mean leaves out (default: ${TUNING_DEFAULTS.discard})`,
      )
      .option("--arch <archs>", "x86_64, arm64 or x86_64,arm64 (default: the function's own)")
      .option(
        "--only-cold-starts",
        "measure cold starts only: a new execution environment for every invocation",
      )
      .option(
        "--allowed-exceptions <types>",
        "function error types that still count as samples, comma-separated",
      )
      .option(
        "--sleep-between-ms <ms>",
        `pause between serial invocations (default: ${TUNING_DEFAULTS.sleepBetweenMs})`,
      )
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
  flags: TuneCommandFlags,
  givenOnCommandLine: (key: string) => boolean,
): Promise<void> {
  const format = outputFormat(flags);
  const flagOptions = tuneOptionsFromFlags(flags);
  const input = flags.input
    ? mergePowerTuningInput(
        flags.input,
        commandLineTarget,
        flags.template,
        flagOptions,
        givenOnCommandLine,
      )
    : undefined;
  const target = input ? input.target : commandLineTarget;
  if (input && !flags.quiet) for (const note of input.notes) process.stderr.write(`${note}\n`);
  const options = parseOptions(
    TuningOptionsSchema,
    { ...(input ? input.options : flagOptions), target: targetFromFlags(target, flags) },
    tuneFlagName({
      flags,
      ...(target !== undefined ? { target } : {}),
      ...(input?.weightedPayloadsFromInput ? { weightedPayloadsFrom: flags.input } : {}),
    }),
  );
  if (format === "power-tuning") checkPowerTuningFormat(options.architectures);
  checkWritableOutput("--out", flags.out);
  checkWritableOutput("--html", flags.html);
  checkWritableOutput("--csv", flags.csv);
  const priceTable = loadPriceTable(flags.priceFile);
  const progress = createProgress({ quiet: flags.quiet === true, unit: "invocations" });
  const runId = newRunId();
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
    result = await tuneChecked(options, {
      priceTable,
      journalFolder: resolve(JOURNAL_FOLDER),
      runId,
      signal: controller.signal,
      nameOf: tuneFlagName({ flags }),
      onRetry: (retry) => progress.retry(retry),
      onWarning: (warning) => process.stderr.write(`warning: ${warning}\n`),
      ...optional("onEmulatorProgress", emulatorProgress(flags.quiet === true)),
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
              `Once the Lambda API answers again, run: ${recoverCommand(error.unrestoredJournal, options.target)}\n`
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
  }
  progress.stop();
  const htmlFile = writeOutputs(result, runId, flags, format === "power-tuning");
  const failedFor = result.results.find((configuration) => configuration.error)?.error?.type;
  const note =
    options.target.kind === "local"
      ? missingCredentialsNote(options.target.awsAccess, failedFor)
      : undefined;
  if (note !== undefined) process.stderr.write(note);
  if (format === "json") printJson(result);
  else if (format === "power-tuning") {
    printJson(
      powerTuningOutput(result, {
        // Power Tuning lists every configuration only when asked; without --input nothing says no.
        includeStats: input?.includeOutputResults ?? true,
        visualization: pathToFileURL(resolve(htmlFile as string)).href,
        dryRun: options.dryRun,
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

/** `{ [key]: value }` when value is defined, else nothing (for optional hooks). */
function optional<Key extends string, Value>(
  key: Key,
  value: Value | undefined,
): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}

/**
 * The target the positional argument and the flags give, for the library's
 * schema: an ARN, or any target with --aws, is a deployed function; with
 * --template it is the template's function; else a handler. What each kind
 * may not have (--endpoint-url for a local one, --env for a deployed one) is
 * passed on for the schema to refuse.
 */
function targetFromFlags(target: string | undefined, flags: TuneCommandFlags): TargetOptionsInput {
  const deployed = flags.aws === true || target?.startsWith("arn:") === true;
  if (deployed && target === undefined)
    throw new UsageError("give the function to tune: a name with --aws, or an ARN");
  if (!deployed && target === undefined && flags.template === undefined)
    throw new UsageError(
      "give a handler (e.g. app.mjs:handler) or --template template.yaml LogicalId",
    );
  const awsAccess = {
    ...(flags.awsEndpointUrl !== undefined ? { endpointUrl: flags.awsEndpointUrl } : {}),
    ...(flags.passAwsCredentials ? { passCredentials: true } : {}),
  };
  return {
    ...(deployed
      ? { functionName: target }
      : flags.template !== undefined
        ? { template: flags.template, ...(target !== undefined ? { function: target } : {}) }
        : { handler: target }),
    ...(deployed && flags.template !== undefined ? { template: flags.template } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
    ...(flags.endpointUrl !== undefined ? { endpointUrl: flags.endpointUrl } : {}),
    ...(flags.sandbox !== undefined ? { sandbox: flags.sandbox } : {}),
    ...(Object.keys(awsAccess).length > 0 ? { awsAccess } : {}),
    // A deployed function takes no variables: the schema refuses --env whatever it holds, so
    // its assignments are read only for a local one.
    ...(flags.env !== undefined
      ? { env: deployed ? {} : parseEnvironmentAssignments(flags.env) }
      : {}),
  } as TargetOptionsInput;
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
  const written = [saveTuneResult(result, runId)];
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
  const saved = savePartialTuneResult(result, runId);
  return saved === undefined ? "" : ` (what was measured: ${saved})`;
}

/** The whole `tune --recover` command for a journal, with the flags that reach the same Lambda API. */
function recoverCommand(journalFile: string, target: TargetOptions): string {
  const words = ["lambda-optimizer", "tune", "--recover", journalFile, "--region", target.region];
  if (target.kind === "aws" && target.profile) words.push("--profile", target.profile);
  if (target.kind === "aws" && target.endpointUrl) words.push("--endpoint-url", target.endpointUrl);
  return shellCommand(words);
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
      journalFolder: resolve(JOURNAL_FOLDER),
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
