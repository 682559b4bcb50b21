/**
 * One tuning run over the Lambda API: plan -> measure each configuration ->
 * analyse -> apply -> restore. Every change to the function is journaled
 * before it is made, and the function is restored whatever ends the run, so a
 * failure or Ctrl-C leaves it as it was (and `tune --recover` after a kill).
 * Each configuration's alias and version are deleted as soon as it has been
 * measured, so an emulator can let go of its environments at once.
 *
 * A run that stops early still hands back what it measured: the error it
 * throws (TuningAborted, TuningFailed) carries a partial TuneResult.
 */
import { durationWithStartupMs, type Report } from "../lambda/report-line.js";
import { mapWithConcurrency } from "../map-with-concurrency.js";
import { costPerInvocation } from "../pricing/cost.js";
import {
  type Architecture,
  type PriceTable,
  priceBasis,
  pricesFor,
  pricesUsed,
} from "../pricing/price-table.js";
import { bootstrapMeanInterval, mean, seededRandom, summarize } from "../statistics.js";
import { compareConfigurations, describeConfiguration } from "./configuration-key.js";
import type { HostLoadReader, HostLoadReading } from "./host-load.js";
import { Journal } from "./journal.js";
import type { InvocationOutcome, LambdaTarget } from "./lambda-target.js";
import {
  localArchitecturePlan,
  localCandidates,
  modelledOn,
  modelledReason,
} from "./modelled-architecture.js";
import { payloadSlots } from "./payloads.js";
import {
  removeCreatedAlias,
  removeCreatedVersion,
  restoreFunction,
  restoreLatest,
} from "./restore.js";
import { judgeRun } from "./run-verdict.js";
import { CONFIDENCE_TARGET, type TuningSettings } from "./settings.js";
import { recommend } from "./strategies.js";
import type {
  ConfigurationResult,
  LocalSource,
  Modelled,
  Sample,
  TuneResult,
} from "./tune-result.js";

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

/** Marks every version a run publishes, so --recover finds them even if the journal missed one. */
export function versionDescription(runId: string): string {
  return `lambda-optimizer tune ${runId}`;
}

const COLD_START_VARIABLE = "LAMBDA_OPTIMIZER_FORCE_COLD_START";

export async function runTuning(run: TuningRun): Promise<TuneResult> {
  const { lambda } = run.target;
  const { settings } = run;
  // Every sample is priced at the end: a region the table lacks fails now, before any invocation.
  priceBasis(run.priceTable, run.target.region);
  const original = await lambda.state();
  const preexisting = (await lambda.versions()).map((entry) => entry.version);
  const journal = Journal.create(run.journalFolder, {
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

  // No --arch: tune on the function's own architecture.
  const architectures =
    settings.architectures.length > 0 ? settings.architectures : [original.architecture];
  // Locally every architecture runs on this CPU: execute one and price the samples at the others.
  const host = run.target.hostArchitecture;
  const plan = host
    ? localArchitecturePlan(architectures, host, original.architecture)
    : { executed: undefined, pricedOnly: [] as Architecture[] };
  const executedArchitectures = plan.executed ? [plan.executed] : architectures;
  const configurations = executedArchitectures.flatMap((architecture) =>
    settings.memorySizes.map((memoryMb) => ({ memoryMb, architecture })),
  );
  const hostBefore: HostLoadReading | undefined = run.readHostLoad?.();
  let hostAfter: HostLoadReading | undefined;
  const samplesPer = settings.dryRun ? 1 : settings.num + (settings.onlyColdStarts ? 0 : 1);
  run.onProgress?.({ kind: "start", totalInvocations: configurations.length * samplesPer });

  let tuningCostUsd = 0;
  const checkAborted = () => {
    if (run.signal?.aborted) throw new TuningAborted("tuning stopped before it finished");
  };

  /** Give $LATEST this configuration, publish it, and put $LATEST back at once. */
  const publish = async (
    memoryMb: number,
    architecture: Architecture,
    environment?: Record<string, string>,
  ) => {
    journal.update((data) => ({ ...data, latestChanged: true }));
    const current = await lambda.state();
    if (current.architecture !== architecture) await lambda.setArchitecture(architecture);
    await lambda.updateConfiguration({ memoryMb, ...(environment ? { environment } : {}) });
    const published = await lambda.publishVersion(
      `${versionDescription(run.runId)}: ${describeConfiguration({ memoryMb, architecture })}`,
    );
    if (!preexisting.includes(published.version)) {
      journal.update((data) => ({
        ...data,
        createdVersions: [...new Set([...data.createdVersions, published.version])],
      }));
    }
    await restoreLatest(lambda, journal);
    return published.version;
  };

  const results: ConfigurationResult[] = [];
  /** Configurations invoked so far (results also holds their priced copies on a local run). */
  let measuredCount = 0;
  /** The result document, from what has been measured so far. */
  const assemble = (
    decided: Pick<TuneResult, "recommendation" | "closestToSlo" | "applied" | "partial">,
  ): TuneResult => {
    const ranked = [...results].sort(compareConfigurations);
    const originalResult = ranked.find(
      (result) =>
        result.status === "ok" &&
        result.memoryMb === original.memoryMb &&
        result.architecture === original.architecture,
    );
    if (hostBefore && run.readHostLoad) hostAfter ??= run.readHostLoad();
    return {
      schemaVersion: 1,
      createdAt: new Date().toISOString(),
      target: {
        kind: run.target.kind,
        functionName: lambda.functionName,
        functionArn: original.functionArn,
        region: run.target.region,
        endpoint: run.target.endpointUrl ?? null,
        local: run.target.local ?? null,
      },
      settings: {
        memoryMb: [...settings.memorySizes],
        architectures: [...architectures],
        num: settings.num,
        strategy: settings.strategy,
        balancedWeight: settings.balancedWeight,
        maxP95Ms: settings.maxP95Ms ?? null,
        maxP99Ms: settings.maxP99Ms ?? null,
        discard: settings.discard,
        parallel: settings.parallel,
        concurrency: settings.concurrency,
        onlyColdStarts: settings.onlyColdStarts,
        allowedExceptions: [...settings.allowedExceptions],
        untilConfident: settings.untilConfident,
        maxNum: settings.maxNum,
        payloads: settings.payloads.length,
      },
      original: {
        memoryMb: original.memoryMb,
        architecture: original.architecture,
        costPerInvocationUsd: originalResult?.costPerInvocationUsd ?? null,
      },
      results: ranked,
      recommendation: decided.recommendation,
      closestToSlo: decided.closestToSlo,
      tuningCostUsd,
      prices: pricesUsed(run.priceTable, run.target.region),
      sandbox: run.target.sandbox ?? null,
      runtime: run.target.runtime ?? null,
      applied: decided.applied,
      partial: decided.partial,
      verdict: judgeRun({
        results: ranked,
        num: settings.num,
        dryRun: settings.dryRun,
        host: hostBefore && hostAfter ? { before: hostBefore, after: hostAfter } : null,
      }),
    };
  };
  let outcome: TuneResult | undefined;
  let runError: { error: unknown } | undefined;
  try {
    for (const [index, configuration] of configurations.entries()) {
      checkAborted();
      run.onProgress?.({
        kind: "configuration",
        ...configuration,
        index,
        count: configurations.length,
      });
      const { memoryMb, architecture } = configuration;
      const samples: Sample[] = [];
      let errors = 0;
      let firstError: { type: string; message: string } | null = null;
      let coldStart: ConfigurationResult["coldStart"] = null;
      const prices = pricesFor(run.priceTable, run.target.region, architecture);
      /** What one invocation cost, from its REPORT line; every one counts toward the run's own cost. */
      const charge = (report: Report): number => {
        const costUsd = costPerInvocation(prices, {
          memoryMb,
          billedDurationMs: report.billedDurationMs,
        }).totalUsd;
        tuningCostUsd += costUsd;
        return costUsd;
      };

      const record = (invocation: InvocationOutcome): void => {
        const report = invocation.report;
        const costUsd = report ? charge(report) : 0;
        const allowed =
          invocation.errorType !== undefined &&
          settings.allowedExceptions.includes(invocation.errorType);
        if ((invocation.errorType !== undefined && !allowed) || !report) {
          errors++;
          firstError ??= {
            type: invocation.errorType ?? "Tuner.NoReport",
            message: invocation.errorMessage ?? "the log tail held no REPORT line",
          };
          return;
        }
        samples.push({
          durationMs: report.durationMs,
          billedDurationMs: report.billedDurationMs,
          initDurationMs: report.initDurationMs ?? null,
          restoreDurationMs: report.restoreDurationMs ?? null,
          maxMemoryUsedMb: report.maxMemoryUsedMb,
          costUsd,
          errorType: allowed ? (invocation.errorType ?? null) : null,
        });
      };

      if (settings.onlyColdStarts && !settings.dryRun) {
        // A new version per invocation: each one lands in a new execution environment.
        const slots = payloadSlots(settings.payloads, settings.num);
        for (const [slot, payload] of slots.entries()) {
          checkAborted();
          const version = await publish(memoryMb, architecture, {
            ...original.environment,
            [COLD_START_VARIABLE]: `${run.runId}-${memoryMb}-${architecture}-${slot}`,
          });
          record(await lambda.invoke(version, payload));
          run.onProgress?.({ kind: "invocation" });
          await removeCreatedVersion(lambda, journal, version);
          await sleep(settings.sleepBetweenMs);
        }
      } else {
        const version = await publish(memoryMb, architecture);
        const alias = `lo-${run.runId}-${memoryMb}-${architecture}`;
        journal.update((data) => ({ ...data, createdAliases: [...data.createdAliases, alias] }));
        await lambda.createAlias(alias, version, versionDescription(run.runId));
        const payloads = payloadSlots(
          settings.payloads,
          Math.max(settings.num, settings.payloads.length),
        );
        let healthy = true;
        if (!settings.dryRun) {
          const warmUp = await lambda.invoke(alias, payloads[0]!);
          run.onProgress?.({ kind: "invocation" });
          if (warmUp.report) {
            charge(warmUp.report);
            coldStart = {
              durationMs: warmUp.report.durationMs,
              initDurationMs: warmUp.report.initDurationMs ?? null,
              billedDurationMs: warmUp.report.billedDurationMs,
            };
          }
          const allowed =
            warmUp.errorType !== undefined && settings.allowedExceptions.includes(warmUp.errorType);
          if (warmUp.errorType !== undefined && !allowed) {
            // A configuration that cannot even warm up (out of memory, a timeout) is not sampled.
            healthy = false;
            errors++;
            firstError = { type: warmUp.errorType, message: warmUp.errorMessage ?? "" };
          }
        }
        const invokeAll = async (batch: readonly Uint8Array[]) => {
          if (settings.parallel) {
            await mapWithConcurrency(batch, settings.concurrency, async (payload) => {
              checkAborted();
              record(await lambda.invoke(alias, payload));
              run.onProgress?.({ kind: "invocation" });
            });
            return;
          }
          for (const payload of batch) {
            checkAborted();
            record(await lambda.invoke(alias, payload));
            run.onProgress?.({ kind: "invocation" });
            await sleep(settings.sleepBetweenMs);
          }
        };
        if (healthy) {
          await invokeAll(settings.dryRun ? payloads.slice(0, 1) : payloads.slice(0, settings.num));
          while (
            settings.untilConfident &&
            !settings.dryRun &&
            errors === 0 &&
            samples.length < settings.maxNum &&
            !confident(samples.map((sample) => sample.costUsd))
          ) {
            const batchSize = Math.min(
              Math.max(5, Math.ceil(settings.num / 2)),
              settings.maxNum - samples.length,
            );
            await invokeAll(
              payloadSlots(settings.payloads, Math.max(batchSize, settings.payloads.length)).slice(
                0,
                batchSize,
              ),
            );
          }
        } else {
          for (let skipped = 0; skipped < settings.num; skipped++)
            run.onProgress?.({ kind: "invocation" });
        }
        await removeCreatedAlias(lambda, journal, alias);
        await removeCreatedVersion(lambda, journal, version);
      }
      const measured = {
        memoryMb,
        samples,
        errors,
        firstError,
        coldStart,
        discard: settings.discard,
      };
      results.push(
        summariseConfiguration({
          ...measured,
          architecture,
          modelled: host ? modelledOn(architecture, host) : null,
        }),
      );
      measuredCount++;
      // The same samples at the other architectures' prices; no invocation, so no tuning cost.
      for (const pricedAs of plan.pricedOnly) {
        const pricedPrices = pricesFor(run.priceTable, run.target.region, pricedAs);
        results.push(
          summariseConfiguration({
            ...measured,
            architecture: pricedAs,
            samples: samples.map((sample) => ({
              ...sample,
              costUsd: costPerInvocation(pricedPrices, {
                memoryMb,
                billedDurationMs: sample.billedDurationMs,
              }).totalUsd,
            })),
            modelled: modelledOn(pricedAs, host!),
          }),
        );
      }
    }
    hostAfter = run.readHostLoad?.();

    const originalKey = { memoryMb: original.memoryMb, architecture: original.architecture };
    const ranked = [...results].sort(compareConfigurations);
    const choice = recommend(host ? localCandidates(ranked, originalKey) : ranked, {
      strategy: settings.strategy,
      balancedWeight: settings.balancedWeight,
      ...(settings.maxP95Ms !== undefined ? { maxP95Ms: settings.maxP95Ms } : {}),
      ...(settings.maxP99Ms !== undefined ? { maxP99Ms: settings.maxP99Ms } : {}),
      original: originalKey,
    });
    let applied: TuneResult["applied"] = null;
    let recommendation = choice.recommendation;
    if (host && recommendation) {
      const chosen = ranked.find(
        (result) =>
          result.memoryMb === recommendation!.memoryMb &&
          result.architecture === recommendation!.architecture,
      )!;
      const extra = modelledReason(chosen, originalKey, ranked);
      if (extra)
        recommendation = { ...recommendation, reason: `${recommendation.reason} ${extra}` };
    }
    if (settings.apply && recommendation && !settings.dryRun) {
      checkAborted();
      applied = await applyWinner(lambda, journal, recommendation, settings.apply.alias, publish);
    }
    outcome = assemble({ ...choice, recommendation, applied, partial: null });
  } catch (error) {
    runError = { error };
  }

  run.onProgress?.({ kind: "restoring" });
  const kept = outcome?.applied;
  let restoreError: { error: unknown } | undefined;
  try {
    await restoreFunction(lambda, journal, {
      keepLatest: kept !== null && kept !== undefined && kept.alias === null,
      keepAliases: kept?.alias ? [kept.alias] : [],
      keepVersions: kept?.version ? [kept.version] : [],
    });
    journal.close();
  } catch (error) {
    restoreError = { error };
  }
  if (outcome && !restoreError) return outcome;

  const failure = runError ?? restoreError;
  const measured =
    outcome ??
    assemble({
      recommendation: null,
      closestToSlo: null,
      applied: null,
      partial: {
        reason: `stopped after ${measuredCount} of ${configurations.length} configurations: ${
          failure?.error instanceof Error ? failure.error.message : String(failure?.error)
        }`,
      },
    });
  if (runError?.error instanceof TuningAborted && !restoreError) {
    runError.error.partial = measured;
    throw runError.error;
  }
  throw new TuningFailed(failure?.error, measured, restoreError ? journal.file : undefined);
}

async function applyWinner(
  lambda: LambdaTarget,
  journal: Journal,
  winner: { memoryMb: number; architecture: Architecture },
  alias: string | undefined,
  publish: (memoryMb: number, architecture: Architecture) => Promise<string>,
): Promise<TuneResult["applied"]> {
  if (!alias) {
    journal.update((data) => ({ ...data, latestChanged: true }));
    const current = await lambda.state();
    if (current.architecture !== winner.architecture)
      await lambda.setArchitecture(winner.architecture);
    await lambda.updateConfiguration({ memoryMb: winner.memoryMb });
    return { ...winner, alias: null, version: null };
  }
  const version = await publish(winner.memoryMb, winner.architecture);
  const existing = await lambda.aliasVersion(alias);
  if (existing === undefined) {
    journal.update((data) => ({ ...data, createdAliases: [...data.createdAliases, alias] }));
    await lambda.createAlias(alias, version, "lambda-optimizer tune --apply");
  } else {
    journal.update((data) => ({
      ...data,
      touchedAliases: [...data.touchedAliases, { name: alias, functionVersion: existing }],
    }));
    await lambda.pointAlias(alias, version);
  }
  return { ...winner, alias, version };
}

function summariseConfiguration(input: {
  memoryMb: number;
  architecture: Architecture;
  samples: Sample[];
  errors: number;
  firstError: { type: string; message: string } | null;
  coldStart: ConfigurationResult["coldStart"];
  discard: number;
  modelled: Modelled | null;
}): ConfigurationResult {
  const { samples } = input;
  const speed = samples.map(durationWithStartupMs);
  const costs = samples.map((sample) => sample.costUsd);
  const costPerInvocationUsd = mean(costs);
  const failed = input.errors > 0 || samples.length === 0;
  return {
    memoryMb: input.memoryMb,
    architecture: input.architecture,
    status: failed ? "failed" : "ok",
    error: failed
      ? (input.firstError ?? { type: "Tuner.NoSamples", message: "no invocation was measured" })
      : null,
    invocations: samples.length,
    errors: input.errors,
    durationMs: summarize(speed, input.discard),
    billedDurationMs: { mean: mean(samples.map((sample) => sample.billedDurationMs)) },
    maxMemoryUsedMb: { max: Math.max(0, ...samples.map((sample) => sample.maxMemoryUsedMb)) },
    coldStart: input.coldStart,
    costPerInvocationUsd,
    costPer1MInvocationsUsd: costPerInvocationUsd * 1_000_000,
    costCi95: bootstrapMeanInterval(costs, { random: seededRandom(input.memoryMb) }),
    durationCi95: bootstrapMeanInterval(speed, { random: seededRandom(input.memoryMb + 1) }),
    samples,
    modelled: input.modelled,
  };
}

/** The cost interval's half-width is under 5% of its mean. */
function confident(costs: readonly number[]): boolean {
  if (costs.length < 2) return false;
  const interval = bootstrapMeanInterval(costs, { random: seededRandom(costs.length) });
  const average = mean(costs);
  return average > 0 && (interval.high - interval.low) / 2 / average < CONFIDENCE_TARGET;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
