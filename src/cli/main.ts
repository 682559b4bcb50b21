#!/usr/bin/env node
/**
 * The lambda-optimizer CLI. Each command lives in its own file and returns a
 * commander Command; this file wires them up and turns errors into the exit
 * codes every command keeps: 2 for the user's mistakes (one line, no stack),
 * 3 for failures at run time.
 */
import { Command, CommanderError } from "commander";
import { EXIT, UsageError } from "../errors.js";
import { VERSION } from "../version.js";

/**
 * Every command, in the order help lists them, each loaded only when wanted: a
 * command's module brings its part of the library (the AWS SDK, the emulator,
 * the audit rules), and loading all of them costs more than half a second at
 * every start.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  cost: async () => (await import("./cost.js")).costCommand(),
  tune: async () => (await import("./tune.js")).tuneCommand(),
  compare: async () => (await import("./compare.js")).compareCommand(),
  metrics: async () => (await import("./metrics.js")).metricsCommand(),
  plan: async () => (await import("./plan.js")).planCommand(),
  "dynamodb-billing": async () => (await import("./dynamodb-billing.js")).dynamoDbBillingCommand(),
  esm: async () => (await import("./esm.js")).esmCommand(),
  audit: async () => (await import("./audit.js")).auditCommand(),
  invoke: async () => (await import("./invoke.js")).invokeCommand(),
  emulate: async () => (await import("./emulate.js")).emulateCommand(),
  doctor: async () => (await import("./doctor.js")).doctorCommand(),
  mcp: async () => (await import("./mcp.js")).mcpCommand(),
};

/**
 * The program with the command `argv` runs, or with every command when `argv`
 * names none of them (help, --version, a mistyped name that wants suggestions).
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command("lambda-optimizer")
    .description(
      "Make AWS Lambda functions cheaper and faster: measure, tune, audit and price them.",
    )
    .version(VERSION)
    .showSuggestionAfterError()
    .configureOutput({
      // Commander's own parse errors become our one-line usage errors.
      outputError: (message, write) =>
        write(`lambda-optimizer: ${message.replace(/^error: /, "").trim()}\n`),
    })
    .exitOverride();
  const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? [argv[0]] : undefined;
  for (const command of await Promise.all(
    (named ?? Object.keys(COMMANDS)).map((name) => COMMANDS[name]!()),
  ))
    program.addCommand(command);
  for (const command of withSubcommands(program.commands))
    command
      .exitOverride()
      .configureOutput(program.configureOutput())
      // Kept beside what a command configured for itself (plan's long flags need a narrower wrap).
      .configureHelp({ ...command.configureHelp(), commandDescription: flowingDescription });
  return program;
}

/** Commands and their subcommands (`esm simulate`), which keep the same exit codes and help. */
function withSubcommands(commands: readonly Command[]): Command[] {
  return commands.flatMap((command) => [command, ...withSubcommands(command.commands)]);
}

/**
 * A command's description as flowing paragraphs: its source is broken into lines for reading,
 * and those single line breaks would otherwise survive commander's own wrapping to the terminal
 * (a ragged column of half-lines). Blank lines between paragraphs stay.
 */
function flowingDescription(command: Command): string {
  return command.description().replace(/(?<!\n)\n(?!\n)/g, " ");
}

/**
 * An AWS error is reported in one line: a function or credentials the user
 * named that are not there is their mistake (2); anything else AWS says is a
 * runtime failure (3). Either way the tuner has already restored the function.
 */
function describeAwsError(error: unknown): { message: string; exitCode: number } | undefined {
  const candidate = error as { name?: string; message?: string; $metadata?: unknown };
  if (candidate?.name === "CredentialsProviderError") {
    return {
      message: `no AWS credentials: ${candidate.message} (set a profile with --profile or AWS_PROFILE)`,
      exitCode: EXIT.usage,
    };
  }
  if (!candidate || typeof candidate !== "object" || !("$metadata" in candidate)) return undefined;
  const message = `AWS ${candidate.name}: ${candidate.message}`;
  return {
    message,
    exitCode: candidate.name === "ResourceNotFoundException" ? EXIT.usage : EXIT.runtime,
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv, { from: "user" });
    // A command whose gate failed, or that was stopped, sets the exit code itself.
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version also end through exitOverride, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`lambda-optimizer: ${error.message}\n`);
      return EXIT.usage;
    }
    const aws = describeAwsError(error);
    if (aws) {
      process.stderr.write(`lambda-optimizer: ${aws.message}\n`);
      return aws.exitCode;
    }
    process.stderr.write(
      `lambda-optimizer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.runtime;
  }
}

// The AWS SDK warns on every run under Node.js 20, which this tool supports; the
// dependency range is ours to keep on versions that run on it (see package.json).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// `lambda-optimizer ... | head`: a reader that stops early is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
