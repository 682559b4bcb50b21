/**
 * The changes a tuning run makes to a function, each written to the journal before it is
 * made, so that whatever ends the run (or a kill and `tune --recover`) can undo it:
 * $LATEST set to a configuration, that configuration published as a version, an alias created.
 * Shared by the measuring (configuration-run.ts) and by --apply (apply-winner.ts).
 */
import { type ConfigurationKey, describeConfiguration } from "./configuration-key.js";
import type { Journal } from "./journal.js";
import type { LambdaTarget } from "./lambda-target.js";
import { restoreLatest } from "./restore.js";

/** Marks every version a run publishes, so --recover finds them even if the journal missed one. */
export function versionDescription(runId: string): string {
  return `lambda-optimizer tune ${runId}`;
}

/** Give $LATEST this memory and architecture (and environment, when given); left so. */
export async function setLatest(
  lambda: LambdaTarget,
  journal: Journal,
  configuration: ConfigurationKey,
  environment?: Record<string, string>,
): Promise<void> {
  journal.update((data) => ({ ...data, latestChanged: true }));
  const current = await lambda.state();
  if (current.architecture !== configuration.architecture)
    await lambda.setArchitecture(configuration.architecture);
  await lambda.updateConfiguration({
    memoryMb: configuration.memoryMb,
    ...(environment ? { environment } : {}),
  });
}

/**
 * Give $LATEST this configuration, publish it, and put $LATEST back at once: the version is
 * what gets invoked, so $LATEST is changed only for as long as publishing takes.
 */
export async function publishConfiguration(
  lambda: LambdaTarget,
  journal: Journal,
  configuration: ConfigurationKey,
  environment?: Record<string, string>,
): Promise<string> {
  await setLatest(lambda, journal, configuration, environment);
  const published = await lambda.publishVersion(
    `${journal.contents.runMark}: ${describeConfiguration(configuration)}`,
  );
  // PublishVersion returns an existing version when nothing changed: that one is not ours to delete.
  if (!journal.contents.preexistingVersions.includes(published.version)) {
    journal.update((data) => ({
      ...data,
      createdVersions: [...new Set([...data.createdVersions, published.version])],
    }));
  }
  await restoreLatest(lambda, journal);
  return published.version;
}

/** Create an alias, journaled first so that it is deleted at the end. */
export async function createJournaledAlias(
  lambda: LambdaTarget,
  journal: Journal,
  alias: string,
  version: string,
  description: string,
): Promise<void> {
  journal.update((data) => ({ ...data, createdAliases: [...data.createdAliases, alias] }));
  await lambda.createAlias(alias, version, description);
}
