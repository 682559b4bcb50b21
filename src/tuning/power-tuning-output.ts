/**
 * A tuning result in AWS Lambda Power Tuning's output shape (`tune --format
 * power-tuning`), so scripts written for its state machine keep working. The
 * figures are ours, measured and priced our way; where they are not what
 * Power Tuning would compute, docs/commands/tune.md says how they differ:
 *
 * - `cost`, `stats[].averagePrice`: our mean cost per invocation, from each
 *   invocation's billed duration plus the request charge (Power Tuning prices
 *   the trimmed mean of billed durations, rounded up, and leaves the request
 *   charge out; it also adds Billed Restore Duration, which Billed Duration
 *   already covers);
 * - `duration`, `stats[].averageDuration`: the trimmed mean (discard share
 *   from each end) of duration + init/restore, as Power Tuning's;
 * - `stateMachine.executionCost`: 0, because no Step Functions state machine
 *   ran; `lambdaCost`: what every invocation of the run cost (warm-ups too);
 * - `stateMachine.visualization`: a file: URL of our own HTML report, not a
 *   lambda-power-tuning.show link.
 */
import { z } from "zod";
import { UsageError } from "../errors.js";
import type { Architecture } from "../pricing/price-table.js";
import type { TuneResult } from "./tune-result.js";

export const PowerTuningStatSchema = z.object({
  /** Memory size in MB. */
  value: z.number(),
  averagePrice: z.number(),
  averageDuration: z.number(),
});

export const PowerTuningOutputSchema = z.object({
  /** The recommended memory size; null when nothing is recommended (every configuration failed, or no SLO met). */
  power: z.number().nullable(),
  cost: z.number().nullable(),
  duration: z.number().nullable(),
  stateMachine: z.object({
    executionCost: z.number(),
    lambdaCost: z.number(),
    visualization: z.string(),
  }),
  /** Every configuration that was measured; only with includeOutputResults (always without --input). */
  stats: z.array(PowerTuningStatSchema).optional(),
});
export type PowerTuningOutput = z.infer<typeof PowerTuningOutputSchema>;

export interface PowerTuningOutputOptions {
  readonly includeStats: boolean;
  /** Where the run's chart can be seen: our HTML report's file: URL. */
  readonly visualization: string;
  /** Power Tuning outputs nothing (null) for a dry run, which recommends nothing. */
  readonly dryRun: boolean;
}

/**
 * Power Tuning tunes one architecture, the function's own, and its output has
 * no place for a second: refuse before the run rather than drop half of it.
 */
export function checkPowerTuningFormat(architectures: readonly Architecture[]): void {
  if (architectures.length > 1) {
    throw new UsageError(
      `--format power-tuning describes one architecture, as Power Tuning tunes only the function's own: give --arch ${architectures[0]} or --arch ${architectures[1]}, or use --format json for both`,
    );
  }
}

export function powerTuningOutput(
  result: TuneResult,
  options: PowerTuningOutputOptions,
): PowerTuningOutput | null {
  if (options.dryRun) return null;
  const measured = result.results.filter((configuration) => configuration.status === "ok");
  const architectures = new Set(measured.map((configuration) => configuration.architecture));
  if (architectures.size > 1)
    throw new RangeError("Power Tuning's output holds one architecture; this result has two");
  const { recommendation } = result;
  const winner = recommendation
    ? measured.find(
        (configuration) =>
          configuration.memoryMb === recommendation.memoryMb &&
          configuration.architecture === recommendation.architecture,
      )
    : undefined;
  return {
    power: winner?.memoryMb ?? null,
    cost: winner?.costPerInvocationUsd ?? null,
    duration: winner?.durationMs.trimmedMean ?? null,
    stateMachine: {
      executionCost: 0,
      lambdaCost: result.tuningCostUsd,
      visualization: options.visualization,
    },
    ...(options.includeStats
      ? {
          stats: measured.map((configuration) => ({
            value: configuration.memoryMb,
            averagePrice: configuration.costPerInvocationUsd,
            averageDuration: configuration.durationMs.trimmedMean,
          })),
        }
      : {}),
  };
}
