/**
 * Put a function back as its journal says it was: $LATEST's configuration,
 * aliases the run repointed, and no version or alias the run created.
 * Idempotent, so --recover can run it again after anything.
 */
import type { Journal } from "./journal.js";
import type { LambdaTarget } from "./lambda-target.js";

export interface RestoreOptions {
  /** Leave $LATEST as it is now (it holds the --apply winner). */
  readonly keepLatest?: boolean;
  /** Aliases to leave pointing where they point (the --apply alias). */
  readonly keepAliases?: readonly string[];
  /** Versions to keep (the version --apply --alias published). */
  readonly keepVersions?: readonly string[];
}

export async function restoreFunction(
  target: LambdaTarget,
  journal: Journal,
  options: RestoreOptions = {},
): Promise<void> {
  if (!options.keepLatest) await restoreLatest(target, journal);
  await removeWhatTheRunCreated(target, journal, options);
}

/** $LATEST's memory, architecture, description and environment as they were. */
export async function restoreLatest(target: LambdaTarget, journal: Journal): Promise<void> {
  const { original } = journal.contents;
  const now = await target.state();
  if (now.architecture !== original.architecture)
    await target.setArchitecture(original.architecture);
  const environmentDiffers =
    JSON.stringify(sorted(now.environment)) !== JSON.stringify(sorted(original.environment));
  if (
    now.memoryMb !== original.memoryMb ||
    now.description !== original.description ||
    environmentDiffers
  ) {
    await target.updateConfiguration({
      memoryMb: original.memoryMb,
      description: original.description,
      environment: original.environment,
    });
  }
  journal.update((data) => ({ ...data, latestChanged: false }));
}

/** Repointed aliases back, created aliases and versions gone (bar what --apply keeps). */
async function removeWhatTheRunCreated(
  target: LambdaTarget,
  journal: Journal,
  options: RestoreOptions,
): Promise<void> {
  for (const alias of journal.contents.touchedAliases) {
    if (options.keepAliases?.includes(alias.name)) continue;
    await target.pointAlias(alias.name, alias.functionVersion);
  }
  for (const alias of journal.contents.createdAliases) {
    if (options.keepAliases?.includes(alias)) continue;
    await removeCreatedAlias(target, journal, alias);
  }
  // Versions published by this run but missed by the journal (a kill between publish and write) carry its mark.
  const marked = (await target.versions())
    .filter((entry) => entry.description.startsWith(journal.contents.runMark))
    .map((entry) => entry.version);
  const preexisting = new Set(journal.contents.preexistingVersions);
  for (const version of new Set([...journal.contents.createdVersions, ...marked])) {
    if (preexisting.has(version) || options.keepVersions?.includes(version)) continue;
    await removeCreatedVersion(target, journal, version);
  }
}

/** Delete an alias the run created, and strike it from the journal once it is gone. */
export async function removeCreatedAlias(
  target: LambdaTarget,
  journal: Journal,
  alias: string,
): Promise<void> {
  await target.deleteAlias(alias);
  journal.update((data) => ({
    ...data,
    createdAliases: data.createdAliases.filter((name) => name !== alias),
  }));
}

/** Delete a version the run published, and strike it from the journal once it is gone. */
export async function removeCreatedVersion(
  target: LambdaTarget,
  journal: Journal,
  version: string,
): Promise<void> {
  await target.deleteVersion(version);
  journal.update((data) => ({
    ...data,
    createdVersions: data.createdVersions.filter((entry) => entry !== version),
  }));
}

function sorted(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
