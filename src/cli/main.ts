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
import { auditCommand } from "./audit.js";
import { compareCommand } from "./compare.js";
import { costCommand } from "./cost.js";
import { doctorCommand } from "./doctor.js";
import { emulateCommand } from "./emulate.js";
import { invokeCommand } from "./invoke.js";
import { mcpCommand } from "./mcp.js";
import { metricsCommand } from "./metrics.js";
import { planCommand } from "./plan.js";
import { tuneCommand } from "./tune.js";

export function buildProgram(): Command {
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
  program.addCommand(costCommand());
  program.addCommand(tuneCommand());
  program.addCommand(compareCommand());
  program.addCommand(metricsCommand());
  program.addCommand(planCommand());
  program.addCommand(auditCommand());
  program.addCommand(invokeCommand());
  program.addCommand(emulateCommand());
  program.addCommand(doctorCommand());
  program.addCommand(mcpCommand());
  for (const command of program.commands)
    command
      .exitOverride()
      .configureOutput(program.configureOutput())
      // Kept beside what a command configured for itself (plan's long flags need a narrower wrap).
      .configureHelp({ ...command.configureHelp(), commandDescription: flowingDescription });
  return program;
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
    await buildProgram().parseAsync(argv, { from: "user" });
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
