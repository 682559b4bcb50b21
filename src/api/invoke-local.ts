/**
 * One invocation of a local function on a fresh embedded emulator: the
 * response, the logs and the REPORT (InvocationReport). `lambda-optimizer
 * invoke`, a library caller and the MCP invoke_local tool all run it here.
 *
 * A function that throws is a result (functionError "Unhandled"), as on
 * Lambda; a handler that names no export of its file is the caller's typo,
 * a UsageError naming the file's exports. The emulator is stopped whatever
 * happens.
 */
import { Emulator } from "../emulator/emulator.js";
import { localFunction } from "../emulator/functions/local-function.js";
import { type InvocationReport, invocationReport } from "../emulator/invocation-report.js";
import { LambdaApiError } from "../emulator/lambda-error.js";
import { UsageError } from "../errors.js";
import { readEventPayload } from "../event-payload.js";
import { fieldName, type OptionName, parseOptions } from "../options.js";
import { handlerNotFoundError } from "./handler-not-found.js";
import {
  type InvokeLocalOptions,
  type InvokeLocalOptionsInput,
  InvokeLocalOptionsSchema,
} from "./invoke-local-options.js";

export interface InvokeLocalHooks {
  /** The template's warnings (an unresolved reference, a property the emulator ignores). */
  readonly onWarning?: (warning: string) => void;
  /** The emulator's own long work before the invocation (fetching a Node.js binary), a line at a time. */
  readonly onEmulatorProgress?: (line: string) => void;
  /** How the caller names the options in a message (default: their own names; the CLI: its flags). */
  readonly nameOf?: OptionName;
  /** Stop the invocation: the emulator and the function's processes are stopped, and the call throws InvocationAborted. */
  readonly signal?: AbortSignal;
}

/** The invocation was stopped by the caller's signal before it finished. */
export class InvocationAborted extends Error {
  override readonly name = "InvocationAborted";
}

/** Invoke the function once. */
export async function invokeLocal(
  input: InvokeLocalOptionsInput,
  hooks: InvokeLocalHooks = {},
): Promise<InvocationReport> {
  return invokeLocalChecked(
    parseOptions(InvokeLocalOptionsSchema, input, hooks.nameOf ?? fieldName),
    hooks,
  );
}

/** Invoke with options already checked by InvokeLocalOptionsSchema (the MCP server checks them first). */
export async function invokeLocalChecked(
  options: InvokeLocalOptions,
  hooks: InvokeLocalHooks = {},
): Promise<InvocationReport> {
  const nameOf = hooks.nameOf ?? fieldName;
  const { target } = options;
  const payload =
    options.payload !== undefined
      ? Buffer.from(options.payload)
      : Buffer.from(readEventPayload({ payloadFile: options.payloadFile }, nameOf).text, "utf8");
  const { definition } = localFunction(target.source, {
    environmentOverrides: target.env,
    ...(hooks.onWarning ? { onWarning: hooks.onWarning } : {}),
    nameOf: (path) => nameOf(["target", ...path]),
  });
  const fn = {
    ...definition,
    ...(options.memoryMb !== undefined ? { memoryMb: options.memoryMb } : {}),
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
  };
  const emulator = new Emulator({
    functions: [fn],
    region: target.region,
    throttleInit: options.throttleInit,
    awsAccess: target.awsAccess,
    ...(target.sandbox ? { sandboxMechanism: target.sandbox } : {}),
    ...(hooks.onEmulatorProgress ? { onProgress: hooks.onEmulatorProgress } : {}),
  });
  try {
    // Up front: a Node.js binary to fetch is fetched (and said) before the invocation.
    await emulator.interpreter(fn.name);
    const result = await untilAborted(
      emulator.invoke(fn.name, { payload, logType: "Tail" }),
      hooks.signal,
    );
    const report = invocationReport(fn.name, result);
    const notFound = handlerNotFoundMessage(report);
    if (notFound !== undefined) throw await handlerNotFoundError(fn, notFound);
    return report;
  } catch (error) {
    // The Lambda API refused the request itself (too large a payload): the caller's mistake.
    if (error instanceof LambdaApiError && error.statusCode < 500)
      throw new UsageError(error.message);
    throw error;
  } finally {
    await emulator.stop();
  }
}

/** The error document of a failed invocation: {errorType, errorMessage}, when it is one. */
export function errorDocument(
  report: InvocationReport,
): { errorType?: unknown; errorMessage?: unknown } | undefined {
  const { functionError, payload } = report;
  if (functionError === null || typeof payload !== "object" || payload === null) return undefined;
  return payload as { errorType?: unknown; errorMessage?: unknown };
}

/** The runtime's message when the handler named no export of its file (a typo), else undefined. */
function handlerNotFoundMessage(report: InvocationReport): string | undefined {
  const error = errorDocument(report);
  if (error?.errorType !== "Runtime.HandlerNotFound") return undefined;
  return typeof error.errorMessage === "string"
    ? error.errorMessage
    : "the handler is not exported";
}

/**
 * The invocation, or InvocationAborted as soon as the signal fires: the
 * caller's `finally` then stops the emulator, which ends the function's
 * processes, and the invocation's own outcome is dropped.
 */
function untilAborted<T>(invocation: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return invocation;
  invocation.catch(() => undefined); // settled after the abort: nobody waits for it
  if (signal.aborted) return Promise.reject(new InvocationAborted("the invocation was cancelled"));
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new InvocationAborted("the invocation was cancelled"));
    signal.addEventListener("abort", abort, { once: true });
    invocation.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
