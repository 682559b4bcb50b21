/**
 * `esm optimize` as a library call: check and default the options, read the
 * mappings (a template's, a deployed function's, or one given by its
 * settings), the traffic (given, or
 * CloudWatch's) and the function's speed, then search each mapping's settings
 * with the simulator. Rendering is the caller's.
 *
 * The AWS SDK is loaded only on the aws path: at every start it would cost a
 * quarter of a second (as plan does, src/planning/plan-billing.ts).
 */

import { UsageError } from "../../errors.js";
import { fileInFolder } from "../../file-in-folder.js";
import { fieldName, type OptionName, parseOptions } from "../../options.js";
import { loadPricedRegion } from "../../pricing/price-configuration.js";
import { type PriceTable, pricesFor, pricesUsed } from "../../pricing/price-table.js";
import { runSimulation, SimulationTooLongError } from "../simulation/run-simulation.js";
import type { Scenario } from "../simulation/scenario.js";
import { tooLong } from "../simulation/simulate.js";
import { ESM_SIMULATE_DEFAULTS } from "../simulation/simulate-options.js";
import type { EsmSimulationResult, ModelledFigure } from "../simulation/simulation-result.js";
import {
  type BatchDuration,
  durationChoices,
  durationFromCloudWatch,
  durationFromOptions,
  givenDuration,
} from "../sources/batch-duration.js";
import type { MeasuredTraffic } from "../sources/cloudwatch-traffic.js";
import type { GivenFacts } from "../sources/given-facts.js";
import { readGivenTraffic, type Traffic } from "../sources/given-traffic.js";
import type { MappingFacts } from "../sources/mapping-facts.js";
import { settingsMapping } from "../sources/settings-mapping.js";
import { templateMappings } from "../sources/template-mappings.js";
import { cfnSettings } from "./cfn-settings.js";
import {
  type EsmOptimizeOptions,
  type EsmOptimizeOptionsInput,
  EsmOptimizeOptionsSchema,
} from "./optimize-options.js";
import { optimizeReasons } from "./optimize-reasons.js";
import type { EsmOptimizeResult, MappingOptimization, Prediction } from "./optimize-result.js";
import {
  type Bound,
  type Candidate,
  meetsBound,
  type Simulate,
  searchSettings,
} from "./search-settings.js";
import { searchSpaceOf } from "./search-space.js";

export interface EsmOptimizeIo {
  readonly stdin?: NodeJS.ReadableStream;
  /** The end of the CloudWatch window (default now). */
  readonly now?: Date;
  /** Progress for long work (CloudWatch reads, each mapping's search), one line each. */
  readonly onProgress?: (message: string) => void;
  /** The simulator (default runSimulation): a test may hand in one it can check by hand. */
  readonly simulate?: Simulate;
}

/** Points kept in each simulated run's timeline: the search reads only its end. */
const TIMELINE_POINTS = 20;
/**
 * The recommendation is run again on this much more traffic: a setting tuned to the last second
 * of lag on a nearly full lane falls behind at the first growth, one with room does not.
 */
export const HEADROOM_TRAFFIC_FACTOR = 1.25;

/** Throws a UsageError for a mistake in the options or the files they name, naming the option as `nameOf` does. */
export async function optimizeEventSourceMappings(
  input: EsmOptimizeOptionsInput,
  nameOf: OptionName = fieldName,
  io: EsmOptimizeIo = {},
): Promise<EsmOptimizeResult> {
  const options = parseOptions(EsmOptimizeOptionsSchema, input, nameOf);
  const table = loadPricedRegion(options.priceFile, options.region, nameOf);
  const inCwd = fileInFolder(options.cwd);
  const given = givenFacts(input, options);
  // Checked before a template or AWS is read.
  const duration = givenDuration(options, nameOf);
  const notes: string[] = [];
  const modelled: ModelledFigure[] = [];
  const simulate = guarded(io.simulate ?? runSimulation, nameOf);
  const bound: Bound = {
    maxAgeSeconds: options.maxAgeSeconds,
    allowThrottles: options.allowThrottles,
  };
  // Given traffic is read once, whichever mappings it feeds.
  const givenTraffic =
    options.rate !== undefined || options.rateProfile !== undefined
      ? await readGivenTraffic(options, inCwd, nameOf)
      : undefined;

  const optimize = async (
    facts: MappingFacts,
    traffic: Traffic,
    measuredDuration: (() => BatchDuration | undefined) | undefined,
  ): Promise<MappingOptimization> => {
    const batch = await settleDuration(facts, options, measuredDuration, inCwd, nameOf, io);
    io.onProgress?.(`searching the settings of ${facts.label}`);
    const optimization = optimizeOne(facts, traffic, batch, options, table, bound, simulate);
    modelled.push(...facts.modelled, ...batch.modelled);
    notes.push(...facts.notes, ...traffic.notes);
    return optimization;
  };

  if (options.settings !== undefined) {
    const facts = settingsMapping(
      {
        settings: options.settings,
        eventSource: options.eventSource,
        fifo: options.fifo,
        given,
      },
      nameOf,
    );
    return answer("settings", "the settings given", [
      await optimize(facts, givenTraffic!, undefined),
    ]);
  }

  if (options.template !== undefined) {
    const read = templateMappings(
      {
        template: inCwd(options.template),
        function: options.function,
        mapping: options.mapping,
        given,
      },
      nameOf,
    );
    notes.push(...read.skipped);
    if (read.mappings.length === 0)
      throw new UsageError(
        `${nameOf(["template"])} ${options.template}: no SQS, Kinesis, DynamoDB Streams or Kafka event source mapping to optimize`,
      );
    if (read.mappings.length > 1 && givenTraffic !== undefined)
      notes.push(
        `the traffic given (${givenTraffic.summary.source === "rate" ? nameOf(["rate"]) : nameOf(["rateProfile"])}) is taken as each mapping's own`,
      );
    const mappings: MappingOptimization[] = [];
    for (const facts of read.mappings)
      mappings.push(await optimize(facts, givenTraffic!, undefined));
    return answer("template", options.template, mappings);
  }

  // The AWS path: the SDK loaded now, and every client destroyed at the end.
  const [{ createLambdaClient }, { createCloudWatchClient }, sqsModule, awsModule, cwModule] =
    await Promise.all([
      import("../../aws/lambda-client.js"),
      import("../../aws/cloudwatch-client.js"),
      import("../sources/sqs-queue.js"),
      import("../sources/aws-mappings.js"),
      import("../sources/cloudwatch-traffic.js"),
    ]);
  const connection = {
    region: options.region,
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
  };
  const lambda = createLambdaClient(connection);
  const cloudwatch = createCloudWatchClient(connection);
  const sqs = sqsModule.createSqsClient(connection);
  try {
    io.onProgress?.(`reading the event source mappings of ${options.function}`);
    const read = await awsModule.awsMappings(
      {
        lambda,
        queueAttributes: (arn) => sqsModule.queueAttributes(sqs, arn),
      },
      {
        functionName: options.function!,
        mapping: options.mapping,
        region: options.region,
        given,
      },
      nameOf,
    );
    notes.push(...read.skipped);
    const mappings: MappingOptimization[] = [];
    for (const facts of read.mappings) {
      let traffic = givenTraffic;
      let measured: MeasuredTraffic | undefined;
      if (traffic === undefined || (duration === undefined && !hasDurationFile(options))) {
        io.onProgress?.(
          `reading CloudWatch metrics for ${facts.label}, ${options.days} ${options.days === 1 ? "day" : "days"}`,
        );
        const answer = await cwModule.measuredTraffic(cloudwatch, facts, {
          days: options.days,
          now: io.now ?? new Date(),
        });
        if ("missing" in answer) {
          if (traffic === undefined)
            throw new UsageError(
              `${facts.label}: its traffic cannot be read from CloudWatch (${answer.missing} is not known): give ${nameOf(["rate"])} or ${nameOf(["rateProfile"])}`,
            );
        } else {
          measured = answer;
          if (answer.caveat !== null) notes.push(`${facts.label}: ${answer.caveat}`);
        }
      }
      if (traffic === undefined) {
        if (measured === undefined || measured.records.every((value) => value === 0))
          throw new UsageError(
            `${facts.label}: CloudWatch has no ${measured?.metric ?? "record count"} in the last ${options.days} days: give ${nameOf(["rate"])} or ${nameOf(["rateProfile"])}, or more ${nameOf(["days"])}`,
          );
        traffic = cwModule.busiestArrivals(
          measured,
          options.seconds ?? ESM_SIMULATE_DEFAULTS.seconds,
          options.arrival,
          options.days,
        );
      }
      const observed = measured;
      const measuredDuration = () => {
        if (observed?.meanDurationMs == null) return undefined;
        // The records a batch held on average while CloudWatch measured: records ÷ invocations.
        const records = observed.records.reduce((total, value) => total + value, 0);
        const meanBatch =
          observed.invocations > 0 && records > 0
            ? Math.max(1, Math.min(facts.mapping.batchSize, records / observed.invocations))
            : facts.mapping.batchSize;
        return durationFromCloudWatch(observed.meanDurationMs, Math.round(meanBatch));
      };
      const optimization = await optimize(facts, traffic, measuredDuration);
      if (measured !== undefined) {
        optimization.traffic.measuredMaxAgeSeconds = measured.maxAgeSeconds;
        if (measured.maxAgeSeconds !== null)
          optimization.reasons.push(
            `CloudWatch measured the oldest record at ${round(measured.maxAgeSeconds)} s (${measured.ageMetric}, maximum over ${options.days} days); the model predicts ${round(optimization.predicted.current.maxAgeSeconds)} s at most for today's settings over the simulated window.`,
          );
      }
      mappings.push(optimization);
    }
    return answer("aws", read.functionName, mappings);
  } finally {
    lambda.destroy();
    cloudwatch.destroy();
    sqs.destroy();
  }

  function answer(
    source: EsmOptimizeResult["source"],
    origin: string,
    mappings: MappingOptimization[],
  ): EsmOptimizeResult {
    return {
      source,
      origin,
      maxAgeSeconds: options.maxAgeSeconds,
      allowThrottles: options.allowThrottles,
      mappings,
      prices: pricesUsed(table, options.region),
      modelled: dedupe(modelled),
      notes: [...new Set(notes)],
    };
  }
}

function optimizeOne(
  facts: MappingFacts,
  traffic: Traffic,
  batch: BatchDuration,
  options: EsmOptimizeOptions,
  table: PriceTable,
  bound: Bound,
  simulate: Simulate,
): MappingOptimization {
  const base: Scenario = {
    mapping: facts.mapping,
    function: {
      overheadMs: batch.overheadMs,
      perRecordMs: batch.perRecordMs,
      errorRate: options.errorRate,
      reservedConcurrency: facts.fn.reservedConcurrency,
      timeoutSeconds: facts.fn.timeoutSeconds,
      memoryMb: facts.fn.memoryMb,
      architecture: facts.fn.architecture,
      ephemeralStorageMb: facts.fn.ephemeralStorageMb,
    },
    arrivals: traffic.arrivals,
    recordBytes: options.recordBytes,
    seed: options.seed,
    maxEvents: options.maxEvents,
    prices: pricesFor(table, options.region, facts.fn.architecture),
    timelinePoints: TIMELINE_POINTS,
  };
  const { space, current } = searchSpaceOf(base, batch.memory, bound);
  const outcome = searchSettings(space, { knobs: current, scenario: base }, bound, simulate);
  const withMemory = batch.memory.length > 0;
  const applyCandidate = (candidate: Candidate) => space.apply(candidate.knobs);
  const recommendedScenario = outcome.best ? applyCandidate(outcome.best) : undefined;
  const headroom = recommendedScenario && headroomOf(recommendedScenario, bound, simulate);
  return {
    id: facts.id,
    label: facts.label,
    eventSource: facts.eventSource,
    function: facts.function,
    line: facts.line,
    traffic: { ...traffic.summary },
    duration: {
      overheadMs: batch.overheadMs,
      perRecordMs: batch.perRecordMs,
      source: batch.source,
    },
    current: cfnSettings(base, withMemory),
    recommended: recommendedScenario ? cfnSettings(recommendedScenario, withMemory) : null,
    predicted: {
      current: prediction(outcome.current),
      recommended: outcome.best ? prediction(outcome.best) : null,
    },
    headroom: headroom ?? null,
    searched: outcome.searched,
    reasons: [
      ...optimizeReasons(outcome, bound, base, recommendedScenario, applyCandidate),
      ...(headroom ? [headroomReason(headroom, bound)] : []),
      `The function's duration per batch: ${round(batch.overheadMs)} ms + ${round(batch.perRecordMs)} ms a record (${batch.source}${batch.modelled.length > 0 ? "; the split into per batch and per record is modelled" : ""}).`,
    ],
    advice: facts.advice,
  };
}

/** The recommended settings on HEADROOM_TRAFFIC_FACTOR × the traffic, same seed. */
function headroomOf(
  scenario: Scenario,
  bound: Bound,
  simulate: Simulate,
): NonNullable<MappingOptimization["headroom"]> {
  const factor = HEADROOM_TRAFFIC_FACTOR;
  const arrivals = scenario.arrivals;
  const result = simulate({
    ...scenario,
    arrivals: { ...arrivals, perSecond: Array.from(arrivals.perSecond, (rate) => rate * factor) },
  });
  return {
    trafficFactor: factor,
    ageP99Seconds: result.ageP99Seconds,
    backlogEnd: result.backlogEnd,
    oldestWaitingSeconds: result.timeline.at(-1)?.oldestAgeSeconds ?? 0,
    throttles: result.throttles,
    meetsBound: meetsBound(result, bound),
  };
}

function headroomReason(
  headroom: NonNullable<MappingOptimization["headroom"]>,
  bound: Bound,
): string {
  const more = `${Math.round((headroom.trafficFactor - 1) * 100)}% more traffic`;
  const age = `${round(headroom.ageP99Seconds)} s`;
  if (headroom.meetsBound)
    return `Headroom: on ${more} the recommended settings keep p99 age at ${age}, still within the bound.`;
  const behind =
    headroom.backlogEnd > 0
      ? `, ${headroom.backlogEnd.toLocaleString("en-US")} records still waiting at the end, the oldest for ${round(headroom.oldestWaitingSeconds)} s`
      : "";
  const throttled =
    headroom.throttles > 0 && !bound.allowThrottles ? `, ${headroom.throttles} throttles` : "";
  return `Headroom: on ${more} the recommended settings would miss the bound (p99 age ${age}${behind}${throttled}): they fit today's traffic closely. A lower bound buys room for growth at some cost.`;
}

function prediction(candidate: Candidate): Prediction {
  const result: EsmSimulationResult = candidate.result;
  return {
    ageP99Seconds: result.ageP99Seconds,
    maxAgeSeconds: result.maxAgeSeconds,
    backlogEnd: result.backlogEnd,
    throttles: result.throttles,
    concurrencyMax: result.concurrencyMax,
    invocations: result.invocations,
    periodUsd: result.periodUsd,
    monthlyUsd: result.monthlyUsd,
    meetsBound: candidate.meetsBound,
  };
}

/** Only the function facts the caller really gave: the schema's defaults must not hide a template's values. */
function givenFacts(input: EsmOptimizeOptionsInput, options: EsmOptimizeOptions): GivenFacts {
  const raw = (input ?? {}) as Record<string, unknown>;
  const has = (key: string) => raw[key] !== undefined;
  return {
    ...(has("memoryMb") ? { memoryMb: options.memoryMb } : {}),
    ...(has("architecture") ? { architecture: options.architecture } : {}),
    ...(has("timeoutSeconds") ? { timeoutSeconds: options.timeoutSeconds } : {}),
    ...(options.reservedConcurrency !== undefined
      ? { reservedConcurrency: options.reservedConcurrency }
      : {}),
    ...(options.ephemeralStorageMb !== undefined
      ? { ephemeralStorageMb: options.ephemeralStorageMb }
      : {}),
    ...(options.shards !== undefined ? { shards: options.shards } : {}),
    ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
  };
}

async function settleDuration(
  facts: MappingFacts,
  options: EsmOptimizeOptions,
  measured: (() => BatchDuration | undefined) | undefined,
  inCwd: (file: string) => string,
  nameOf: OptionName,
  io: EsmOptimizeIo,
): Promise<BatchDuration> {
  const duration =
    (await durationFromOptions(
      options,
      facts.fn,
      facts.mapping.batchSize,
      options.searchMemory,
      inCwd,
      nameOf,
      io.stdin,
    )) ?? measured?.();
  if (duration !== undefined) return duration;
  throw new UsageError(
    `${facts.label}: how long does a batch take? Give ${durationChoices(nameOf)}${options.aws ? " (CloudWatch has no Duration for the function)" : ""}`,
  );
}

function hasDurationFile(options: EsmOptimizeOptions): boolean {
  return options.tuneFile !== undefined || options.logFiles !== undefined;
}

/** The simulator, with a run past maxEvents told as the caller's option. */
function guarded(simulate: Simulate, nameOf: OptionName): Simulate {
  return (scenario) => {
    try {
      return simulate(scenario);
    } catch (error) {
      if (error instanceof SimulationTooLongError) throw tooLong(error, nameOf);
      throw error;
    }
  };
}

function dedupe(figures: readonly ModelledFigure[]): ModelledFigure[] {
  const seen = new Map<string, ModelledFigure>();
  for (const figure of figures) seen.set(`${figure.name}|${String(figure.value)}`, figure);
  return [...seen.values()];
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
