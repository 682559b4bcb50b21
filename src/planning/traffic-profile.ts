/**
 * A function's traffic, the one shape every `plan` source produces (a
 * profile file, REPORT lines, CloudWatch) and every billing model reads: a
 * series of fixed steps, held as columns so a 30-day, 1-minute profile
 * (43,200 steps) is walked once per candidate without allocating per step.
 */

/** Where a profile came from: it decides which of its figures were measured. */
export type TrafficSource = "profile-file" | "logs" | "cloudwatch";

export interface TrafficProfile {
  readonly source: TrafficSource;
  /** What was read: the file names, or the function for CloudWatch. */
  readonly origin: string;
  /** The start of the first step, in ms since the epoch. */
  readonly startMs: number;
  /** Every step is this long (60 for one-minute data, 300 for five). */
  readonly stepSeconds: number;
  /** Invocations that started in each step. */
  readonly invocations: readonly number[];
  /**
   * The most environments busy at once in each step, where the source
   * measures it: a `concurrency` column, CloudWatch's ConcurrentExecutions
   * Maximum, the overlap of REPORT lines' start..end. Absent otherwise: the
   * planner then estimates it from invocations × duration (Little's law),
   * once the function's duration is settled, and says so.
   */
  readonly concurrency?: readonly number[];
  /** Mean duration of each step's invocations in ms, where the source gives it per step (NaN where a step has none). */
  readonly durationMs?: readonly number[];
}

/** What the REPORT lines (or CloudWatch) say about the function itself, beside its traffic. */
export interface ObservedFunction {
  readonly functionName?: string;
  readonly memoryMb?: number;
  readonly architecture?: "x86_64" | "arm64";
  readonly runtime?: string;
  /** Mean duration over the whole profile, ms. */
  readonly meanDurationMs?: number;
  readonly durationPercentilesMs?: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
  };
  /** Mean init duration of the cold starts seen, ms. */
  readonly initDurationMs?: number;
  /** Cold starts seen, as a share of invocations. */
  readonly coldStartShare?: number;
  readonly ephemeralStorageMb?: number;
}

/** A profile and what its source saw of the function. */
export interface ObservedTraffic {
  readonly profile: TrafficProfile;
  readonly observed: ObservedFunction;
}

/** The length of the whole profile, in seconds. */
export function profilePeriodSeconds(profile: TrafficProfile): number {
  return profile.invocations.length * profile.stepSeconds;
}
