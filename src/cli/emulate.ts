/** `lambda-optimizer emulate`: serve the Lambda API for local functions until Ctrl-C. */
import { Command } from "commander";
import { isLoopbackHost } from "../emulator/control-api/browser-guard.js";
import { LambdaApiServer } from "../emulator/control-api/lambda-api-server.js";
import { generateAuthToken } from "../emulator/control-api/token-auth.js";
import { Emulator } from "../emulator/emulator.js";
import { emulatorStarted } from "../emulator/emulator-started.js";
import type { RuntimeInterpreter } from "../emulator/runtimes/interpreter.js";
import { UsageError } from "../errors.js";
import { printJson } from "./format.js";
import { functionsToServe } from "./function-source.js";
import { collect, invalid } from "./option-parsers.js";
import { emulatorProgress, warnAboutInterpreter } from "./runtime-warnings.js";
import {
  type FunctionAwsFlags,
  parseFunctionAwsFlags,
  parseSandboxMechanism,
  withLocalRunFlags,
} from "./sandbox-flags.js";

interface EmulateFlags extends FunctionAwsFlags {
  template?: string;
  env?: string[];
  port: string;
  host: string;
  region: string;
  maxConcurrency: string;
  sandbox?: string;
  throttleInit?: boolean;
  json?: boolean;
  authToken?: string;
  allowOrigin: string[];
  allowHost: string[];
  allowCodeEnv?: boolean;
}

export function emulateCommand(): Command {
  return withLocalRunFlags(
    new Command("emulate")
      .summary("serve the Lambda API for local functions (point the AWS SDK or CLI at it)")
      .description(
        "Serve the Lambda API (Invoke, GetFunctionConfiguration, UpdateFunctionConfiguration,\n" +
          "PublishVersion, aliases, ...) for the functions of a template or one handler, on\n" +
          "127.0.0.1. Each function runs in execution environments with CPU and memory limited\n" +
          "as Lambda limits them. Stops every environment on Ctrl-C.\n\n" +
          "Function URLs (the template's FunctionUrlConfig or AWS::Lambda::Url, or made with\n" +
          "create-function-url-config) are served on 127.0.0.1, each on a port of its own,\n" +
          "BUFFERED or RESPONSE_STREAM; AWS_IAM is not enforced locally.\n\n" +
          "Web pages cannot call it: requests must name it by a loopback address or the bound\n" +
          "one (Host), and requests a browser marks (Origin, Sec-Fetch-Site) are refused.\n" +
          "Beyond loopback (--host) every request must be signed with an access token.",
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
      .option("--max-concurrency <n>", "execution environments per function before 429s", "10"),
  )
    .option("--throttle-init", "limit CPU during init too")
    .option(
      "--auth-token <token>",
      "require requests signed (SigV4) with this as the secret access key, or Authorization: Bearer <token>; generated and printed when --host is not loopback",
    )
    .option(
      "--allow-origin <origin>",
      "serve browser requests from this origin, e.g. http://localhost:3000 (repeatable)",
      collect,
      [],
    )
    .option(
      "--allow-host <name>",
      "accept this Host name too, e.g. host.docker.internal (repeatable)",
      collect,
      [],
    )
    .option(
      "--allow-code-env",
      "let UpdateFunctionConfiguration set variables that load code (NODE_OPTIONS, LD_PRELOAD, PYTHONPATH, ...)",
    )
    .option(
      "--json",
      "print one JSON document once listening: endpoint, functions, sandbox (shape: docs/commands/emulate.md)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  $ lambda-optimizer emulate --template template.yaml\n" +
        "  $ aws lambda invoke --endpoint-url http://127.0.0.1:9001 --function-name HelloFunction out.json\n" +
        '  $ lambda-optimizer emulate --template template.yaml --host 0.0.0.0 --auth-token "$TOKEN"\n' +
        '  $ AWS_SECRET_ACCESS_KEY="$TOKEN" aws lambda invoke --endpoint-url http://HOST:9001 --function-name HelloFunction out.json\n',
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
  const awsAccess = parseFunctionAwsFlags(flags);
  const authToken = parseAuthToken(flags.authToken);
  for (const origin of flags.allowOrigin) parseOrigin(origin);
  const beyondLoopback = !isLoopbackHost(flags.host);
  const token = authToken ?? (beyondLoopback ? generateAuthToken() : undefined);
  const functions = functionsToServe(handler, flags);
  const emulator = new Emulator({
    functions,
    region: flags.region,
    maxEnvironmentsPerFunction: maxConcurrency,
    throttleInit: flags.throttleInit === true,
    awsAccess,
    ...(sandboxMechanism ? { sandboxMechanism } : {}),
    onProgress: emulatorProgress(),
  });
  // Before listening: Node.js binaries to fetch are fetched now, not inside a client's first Invoke.
  let interpreters: RuntimeInterpreter[];
  try {
    interpreters = await Promise.all(functions.map((fn) => emulator.interpreter(fn.name)));
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  // One warning per runtime, however many functions declare it.
  for (const interpreter of new Set(interpreters)) warnAboutInterpreter(interpreter);
  const server = new LambdaApiServer(emulator, {
    ...(token ? { authToken: token } : {}),
    allowedOrigins: flags.allowOrigin,
    allowedHosts: flags.allowHost,
    allowCodeEnvironment: flags.allowCodeEnv === true,
  });
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
  try {
    // The URLs the template declares: each served on 127.0.0.1, on a port of its own.
    await emulator.functionUrls.startDeclared();
  } catch (error) {
    await server.close();
    await emulator.stop();
    throw error;
  }
  if (beyondLoopback) {
    process.stderr.write(
      `warning: --host ${flags.host} serves the Lambda API beyond this machine's loopback: anyone who can reach it and holds the access token can run code as you\n`,
    );
  }
  const started = await emulatorStarted(emulator, {
    endpoint,
    ...(token && !authToken ? { generatedAuthToken: token } : {}),
  });
  if (flags.json) printJson(started);
  else {
    process.stdout.write(
      `Lambda API listening on ${endpoint} (sandbox: ${started.sandbox.mechanism})\n`,
    );
    if (token && !authToken) {
      process.stdout.write(
        `Access token: ${token}\n  (sign with it as the secret access key: AWS_SECRET_ACCESS_KEY=<token>, any access key id)\n`,
      );
    }
    for (const fn of started.functions) {
      const ranOn = fn.interpreter.ranOn ? ` (on ${fn.interpreter.ranOn})` : "";
      process.stdout.write(
        `  ${fn.name}  ${fn.runtime}${ranOn}  ${fn.memoryMb} MB  ${fn.handler}\n`,
      );
      if (fn.functionUrl) {
        const auth = fn.functionUrl.authType === "AWS_IAM" ? ", AWS_IAM not enforced locally" : "";
        process.stdout.write(
          `    Function URL: ${fn.functionUrl.url} (${fn.functionUrl.invokeMode}${auth})\n`,
        );
      }
    }
    process.stdout.write(
      `Try: ${token ? "AWS_SECRET_ACCESS_KEY=<token> " : ""}aws lambda invoke --endpoint-url ${endpoint} --function-name ${started.functions[0]!.name} out.json\n`,
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

/** A token: at least 16 visible ASCII characters, so it can be typed and sent as a header. */
function parseAuthToken(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{16,}$/.test(value)) {
    throw invalid("--auth-token", value, "at least 16 visible ASCII characters, no spaces");
  }
  return value;
}

/** An origin as a browser sends it: scheme://host[:port], nothing after. */
function parseOrigin(value: string): void {
  let origin: string | undefined;
  try {
    origin = new URL(value).origin;
  } catch {
    origin = undefined;
  }
  if (!origin || origin === "null" || origin !== value.replace(/\/+$/, "").toLowerCase()) {
    throw invalid("--allow-origin", value, "an origin such as http://localhost:3000");
  }
}
