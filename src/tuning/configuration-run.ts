/**
 * One configuration measured: the function set up for it, sampled, and put back at once. Behind
 * an alias to a version published at this configuration; with --only-cold-starts, a new version
 * for every invocation. Every version and alias is journaled before it exists and deleted as
 * soon as the configuration has been measured, so an emulator can let go of its environments
 * and a stop at any point leaves the journal naming all there is to undo.
 */
import type { PriceTable } from "../pricing/price-table.js";
import { pricesFor } from "../pricing/price-table.js";
import type { ConfigurationKey } from "./configuration-key.js";
import type { Journal } from "./journal.js";
import {
  createJournaledAlias,
  publishConfiguration,
  versionDescription,
} from "./publish-configuration.js";
import { removeCreatedAlias, removeCreatedVersion } from "./restore.js";
import { type Measurement, SampleTally } from "./sample-tally.js";
import {
  type SamplingContext,
  type SamplingSettings,
  sampleAlias,
  sampleColdStarts,
} from "./sampling.js";
import type { TuningSettings } from "./settings.js";

/** Set per cold-start version so that its configuration differs from every other version's. */
const COLD_START_VARIABLE = "LAMBDA_OPTIMIZER_FORCE_COLD_START";

export interface ConfigurationRunContext extends SamplingContext {
  readonly settings: SamplingSettings &
    Pick<TuningSettings, "onlyColdStarts" | "allowedExceptions">;
  readonly journal: Journal;
  readonly runId: string;
  /** $LATEST's environment before the run, which cold-start versions extend. */
  readonly originalEnvironment: Readonly<Record<string, string>>;
  readonly priceTable: PriceTable;
  readonly region: string;
  /** Told the cost of every invocation, so the run's own cost counts those of a stopped configuration. */
  readonly spend: (costUsd: number) => void;
}

export async function runConfiguration(
  context: ConfigurationRunContext,
  configuration: ConfigurationKey,
): Promise<Measurement> {
  const { lambda, journal, settings } = context;
  const { memoryMb, architecture } = configuration;
  const tally = new SampleTally({
    memoryMb,
    prices: pricesFor(context.priceTable, context.region, architecture),
    allowedExceptions: settings.allowedExceptions,
    spend: context.spend,
  });

  if (settings.onlyColdStarts && !settings.dryRun) {
    await sampleColdStarts(
      context,
      {
        publish: (slot) =>
          publishConfiguration(lambda, journal, configuration, {
            ...context.originalEnvironment,
            [COLD_START_VARIABLE]: `${context.runId}-${memoryMb}-${architecture}-${slot}`,
          }),
        remove: (version) => removeCreatedVersion(lambda, journal, version),
      },
      tally,
    );
    return tally.measurement();
  }

  const version = await publishConfiguration(lambda, journal, configuration);
  const alias = `lo-${context.runId}-${memoryMb}-${architecture}`;
  await createJournaledAlias(lambda, journal, alias, version, versionDescription(context.runId));
  await sampleAlias(context, alias, tally);
  await removeCreatedAlias(lambda, journal, alias);
  await removeCreatedVersion(lambda, journal, version);
  return tally.measurement();
}
