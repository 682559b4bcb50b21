/**
 * The embedded Lambda emulator: a registry of functions, a pool of execution
 * environments per configuration, and Invoke with Lambda's rules for
 * payloads, invocation types and log tails. The Lambda API server
 * (control-api/) is a thin HTTP layer over this class.
 */
import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import { PAYLOAD_LIMIT_BYTES } from "../lambda/limits.js";
import { STATE_FOLDER } from "../state-folder.js";
import { EnvironmentPool } from "./environment-pool.js";
import type { InvocationRecord } from "./execution-environment.js";
import {
  type FunctionAwsAccess,
  type FunctionAwsAccessInput,
  parseFunctionAwsAccess,
} from "./function-aws-access.js";
import { FunctionUrls } from "./function-url/function-urls.js";
import type { FunctionDefinition } from "./functions/function-definition.js";
import {
  type ConfigurationPatch,
  FunctionRegistry,
  type PublishedConfiguration,
} from "./functions/function-registry.js";
import { LambdaApiError } from "./lambda-error.js";
import { LogStore } from "./log-store.js";
import type { ResponseSink } from "./runtime-api/invocation.js";
import {
  type InterpreterOptions,
  type NodeVersions,
  type RuntimeInterpreter,
  resolveInterpreter,
} from "./runtimes/interpreter.js";
import { detectSandbox, type ForcedMechanism, type SandboxReport } from "./sandbox/index.js";
import { type LeftoversRemoved, removeLeftovers } from "./sandbox/leftovers.js";

export interface EmulatorOptions {
  readonly functions: readonly FunctionDefinition[];
  readonly region?: string;
  readonly accountId?: string;
  /** Where logs and bundles go: .lambda-optimizer in the current folder by default. */
  readonly stateDir?: string;
  /** Concurrent execution environments per function configuration. */
  readonly maxEnvironmentsPerFunction?: number;
  /** Throttle CPU during init too (Lambda runs init at full speed... mostly). */
  readonly throttleInit?: boolean;
  readonly sandboxMechanism?: ForcedMechanism;
  /** The init phase's limit (10 s, as on Lambda); tests shorten it. */
  readonly initTimeoutMs?: number;
  /** An environment idle this long is stopped, as Lambda reclaims idle ones (10 minutes by default). */
  readonly idleEnvironmentMs?: number;
  /** The AWS endpoint and credentials functions get (function-aws-access.ts): none by default. */
  readonly awsAccess?: FunctionAwsAccessInput;
  /**
   * "declared" runs a nodejs<N>.x function on Node.js N, fetched once into the
   * user cache when this process runs another major; "host" keeps every
   * function on this process's Node.js. Default: LAMBDA_OPTIMIZER_NODE, else "declared".
   */
  readonly nodeVersions?: NodeVersions;
  /** Progress lines of long work the emulator does first, such as fetching a Node.js binary. */
  readonly onProgress?: (line: string) => void;
  /** Every synchronous invocation's record, before its answer goes back (the tuner's first-byte times). */
  readonly onInvocation?: (record: InvocationRecord) => void;
}

/** Lambda reclaims an idle environment after some minutes; we keep one no longer than this. */
export const IDLE_ENVIRONMENT_MS = 10 * 60_000;

export const INVOCATION_TYPES = ["RequestResponse", "Event", "DryRun"] as const;
export type InvocationType = (typeof INVOCATION_TYPES)[number];

export interface InvokeOptions {
  readonly payload?: Buffer;
  readonly qualifier?: string;
  readonly invocationType?: InvocationType;
  readonly logType?: "None" | "Tail";
  /** Base64 JSON, as in the X-Amz-Client-Context header. */
  readonly clientContext?: string;
  /**
   * Where a streamed answer goes as the function writes it (InvokeWithResponseStream, a
   * streaming Function URL); the result's payload is then empty for a streamed answer.
   */
  readonly sink?: ResponseSink;
  /**
   * The invocation's request id, when the caller must name it before the answer comes
   * (InvokeWithResponseStream sends X-Amzn-RequestId with its first bytes); a new UUID otherwise.
   */
  readonly requestId?: string;
}

export interface InvokeResult {
  readonly statusCode: 200 | 202 | 204;
  readonly executedVersion: string;
  readonly payload: Buffer;
  /** "Unhandled" when the function failed, as the X-Amz-Function-Error header says it. */
  readonly functionError?: "Unhandled";
  /** Base64 of the last 4 KB of the invocation's log, with LogType Tail. */
  readonly logResult?: string;
  readonly record?: InvocationRecord;
}

const LOG_TAIL_BYTES = 4096;

export class Emulator {
  readonly registry: FunctionRegistry;
  readonly stateDir: string;
  /** Function URL configs, each served over HTTP on 127.0.0.1 (function-url/). */
  readonly functionUrls: FunctionUrls;
  private readonly pools = new Map<string, EnvironmentPool>();
  private readonly logs: LogStore;
  private readonly background = new Set<Promise<unknown>>();
  private sandboxReport: SandboxReport | undefined;
  private readonly leftovers: Promise<LeftoversRemoved>;
  /** Until the sweep of earlier runs' leftovers is over; undefined after. */
  private sweeping: Promise<unknown> | undefined;
  private readonly awsAccess: FunctionAwsAccess;

  constructor(private readonly options: EmulatorOptions) {
    this.awsAccess = parseFunctionAwsAccess(options.awsAccess ?? {});
    // What a crashed earlier run (ours or another's) left running goes first.
    this.leftovers = removeLeftovers({ force: options.sandboxMechanism }).catch(() => ({
      processes: [],
      cgroups: [],
    }));
    this.sweeping = this.leftovers.finally(() => {
      this.sweeping = undefined;
    });
    this.registry = new FunctionRegistry(
      options.region ?? "us-east-1",
      options.accountId ?? "123456789012",
    );
    for (const fn of options.functions) this.registry.add(fn);
    this.stateDir = resolve(options.stateDir ?? STATE_FOLDER);
    this.logs = new LogStore(join(this.stateDir, "logs"));
    this.functionUrls = new FunctionUrls(this);
  }

  /** Which sandbox mechanism environments use here, detected once. */
  async sandbox(): Promise<SandboxReport> {
    this.sandboxReport ??= await detectSandbox(
      this.options.sandboxMechanism ? { force: this.options.sandboxMechanism } : undefined,
    );
    return this.sandboxReport;
  }

  /**
   * The interpreter a function's runtime runs on here, with a warning when it
   * is not the declared version. Found once; call it before invoking so that
   * a fetch happens (and is seen) up front.
   */
  interpreter(nameOrArn: string): Promise<RuntimeInterpreter> {
    const { definition } = this.registry.resolve(nameOrArn).configuration;
    return resolveInterpreter(definition.runtime, this.interpreterOptions());
  }

  private interpreterOptions(): InterpreterOptions {
    return {
      ...(this.options.nodeVersions ? { nodeVersions: this.options.nodeVersions } : {}),
      ...(this.options.onProgress ? { log: this.options.onProgress } : {}),
    };
  }

  /** The orphaned runtimes and stale cgroups of earlier, crashed runs that this emulator removed at start. */
  leftoversRemoved(): Promise<LeftoversRemoved> {
    return this.leftovers;
  }

  async invoke(nameOrArn: string, options: InvokeOptions = {}): Promise<InvokeResult> {
    if (this.sweeping) await this.sweeping;
    const resolved = this.registry.resolve(nameOrArn, options.qualifier);
    const invocationType = options.invocationType ?? "RequestResponse";
    const payload = checkPayload(options.payload, invocationType);
    if (invocationType === "DryRun") {
      return { statusCode: 204, executedVersion: resolved.version, payload: Buffer.alloc(0) };
    }
    const request = {
      requestId: options.requestId ?? randomUUID(),
      payload,
      invokedFunctionArn: this.registry.functionArn(
        resolved.name,
        resolved.alias ?? (resolved.version === "$LATEST" ? undefined : resolved.version),
      ),
      ...(options.clientContext
        ? { clientContext: Buffer.from(options.clientContext, "base64").toString("utf8") }
        : {}),
      ...(options.sink ? { sink: options.sink } : {}),
    };
    const pool = this.poolFor(resolved.configuration);
    if (invocationType === "Event") {
      // Lambda queues asynchronous events and answers 202 at once.
      const running = pool.invoke(request).catch(() => undefined);
      this.background.add(running);
      void running.finally(() => this.background.delete(running));
      return { statusCode: 202, executedVersion: resolved.version, payload: Buffer.alloc(0) };
    }
    const record = await pool.invoke(request);
    this.options.onInvocation?.(record);
    const functionFailed = record.result.kind === "error";
    return {
      statusCode: 200,
      executedVersion: resolved.version,
      payload: functionFailed ? errorPayload(record) : record.result.body,
      ...(functionFailed ? { functionError: "Unhandled" as const } : {}),
      ...(options.logType === "Tail" ? { logResult: logTail(record.logs) } : {}),
      record,
    };
  }

  /** UpdateFunctionConfiguration: $LATEST changes, and its environments are recycled. */
  async updateConfiguration(
    nameOrArn: string,
    patch: ConfigurationPatch,
    revisionId?: string,
  ): Promise<PublishedConfiguration> {
    const before = this.registry.resolve(nameOrArn).configuration;
    const updated = this.registry.updateConfiguration(nameOrArn, patch, revisionId);
    await this.retirePool(before);
    return updated;
  }

  async deleteFunction(nameOrArn: string, qualifier?: string): Promise<void> {
    const versions = this.registry.listVersions(nameOrArn);
    const deleted = this.registry.delete(nameOrArn, qualifier);
    await this.functionUrls.forget(versions[0]!.definition.name, qualifier);
    for (const configuration of versions) {
      if (deleted.version === undefined || configuration.version === deleted.version)
        await this.retirePool(configuration);
    }
  }

  /** Stop every environment and close the log files. */
  async stop(): Promise<void> {
    await this.functionUrls.closeAll();
    await this.sweeping;
    await Promise.allSettled([...this.background]);
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
    this.pools.clear();
    await this.logs.close();
  }

  private poolFor(configuration: PublishedConfiguration): EnvironmentPool {
    const key = poolKey(configuration);
    let pool = this.pools.get(key);
    if (!pool) {
      const fn = configuration.definition;
      pool = new EnvironmentPool(
        {
          fn,
          version: configuration.version,
          region: this.registry.region,
          buildDir: join(this.stateDir, "build", fn.name),
          throttleInit: this.options.throttleInit ?? false,
          awsAccess: this.awsAccess,
          interpreter: this.interpreterOptions(),
          ...(this.options.initTimeoutMs !== undefined
            ? { initTimeoutMs: this.options.initTimeoutMs }
            : {}),
          ...(this.options.sandboxMechanism
            ? { sandboxMechanism: this.options.sandboxMechanism }
            : {}),
          onLog: (event) => this.logs.append(fn.name, event, fn),
        },
        {
          maxEnvironments: this.options.maxEnvironmentsPerFunction ?? 10,
          idleEnvironmentMs: this.options.idleEnvironmentMs ?? IDLE_ENVIRONMENT_MS,
        },
      );
      this.pools.set(key, pool);
    }
    return pool;
  }

  private async retirePool(configuration: PublishedConfiguration): Promise<void> {
    const key = poolKey(configuration);
    const pool = this.pools.get(key);
    this.pools.delete(key);
    await pool?.drain();
  }
}

/** Each configuration (a version, or $LATEST at one revision) has environments of its own. */
function poolKey(configuration: PublishedConfiguration): string {
  return `${configuration.definition.name}:${configuration.version}:${configuration.revisionId}`;
}

function checkPayload(payload: Buffer | undefined, invocationType: InvocationType): Buffer {
  const body = payload && payload.length > 0 ? payload : Buffer.from("{}");
  const limit =
    invocationType === "Event" ? PAYLOAD_LIMIT_BYTES.asynchronous : PAYLOAD_LIMIT_BYTES.synchronous;
  if (body.length > limit) {
    throw new LambdaApiError(
      "RequestTooLargeException",
      413,
      `${invocationType === "Event" ? "" : "Request must be smaller than "}${limit} bytes for the InvokeFunction operation`,
    );
  }
  try {
    JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new LambdaApiError(
      "InvalidRequestContentException",
      400,
      `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
    );
  }
  return body;
}

/** The body Lambda returns for a function error: the runtime's error document, or ours. */
function errorPayload(record: InvocationRecord): Buffer {
  if (record.result.kind !== "error") return record.result.body;
  const body = record.result.body;
  try {
    const parsed = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object") return body;
  } catch {
    // not JSON: wrap it below
  }
  return Buffer.from(
    JSON.stringify({ errorType: record.result.errorType, errorMessage: body.toString("utf8") }),
  );
}

function logTail(events: readonly string[]): string {
  const text = Buffer.from(`${events.join("\n")}\n`, "utf8");
  return text.subarray(Math.max(0, text.length - LOG_TAIL_BYTES)).toString("base64");
}
