/**
 * `plan --logs FILE...`: REPORT lines turned into per-minute traffic. The
 * lines are read by the reader `metrics` uses (exports, `aws logs tail`,
 * filter-log-events JSON, plain or gzip), into a sink that keeps, besides the
 * figures `metrics` counts, when each invocation ran.
 *
 * A REPORT line is written when its invocation ends, so its timestamp is the
 * end; the invocation started its duration earlier, and on a cold start its
 * init (or a SnapStart restore) earlier still. Each invocation counts in the
 * minute it started, and a minute's concurrency is the most invocations that
 * overlapped at any moment of it, found by one sweep over starts and ends.
 */
import type { Readable } from "node:stream";
import { UsageError } from "../../errors.js";
import type { Report } from "../../lambda/report-line.js";
import { MetricsAggregator } from "../../metrics/aggregate.js";
import type { FunctionAccumulator } from "../../metrics/function-accumulator.js";
import type { ObservationSink } from "../../metrics/observations.js";
import { readLogFiles, STDIN } from "../../metrics/sources/log-files.js";
import type { ObservedFunction, ObservedTraffic } from "../traffic-profile.js";

export interface ProfileFromLogsOptions {
  /**
   * Every line is this function's, whatever its file or log group is called,
   * as `metrics --function` reads them. Without it the files' names (or the
   * log groups of filter-log-events JSON) name the functions, and the logs
   * must hold one.
   */
  readonly functionName?: string | undefined;
  /** Where "-" reads from. */
  readonly stdin?: Readable | undefined;
  /** How the caller spells the option that names the function, for its errors (default "function"). */
  readonly functionOption?: string | undefined;
}

const STEP_SECONDS = 60;
const STEP_MS = STEP_SECONDS * 1000;
const TIMESTAMPED_LOGS =
  "a CloudWatch Logs export, `aws logs tail` output or `aws logs filter-log-events` JSON";

export async function profileFromLogFiles(
  files: readonly string[],
  options: ProfileFromLogsOptions = {},
): Promise<ObservedTraffic> {
  const sink = new InvocationTimesSink();
  const read = await readLogFiles(
    files.length === 1 && files[0] === STDIN ? STDIN : [...files],
    sink,
    {
      functionName: options.functionName,
      stdin: options.stdin,
    },
  );
  const shown = files.map((file) => (file === STDIN ? "stdin" : file)).join(", ");
  const names = [...sink.aggregator.functions.keys()];
  if (names.length === 0)
    throw new UsageError(
      `${shown}: no REPORT line among ${read.lines} lines read: plan needs Lambda's REPORT lines with their timestamps (${TIMESTAMPED_LOGS})`,
    );
  if (names.length > 1)
    throw new UsageError(
      `${shown}: REPORT lines of several functions (${names.join(", ")}), named by their files or log groups: plan reads one function; give ${options.functionOption ?? "function"} to read every line as that function's`,
    );
  const functionName = names[0]!;
  const times = sink.times.get(functionName);
  const accumulator = sink.aggregator.functions.get(functionName)!;
  if (sink.untimed > 0)
    throw new UsageError(
      `${shown}: ${sink.untimed === accumulator.reports ? "the" : `${sink.untimed} of ${accumulator.reports}`} REPORT lines have no timestamp, and a profile needs when each invocation ran: give timestamped logs (${TIMESTAMPED_LOGS})`,
    );
  return {
    profile: { source: "logs", origin: shown, ...perMinute(times!) },
    observed: observedFunction(functionName, accumulator, times!),
  };
}

/**
 * The sink: every REPORT line to a MetricsAggregator (durations, inits, cold
 * starts, as `metrics` counts them), and each timed one's start, end and
 * duration to its function's columns.
 */
class InvocationTimesSink implements ObservationSink {
  readonly aggregator = new MetricsAggregator();
  readonly times = new Map<string, InvocationTimes>();
  /** REPORT lines that came without a timestamp. */
  untimed = 0;

  report(functionName: string, report: Report, timestampMs?: number): void {
    this.aggregator.report(functionName, report, timestampMs);
    if (timestampMs === undefined || !Number.isFinite(timestampMs)) {
      this.untimed++;
      return;
    }
    let times = this.times.get(functionName);
    if (!times) {
      times = new InvocationTimes();
      this.times.set(functionName, times);
    }
    times.add(report, timestampMs);
  }

  // A timed-out invocation writes its REPORT line too: counting the timeout line would count it twice.
  timeout(): void {}

  skipped(count = 1): void {
    this.aggregator.skipped(count);
  }
}

/** When each invocation of one function ran, as columns that grow by doubling (16 MB per million invocations). */
class InvocationTimes {
  starts: Float64Array<ArrayBuffer> = new Float64Array(1024);
  ends: Float64Array<ArrayBuffer> = new Float64Array(1024);
  durations: Float64Array<ArrayBuffer> = new Float64Array(1024);
  count = 0;
  /** The memory size of the latest REPORT line: the configuration in force at the end of the logs. */
  memoryMb = 0;
  private latestMs = Number.NEGATIVE_INFINITY;

  add(report: Report, endMs: number): void {
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
      this.durations = grown(this.durations);
    }
    const beforeInvoke = (report.initDurationMs ?? 0) + (report.restoreDurationMs ?? 0);
    this.starts[this.count] = endMs - report.durationMs - beforeInvoke;
    this.ends[this.count] = endMs;
    this.durations[this.count] = report.durationMs;
    this.count++;
    if (endMs >= this.latestMs) {
      this.latestMs = endMs;
      this.memoryMb = report.memorySizeMb;
    }
  }
}

function grown(column: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const larger = new Float64Array(column.length * 2);
  larger.set(column);
  return larger;
}

/** Invocations, concurrency and mean duration per minute, from the first start's minute to the last's. */
function perMinute(times: InvocationTimes): {
  startMs: number;
  stepSeconds: number;
  invocations: number[];
  concurrency: number[];
  durationMs: number[];
} {
  const { count } = times;
  const starts = times.starts.subarray(0, count);
  const ends = times.ends.subarray(0, count);
  let firstStart = Number.POSITIVE_INFINITY;
  let lastStart = Number.NEGATIVE_INFINITY;
  for (const start of starts) {
    if (start < firstStart) firstStart = start;
    if (start > lastStart) lastStart = start;
  }
  const startMs = Math.floor(firstStart / STEP_MS) * STEP_MS;
  const steps = Math.floor((lastStart - startMs) / STEP_MS) + 1;
  const stepOf = (timeMs: number) => Math.floor((timeMs - startMs) / STEP_MS);
  const invocations = new Array<number>(steps).fill(0);
  const durationSums = new Array<number>(steps).fill(0);
  for (let index = 0; index < count; index++) {
    const step = stepOf(starts[index]!);
    invocations[step]! += 1;
    durationSums[step]! += times.durations[index]!;
  }
  const durationMs = durationSums.map((sum, step) =>
    invocations[step]! > 0 ? sum / invocations[step]! : Number.NaN,
  );
  return {
    startMs,
    stepSeconds: STEP_SECONDS,
    invocations,
    concurrency: peakOverlapPerStep(starts, ends, steps, stepOf),
    durationMs,
  };
}

/**
 * The most invocations running at once in each step. Starts and ends are
 * sorted apart and merged: the level rises at a start and falls at an end,
 * an end first where they meet (an environment freed at the instant another
 * request starts serves it: that is no overlap). A step's peak is the level
 * it began with (carried from the step before) or any level a start in it
 * reached. Sorts `starts` and `ends` in place.
 */
function peakOverlapPerStep(
  starts: Float64Array,
  ends: Float64Array,
  steps: number,
  stepOf: (timeMs: number) => number,
): number[] {
  starts.sort();
  ends.sort();
  const peaks = new Array<number>(steps).fill(0);
  let level = 0;
  let carriedTo = -1; // the last step whose starting level is accounted for
  const carry = (step: number) => {
    for (let next = carriedTo + 1; next <= Math.min(step, steps - 1); next++)
      if (level > peaks[next]!) peaks[next] = level;
    if (step > carriedTo) carriedTo = step;
  };
  let startAt = 0;
  let endAt = 0;
  // After the last start the level only falls, and the profile ends with that start's step.
  while (startAt < starts.length) {
    if (endAt < ends.length && ends[endAt]! <= starts[startAt]!) {
      carry(stepOf(ends[endAt]!));
      level--;
      endAt++;
    } else {
      const step = stepOf(starts[startAt]!);
      carry(step);
      level++;
      if (level > peaks[step]!) peaks[step] = level;
      startAt++;
    }
  }
  return peaks;
}

function observedFunction(
  functionName: string,
  accumulator: FunctionAccumulator,
  times: InvocationTimes,
): ObservedFunction {
  const { durationMs, initDurationMs } = accumulator;
  return {
    functionName,
    memoryMb: times.memoryMb,
    meanDurationMs: durationMs.mean!,
    durationPercentilesMs: {
      p50: durationMs.percentile(0.5)!,
      p95: durationMs.percentile(0.95)!,
      p99: durationMs.percentile(0.99)!,
    },
    ...(initDurationMs.count > 0 ? { initDurationMs: initDurationMs.mean! } : {}),
    coldStartShare: accumulator.coldStarts / accumulator.reports,
  };
}
