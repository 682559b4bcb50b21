/** `lambda-optimizer invoke`: one invocation in a fresh embedded emulator. */
import { Command } from "commander";
import { errorDocument, invokeLocal } from "../api/invoke-local.js";
import { parseEnvironmentAssignments } from "../emulator/functions/environment-overrides.js";
import type { InvocationReport } from "../emulator/invocation-report.js";
import { UsageError } from "../errors.js";
import { MEMORY_MB, TIMEOUT_SECONDS } from "../lambda/limits.js";
import { flagName, type OptionName } from "../options.js";
import { describeInvocationReport, describeStreamedResponse } from "../report/invocation-text.js";
import { printJson } from "./format.js";
import { readPayload } from "./function-source.js";
import { parseInRange } from "./option-parsers.js";
import { emulatorProgress } from "./runtime-warnings.js";
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

/** The library's option names as this command's flags and argument. */
const invokeFlagName: OptionName = (path) => {
  const key = path.at(-1);
  if (key === "handler") return "the handler";
  if (key === "memoryMb") return "--memory";
  if (key === "timeoutSeconds") return "--timeout";
  if (key === "endpointUrl") return "--aws-endpoint-url";
  if (key === "passCredentials") return "--pass-aws-credentials";
  return flagName(path);
};

async function runInvoke(target: string | undefined, flags: InvokeFlags): Promise<void> {
  // Syntax here, in the flags' words; the library checks the rest and runs the invocation.
  const payload = readPayload(flags);
  const sandbox = parseSandboxMechanism(flags.sandbox);
  const awsAccess = parseFunctionAwsFlags(flags);
  const env = parseEnvironmentAssignments(flags.env ?? []);
  if (!flags.template && !target)
    throw new UsageError(
      "give a handler (e.g. app.mjs:handler) or --template template.yaml LogicalId",
    );
  const report = await invokeLocal(
    {
      target: {
        ...(flags.template
          ? { template: flags.template, ...(target ? { function: target } : {}) }
          : { handler: target as string }),
        ...(sandbox ? { sandbox } : {}),
        awsAccess,
        env,
      },
      payload,
      ...(flags.memory !== undefined
        ? { memoryMb: parseInRange("--memory", flags.memory, MEMORY_MB) }
        : {}),
      ...(flags.timeout !== undefined
        ? { timeoutSeconds: parseInRange("--timeout", flags.timeout, TIMEOUT_SECONDS) }
        : {}),
      throttleInit: flags.throttleInit === true,
    },
    {
      onWarning: (warning) => process.stderr.write(`warning: ${warning}\n`),
      onEmulatorProgress: emulatorProgress(),
      nameOf: invokeFlagName,
    },
  );
  // After the usage errors, which stay one line on stderr.
  if (report.runtime.warning) process.stderr.write(`warning: ${report.runtime.warning}\n`);
  if (flags.json) printJson(report);
  else process.stdout.write(renderInvocation(report));
  const note = missingCredentialsNote(awsAccess, errorDocument(report)?.errorType);
  if (report.functionError !== null && note !== undefined) process.stderr.write(note);
}

function renderInvocation(document: InvocationReport): string {
  const lines = [
    document.functionError ? `Function error (${document.functionError}):` : "Response:",
    typeof document.payload === "string"
      ? document.payload
      : JSON.stringify(document.payload, null, 2),
    "",
    "Logs:",
    ...document.logs.map((line) => `  ${line.replaceAll("\r", "\n    ")}`),
    "",
    describeInvocationReport(document),
  ];
  const streamed = describeStreamedResponse(document);
  if (streamed) lines.push(streamed);
  return `${lines.join("\n")}\n`;
}
