/**
 * One execution environment: a runtime process inside a sandbox, fed through
 * its own Runtime API. It initialises once (the cold start), then serves one
 * invocation at a time until it is recycled after a timeout, a crash, running
 * out of memory, or a configuration change.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Report } from "../lambda/report-line.js";
import { billedDurationMs } from "../pricing/cost.js";
import {
  awsAccessEnvironment,
  type FunctionAwsAccess,
  NO_AWS_ACCESS,
  withoutReservedCredentials,
} from "./function-aws-access.js";
import type { FunctionDefinition } from "./functions/function-definition.js";
import {
  endLines,
  initReportLine,
  initStartLine,
  runtimeDoneLine,
  startLine,
  timeoutLine,
} from "./platform-log.js";
import { HTTP_INTEGRATION_CONTENT_TYPE } from "./runtime-api/http-integration-prelude.js";
import type { InvocationOutcome, ResponseSink } from "./runtime-api/invocation.js";
import { RuntimeApiServer } from "./runtime-api/runtime-api-server.js";
import {
  type InterpreterOptions,
  type RuntimeInterpreter,
  resolveInterpreter,
  runtimeVersionLabel,
} from "./runtimes/interpreter.js";
import { prepareLaunch, RuntimeLaunchError, runnableFamily } from "./runtimes/launch.js";
import { provideNodeRuntimeSdk, type RuntimeSdk } from "./runtimes/node-runtime-sdk.js";
import {
  createSandbox,
  type ForcedMechanism,
  type Sandbox,
  type SandboxReport,
} from "./sandbox/index.js";

/**
 * Lambda gives an on-demand function's init phase ten seconds; when they run
 * out, it retries init inside the first invocation, under the function's own
 * timeout (a "suppressed init").
 */
export const INIT_TIMEOUT_MS = 10_000;

export interface EnvironmentSettings {
  readonly fn: FunctionDefinition;
  /** "$LATEST" or a published version number. */
  readonly version: string;
  readonly region: string;
  /** Folder for bundles (TypeScript) of this function. */
  readonly buildDir: string;
  readonly throttleInit: boolean;
  readonly sandboxMechanism?: ForcedMechanism;
  /** The init phase's limit: INIT_TIMEOUT_MS unless a test shortens it. */
  readonly initTimeoutMs?: number;
  /** Which AWS endpoint and credentials the function gets: none by default. */
  readonly awsAccess?: FunctionAwsAccess;
  /** Which Node.js runs declared majors, and where fetch progress goes. */
  readonly interpreter?: InterpreterOptions;
  /** Every log event, as Lambda would send it to CloudWatch Logs. */
  readonly onLog: (event: string) => void;
}

export interface InvokeRequest {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly clientContext?: string;
  /** Where a streamed answer goes as the runtime writes it; without one it is kept in the result. */
  readonly sink?: ResponseSink;
}

/** How the answer reached the caller: what a client waiting on it sees first, and how much came. */
export interface ResponseTiming {
  /**
   * ms from the invoke phase's start, plus the init a cold start ran, to the first byte a client
   * gets: the first body byte after an HTTP prelude, else the stream's first byte; for a
   * buffered answer, the whole answer. Null when nothing came (an error before any byte).
   */
  readonly ttfbMs: number | null;
  readonly streamed: boolean;
  /** Bytes of the answer (a stream's prelude included). */
  readonly bytes: number;
  /** The runtime's writes as they arrived (1 for a buffered answer). */
  readonly chunks: number;
  /** The stream's Content-Type (application/json for a buffered answer). */
  readonly contentType: string;
}

export type InvocationResult =
  | InvocationOutcome
  | { readonly kind: "error"; readonly errorType: string; readonly body: Buffer };

export interface InvocationRecord {
  readonly requestId: string;
  readonly result: InvocationResult;
  readonly report: Report;
  /** This invocation's log events: init output on a cold start, START, the function's lines, END, REPORT. */
  readonly logs: readonly string[];
  readonly coldStart: boolean;
  readonly response: ResponseTiming;
  readonly sandbox: SandboxReport & { readonly cpuShare: number; readonly clamped: boolean };
  /** The interpreter that really ran the function, with a warning when it is not the declared version. */
  readonly interpreter: RuntimeInterpreter;
}

/** How one attempt at init ended. */
type InitAttempt =
  | { readonly status: "success"; readonly durationMs: number }
  | { readonly status: "timeout"; readonly durationMs: number }
  | {
      readonly status: "error";
      readonly durationMs: number;
      readonly errorType: string;
      readonly body: Buffer;
    };

/** The environment's init: done, failed (reported by the first invocation), or to retry in it. */
type InitState = InitAttempt | { readonly status: "suppressed"; readonly durationMs: number };

/** Why an in-flight invocation ended without an answer from the runtime. */
type Interruption =
  | { readonly reason: "timeout" }
  | { readonly reason: "exit"; readonly detail: string; readonly outOfMemory: boolean };

/** What the invoke phase produced, before it is reported. */
interface InvokePhase {
  readonly result: InvocationResult;
  readonly durationMs: number;
  /** performance.now() when the phase started and when the answer was complete (for times to first byte). */
  readonly startedAt?: number;
  readonly answeredAt?: number;
  readonly status?: string;
  readonly errorType?: string;
}

export class ExecutionEnvironment {
  readonly id = randomBytes(16).toString("hex");
  readonly logStreamName: string;
  private sandbox: Sandbox | undefined;
  /** The runtime process now serving (a suppressed init replaces the first one). */
  private runtime: ChildProcess | undefined;
  private readonly runtimeApi: RuntimeApiServer;
  private runtimeApiAddress: string | undefined;
  private init: InitState | undefined;
  private initLogs: string[] = [];
  private invocationLogs: string[] | undefined;
  private served = 0;
  private alive = true;
  private busy = false;
  private readonly exitListeners = new Set<(detail: string) => void>();
  private outOfMemory = false;
  private interpreter: RuntimeInterpreter | undefined;

  constructor(private readonly settings: EnvironmentSettings) {
    const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
    this.logStreamName = `${day}/[${settings.version}]${this.id}`;
    this.runtimeApi = new RuntimeApiServer(
      {},
      {
        runtimePids: () => this.sandbox?.pids() ?? [],
        withoutProc: () => this.sandbox?.report.mechanism === "portable",
      },
    );
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Busy while starting or invoking: either way it cannot take an invocation. */
  get isBusy(): boolean {
    return this.busy || this.init === undefined;
  }

  /**
   * Start the runtime and wait for its init phase to end. An init that runs
   * out of time is stopped and left for the first invocation to retry.
   */
  async start(): Promise<InitState> {
    const { fn } = this.settings;
    // Found (a Node.js binary perhaps fetched) before init starts: its time is no part of init.
    this.interpreter = await resolveInterpreter(fn.runtime, this.settings.interpreter);
    this.log(initStartLine(fn.logFormat, runtimeVersionLabel(this.interpreter)));
    const attempt = await this.initialise(this.settings.initTimeoutMs ?? INIT_TIMEOUT_MS);
    if (attempt.status === "timeout") {
      this.log(
        initReportLine(fn.logFormat, {
          phase: "init",
          status: "timeout",
          durationMs: attempt.durationMs,
        }),
      );
      // Lambda resets the environment: the retry starts from nothing
      await this.stopRuntime();
      this.init = { status: "suppressed", durationMs: attempt.durationMs };
    } else {
      this.init = attempt;
      if (attempt.status === "error") await this.dispose();
    }
    return this.init;
  }

  /**
   * Run one invocation. The first one after start() is the cold start. Any
   * failure on the way (a hand-off the Runtime API refuses, a sandbox error)
   * disposes the environment before it is thrown: it is never left busy.
   */
  async invoke(request: InvokeRequest): Promise<InvocationRecord> {
    if (!this.init) throw new Error("start() the environment before invoking it");
    if (this.busy) throw new Error("the execution environment is busy: one invocation at a time");
    this.busy = true;
    const { fn } = this.settings;
    const coldStart = this.served === 0;
    this.served++;
    const logs = coldStart ? [...this.initLogs] : [];
    this.invocationLogs = logs;
    try {
      this.log(startLine(fn.logFormat, request.requestId, this.settings.version));
      const init = this.init;
      const phase: InvokePhase =
        init.status === "error"
          ? {
              result: { kind: "error", errorType: init.errorType, body: init.body },
              durationMs: 0,
              status: "error",
              errorType: init.errorType,
            }
          : await this.invokePhase(request, init.status === "suppressed");
      const sandbox = this.sandbox;
      if (!sandbox) throw new Error("the environment has no sandbox: start() failed");
      // a suppressed init is billed inside the invocation's duration, with no Init Duration of its own
      const initDurationMs =
        coldStart && init.status !== "suppressed" ? init.durationMs : undefined;
      const report: Report = {
        requestId: request.requestId,
        durationMs: round2(phase.durationMs),
        // Since 1 August 2025 a cold start bills init and invoke together.
        billedDurationMs: billedDurationMs(
          round2(phase.durationMs) + (initDurationMs !== undefined ? round2(initDurationMs) : 0),
        ),
        memorySizeMb: fn.memoryMb,
        maxMemoryUsedMb: Math.max(1, sandbox.peakMemoryMb()),
        ...(initDurationMs !== undefined ? { initDurationMs: round2(initDurationMs) } : {}),
        ...(phase.status ? { status: phase.status } : {}),
        ...(phase.errorType ? { errorType: phase.errorType } : {}),
      };
      const runtimeDone = streamedRuntimeDone(fn.logFormat, request.requestId, phase);
      if (runtimeDone) this.log(runtimeDone);
      for (const line of endLines(fn.logFormat, report)) this.log(line);
      return {
        requestId: request.requestId,
        result: phase.result,
        report,
        logs,
        coldStart,
        response: responseTiming(phase, initDurationMs ?? 0),
        sandbox: { ...sandbox.report, cpuShare: sandbox.appliedCpuShare, clamped: sandbox.clamped },
        interpreter: this.requireInterpreter(),
      };
    } catch (error) {
      await this.dispose();
      throw error;
    } finally {
      this.invocationLogs = undefined;
      this.busy = false;
    }
  }

  /** The invoke phase: init again first if it was suppressed, then the handler, within the function's timeout. */
  private async invokePhase(request: InvokeRequest, initAgain: boolean): Promise<InvokePhase> {
    const { fn } = this.settings;
    const timeoutMs = fn.timeoutSeconds * 1000;
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    if (initAgain) {
      this.log(
        initStartLine(fn.logFormat, runtimeVersionLabel(this.requireInterpreter()), "invoke"),
      );
      const attempt = await this.initialise(timeoutMs);
      this.log(
        initReportLine(fn.logFormat, {
          phase: "invoke",
          status: attempt.status,
          durationMs: attempt.durationMs,
          ...(attempt.status === "error" ? { errorType: attempt.errorType } : {}),
        }),
      );
      this.init = attempt;
      if (attempt.status === "timeout") return this.timedOut(request, timeoutMs);
      if (attempt.status === "error") {
        await this.dispose();
        return {
          result: { kind: "error", errorType: attempt.errorType, body: attempt.body },
          durationMs: elapsed(),
          status: "error",
          errorType: attempt.errorType,
        };
      }
    }
    const sandbox = this.sandbox;
    if (!sandbox) throw new Error("the environment has no sandbox: start() failed");
    sandbox.resetPeakMemory();
    sandbox.setThrottled(true);
    const remainingMs = Math.max(0, timeoutMs - elapsed());
    let timer: NodeJS.Timeout | undefined;
    let stopListening = () => {};
    let first: InvocationOutcome | Interruption;
    try {
      const interrupted = new Promise<Interruption>((resolve) => {
        timer = setTimeout(() => resolve({ reason: "timeout" }), remainingMs);
        stopListening = this.onExit((detail) =>
          resolve({ reason: "exit", detail, outOfMemory: this.outOfMemory }),
        );
      });
      const answered = this.runtimeApi.invoke(
        {
          requestId: request.requestId,
          payload: request.payload,
          deadlineMs: Math.round(Date.now() + remainingMs),
          invokedFunctionArn: request.invokedFunctionArn,
          traceId: traceHeader(),
          ...(request.clientContext ? { clientContext: request.clientContext } : {}),
        },
        request.sink,
      );
      first = await Promise.race([answered, interrupted]);
    } finally {
      clearTimeout(timer);
      stopListening();
    }
    const durationMs = elapsed();
    const answeredAt = performance.now();
    sandbox.setThrottled(this.settings.throttleInit);
    // Output the runtime wrote just before answering is still in the pipe: read it.
    await new Promise((resolve) => setImmediate(resolve));
    if ("kind" in first) {
      // A runtime may end itself after reporting an error (an uncaught exception
      // does): wait until it asks for more work or exits, so a dead environment
      // is never handed the next invocation. It may have exited already (while the
      // pipe was read just above): its exit listeners have run, so do not wait.
      if (first.kind === "error" && this.alive) {
        let stopWaiting = () => {};
        const exited = new Promise<void>((resolve) => {
          stopWaiting = this.onExit(() => resolve());
        });
        await Promise.race([this.runtimeApi.nextRequested(), exited]);
        stopWaiting();
      }
      return {
        result: first,
        durationMs,
        startedAt: started,
        answeredAt,
        ...(first.kind === "error" ? { status: "error" } : {}),
      };
    }
    // Under load the timer can fire before the news of an OOM kill arrives: memory is asked first.
    const outOfMemory =
      first.reason === "exit" ? first.outOfMemory || sandbox.memoryExceeded : sandbox.checkMemory();
    if (first.reason === "timeout" && !outOfMemory) return this.timedOut(request, timeoutMs);
    const detail = first.reason === "exit" ? first.detail : "signal: killed";
    const message = `RequestId: ${request.requestId} Error: Runtime exited with error: ${detail}`;
    // One log event over two lines, as Lambda writes it.
    this.log(`${message}\rRuntime.ExitError`);
    await this.dispose();
    return {
      result: lambdaError("Runtime.ExitError", message),
      durationMs,
      status: "error",
      errorType: outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError",
    };
  }

  private async timedOut(request: InvokeRequest, timeoutMs: number): Promise<InvokePhase> {
    const { fn } = this.settings;
    this.log(timeoutLine(fn.logFormat, request.requestId, fn.timeoutSeconds));
    await this.dispose();
    return {
      result: lambdaError(
        "Sandbox.Timedout",
        `RequestId: ${request.requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
      ),
      // A timer may fire a fraction of a millisecond early; Lambda reports the full timeout.
      durationMs: timeoutMs,
      status: "timeout",
    };
  }

  /** Start a runtime in a new sandbox and wait, at most limitMs, for it to finish init. */
  private async initialise(limitMs: number): Promise<InitAttempt> {
    const { fn } = this.settings;
    // The runtime's AWS SDK is installed (once, into the user cache) before init is timed.
    let runtimeSdk: RuntimeSdk | undefined;
    let runtimeSdkError: RuntimeLaunchError | undefined;
    if (runnableFamily(fn.runtime) === "node") {
      try {
        runtimeSdk = await provideNodeRuntimeSdk(fn);
      } catch (error) {
        if (!(error instanceof RuntimeLaunchError)) throw error;
        runtimeSdkError = error;
      }
    }
    const started = performance.now();
    const failed = (errorType: string, message: string): InitAttempt => ({
      status: "error",
      durationMs: performance.now() - started,
      errorType,
      body: Buffer.from(JSON.stringify({ errorType, errorMessage: message, trace: [] })),
    });
    let stopListening = () => {};
    let initTimer: NodeJS.Timeout | undefined;
    try {
      // The sandbox first: every invocation, a failed init's too, reports how it was limited.
      this.sandbox = await createSandbox(
        { memoryMb: fn.memoryMb, throttleInit: this.settings.throttleInit },
        this.settings.sandboxMechanism ? { force: this.settings.sandboxMechanism } : undefined,
      );
      if (runtimeSdkError) throw runtimeSdkError;
      const launch = await prepareLaunch(
        fn,
        this.settings.buildDir,
        this.requireInterpreter(),
        runtimeSdk?.packages,
      );
      this.outOfMemory = false;
      this.sandbox.onMemoryExceeded(() => {
        this.outOfMemory = true;
      });
      this.runtimeApiAddress ??= await this.runtimeApi.listen();
      const runtimeApiAddress = this.runtimeApiAddress;
      const ready = new Promise<InitAttempt>((resolve) => {
        this.runtimeApi.setEvents({
          onReady: () => resolve({ status: "success", durationMs: performance.now() - started }),
          onInitError: (error) =>
            resolve({
              status: "error",
              durationMs: performance.now() - started,
              errorType: error.errorType,
              body: error.body,
            }),
        });
        stopListening = this.onExit((detail) =>
          resolve(
            failed(
              "Runtime.ExitError",
              `RequestId: ${this.runtimeApi.currentRequestId ?? "init"} Error: Runtime exited with error: ${detail}`,
            ),
          ),
        );
      });
      const timedOut = new Promise<InitAttempt>((resolve) => {
        initTimer = setTimeout(
          () => resolve({ status: "timeout", durationMs: performance.now() - started }),
          limitMs,
        );
      });
      this.runtime = this.sandbox.spawn(launch.command, [...launch.args], {
        cwd: launch.taskRoot,
        env: {
          ...this.lambdaEnvironment(launch.taskRoot, launch.handler, runtimeApiAddress, runtimeSdk),
          ...launch.environment,
        },
      });
      this.captureOutput(this.runtime);
      return await Promise.race([ready, timedOut]);
    } catch (error) {
      if (!(error instanceof RuntimeLaunchError)) throw error;
      return failed(error.errorType, error.message);
    } finally {
      clearTimeout(initTimer);
      stopListening();
    }
  }

  private requireInterpreter(): RuntimeInterpreter {
    if (!this.interpreter) throw new Error("start() the environment before using its interpreter");
    return this.interpreter;
  }

  /** End the runtime (and its sandbox) but not the environment: a suppressed init starts another. */
  private async stopRuntime(): Promise<void> {
    this.runtime = undefined;
    this.runtimeApi.setEvents({});
    await this.sandbox?.dispose();
  }

  /** Stop the runtime and everything it started. Idempotent. */
  async dispose(): Promise<void> {
    this.alive = false;
    await this.sandbox?.dispose();
    await this.runtimeApi.close();
  }

  private lambdaEnvironment(
    taskRoot: string,
    handler: string,
    runtimeApi: string,
    runtimeSdk: RuntimeSdk | undefined,
  ): NodeJS.ProcessEnv {
    const { fn, version, region } = this.settings;
    // Never the user's AWS credentials: awsAccessEnvironment decides what the function gets.
    const passThrough = ["PATH", "HOME"];
    const inherited = Object.fromEntries(
      passThrough
        .filter((name) => process.env[name] !== undefined)
        .map((name) => [name, process.env[name]]),
    );
    return {
      ...inherited,
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      ...withoutReservedCredentials(fn.environment),
      // Lambda's runtimes put their AWS SDK on NODE_PATH, after any folders the function names.
      ...(runtimeSdk
        ? {
            NODE_PATH: [fn.environment.NODE_PATH, runtimeSdk.nodeModules]
              .filter((folder) => folder)
              .join(":"),
          }
        : {}),
      ...awsAccessEnvironment(this.settings.awsAccess ?? NO_AWS_ACCESS),
      // Lambda's reserved variables win over the function's own.
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: version,
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
      AWS_LAMBDA_LOG_FORMAT: fn.logFormat,
      AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      LAMBDA_TASK_ROOT: taskRoot,
      LAMBDA_RUNTIME_DIR: taskRoot,
      _HANDLER: handler,
      AWS_LAMBDA_RUNTIME_API: runtimeApi,
    };
  }

  private captureOutput(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      let partial = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) this.log(line);
      });
      stream?.on("end", () => {
        if (partial) this.log(partial);
        partial = "";
      });
    }
    child.on("exit", (code, signal) => {
      // a runtime stopped on purpose (a suppressed init) ends nothing else
      if (child !== this.runtime) return;
      const detail = signal
        ? `signal: ${signal === "SIGKILL" ? "killed" : signal}`
        : `exit status ${code}`;
      this.alive = false;
      for (const listener of [...this.exitListeners]) listener(detail);
      this.exitListeners.clear();
      void this.dispose();
    });
  }

  /** Listen for the runtime process's exit; returns a function that stops listening. */
  private onExit(listener: (detail: string) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  private log(event: string): void {
    (this.invocationLogs ?? (this.served === 0 ? this.initLogs : undefined))?.push(event);
    this.settings.onLog(event);
  }
}

function lambdaError(errorType: string, errorMessage: string): InvocationResult {
  return {
    kind: "error",
    errorType,
    body: Buffer.from(JSON.stringify({ errorType, errorMessage })),
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** An X-Ray trace header, as Lambda hands one to every invocation. */
function traceHeader(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString("hex")};Parent=${randomBytes(8).toString("hex")};Sampled=0;Lineage=1:${randomBytes(4).toString("hex")}:0`;
}

/**
 * What a client waiting on the answer saw first, and when (see ResponseTiming): from the invoke
 * phase's start, plus the init a cold start ran before it.
 */
function responseTiming(phase: InvokePhase, initMs: number): ResponseTiming {
  const result = phase.result;
  const stream = "stream" in result ? result.stream : undefined;
  const since = (at: number | null | undefined) =>
    at == null || phase.startedAt === undefined ? null : round2(at - phase.startedAt + initMs);
  if (stream) {
    const plain = stream.contentType !== HTTP_INTEGRATION_CONTENT_TYPE;
    return {
      ttfbMs: since(plain ? stream.firstByteAt : stream.firstBodyByteAt),
      streamed: true,
      bytes: stream.bytes,
      chunks: stream.chunks,
      contentType: stream.contentType,
    };
  }
  return {
    ttfbMs: result.kind === "response" ? since(phase.answeredAt) : null,
    streamed: false,
    bytes: result.body.length,
    chunks: 1,
    contentType: "application/json",
  };
}

/**
 * A streamed answer's platform.runtimeDone (JSON log format only): its time to first byte from
 * the invoke phase's start, the time from first byte to last, and its bytes, as Lambda logs them.
 */
function streamedRuntimeDone(
  format: FunctionDefinition["logFormat"],
  requestId: string,
  phase: InvokePhase,
): string | undefined {
  const result = phase.result;
  const stream = "stream" in result ? result.stream : undefined;
  if (!stream || phase.startedAt === undefined || phase.answeredAt === undefined) return undefined;
  const phaseStart = phase.startedAt;
  const first = stream.firstByteAt;
  return runtimeDoneLine(format, {
    requestId,
    status: result.kind === "error" ? "error" : "success",
    durationMs: round2(phase.durationMs),
    startedAt: new Date(Date.now() - (performance.now() - phaseStart)),
    ...(first !== null
      ? {
          response: {
            latencyMs: round2(first - phaseStart),
            durationMs: round2(phase.answeredAt - first),
          },
        }
      : {}),
    producedBytes: stream.bytes,
  });
}
