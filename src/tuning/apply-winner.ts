/**
 * --apply: leave the function at the recommended configuration. Without an alias $LATEST takes
 * it; with --alias a version is published at it and the alias created or repointed. Journaled
 * like every other change: the restore that ends the run is told to keep what this returns, and
 * if the run fails after all, the journal puts the function (and a repointed alias) back.
 */
import type { ConfigurationKey } from "./configuration-key.js";
import type { Journal } from "./journal.js";
import type { LambdaTarget } from "./lambda-target.js";
import { createJournaledAlias, publishConfiguration, setLatest } from "./publish-configuration.js";
import type { TuneResult } from "./tune-result.js";

export async function applyWinner(
  lambda: LambdaTarget,
  journal: Journal,
  winner: ConfigurationKey,
  alias: string | undefined,
): Promise<NonNullable<TuneResult["applied"]>> {
  const key = { memoryMb: winner.memoryMb, architecture: winner.architecture };
  if (!alias) {
    await setLatest(lambda, journal, key);
    return { ...key, alias: null, version: null };
  }
  const version = await publishConfiguration(lambda, journal, key);
  const existing = await lambda.aliasVersion(alias);
  if (existing === undefined) {
    await createJournaledAlias(lambda, journal, alias, version, "lambda-optimizer tune --apply");
  } else {
    journal.update((data) => ({
      ...data,
      touchedAliases: [...data.touchedAliases, { name: alias, functionVersion: existing }],
    }));
    await lambda.pointAlias(alias, version);
  }
  return { ...key, alias, version };
}
