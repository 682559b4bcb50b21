/**
 * One tuning run over the Lambda API, step by step: plan (tuning-plan.ts) -> measure each
 * configuration (configuration-run.ts, sampling.ts) -> analyse (analysis.ts) -> apply
 * (apply-winner.ts) -> restore (restore.ts), then the result (assemble-tune-result.ts).
 * Every change to the function is journaled before it is made, and the function is restored
 * whatever ends the run, so a failure or Ctrl-C leaves it as it was (and `tune --recover`
 * after a kill). Each configuration's alias and version are deleted as soon as it has been
 * measured, so an emulator can let go of its environments at once.
 *
 * A run that stops early still hands back what it measured: the error it
 * throws (TuningAborted, TuningFailed) carries a partial TuneResult.
 */
import type { Architecture, PriceTable } from "../pricing/price-table.js";
import { priceBasis } from "../pricing/price-table.js";
import { chooseConfiguration, configurationResults } from "./analysis.js";
import { applyWinner } from "./apply-winner.js";
import { assembleTuneResult, stoppedReason, type TuneResultInput } from "./assemble-tune-result.js";
import { type ConfigurationRunContext, runConfiguration } from "./configuration-run.js";
import type { HostLoadReader, HostLoadReading } from "./host-load.js";
import { Journal } from "./journal.js";
import type { FunctionState, LambdaTarget } from "./lambda-target.js";
import { versionDescription } from "./publish-configuration.js";
import { restoreFunction } from "./restore.js";
import type { TuningSettings } from "./settings.js";
import type { ConfigurationResult, LocalSource, TunedCode, TuneResult } from "./tune-result.js";
import { planTuning, type TuningPlan } from "./tuning-plan.js";

export interface TuningTarget {
  readonly lambda: LambdaTarget;
  readonly kind: "local" | "aws";
  readonly region: string;
  readonly profile?: string;
  /** The Lambda API endpoint; undefined for AWS itself. */
  readonly endpointUrl?: string;
  readonly sandbox?: TuneResult["sandbox"];
  /**
   * Local runs: the CPU architecture every configuration really runs on (this machine's). Set,
   * the run measures once per memory size and prices the samples at the other architecture
   * (modelled-architecture.ts); unset (AWS), every architecture is measured.
   */
  readonly hostArchitecture?: Architecture;
  /** Local runs: the function's handler file, or template and logical id, for the result. */
  readonly local?: LocalSource;
  /** What a local function runs on (local runs only). */
  readonly runtime?: TuneResult["runtime"];
  /**
   * Local runs: the hash of the function's code folder (null when it could not be taken). Unset
   * (AWS), the result records the function's CodeSha256 as GetFunctionConfiguration gives it.
   */
  readonly code?: TunedCode | null;
}

export type TuningProgress =
  | { readonly kind: "start"; readonly totalInvocations: number }
  | {
      readonly kind: "configuration";
      readonly memoryMb: number;
      readonly architecture: Architecture;
      readonly index: number;
      readonly count: number;
    }
  | { readonly kind: "invocation" }
  | { readonly kind: "restoring" };

export interface TuningRun {
  readonly target: TuningTarget;
  readonly settings: TuningSettings;
  readonly priceTable: PriceTable;
  readonly journalFolder: string;
  readonly runId: string;
  /** Aborted on Ctrl-C: the run stops invoking, restores the function and throws TuningAborted. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: TuningProgress) => void;
  /**
   * Local runs: reads this machine's load before the first invocation and after the last, for
   * the verdict (a busy host slows what is measured). Unset on AWS, where the function runs elsewhere.
   */
  readonly readHostLoad?: HostLoadReader;
}

export class TuningAborted extends Error {
  override readonly name = "TuningAborted";
  /** What was measured before the stop (TuneResult.partial says so). */
  partial: TuneResult | undefined;
}

/**
 * The run failed (an AWS error that outlived the SDK's retries, the endpoint
 * gone). `partial` holds what was measured; `unrestoredJournal` is set when
 * the function could not be put back, and names the journal `tune --recover`
 * needs.
 */
export class TuningFailed extends Error {
  override readonly name = "TuningFailed";
  constructor(
    cause: unknown,
    readonly partial: TuneResult | undefined,
    readonly unrestoredJournal: string | undefined,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

export async function runTuning(run: TuningRun): Promise<TuneResult> {
  const { lambda } = run.target;
  const { settings } = run;
  // Every sample is priced at the end: a region the table lacks fails now, before any invocation.
  priceBasis(run.priceTable, run.target.region);
  const original = await lambda.state();
  const journal = await openJournal(run, original);
  const plan = planTuning(settings, original.architecture, run.target.hostArchitecture);
  const hostBefore = run.readHostLoad?.();
  let hostAfter: HostLoadReading | undefined;
  run.onProgress?.({ kind: "start", totalInvocations: plan.expectedInvocations });

  /** Each measured configuration's results, in the order measured. */
  const measured: ConfigurationResult[][] = [];
  let tuningCostUsd = 0;
  const originalKey = { memoryMb: original.memoryMb, architecture: original.architecture };
  /** The result document, from what has been measured so far. */
  const assemble = (decided: TuneResultInput["decided"]) => {
    // A run that stopped early reads the host's load now: its verdict still says how busy it was.
    if (hostBefore && run.readHostLoad) hostAfter ??= run.readHostLoad();
    return assembleTuneResult({
      createdAt: new Date().toISOString(),
      target: {
        ...run.target,
        functionName: lambda.functionName,
        functionArn: original.functionArn,
        code: tunedCode(run.target, original),
      },
      settings,
      architectures: plan.architectures,
      original: originalKey,
      results: measured.flat(),
      decided,
      tuningCostUsd,
      priceTable: run.priceTable,
      hostLoad: { before: hostBefore, after: hostAfter },
    });
  };

  let outcome: TuneResult | undefined;
  let runError: { error: unknown } | undefined;
  try {
    const spend = (costUsd: number) => {
      tuningCostUsd += costUsd;
    };
    await measureConfigurations(run, { journal, original, plan, spend, measured });
    hostAfter = run.readHostLoad?.();
    const choice = chooseConfiguration(measured.flat(), originalKey, settings, plan.host);
    let applied: TuneResult["applied"] = null;
    if (settings.apply && choice.recommendation && !settings.dryRun) {
      checkAborted(run.signal);
      applied = await applyWinner(lambda, journal, choice.recommendation, settings.apply.alias);
    }
    outcome = assemble({ ...choice, applied, partial: null });
  } catch (error) {
    runError = { error };
  }

  run.onProgress?.({ kind: "restoring" });
  const restoreError = await restoreAfterRun(lambda, journal, outcome?.applied ?? null);
  if (outcome && !restoreError) return outcome;

  const failure = runError ?? restoreError;
  const partial =
    outcome ??
    assemble({
      recommendation: null,
      closestToSlo: null,
      applied: null,
      partial: {
        reason: stoppedReason(measured.length, plan.configurations.length, failure?.error),
      },
    });
  if (runError?.error instanceof TuningAborted && !restoreError) {
    runError.error.partial = partial;
    throw runError.error;
  }
  throw new TuningFailed(failure?.error, partial, restoreError ? journal.file : undefined);
}

/** The code the run tuned: a local function's folder hash, else the CodeSha256 it started with. */
function tunedCode(target: TuningTarget, original: FunctionState): TunedCode | null {
  if (target.code !== undefined) return target.code;
  return original.codeSha256
    ? { kind: "code-sha256", sha256: original.codeSha256, folder: null }
    : null;
}

/** Ctrl-C: checked before every invocation and before --apply. */
function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TuningAborted("tuning stopped before it finished");
}

/**
 * Every configuration of the plan in turn, each one's results added to `measured` as soon as it
 * is done, so that a run stopped later still reports it.
 */
async function measureConfigurations(
  run: TuningRun,
  progress: {
    readonly journal: Journal;
    readonly original: FunctionState;
    readonly plan: TuningPlan;
    readonly spend: (costUsd: number) => void;
    readonly measured: ConfigurationResult[][];
  },
): Promise<void> {
  const { journal, original, plan, spend, measured } = progress;
  const { settings } = run;
  const context: ConfigurationRunContext = {
    lambda: run.target.lambda,
    journal,
    settings,
    runId: run.runId,
    originalEnvironment: original.environment,
    priceTable: run.priceTable,
    region: run.target.region,
    checkAborted: () => checkAborted(run.signal),
    onInvocation: () => run.onProgress?.({ kind: "invocation" }),
    spend,
  };
  const pricing = {
    priceTable: run.priceTable,
    region: run.target.region,
    discard: settings.discard,
  };
  const count = plan.configurations.length;
  for (const [index, configuration] of plan.configurations.entries()) {
    checkAborted(run.signal);
    run.onProgress?.({ kind: "configuration", ...configuration, index, count });
    const measurement = await runConfiguration(context, configuration);
    measured.push(configurationResults(measurement, configuration, plan, pricing));
  }
}

/** Write down what the function is before anything changes it: the journal `tune --recover` reads. */
async function openJournal(run: TuningRun, original: FunctionState): Promise<Journal> {
  const { lambda } = run.target;
  const preexisting = (await lambda.versions()).map((entry) => entry.version);
  return Journal.create(run.journalFolder, {
    runId: run.runId,
    runMark: versionDescription(run.runId),
    createdAt: new Date().toISOString(),
    target: {
      kind: run.target.kind,
      functionName: lambda.functionName,
      region: run.target.region,
      profile: run.target.profile ?? null,
      endpointUrl: run.target.endpointUrl ?? null,
    },
    original: {
      memoryMb: original.memoryMb,
      architecture: original.architecture,
      description: original.description,
      environment: { ...original.environment },
    },
    preexistingVersions: preexisting,
  });
}

/**
 * Put the function back as the journal says, keeping what --apply set, and close the journal.
 * Returns what stopped it instead of throwing: a failed restore leaves the journal for --recover.
 */
async function restoreAfterRun(
  lambda: LambdaTarget,
  journal: Journal,
  applied: TuneResult["applied"],
): Promise<{ error: unknown } | undefined> {
  try {
    await restoreFunction(lambda, journal, {
      keepLatest: applied !== null && applied.alias === null,
      keepAliases: applied?.alias ? [applied.alias] : [],
      keepVersions: applied?.version ? [applied.version] : [],
    });
    journal.close();
    return undefined;
  } catch (error) {
    return { error };
  }
}
