/**
 * Dependencies point inward: the core (everything in src/ but the command
 * line) never imports src/cli, so a library caller or another surface gets
 * the core without the CLI.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
const CLI = join(SRC, "cli");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Relative module specifiers of static imports, re-exports and dynamic imports. */
function importedPaths(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)];
  return specifiers.map((match) => resolve(dirname(file), match[1]!));
}

describe("the import graph", () => {
  it("has no import of src/cli outside src/cli", () => {
    const offending = sourceFiles(SRC)
      .filter((file) => !file.startsWith(`${CLI}/`))
      .flatMap((file) =>
        importedPaths(file)
          .filter((target) => target.startsWith(`${CLI}/`))
          .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
      );
    expect(offending).toEqual([]);
  });
});
