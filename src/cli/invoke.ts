/** `lambda-optimizer invoke`: one invocation in a fresh embedded emulator. */
import { Command } from "commander";
import { Emulator } from "../emulator/emulator.js";
import { type InvocationReport, invocationReport } from "../emulator/invocation-report.js";
import { LambdaApiError } from "../emulator/lambda-error.js";
import { UsageError } from "../errors.js";
import { formatNumber } from "../format.js";
import { MEMORY_MB, TIMEOUT_SECONDS } from "../lambda/limits.js";
import { printJson } from "./format.js";
import { functionToInvoke, readPayload } from "./function-source.js";
import { handlerNotFoundError } from "./handler-not-found.js";
import { parseInRange } from "./option-parsers.js";
import { emulatorProgress, warnAboutInterpreter } from "./runtime-warnings.js";
import {
  type FunctionAwsFlags,
  missingCredentialsNote,
  parseFunctionAwsFlags,
  parseSandboxMechanism,
  withLocalRunFlags,
} from "./sandbox-flags.js";

interface InvokeFlags extends FunctionAwsFlags {
  template?: string;
  env?: string[];
  memory?: string;
  timeout?: string;
  payload?: string;
  payloadFile?: string;
  sandbox?: string;
  throttleInit?: boolean;
  json?: boolean;
}

export function invokeCommand(): Command {
  return withLocalRunFlags(
    new Command("invoke")
      .summary("run one invocation on the embedded emulator and show its response, logs and REPORT")
      .description(
        "Run a handler once, in a fresh embedded Lambda emulator, with CPU limited in proportion\n" +
          "to memory as Lambda limits it (1,769 MB = one vCPU). Prints the response, the function's\n" +
          "logs and the REPORT figures (duration, billed duration, max memory used, init duration).",
      )
      .argument(
        "[target]",
        "a handler (app.mjs:handler, app.py:lambda_handler, src/fn.ts:main, path/to/bootstrap), or with --template a logical id",
      )
      .option("--template <file>", "a SAM/CloudFormation template holding the function")
      .option("--memory <mb>", "memory size in MB (128–10240); default: the template's, else 128")
      .option("--timeout <seconds>", "timeout in seconds (1–900); default: the template's, else 3")
      .option("--payload <json>", "the event, as JSON", undefined)
      .option("--payload-file <file>", "read the event from a JSON file"),
  )
    .option("--throttle-init", "limit CPU during init too (Lambda runs init at full speed)")
    .option("--json", "print one JSON document (shape: docs/commands/invoke.md)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer invoke examples/cpu-bound/handler.mjs:handler --memory 128\n" +
        '  $ lambda-optimizer invoke --template template.yaml HelloFunction --payload \'{"name":"x"}\'\n' +
        "  $ lambda-optimizer invoke app.py:lambda_handler --payload-file event.json --json\n" +
        "  $ lambda-optimizer invoke --template template.yaml Orders --aws-endpoint-url http://127.0.0.1:5000\n",
    )
    .action((target: string | undefined, flags: InvokeFlags) => runInvoke(target, flags));
}

async function runInvoke(target: string | undefined, flags: InvokeFlags): Promise<void> {
  const payload = readPayload(flags);
  const sandboxMechanism = parseSandboxMechanism(flags.sandbox);
  const awsAccess = parseFunctionAwsFlags(flags);
  const base = functionToInvoke(target, flags);
  const fn = {
    ...base,
    ...(flags.memory !== undefined
      ? { memoryMb: parseInRange("--memory", flags.memory, MEMORY_MB) }
      : {}),
    ...(flags.timeout !== undefined
      ? { timeoutSeconds: parseInRange("--timeout", flags.timeout, TIMEOUT_SECONDS) }
      : {}),
  };
  const emulator = new Emulator({
    functions: [fn],
    throttleInit: flags.throttleInit === true,
    awsAccess,
    ...(sandboxMechanism ? { sandboxMechanism } : {}),
    onProgress: emulatorProgress(),
  });
  try {
    // Up front: a Node.js binary to fetch is fetched (and said) before the invocation.
    await emulator.interpreter(fn.name);
    const result = await emulator.invoke(fn.name, { payload, logType: "Tail" });
    const report = invocationReport(fn.name, result);
    const notFound = handlerNotFoundMessage(report);
    if (notFound !== undefined) throw await handlerNotFoundError(fn, notFound);
    // After the usage errors, which stay one line on stderr.
    warnAboutInterpreter(result.record!.interpreter);
    if (flags.json) printJson(report);
    else process.stdout.write(renderInvocation(report));
    const note = missingCredentialsNote(awsAccess, errorDocument(report)?.errorType);
    if (report.functionError !== null && note !== undefined) process.stderr.write(note);
  } catch (error) {
    if (error instanceof LambdaApiError && error.statusCode < 500)
      throw new UsageError(error.message);
    throw error;
  } finally {
    await emulator.stop();
  }
}

/** The error document of a failed invocation: {errorType, errorMessage}, when it is one. */
function errorDocument(
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

function renderInvocation(document: InvocationReport): string {
  const { report } = document;
  const lines = [
    document.functionError ? `Function error (${document.functionError}):` : "Response:",
    typeof document.payload === "string"
      ? document.payload
      : JSON.stringify(document.payload, null, 2),
    "",
    "Logs:",
    ...document.logs.map((line) => `  ${line.replaceAll("\r", "\n    ")}`),
    "",
    `Duration ${formatNumber(report.durationMs)} ms, billed ${formatNumber(report.billedDurationMs)} ms` +
      (report.initDurationMs !== undefined
        ? ` (cold start: init ${formatNumber(report.initDurationMs)} ms)`
        : "") +
      `, memory ${report.maxMemoryUsedMb} of ${report.memorySizeMb} MB` +
      `; CPU ${formatNumber(document.sandbox.cpuShare, 3)} vCPU via ${document.sandbox.mechanism}` +
      (document.sandbox.clamped ? " (clamped to this host's CPUs)" : ""),
  ];
  return `${lines.join("\n")}\n`;
}
