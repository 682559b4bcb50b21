/**
 * Open the function a tune runs against, as a Lambda API the tuner speaks to:
 *
 * - a local function (handler or template) on a fresh embedded emulator,
 *   served by its own Lambda API server on 127.0.0.1, so a local run takes the
 *   same path through the AWS SDK as a run on AWS;
 * - a deployed function through the Lambda API of AWS, or of `endpointUrl`.
 *
 * This is the tuner's one edge that starts the emulator: runTuning itself
 * only ever speaks the Lambda API. `close()` stops what was opened.
 */
import { relative, sep } from "node:path";
import type { AwsRetry } from "../aws/client-config.js";
import { createLambdaClient } from "../aws/lambda-client.js";
import { LambdaApiServer } from "../emulator/control-api/lambda-api-server.js";
import { Emulator } from "../emulator/emulator.js";
import { localFunction } from "../emulator/functions/local-function.js";
import { readCachedLawCheck } from "../emulator/law-check-cache.js";
import { interpreterReport } from "../emulator/runtimes/interpreter.js";
import type { SandboxMechanism } from "../emulator/sandbox/index.js";
import { fieldName, type OptionName } from "../options.js";
import { hashCodeFolder } from "../tuning/code-hash.js";
import { LambdaTarget } from "../tuning/lambda-target.js";
import type { TuningTarget } from "../tuning/run-tuning.js";
import type { LawCheckSummary, Metric, TunedCode } from "../tuning/tune-result.js";
import type { AwsTargetOptions, LocalTargetOptions, TargetOptions } from "./target-options.js";

export interface OpenedTarget {
  readonly target: TuningTarget;
  close(): Promise<void>;
}

export interface OpenTargetHooks {
  /** Each retry the AWS SDK makes (throttling, a dropped connection): for a progress note. */
  readonly onRetry?: (retry: AwsRetry) => void;
  /** What a person should know about a local function: its template's warnings, an interpreter other than the declared one. */
  readonly onWarning?: (warning: string) => void;
  /** The emulator's own long work before the first run (fetching a Node.js binary), a line at a time. */
  readonly onEmulatorProgress?: (line: string) => void;
  /** How the caller names the options in a message found while opening (default: their own names). */
  readonly nameOf?: OptionName;
}

/**
 * `concurrency` is how many invocations the run may have in flight at once:
 * a local function gets at least as many execution environments.
 */
export async function openTarget(
  target: TargetOptions,
  concurrency: number,
  hooks: OpenTargetHooks = {},
  metric: Metric = "duration",
): Promise<OpenedTarget> {
  return target.kind === "local"
    ? openLocal(target, concurrency, hooks)
    : openDeployed(target, hooks, metric);
}

async function openLocal(
  target: LocalTargetOptions,
  concurrency: number,
  hooks: OpenTargetHooks,
): Promise<OpenedTarget> {
  const nameOf = hooks.nameOf ?? fieldName;
  const { definition: fn, local } = localFunction(target.source, {
    environmentOverrides: target.env,
    ...(hooks.onWarning ? { onWarning: hooks.onWarning } : {}),
    nameOf: (path) => nameOf(["target", ...path]),
  });
  // Each answer's time to first byte as the emulator measured it, until the tuner reads it.
  const firstBytes = new Map<string, number | null>();
  const emulator = new Emulator({
    functions: [fn],
    region: target.region,
    maxEnvironmentsPerFunction: Math.max(10, concurrency),
    awsAccess: target.awsAccess,
    ...(target.sandbox ? { sandboxMechanism: target.sandbox } : {}),
    ...(hooks.onEmulatorProgress ? { onProgress: hooks.onEmulatorProgress } : {}),
    onInvocation: (record) => firstBytes.set(record.requestId, record.response.ttfbMs),
  });
  const firstByteTimes = (requestId: string) => {
    const ttfbMs = firstBytes.get(requestId);
    firstBytes.delete(requestId);
    return ttfbMs;
  };
  try {
    // Before the first configuration: a Node.js binary to fetch is fetched here, not in a cold start.
    const interpreter = await emulator.interpreter(fn.name);
    if (interpreter.warning) hooks.onWarning?.(interpreter.warning);
    const sandbox = await emulator.sandbox();
    const lawCheck = hostLawCheck(sandbox.mechanism);
    const server = new LambdaApiServer(emulator);
    const endpointUrl = await server.listen(0);
    const client = createLambdaClient({
      region: target.region,
      endpointUrl,
      anonymous: true,
      ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
    });
    return {
      target: {
        lambda: new LambdaTarget(client, fn.name, { reported: firstByteTimes }),
        kind: "local",
        region: target.region,
        endpointUrl,
        local,
        // Every configuration runs on this CPU, whatever architecture it is given.
        hostArchitecture: process.arch === "arm64" ? "arm64" : "x86_64",
        sandbox: {
          mechanism: sandbox.mechanism,
          memoryEnforcement: sandbox.memoryEnforcement,
          hostCpus: sandbox.hostCpus,
          lawCheck,
        },
        runtime: interpreterReport(interpreter),
        code: localCode(fn.codeDir),
      },
      close: async () => {
        client.destroy();
        await server.close();
        await emulator.stop();
      },
    };
  } catch (error) {
    await emulator.stop();
    throw error;
  }
}

/**
 * The local function's code as tuned: its code folder's hash, with the folder relative to the
 * current folder (where the run is saved), so a later `metrics` or `compare` hashes it again.
 */
function localCode(codeDir: string): TunedCode | null {
  const hashed = hashCodeFolder(codeDir);
  if (!hashed) return null;
  const folder = relative(process.cwd(), codeDir).split(sep).join("/") || ".";
  return { kind: "folder", sha256: hashed.sha256, folder };
}

/**
 * How faithfully the sandbox gives CPU in proportion to memory here: the check `doctor --check`
 * kept for this host and mechanism, or null when none was kept (the report then says so). A
 * tune never measures it itself: a check taken while the host is busy with other work would
 * warn, or fail to warn, on the strength of that moment, and it would cost every run seconds.
 */
function hostLawCheck(mechanism: SandboxMechanism): LawCheckSummary | null {
  const check = readCachedLawCheck(mechanism);
  if (check === undefined) return null;
  const { ratio, law, error, withinTolerance, checkedAt } = check;
  return {
    ratio,
    law,
    error,
    withinTolerance,
    checkedAt,
    cached: true,
    otherCpuShare: check.otherCpuShare ?? null,
  };
}

/**
 * A deployed function: its Invoke says nothing of when the first byte left, so with
 * `--metric ttfb` the tuner invokes through InvokeWithResponseStream and times it itself.
 */
function openDeployed(
  target: AwsTargetOptions,
  hooks: OpenTargetHooks,
  metric: Metric,
): OpenedTarget {
  const client = createLambdaClient({
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.endpointUrl ? { endpointUrl: target.endpointUrl } : {}),
    ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
  });
  return {
    target: {
      lambda: new LambdaTarget(client, target.functionName, {
        timedByClient: metric === "ttfb",
      }),
      kind: "aws",
      region: target.region,
      ...(target.profile ? { profile: target.profile } : {}),
      ...(target.endpointUrl ? { endpointUrl: target.endpointUrl } : {}),
    },
    close: async () => client.destroy(),
  };
}
