/**
 * What a tuning run will do, worked out before its first call: the configurations it invokes
 * and in what order, the architectures a local run only prices, and how many invocations the
 * progress bar should expect. Pure, so it is tested without a function to tune.
 */
import type { Architecture } from "../pricing/price-table.js";
import type { ConfigurationKey } from "./configuration-key.js";
import { localArchitecturePlan } from "./modelled-architecture.js";
import type { TuningSettings } from "./settings.js";

export interface TuningPlan {
  /** The architectures asked for (the function's own when none was): what the result names. */
  readonly architectures: readonly Architecture[];
  /** Invoked in this order: every memory size at the first executed architecture, then the next. */
  readonly configurations: readonly ConfigurationKey[];
  /** Local runs: architectures priced from the executed one's samples, never invoked. */
  readonly pricedOnly: readonly Architecture[];
  /** Local runs: the CPU every configuration really runs on; undefined on AWS. */
  readonly host: Architecture | undefined;
  /** Invocations without --until-confident, warm-ups included (what progress counts down from). */
  readonly expectedInvocations: number;
}

export type PlanSettings = Pick<
  TuningSettings,
  "memorySizes" | "architectures" | "num" | "onlyColdStarts" | "dryRun"
>;

/**
 * `declared` is the function's own architecture; `host` is set on a local run, where every
 * architecture runs on this CPU, so one is executed and the others priced from its samples.
 */
export function planTuning(
  settings: PlanSettings,
  declared: Architecture,
  host: Architecture | undefined,
): TuningPlan {
  // No --arch: tune on the function's own architecture.
  const architectures = settings.architectures.length > 0 ? settings.architectures : [declared];
  const local = host ? localArchitecturePlan(architectures, host, declared) : undefined;
  const executed = local ? [local.executed] : architectures;
  const configurations = executed.flatMap((architecture) =>
    settings.memorySizes.map((memoryMb) => ({ memoryMb, architecture })),
  );
  return {
    architectures,
    configurations,
    pricedOnly: local?.pricedOnly ?? [],
    host,
    expectedInvocations: configurations.length * invocationsPerConfiguration(settings),
  };
}

/** A dry run invokes once; otherwise `num` samples, plus the warm-up unless each one is a cold start. */
function invocationsPerConfiguration(settings: PlanSettings): number {
  if (settings.dryRun) return 1;
  return settings.num + (settings.onlyColdStarts ? 0 : 1);
}
