/**
 * `--help` reads well for every command: descriptions flow as paragraphs, wrapped once to the
 * width, with no ragged half-lines left by line breaks in the source ("publish the /
 * configuration, warm it up…"), and nothing wider than the width.
 */
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";

const WIDTH = 80;

/** The description block of a command's help: between the usage line and the first section. */
function descriptionParagraphs(help: string): string[][] {
  const lines = help.split("\n");
  const end = lines.findIndex((line) => /^(Arguments|Options|Commands):$/.test(line));
  const paragraphs: string[][] = [[]];
  for (const line of lines.slice(1, end)) {
    if (line.trim() === "") paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  }
  return paragraphs.filter((paragraph) => paragraph.length > 0);
}

function helpOf(command: Command): string {
  command.configureOutput({ getOutHelpWidth: () => WIDTH, getErrHelpWidth: () => WIDTH });
  return command.helpInformation();
}

const program = await buildProgram();

describe("--help", () => {
  /** Every command, and each subcommand under its full name (`esm simulate`). */
  const everyCommand = (commands: readonly Command[], prefix = ""): [string, Command][] =>
    commands.flatMap((command) => [
      [`${prefix}${command.name()}`, command] as [string, Command],
      ...everyCommand(command.commands, `${prefix}${command.name()} `),
    ]);

  it.each(everyCommand(program.commands))(
    "%s: its description flows as paragraphs, no line wider than the terminal",
    (_name, command) => {
      const help = helpOf(command);
      const paragraphs = descriptionParagraphs(help);
      expect(paragraphs.length).toBeGreaterThan(0);
      for (const paragraph of paragraphs) {
        // Every line but a paragraph's last is filled: commander broke it near the width.
        for (const line of paragraph.slice(0, -1))
          expect(line.length, `ragged line in ${command.name()} --help: "${line}"`).toBeGreaterThan(
            WIDTH / 2,
          );
      }
      for (const line of help.split("\n"))
        expect(line.length, `too wide: "${line}"`).toBeLessThanOrEqual(WIDTH);
    },
  );

  it("names every command in the program's own help", () => {
    const help = helpOf(program);
    for (const command of program.commands) expect(help).toContain(command.name());
    expect(program.commands.map((command) => command.name()).sort()).toEqual([
      "audit",
      "compare",
      "cost",
      "doctor",
      "dynamodb-billing",
      "emulate",
      "esm",
      "invoke",
      "mcp",
      "metrics",
      "plan",
      "tune",
    ]);
  });
});
