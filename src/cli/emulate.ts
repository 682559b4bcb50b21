/** `lambda-optimizer emulate`: serve the Lambda API for local functions until Ctrl-C. */
import { Command } from "commander";
import { LambdaApiServer } from "../emulator/control-api/lambda-api-server.js";
import { Emulator } from "../emulator/emulator.js";
import { printJson } from "./format.js";
import { functionsToServe } from "./function-source.js";
import { invalid } from "./option-parsers.js";
import { parseSandboxMechanism, SANDBOX_FLAG_HELP } from "./sandbox-flags.js";
import { UsageError } from "./usage-error.js";

interface EmulateFlags {
  template?: string;
  port: string;
  host: string;
  region: string;
  maxConcurrency: string;
  sandbox?: string;
  throttleInit?: boolean;
  json?: boolean;
}

export function emulateCommand(): Command {
  return new Command("emulate")
    .summary("serve the Lambda API for local functions (point the AWS SDK or CLI at it)")
    .description(
      "Serve the Lambda API (Invoke, GetFunctionConfiguration, UpdateFunctionConfiguration,\n" +
        "PublishVersion, aliases, ...) for the functions of a template or one handler, on\n" +
        "127.0.0.1. Each function runs in execution environments with CPU and memory limited\n" +
        "as Lambda limits them. Stops every environment on Ctrl-C.",
    )
    .argument("[handler]", "one handler (app.mjs:handler) instead of --template")
    .option("--template <file>", "serve every function of this SAM/CloudFormation template")
    .option("--port <port>", "port to listen on (0 = any free port)", "9001")
    .option("--host <host>", "address to bind (loopback unless you mean otherwise)", "127.0.0.1")
    .option(
      "--region <region>",
      "the region functions see (AWS_REGION) and ARNs carry",
      "us-east-1",
    )
    .option("--max-concurrency <n>", "execution environments per function before 429s", "10")
    .option("--sandbox <mechanism>", SANDBOX_FLAG_HELP)
    .option("--throttle-init", "limit CPU during init too")
    .option("--json", "print {endpoint, functions, sandbox} as one JSON document once listening")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer emulate --template template.yaml\n" +
        "  $ aws lambda invoke --endpoint-url http://127.0.0.1:9001 --function-name HelloFunction out.json\n",
    )
    .action((handler: string | undefined, flags: EmulateFlags) => runEmulate(handler, flags));
}

async function runEmulate(handler: string | undefined, flags: EmulateFlags): Promise<void> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw invalid("--port", flags.port, "a port number from 0 to 65535");
  const maxConcurrency = Number(flags.maxConcurrency);
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    throw invalid("--max-concurrency", flags.maxConcurrency, "a whole number ≥ 1");
  }
  const sandboxMechanism = parseSandboxMechanism(flags.sandbox);
  const functions = functionsToServe(handler, flags);
  const emulator = new Emulator({
    functions,
    region: flags.region,
    maxEnvironmentsPerFunction: maxConcurrency,
    throttleInit: flags.throttleInit === true,
    ...(sandboxMechanism ? { sandboxMechanism } : {}),
  });
  const server = new LambdaApiServer(emulator);
  let endpoint: string;
  try {
    endpoint = await server.listen(port, flags.host);
  } catch (error) {
    await emulator.stop();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new UsageError(`--port ${port}: already in use (pick another, or 0 for any free port)`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
      throw invalid("--host", flags.host, "an address of this machine");
    throw error;
  }
  const sandbox = await emulator.sandbox();
  const summary = {
    endpoint,
    region: flags.region,
    functions: functions.map((fn) => ({
      name: fn.name,
      runtime: fn.runtime,
      memoryMb: fn.memoryMb,
      handler: fn.handler,
    })),
    sandbox,
  };
  if (flags.json) printJson(summary);
  else {
    process.stdout.write(`Lambda API listening on ${endpoint} (sandbox: ${sandbox.mechanism})\n`);
    for (const fn of summary.functions)
      process.stdout.write(`  ${fn.name}  ${fn.runtime}  ${fn.memoryMb} MB  ${fn.handler}\n`);
    process.stdout.write(
      `Try: aws lambda invoke --endpoint-url ${endpoint} --function-name ${functions[0]!.name} out.json\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  process.stderr.write("Stopping every execution environment...\n");
  await server.close();
  await emulator.stop();
}
