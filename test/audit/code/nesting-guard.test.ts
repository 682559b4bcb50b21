/**
 * The scan that keeps oxc-parser from overflowing its native stack (a
 * SIGSEGV no try/catch sees): hostile nesting is refused, real code and
 * brackets inside strings, comments, regular expressions and template text
 * are not.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  javascriptNestingProblem,
  MAX_BRACKET_DEPTH,
  MAX_TOKEN_RUN,
} from "../../../src/audit/code/nesting-guard.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sourcesUnder(path);
    return /\.(m|c)?(j|t)sx?$/.test(name) ? [path] : [];
  });
}

describe("javascriptNestingProblem", () => {
  it("refuses 10,000 nested parentheses (20 KB), naming where the limit was passed", () => {
    const text = `export const handler = async () => ${"(".repeat(10_000)}1${")".repeat(10_000)};`;
    const problem = javascriptNestingProblem(text);
    expect(problem?.message).toBe(
      "nested more than 1000 brackets deep: not parsed (the parser would overflow its stack)",
    );
    expect(problem?.offset).toBe("export const handler = async () => ".length + MAX_BRACKET_DEPTH);
  });

  it("refuses deep object literals, arrays, blocks and template literals", () => {
    const depth = MAX_BRACKET_DEPTH + 1;
    for (const text of [
      `x = ${"({a:".repeat(depth)}1${"})".repeat(depth)};`,
      `x = ${"[".repeat(depth)}${"]".repeat(depth)};`,
      `if (a) ${"{".repeat(depth)}${"}".repeat(depth)}`,
      `x = ${"`${".repeat(depth)}1${"}`".repeat(depth)};`,
    ]) {
      expect(javascriptNestingProblem(text)?.message, text.slice(0, 12)).toMatch(
        /^nested more than 1000 brackets deep/,
      );
    }
  });

  it("refuses chains that nest with no bracket: !!!…, ternaries, arrows, await, 1+1+…", () => {
    const n = MAX_TOKEN_RUN + 1;
    for (const text of [
      `x = ${"!".repeat(n)}1;`,
      `x = ${"a?b:".repeat(n)}c;`,
      `x = ${"a=>".repeat(n)}1;`,
      `async function f() { return ${"await ".repeat(n)}1 }`,
      `x = 1${"+1".repeat(n)};`,
    ]) {
      expect(javascriptNestingProblem(text)?.message, text.slice(0, 12)).toMatch(
        /^more than 2000 tokens chained with no bracket, comma or semicolon between them/,
      );
    }
  });

  it("does not count brackets in strings, comments, regular expressions or template text", () => {
    const many = "(".repeat(5000);
    const text = [
      `const a = "${many}";`,
      `const b = '${many}';`,
      `// ${many}`,
      `/* ${many} */`,
      `const c = /\\(${"[(]".repeat(2000)}/g;`,
      `const d = \`${many}\${"x"}${many}\`;`,
      "export const handler = async (event) => ({ ok: a / b / c });",
    ].join("\n");
    expect(javascriptNestingProblem(text)).toBeUndefined();
  });

  it("lets every source file of this project and its fixtures through", () => {
    const files = [...sourcesUnder(join(ROOT, "src")), ...sourcesUnder(join(ROOT, "test"))];
    expect(files.length).toBeGreaterThan(200);
    const refused = files.filter((file) => javascriptNestingProblem(readFileSync(file, "utf8")));
    expect(refused).toEqual([]);
  });
});
