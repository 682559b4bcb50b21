/**
 * Hostile templates given to the commands that run a template's functions
 * (`tune`, `invoke`, `emulate`): an alias bomb and thousands of nested flow
 * collections are bad input — exit 2 with one line naming the file, never a
 * stack trace or a hang.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const FUNCTION = (description: string) =>
  [
    "Resources:",
    "  Fn:",
    "    Type: AWS::Serverless::Function",
    "    Properties:",
    "      Handler: app.handler",
    "      Runtime: nodejs22.x",
    "      CodeUri: .",
    `      Description: ${description}`,
    "",
  ].join("\n");

/** "Billion laughs": ten levels of ten aliases each, 10^10 nodes once expanded. */
function aliasBomb(): string {
  const levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
  for (let level = 1; level < 10; level++) {
    levels.push(
      `a${level}: &a${level} [${Array(10)
        .fill(`*a${level - 1}`)
        .join(", ")}]`,
    );
  }
  return `${levels.join("\n")}\n${FUNCTION("*a9")}`;
}

const DEPTH = 100_000;

function write(name: string, text: string): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-bomb-"));
  const file = join(folder, name);
  writeFileSync(file, text);
  return file;
}

const HOSTILE = [
  { name: "alias-bomb.yaml", text: aliasBomb(), problem: /alias bomb/ },
  {
    name: "deep.yaml",
    text: FUNCTION(`${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`),
    problem: /nested too deeply/,
  },
  {
    name: "deep.json",
    text: `{"Resources": {"Fn": ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}}}`,
    problem: /nested too deeply/,
  },
];

describe("hostile templates given to tune, invoke and emulate", () => {
  for (const { name, text, problem } of HOSTILE) {
    for (const command of ["tune", "invoke", "emulate"]) {
      it(`${command} --template ${name}: exit 2, one line naming the file`, () => {
        const file = write(name, text);
        const result = runCli([command, "--template", file]);
        expect(result.status).toBe(2);
        const lines = result.stderr.trimEnd().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(file);
        expect(lines[0]).toMatch(problem);
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.stdout).toBe("");
      });
    }
  }
});
