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
import type { FunctionDefinition } from "./functions/function-definition.js";
import { endLines, initStartLine, startLine, timeoutLine } from "./platform-log.js";
import type { InvocationOutcome } from "./runtime-api/invocation.js";
import { RuntimeApiServer } from "./runtime-api/runtime-api-server.js";
import { prepareLaunch, RuntimeLaunchError } from "./runtimes/launch.js";
import { createSandbox, type Sandbox, type SandboxReport } from "./sandbox/index.js";

/** Lambda gives an on-demand function's init phase ten seconds. */
export const INIT_TIMEOUT_MS = 10_000;

export interface EnvironmentSettings {
  readonly fn: FunctionDefinition;
  /** "$LATEST" or a published version number. */
  readonly version: string;
  readonly region: string;
  /** Folder for bundles (TypeScript) of this function. */
  readonly buildDir: string;
  readonly throttleInit: boolean;
  readonly sandboxMechanism?: "cgroup" | "duty-cycle";
  /** Every log event, as Lambda would send it to CloudWatch Logs. */
  readonly onLog: (event: string) => void;
}

export interface InvokeRequest {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly clientContext?: string;
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
  readonly sandbox: SandboxReport & { readonly cpuShare: number; readonly clamped: boolean };
}

type InitState =
  | { readonly ok: true; readonly durationMs: number }
  | {
      readonly ok: false;
      readonly durationMs: number;
      readonly errorType: string;
      readonly body: Buffer;
    };

/** Why an in-flight invocation ended without an answer from the runtime. */
type Interruption =
  | { readonly reason: "timeout" }
  | { readonly reason: "exit"; readonly detail: string; readonly outOfMemory: boolean };

export class ExecutionEnvironment {
  readonly id = randomBytes(16).toString("hex");
  readonly logStreamName: string;
  private sandbox: Sandbox | undefined;
  private readonly runtimeApi: RuntimeApiServer;
  private init: InitState | undefined;
  private initLogs: string[] = [];
  private invocationLogs: string[] | undefined;
  private served = 0;
  private alive = true;
  private busy = false;
  private readonly exitListeners = new Set<(detail: string) => void>();
  private outOfMemory = false;

  constructor(private readonly settings: EnvironmentSettings) {
    const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
    this.logStreamName = `${day}/[${settings.version}]${this.id}`;
    this.runtimeApi = new RuntimeApiServer({}, { runtimePids: () => this.sandbox?.pids() ?? [] });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Busy while starting or invoking: either way it cannot take an invocation. */
  get isBusy(): boolean {
    return this.busy || this.init === undefined;
  }

  /** Start the runtime and wait for its init phase to end. */
  async start(): Promise<InitState> {
    const { fn } = this.settings;
    this.log(initStartLine(fn.logFormat, fn.runtime));
    const started = performance.now();
    const initFailed = (errorType: string, message: string): InitState => ({
      ok: false,
      durationMs: performance.now() - started,
      errorType,
      body: Buffer.from(JSON.stringify({ errorType, errorMessage: message, trace: [] })),
    });
    try {
      // The sandbox first: every invocation, a failed init's too, reports how it was limited.
      this.sandbox = await createSandbox(
        { memoryMb: fn.memoryMb, throttleInit: this.settings.throttleInit },
        this.settings.sandboxMechanism ? { force: this.settings.sandboxMechanism } : undefined,
      );
      const launch = await prepareLaunch(fn, this.settings.buildDir);
      this.sandbox.onMemoryExceeded(() => {
        this.outOfMemory = true;
      });
      const runtimeApiAddress = await this.runtimeApi.listen();
      let stopListening = () => {};
      const ready = new Promise<InitState>((resolve) => {
        this.runtimeApi.setEvents({
          onReady: () => resolve({ ok: true, durationMs: performance.now() - started }),
          onInitError: (error) =>
            resolve({
              ok: false,
              durationMs: performance.now() - started,
              errorType: error.errorType,
              body: error.body,
            }),
        });
        stopListening = this.onExit((detail) =>
          resolve(
            initFailed(
              "Runtime.ExitError",
              `RequestId: ${this.runtimeApi.currentRequestId ?? "init"} Error: Runtime exited with error: ${detail}`,
            ),
          ),
        );
      });
      const child = this.sandbox.spawn(launch.command, [...launch.args], {
        cwd: launch.taskRoot,
        env: this.lambdaEnvironment(launch.taskRoot, launch.handler, runtimeApiAddress),
      });
      this.captureOutput(child);
      let initTimer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<InitState>((resolve) => {
        initTimer = setTimeout(
          () =>
            resolve(
              initFailed(
                "Sandbox.Timedout",
                `INIT timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
              ),
            ),
          INIT_TIMEOUT_MS,
        );
      });
      this.init = await Promise.race([ready, timedOut]);
      clearTimeout(initTimer);
      stopListening();
    } catch (error) {
      if (!(error instanceof RuntimeLaunchError)) throw error;
      this.init = initFailed(error.errorType, error.message);
    }
    if (!this.init.ok) await this.dispose();
    return this.init;
  }

  /** Run one invocation. The first one after start() is the cold start. */
  async invoke(request: InvokeRequest): Promise<InvocationRecord> {
    if (!this.init) throw new Error("start() the environment before invoking it");
    if (this.busy) throw new Error("the execution environment is busy: one invocation at a time");
    this.busy = true;
    const { fn } = this.settings;
    const coldStart = this.served === 0;
    this.served++;
    const logs = coldStart ? [...this.initLogs] : [];
    this.invocationLogs = logs;
    this.log(startLine(fn.logFormat, request.requestId, this.settings.version));
    const sandbox = this.sandbox;
    if (!sandbox) throw new Error("the environment has no sandbox: start() failed");
    let result: InvocationResult;
    let durationMs = 0;
    let status: string | undefined;
    let errorType: string | undefined;

    if (!this.init.ok) {
      result = { kind: "error", errorType: this.init.errorType, body: this.init.body };
      status = "error";
      errorType = this.init.errorType;
    } else {
      sandbox.resetPeakMemory();
      sandbox.setThrottled(true);
      const timeoutMs = fn.timeoutSeconds * 1000;
      const started = performance.now();
      const deadlineMs = Date.now() + timeoutMs;
      const answered = this.runtimeApi.invoke({
        requestId: request.requestId,
        payload: request.payload,
        deadlineMs,
        invokedFunctionArn: request.invokedFunctionArn,
        traceId: traceHeader(),
        ...(request.clientContext ? { clientContext: request.clientContext } : {}),
      });
      let timer: NodeJS.Timeout | undefined;
      let stopListening = () => {};
      const interrupted = new Promise<Interruption>((resolve) => {
        timer = setTimeout(() => resolve({ reason: "timeout" }), timeoutMs);
        stopListening = this.onExit((detail) =>
          resolve({ reason: "exit", detail, outOfMemory: this.outOfMemory }),
        );
      });
      const first = await Promise.race([answered, interrupted]);
      clearTimeout(timer);
      stopListening();
      durationMs = performance.now() - started;
      sandbox.setThrottled(this.settings.throttleInit);
      // Output the runtime wrote just before answering is still in the pipe: read it.
      await new Promise((resolve) => setImmediate(resolve));
      if ("kind" in first) {
        result = first;
        if (first.kind === "error") {
          status = "error";
          // A runtime may end itself after reporting an error (an uncaught exception
          // does): wait until it asks for more work or exits, so a dead environment
          // is never handed the next invocation.
          let stopListening = () => {};
          const exited = new Promise<void>((resolve) => {
            stopListening = this.onExit(() => resolve());
          });
          await Promise.race([this.runtimeApi.nextRequested(), exited]);
          stopListening();
        }
      } else if (first.reason === "timeout") {
        // A timer may fire a fraction of a millisecond early; Lambda reports the full timeout.
        durationMs = Math.max(durationMs, timeoutMs);
        this.log(timeoutLine(fn.logFormat, request.requestId, fn.timeoutSeconds));
        result = lambdaError(
          "Sandbox.Timedout",
          `RequestId: ${request.requestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
        );
        status = "timeout";
        await this.dispose();
      } else {
        const message = `RequestId: ${request.requestId} Error: Runtime exited with error: ${first.detail}`;
        // One log event over two lines, as Lambda writes it.
        this.log(`${message}\rRuntime.ExitError`);
        result = lambdaError("Runtime.ExitError", message);
        status = "error";
        errorType = first.outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError";
        await this.dispose();
      }
    }

    const initDurationMs = coldStart ? this.init.durationMs : undefined;
    const report: Report = {
      requestId: request.requestId,
      durationMs: round2(durationMs),
      // Since 1 August 2025 a cold start bills init and invoke together.
      billedDurationMs: billedDurationMs(
        round2(durationMs) + (initDurationMs !== undefined ? round2(initDurationMs) : 0),
      ),
      memorySizeMb: fn.memoryMb,
      maxMemoryUsedMb: Math.max(1, sandbox.peakMemoryMb()),
      ...(initDurationMs !== undefined ? { initDurationMs: round2(initDurationMs) } : {}),
      ...(status ? { status } : {}),
      ...(errorType ? { errorType } : {}),
    };
    for (const line of endLines(fn.logFormat, report)) this.log(line);
    this.invocationLogs = undefined;
    this.busy = false;
    return {
      requestId: request.requestId,
      result,
      report,
      logs,
      coldStart,
      sandbox: { ...sandbox.report, cpuShare: sandbox.appliedCpuShare, clamped: sandbox.clamped },
    };
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
  ): NodeJS.ProcessEnv {
    const { fn, version, region } = this.settings;
    const passThrough = [
      "PATH",
      "HOME",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
    ];
    const inherited = Object.fromEntries(
      passThrough
        .filter((name) => process.env[name] !== undefined)
        .map((name) => [name, process.env[name]]),
    );
    return {
      ...inherited,
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      ...fn.environment,
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
