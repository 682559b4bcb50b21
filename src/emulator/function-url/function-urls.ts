/**
 * The emulator's Function URLs: at most one per function and qualifier (an alias, or none for
 * $LATEST), as on Lambda. Each has its own HTTP server on 127.0.0.1 (function-url-server.ts),
 * started when the config is created and closed when it is deleted, when its function is
 * deleted, or when the emulator stops; the server's address is the config's FunctionUrl.
 */
import { randomBytes } from "node:crypto";
import type { Emulator } from "../emulator.js";
import { LATEST, lambdaTimestamp, parseFunctionName } from "../functions/function-registry.js";
import { conflict, invalidParameter, notFound } from "../lambda-error.js";
import { FunctionUrlServer, type FunctionUrlTarget } from "./function-url-server.js";
import type { FunctionUrlSettings } from "./function-url-settings.js";

export interface FunctionUrlConfig {
  readonly functionName: string;
  /** The alias it serves; undefined for the unqualified function ($LATEST). */
  readonly qualifier?: string;
  /** http://127.0.0.1:PORT/ */
  readonly url: string;
  readonly urlId: string;
  readonly functionArn: string;
  readonly settings: FunctionUrlSettings;
  readonly creationTime: string;
  readonly lastModifiedTime: string;
}

interface Entry {
  config: FunctionUrlConfig;
  readonly server: FunctionUrlServer;
}

export class FunctionUrls {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly emulator: Emulator) {}

  /** CreateFunctionUrlConfig: a second URL for the same function and qualifier is a conflict. */
  async create(
    nameOrArn: string,
    qualifierParameter: string | undefined,
    settings: FunctionUrlSettings,
  ): Promise<FunctionUrlConfig> {
    const { name, qualifier, functionArn } = this.target(nameOrArn, qualifierParameter);
    const key = keyOf(name, qualifier);
    if (this.entries.has(key)) {
      throw conflict(
        `Failed to create function url config for [functionArn = ${functionArn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
      );
    }
    const now = lambdaTimestamp();
    const config: FunctionUrlConfig = {
      functionName: name,
      ...(qualifier ? { qualifier } : {}),
      url: "",
      urlId: randomUrlId(),
      functionArn,
      settings,
      creationTime: now,
      lastModifiedTime: now,
    };
    const server = new FunctionUrlServer(this.emulator, () =>
      urlTarget(this.entries.get(key)?.config ?? config),
    );
    const entry: Entry = { server, config };
    // Held before listening: a concurrent create of the same URL is refused, not doubled.
    this.entries.set(key, entry);
    try {
      entry.config = { ...entry.config, url: await server.listen() };
    } catch (error) {
      this.entries.delete(key);
      throw error;
    }
    return entry.config;
  }

  get(nameOrArn: string, qualifier?: string): FunctionUrlConfig {
    return this.entry(nameOrArn, qualifier).config;
  }

  /** UpdateFunctionUrlConfig: the members given replace the old ones; the next request sees them. */
  update(
    nameOrArn: string,
    qualifier: string | undefined,
    patch: Partial<FunctionUrlSettings>,
  ): FunctionUrlConfig {
    const entry = this.entry(nameOrArn, qualifier);
    entry.config = {
      ...entry.config,
      settings: { ...entry.config.settings, ...patch },
      lastModifiedTime: lambdaTimestamp(),
    };
    return entry.config;
  }

  async delete(nameOrArn: string, qualifier?: string): Promise<void> {
    const { name, qualifier: resolved } = this.target(nameOrArn, qualifier);
    const key = keyOf(name, resolved);
    const entry = this.entries.get(key);
    if (!entry) throw notFound("The resource you requested does not exist.");
    this.entries.delete(key);
    await entry.server.close();
  }

  /** ListFunctionUrlConfigs: the function's URLs, the unqualified one first. */
  list(nameOrArn: string): FunctionUrlConfig[] {
    const { name } = parseFunctionName(nameOrArn);
    this.emulator.registry.resolve(name);
    return [...this.entries.values()]
      .map((entry) => entry.config)
      .filter((config) => config.functionName === name)
      .sort((a, b) => (a.qualifier ?? "").localeCompare(b.qualifier ?? ""));
  }

  /** Every URL of every function, for the start-up listing. */
  all(): FunctionUrlConfig[] {
    return [...this.entries.values()].map((entry) => entry.config);
  }

  /** The URLs functions declare in their template (FunctionUrlConfig, AWS::Lambda::Url). */
  async startDeclared(): Promise<FunctionUrlConfig[]> {
    const started: FunctionUrlConfig[] = [];
    for (const { definition } of this.emulator.registry.list()) {
      if (definition.functionUrl && !this.entries.has(keyOf(definition.name, undefined)))
        started.push(await this.create(definition.name, undefined, definition.functionUrl));
    }
    return started;
  }

  /** A deleted function's URLs go with it (every one, or the one of a deleted qualifier). */
  async forget(functionName: string, qualifier?: string): Promise<void> {
    for (const [key, entry] of [...this.entries]) {
      if (entry.config.functionName !== functionName) continue;
      if (qualifier !== undefined && entry.config.qualifier !== qualifier) continue;
      this.entries.delete(key);
      await entry.server.close();
    }
  }

  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((entry) => entry.server.close()));
  }

  private entry(nameOrArn: string, qualifier?: string): Entry {
    const { name, qualifier: resolved } = this.target(nameOrArn, qualifier);
    const entry = this.entries.get(keyOf(name, resolved));
    if (!entry) throw notFound("The resource you requested does not exist.");
    return entry;
  }

  /** The function (which must exist) and qualifier a request names: an alias, or none for $LATEST. */
  private target(
    nameOrArn: string,
    qualifierParameter: string | undefined,
  ): { name: string; qualifier?: string; functionArn: string } {
    const resolved = this.emulator.registry.resolve(nameOrArn, qualifierParameter);
    const qualifier = parseFunctionName(nameOrArn).qualifier ?? qualifierParameter;
    if (qualifier === undefined || qualifier === LATEST) {
      return {
        name: resolved.name,
        functionArn: this.emulator.registry.functionArn(resolved.name),
      };
    }
    if (resolved.alias === undefined) {
      throw invalidParameter(
        `1 validation error detected: Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$) (a Function URL serves an alias or the unqualified function, not a version)`,
      );
    }
    return {
      name: resolved.name,
      qualifier,
      functionArn: this.emulator.registry.functionArn(resolved.name, qualifier),
    };
  }
}

function urlTarget(config: FunctionUrlConfig): FunctionUrlTarget {
  return {
    functionName: config.functionName,
    ...(config.qualifier ? { qualifier: config.qualifier } : {}),
    urlId: config.urlId,
    settings: config.settings,
  };
}

function keyOf(name: string, qualifier: string | undefined): string {
  return `${name}:${qualifier ?? ""}`;
}

/** Like Lambda's: 32 lowercase letters and digits. */
function randomUrlId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join("");
}
