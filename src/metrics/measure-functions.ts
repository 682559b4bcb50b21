/**
 * `metrics` as a library call: check and default the options, read the
 * source they choose (log files, the emulator's logs, or CloudWatch and the
 * Lambda API), and build the report. Rendering it (table, HTML, JSON) is the
 * caller's.
 */
import { join, resolve } from "node:path";
import type { AwsRetry } from "../aws/client-config.js";
import { localFunctionFromHandlerSpec } from "../emulator/functions/from-handler.js";
import { UsageError } from "../errors.js";
import { fieldName, invalidOption, type OptionName, parseOptions } from "../options.js";
import { loadPriceFile } from "../pricing/price-file.js";
import { knownRegions } from "../pricing/price-table.js";
import { STATE_FOLDER } from "../state-folder.js";
import { RUNS_FOLDER, readSavedTuneResults } from "../tuning/saved-runs.js";
import { MetricsAggregator } from "./aggregate.js";
import type { AwsFunctionObservations } from "./aws-observations.js";
import { buildMetricsReport } from "./build-report.js";
import { lastTunes } from "./last-tunes.js";
import {
  type MetricsOptions,
  type MetricsOptionsInput,
  MetricsOptionsSchema,
  metricsSourceKind,
} from "./metrics-options.js";
import type { MetricsReport } from "./metrics-report.js";
import type { SourceProblem } from "./observations.js";
import { UnknownFunctionError } from "./sources/aws-functions.js";
import { observeFunctions } from "./sources/aws-source.js";
import { readEmulatorLogs } from "./sources/emulator-logs.js";
import { LogFileError, readLogFiles, STDIN } from "./sources/log-files.js";

/** Told as AWS work goes, for a progress line. */
export interface MeasureHooks {
  /** Each function measured on AWS: its name, how many are done, of how many. */
  readonly onFunctionDone?: (functionName: string, done: number, total: number) => void;
  /** The SDK is about to retry a call (throttled, or a network fault). */
  readonly onRetry?: (retry: AwsRetry) => void;
}

/**
 * Measure functions and say what to change. `nameOf` is how the caller names
 * options in error messages (the CLI passes flagName: `--since`).
 */
export async function measureFunctions(
  input: MetricsOptionsInput,
  hooks: MeasureHooks = {},
  nameOf: OptionName = fieldName,
): Promise<MetricsReport> {
  return measureWithOptions(parseOptions(MetricsOptionsSchema, input, nameOf), hooks, nameOf);
}

/**
 * measureFunctions for options already checked and defaulted: a surface that
 * extends the schema with names of its own (the MCP tool, with AWS's) checks
 * them through its schema and measures here.
 */
export async function measureWithOptions(
  options: MetricsOptions,
  hooks: MeasureHooks = {},
  nameOf: OptionName = fieldName,
): Promise<MetricsReport> {
  const priceTable = loadPriceFile(options.priceFile, nameOf(["priceFile"]));
  const regions = knownRegions(priceTable);
  if (!regions.includes(options.region)) {
    throw invalidOption(
      nameOf(["region"]),
      options.region,
      `expected a region the price table covers (${regions.join(", ")})`,
    );
  }
  const kind = metricsSourceKind(options);
  const aggregator = new MetricsAggregator();
  const problems: SourceProblem[] = [];
  const notes: string[] = [];
  let observations: AwsFunctionObservations[] = [];
  let window: { start: Date; end: Date } | undefined;
  let source: MetricsReport["source"];

  try {
    if (kind === "aws") {
      const end = options.end ?? new Date();
      window = { start: options.start ?? new Date(end.getTime() - options.since), end };
      const functions = options.functions ?? [];
      source = {
        kind,
        inputs: options.all ? [`all functions in ${options.region}`] : functions,
        region: options.region,
      };
      observations = await observeFunctions(
        {
          region: options.region,
          ...(options.profile ? { profile: options.profile } : {}),
          ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
          ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
        },
        {
          ...(options.all ? { all: true } : { functions }),
          window,
          maxLogEvents: options.maxLogEvents,
          onNote: (note) => notes.push(note),
          ...(hooks.onFunctionDone ? { onFunctionDone: hooks.onFunctionDone } : {}),
        },
        aggregator,
      );
    } else if (kind === "local") {
      const stateFolder = resolve(options.cwd ?? ".", STATE_FOLDER);
      source = { kind, inputs: [join(stateFolder, "logs")], region: options.region };
      const wanted = [
        ...(options.functions ?? []),
        ...(options.function ? [localFunctionNameOf(options.function)] : []),
      ];
      await readEmulatorLogs(
        stateFolder,
        aggregator,
        wanted.length > 0 ? { functionNames: wanted } : {},
      );
    } else {
      const files = options.logFiles ?? [];
      source = { kind, inputs: files, region: options.region };
      const read = await readLogFiles(
        files.length === 1 && files[0] === STDIN ? STDIN : files,
        aggregator,
        options.function ? { functionName: options.function } : {},
      );
      problems.push(...read.problems);
    }
  } catch (error) {
    // A file, function or log folder the caller named that is not there: their mistake.
    if (error instanceof LogFileError || error instanceof UnknownFunctionError)
      throw new UsageError(error.message);
    throw error;
  }
  if (options.period !== undefined && kind !== "aws") {
    const end = new Date();
    window = { start: new Date(end.getTime() - options.period), end };
  }

  const cwd = resolve(options.cwd ?? ".");
  const deployed = new Map(
    observations.map((observed) => [observed.configuration.functionName, observed.configuration]),
  );
  const report = buildMetricsReport({
    aggregator,
    aws: observations,
    source,
    priceTable,
    ...(options.architecture ? { architecture: options.architecture } : {}),
    ...(window ? { window } : {}),
    problems,
    notes: [...new Set(notes)],
    lastTunes: lastTunes({
      names: [...new Set([...aggregator.functions.keys(), ...deployed.keys()])],
      deployed,
      region: options.region,
      saved: readSavedTuneResults(join(cwd, RUNS_FOLDER)).results,
      cwd,
      now: new Date(),
      maxAgeDays: options.retuneAfterDays,
    }),
  });
  if (report.functions.length === 0 && kind === "files") {
    // Nothing to measure in what the caller pointed at: most likely the wrong file.
    throw new UsageError(
      `${source.inputs.join(", ")}: no Lambda log lines found (no REPORT line among ${report.skippedLines} lines read); give Lambda's logs, e.g. a CloudWatch Logs export or \`aws logs tail /aws/lambda/NAME\` output`,
    );
  }
  return report;
}

/**
 * `function` with local: a function name as the emulator keeps its logs, or a handler
 * (`examples/io-bound/handler.mjs:handler`), named as `invoke` and `tune` name it.
 */
function localFunctionNameOf(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return localFunctionFromHandlerSpec(value).definition.name;
}
