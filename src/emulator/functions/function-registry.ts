/**
 * The emulator's control plane: functions, their $LATEST configuration,
 * published versions and aliases, with Lambda's rules for names, qualifiers
 * and revision ids. Pure state; no processes.
 */
import { createHash, randomUUID } from "node:crypto";
import { formatFunctionArn, parseFunctionArn, partitionOfRegion } from "../../aws/arn.js";
import { conflict, invalidParameter, notFound, preconditionFailed } from "../lambda-error.js";
import type { FunctionDefinition } from "./function-definition.js";

export const LATEST = "$LATEST";

export interface PublishedConfiguration {
  readonly definition: FunctionDefinition;
  readonly version: string;
  readonly lastModified: string;
  readonly revisionId: string;
  readonly codeSha256: string;
}

export interface Alias {
  readonly name: string;
  readonly functionVersion: string;
  readonly description: string;
  readonly revisionId: string;
}

interface FunctionRecord {
  latest: PublishedConfiguration;
  readonly versions: Map<string, PublishedConfiguration>;
  readonly aliases: Map<string, Alias>;
  nextVersion: number;
}

/** A function name or ARN resolved to one configuration. */
export interface ResolvedFunction {
  readonly name: string;
  /** "$LATEST" or a version number; an alias resolves to its version. */
  readonly version: string;
  readonly alias?: string;
  readonly configuration: PublishedConfiguration;
}

export type ConfigurationPatch = Partial<
  Pick<
    FunctionDefinition,
    | "memoryMb"
    | "timeoutSeconds"
    | "environment"
    | "architecture"
    | "description"
    | "ephemeralStorageMb"
  >
>;

/** A name, "name:qualifier", or a partial ARN ("123456789012:function:name"), as Lambda's API takes them. */
const PARTIAL_NAME = /^(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_]{1,64})(?::([a-zA-Z0-9-_$]+))?$/;

/** Split "name", "name:qualifier", or a (partial) function ARN of any partition into name and qualifier. */
export function parseFunctionName(nameOrArn: string): { name: string; qualifier?: string } {
  const arn = nameOrArn.startsWith("arn:") ? parseFunctionArn(nameOrArn) : undefined;
  if (arn) {
    return arn.qualifier === undefined
      ? { name: arn.functionName }
      : { name: arn.functionName, qualifier: arn.qualifier };
  }
  const match = nameOrArn.startsWith("arn:") ? null : PARTIAL_NAME.exec(nameOrArn);
  if (!match) {
    throw invalidParameter(
      `1 validation error detected: Value '${nameOrArn}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
    );
  }
  return match[2] === undefined ? { name: match[1]! } : { name: match[1]!, qualifier: match[2] };
}

export class FunctionRegistry {
  private readonly functions = new Map<string, FunctionRecord>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  add(definition: FunctionDefinition): void {
    if (this.functions.has(definition.name))
      throw conflict(`Function already exist: ${definition.name}`);
    this.functions.set(definition.name, {
      latest: snapshot(definition, LATEST, sha256Of(definition)),
      versions: new Map(),
      aliases: new Map(),
      nextVersion: 1,
    });
  }

  list(): PublishedConfiguration[] {
    return [...this.functions.values()].map((record) => record.latest);
  }

  /** The partition of the emulated region: its ARNs read as the real ones there would. */
  get partition(): string {
    return partitionOfRegion(this.region);
  }

  functionArn(name: string, qualifier?: string): string {
    return formatFunctionArn({
      partition: this.partition,
      region: this.region,
      accountId: this.accountId,
      functionName: name,
      ...(qualifier ? { qualifier } : {}),
    });
  }

  /** Resolve a name or ARN plus an optional Qualifier (version or alias). */
  resolve(nameOrArn: string, qualifierParameter?: string): ResolvedFunction {
    const { name, qualifier: fromArn } = parseFunctionName(nameOrArn);
    if (fromArn && qualifierParameter && fromArn !== qualifierParameter) {
      throw invalidParameter(
        "The derived qualifier from the function name does not match the specified qualifier.",
      );
    }
    const qualifier = fromArn ?? qualifierParameter;
    const record = this.record(name, qualifier);
    if (!qualifier || qualifier === LATEST)
      return { name, version: LATEST, configuration: record.latest };
    const version = record.versions.get(qualifier);
    if (version) return { name, version: qualifier, configuration: version };
    const alias = record.aliases.get(qualifier);
    if (alias) {
      const target =
        alias.functionVersion === LATEST
          ? record.latest
          : record.versions.get(alias.functionVersion);
      if (target)
        return { name, version: alias.functionVersion, alias: alias.name, configuration: target };
    }
    throw notFound(`Function not found: ${this.functionArn(name, qualifier)}`);
  }

  updateConfiguration(
    nameOrArn: string,
    patch: ConfigurationPatch,
    expectedRevisionId?: string,
  ): PublishedConfiguration {
    const { name } = parseFunctionName(nameOrArn);
    const record = this.record(name);
    this.checkRevision(record.latest.revisionId, expectedRevisionId);
    const definition = { ...record.latest.definition, ...stripUndefined(patch) };
    record.latest = snapshot(definition, LATEST, record.latest.codeSha256);
    return record.latest;
  }

  publishVersion(
    nameOrArn: string,
    options: { description?: string; revisionId?: string; codeSha256?: string } = {},
  ): PublishedConfiguration {
    const { name } = parseFunctionName(nameOrArn);
    const record = this.record(name);
    this.checkRevision(record.latest.revisionId, options.revisionId);
    if (options.codeSha256 && options.codeSha256 !== record.latest.codeSha256) {
      throw invalidParameter(
        `CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST (${record.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    // Like Lambda, publishing an unchanged $LATEST returns the existing version.
    const unchanged = [...record.versions.values()].find(
      (version) => version.revisionId === record.latest.revisionId,
    );
    if (unchanged) return unchanged;
    const number = String(record.nextVersion++);
    const definition = {
      ...record.latest.definition,
      description: options.description ?? record.latest.definition.description,
    };
    const published = {
      ...snapshot(definition, number, record.latest.codeSha256),
      revisionId: record.latest.revisionId,
    };
    record.versions.set(number, published);
    return published;
  }

  listVersions(nameOrArn: string): PublishedConfiguration[] {
    const record = this.record(parseFunctionName(nameOrArn).name);
    return [record.latest, ...record.versions.values()];
  }

  createAlias(
    nameOrArn: string,
    alias: { name: string; functionVersion: string; description?: string },
  ): Alias {
    const record = this.record(parseFunctionName(nameOrArn).name);
    if (!/^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/.test(alias.name)) {
      throw invalidParameter(
        `1 validation error detected: Value '${alias.name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`,
      );
    }
    if (record.aliases.has(alias.name))
      throw conflict(
        `Alias already exists: ${this.functionArn(record.latest.definition.name, alias.name)}`,
      );
    this.checkVersionExists(record, alias.functionVersion);
    const created = {
      name: alias.name,
      functionVersion: alias.functionVersion,
      description: alias.description ?? "",
      revisionId: randomUUID(),
    };
    record.aliases.set(alias.name, created);
    return created;
  }

  getAlias(nameOrArn: string, aliasName: string): Alias {
    const record = this.record(parseFunctionName(nameOrArn).name);
    const alias = record.aliases.get(aliasName);
    if (!alias)
      throw notFound(
        `Cannot find alias arn: ${this.functionArn(record.latest.definition.name, aliasName)}`,
      );
    return alias;
  }

  updateAlias(
    nameOrArn: string,
    aliasName: string,
    patch: { functionVersion?: string; description?: string; revisionId?: string },
  ): Alias {
    const record = this.record(parseFunctionName(nameOrArn).name);
    const alias = this.getAlias(nameOrArn, aliasName);
    this.checkRevision(alias.revisionId, patch.revisionId);
    if (patch.functionVersion) this.checkVersionExists(record, patch.functionVersion);
    const updated = {
      ...alias,
      functionVersion: patch.functionVersion ?? alias.functionVersion,
      description: patch.description ?? alias.description,
      revisionId: randomUUID(),
    };
    record.aliases.set(aliasName, updated);
    return updated;
  }

  deleteAlias(nameOrArn: string, aliasName: string): void {
    const record = this.record(parseFunctionName(nameOrArn).name);
    record.aliases.delete(aliasName); // Lambda answers 204 whether or not it existed
  }

  listAliases(nameOrArn: string, functionVersion?: string): Alias[] {
    const record = this.record(parseFunctionName(nameOrArn).name);
    return [...record.aliases.values()].filter(
      (alias) => !functionVersion || alias.functionVersion === functionVersion,
    );
  }

  /** Delete a function, or one published version of it. Returns what is gone, for the pools to recycle. */
  delete(nameOrArn: string, qualifierParameter?: string): { name: string; version?: string } {
    const { name, qualifier: fromArn } = parseFunctionName(nameOrArn);
    const qualifier = fromArn ?? qualifierParameter;
    const record = this.record(name);
    if (!qualifier) {
      this.functions.delete(name);
      return { name };
    }
    if (qualifier === LATEST)
      throw invalidParameter("$LATEST version cannot be deleted without deleting the function.");
    if (!record.versions.has(qualifier)) {
      if (record.aliases.has(qualifier))
        throw invalidParameter(
          "Deletion of aliases is not supported via DeleteFunction; use DeleteAlias.",
        );
      throw notFound(`Function not found: ${this.functionArn(name, qualifier)}`);
    }
    const usedBy = [...record.aliases.values()].filter(
      (alias) => alias.functionVersion === qualifier,
    );
    if (usedBy.length > 0) {
      throw conflict(
        `Unable to delete version because the following aliases reference it: [${usedBy.map((alias) => alias.name).join(", ")}]`,
      );
    }
    record.versions.delete(qualifier);
    return { name, version: qualifier };
  }

  private record(name: string, qualifier?: string): FunctionRecord {
    const record = this.functions.get(name);
    if (!record) throw notFound(`Function not found: ${this.functionArn(name, qualifier)}`);
    return record;
  }

  private checkVersionExists(record: FunctionRecord, version: string): void {
    if (version !== LATEST && !record.versions.has(version)) {
      throw notFound(
        `Function not found: ${this.functionArn(record.latest.definition.name, version)}`,
      );
    }
  }

  private checkRevision(current: string, expected: string | undefined): void {
    if (expected && expected !== current) {
      throw preconditionFailed(
        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
      );
    }
  }
}

function snapshot(
  definition: FunctionDefinition,
  version: string,
  codeSha256: string,
): PublishedConfiguration {
  return {
    definition,
    version,
    lastModified: lambdaTimestamp(),
    revisionId: randomUUID(),
    codeSha256,
  };
}

/** Lambda's LastModified format: 2026-11-28T10:00:00.000+0000. */
export function lambdaTimestamp(): string {
  return new Date().toISOString().replace("Z", "+0000");
}

function sha256Of(definition: FunctionDefinition): string {
  return createHash("sha256")
    .update(`${definition.codeDir}\0${definition.handler}\0${definition.runtime}`)
    .digest("base64");
}

function stripUndefined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
