/**
 * One Lambda function's code as the code rules see it: the handler's module
 * and the local modules it imports, the handler function, what the template
 * says of the function (SnapStart, Managed Instances, triggers), what its
 * package ships, and which code runs when: once per environment at init
 * (module scope and what it calls) or on every invocation (the handler and
 * what it calls).
 */
import type {
  CallSite,
  CodeExport,
  CodeLanguage,
  CodeModule,
  EnvRead,
  StateWrite,
  TmpWrite,
} from "./code-model.js";
import type { PackageFacts } from "./package-scan.js";

/** What the template (or the command line, for a plain folder) says of the function. */
export interface FunctionConfig {
  readonly architecture: "x86_64" | "arm64";
  readonly snapStart: boolean;
  /** On Lambda Managed Instances; maxConcurrency is PerExecutionEnvironmentMaxConcurrency (undefined: the runtime's default, above 1). */
  readonly managedInstances?: { readonly maxConcurrency?: number };
  readonly triggers: {
    /** API Gateway, Function URLs: a caller waits. */
    readonly synchronous: readonly string[];
    /** S3, SNS, EventBridge: Lambda queues the event. */
    readonly asynchronous: readonly string[];
    /** SQS, Kinesis, DynamoDB Streams, Kafka: event source mappings. */
    readonly polled: readonly string[];
    /**
     * The polled ones that can report partial batch failures
     * (ReportBatchItemFailures): SQS, Kinesis and DynamoDB Streams, as
     * esm-config names them ("Fn's SQS event Queue", "EventSourceMapping M").
     */
    readonly partialBatch: readonly string[];
  };
  /** The Function URL's InvokeMode (BUFFERED when unset), when the function has a URL. */
  readonly functionUrlInvokeMode?: string;
  /** REST API methods (logical ids) that integrate it without ResponseTransferMode STREAM. */
  readonly bufferedRestMethods: readonly string[];
  /** Custom resources (logical ids) whose ServiceToken is the function: it runs once per deploy. */
  readonly customResources?: readonly string[];
  /**
   * Its MemorySize in MB (with SAM Globals), Lambda's default 128 when the
   * template sets none. Undefined when not known: a plain folder, or a value
   * the template does not resolve.
   */
  readonly memoryMb?: number;
  /**
   * The names its Environment.Variables sets (with SAM Globals), when the
   * template lists them: [] for a function without any. Undefined when not
   * known: a plain folder, or Variables built by an intrinsic function.
   */
  readonly environmentVariables?: readonly string[];
  /** What the command line says of the traffic (`audit --payload`, `--invocations`), to price findings with. */
  readonly workload?: Workload;
}

/** The traffic a function sees, as far as the user told the audit. */
export interface Workload {
  /** Size of a typical event, as its compact JSON (what `JSON.stringify(event)` writes). */
  readonly eventBytes?: number;
  /** Where the event came from, for messages: "--payload-file events/batch.json". */
  readonly eventSource?: string;
  /** Invocations a month. */
  readonly invocationsPerMonth?: number;
}

/** The handler's export, in the module that defines it. */
export interface HandlerSite {
  readonly module: CodeModule;
  readonly exported: CodeExport;
}

/** Scopes of a module: function indexes, and `undefined` for module-level code. */
export type ScopeSet = ReadonlyMap<CodeModule, ReadonlySet<number | undefined>>;

export interface FunctionCode {
  /** What findings are reported against: the template's logical id, or `file:handler` for a plain folder. */
  readonly resource: string;
  /** The template the function is declared in (absolute), if any. */
  readonly template?: string;
  readonly runtime?: string;
  readonly language: CodeLanguage;
  /** The deployment folder (absolute). */
  readonly codeRoot: string;
  /** The Handler setting: "app.handler", "src/index.handler". */
  readonly handler: string;
  /** SAM's Metadata.BuildMethod ("esbuild" bundles only what is imported, so the folder is not what ships). */
  readonly buildMethod?: string;
  /** The handler's module and the local modules it imports, entry first. */
  readonly modules: readonly CodeModule[];
  /** Where the handler is: its module (the entry, or one the entry re-exports it from) and its export there. */
  readonly handlerSite?: HandlerSite;
  readonly config: FunctionConfig;
  readonly package: PackageFacts;
  /** Code that runs on every invocation: the handler and what it calls. */
  readonly handlerPath: ScopeSet;
  /** Code that runs once per environment: module scope and what it calls. */
  readonly initPath: ScopeSet;
}

export function inScopes(scopes: ScopeSet, module: CodeModule, scope: number | undefined): boolean {
  return scopes.get(module)?.has(scope) ?? false;
}

export interface Located<T> {
  readonly module: CodeModule;
  readonly item: T;
}

function locate<T extends { readonly scope: number | undefined }>(
  fn: FunctionCode,
  scopes: ScopeSet,
  items: (module: CodeModule) => readonly T[],
): Located<T>[] {
  return fn.modules.flatMap((module) =>
    items(module)
      .filter((item) => inScopes(scopes, module, item.scope))
      .map((item) => ({ module, item })),
  );
}

/** Calls made on every invocation. */
export function handlerCalls(fn: FunctionCode): Located<CallSite>[] {
  return locate(fn, fn.handlerPath, (module) => module.calls);
}

/** Calls made once, at init. */
export function initCalls(fn: FunctionCode): Located<CallSite>[] {
  return locate(fn, fn.initPath, (module) => module.calls);
}

export function handlerStateWrites(fn: FunctionCode): Located<StateWrite>[] {
  return locate(fn, fn.handlerPath, (module) => module.stateWrites);
}

export function handlerEnvReads(fn: FunctionCode): Located<EnvRead>[] {
  return locate(fn, fn.handlerPath, (module) => module.envReads);
}

/** Environment reads that run: once at init (module scope and what it calls) or on every invocation. */
export function runningEnvReads(fn: FunctionCode): Located<EnvRead>[] {
  return fn.modules.flatMap((module) =>
    module.envReads
      .filter(
        (read) =>
          inScopes(fn.initPath, module, read.scope) || inScopes(fn.handlerPath, module, read.scope),
      )
      .map((item) => ({ module, item })),
  );
}

export function handlerTmpWrites(fn: FunctionCode): Located<TmpWrite>[] {
  return locate(fn, fn.handlerPath, (module) => module.tmpWrites);
}

/** Whether any module of the function imports one of these specifiers (or a subpath of one). */
export function importsAny(fn: FunctionCode, specifiers: readonly string[]): boolean {
  return fn.modules.some((module) =>
    module.imports.some((entry) =>
      specifiers.some(
        (wanted) =>
          entry.specifier === wanted ||
          entry.specifier.startsWith(`${wanted}/`) ||
          entry.specifier.startsWith(`${wanted}.`),
      ),
    ),
  );
}
