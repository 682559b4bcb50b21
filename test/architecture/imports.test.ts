/**
 * Dependencies point inward: the core (everything in src/ but the command
 * line) never imports src/cli, so a library caller or another surface gets
 * the core without the CLI; and the top-level folders of src/ import each
 * other without a circle, so each can be read, tested and reused from its
 * dependencies up; and the tuner never starts the emulator itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
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

  it("keeps the tuner off the emulator: tuning/ speaks only the Lambda API", () => {
    // A local tune starts the emulator in src/api/ (open-target.ts) and hands its endpoint to
    // the tuner, so local and AWS tuning stay one code path (design: "tuning/ never imports emulator/").
    const offending = sourceFiles(join(SRC, "tuning")).flatMap((file) =>
      importedPaths(file)
        .filter((target) => topFolder(target) === "emulator")
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(offending).toEqual([]);
  });

  it("has no cycle between the top-level folders of src/", () => {
    // folder -> folder it imports -> one import that shows it
    const edges = new Map<string, Map<string, string>>();
    for (const file of sourceFiles(SRC)) {
      const from = topFolder(file);
      if (from === undefined) continue;
      for (const target of importedPaths(file)) {
        const to = topFolder(target);
        if (to === undefined || to === from) continue;
        const out = edges.get(from) ?? new Map<string, string>();
        if (!out.has(to)) out.set(to, `${relative(SRC, file)} -> ${relative(SRC, target)}`);
        edges.set(from, out);
      }
    }
    expect(findCycle(edges)).toEqual([]);
  });
});

/** The top-level folder of src/ a path is in; undefined for files at src/'s root, which import nothing of the folders. */
function topFolder(path: string): string | undefined {
  const parts = relative(SRC, path).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** One cycle, as the imports that make it ("audit/x.ts -> template/y.ts", ...), or [] when there is none. */
function findCycle(edges: Map<string, Map<string, string>>): string[] {
  const done = new Set<string>();
  const visit = (folder: string, path: string[]): string[] => {
    const start = path.indexOf(folder);
    if (start >= 0) {
      const loop = [...path.slice(start), folder];
      return loop.slice(1).map((to, index) => edges.get(loop[index]!)!.get(to)!);
    }
    if (done.has(folder)) return [];
    for (const next of edges.get(folder)?.keys() ?? []) {
      const cycle = visit(next, [...path, folder]);
      if (cycle.length > 0) return cycle;
    }
    done.add(folder);
    return [];
  };
  for (const folder of edges.keys()) {
    const cycle = visit(folder, []);
    if (cycle.length > 0) return cycle;
  }
  return [];
}
