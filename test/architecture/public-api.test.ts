/**
 * What src/index.ts exports is the supported API: each name is chosen (no
 * `export *`, which would publish whatever a module happens to export) and
 * documented in docs/library.md, so the page cannot fall behind the code.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";

const INDEX = readFileSync(new URL("../../src/index.ts", import.meta.url), "utf8");
const PAGE = readFileSync(new URL("../../docs/library.md", import.meta.url), "utf8");

/** Every name in the export lists of src/index.ts, types included. */
function exportedNames(): string[] {
  return [...INDEX.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
    match[1]!
      .split(",")
      .map((name) => name.replace(/^\s*type\s+/, "").trim())
      .filter(Boolean),
  );
}

/** The names docs/library.md lists, in backticks. */
const documented = new Set([...PAGE.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]!));

describe("the public API", () => {
  it("names every export: no export *", () => {
    expect(INDEX).not.toMatch(/export (type )?\*/);
  });

  it("documents every exported name in docs/library.md", () => {
    const names = exportedNames();
    expect(names.length).toBeGreaterThan(150);
    expect(names.filter((name) => !documented.has(name))).toEqual([]);
  });

  it("lists in the index every value the module exports", () => {
    const listed = new Set(exportedNames());
    expect(Object.keys(api).filter((name) => !listed.has(name))).toEqual([]);
    expect(typeof api.tune).toBe("function");
    expect(api.TUNING_DEFAULTS.num).toBe(10);
  });
});
