/**
 * The code hash a tune records for a local function: its code folder's files, in path order,
 * without installed packages, our own state or caches, so it changes when the code does and
 * only then.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FOLDERS_NOT_HASHED, hashCodeFolder } from "../../src/tuning/code-hash.js";

/** A small function's code folder: a handler importing a local module, and its package.json. */
function codeFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "lo-code-hash-"));
  writeFileSync(
    join(folder, "handler.mjs"),
    'import { db } from "./lib/db.mjs";\nexport const handler = async () => db();\n',
  );
  mkdirSync(join(folder, "lib"));
  writeFileSync(join(folder, "lib", "db.mjs"), "export const db = () => 1;\n");
  writeFileSync(join(folder, "package.json"), '{"type":"module"}\n');
  return folder;
}

describe("hashCodeFolder", () => {
  it("hashes every file of the folder, the same way each time, base64 as Lambda's CodeSha256", () => {
    const folder = codeFolder();
    const first = hashCodeFolder(folder);
    expect(first?.files).toBe(3);
    expect(first?.sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(hashCodeFolder(folder)).toEqual(first);
    // Another folder with the same files has the same hash: the location is not the code.
    expect(hashCodeFolder(codeFolder())?.sha256).toBe(first?.sha256);
  });

  it("changes when an imported module, a file's name or package.json changes", () => {
    const folder = codeFolder();
    const before = hashCodeFolder(folder)!.sha256;
    writeFileSync(join(folder, "lib", "db.mjs"), "export const db = () => 2;\n");
    const edited = hashCodeFolder(folder)!.sha256;
    expect(edited).not.toBe(before);

    const renamed = codeFolder();
    rmSync(join(renamed, "lib", "db.mjs"));
    writeFileSync(join(renamed, "lib", "db2.mjs"), "export const db = () => 1;\n");
    expect(hashCodeFolder(renamed)!.sha256).not.toBe(before);

    const dependency = codeFolder();
    writeFileSync(join(dependency, "package.json"), '{"type":"module","dependencies":{"x":"1"}}\n');
    expect(hashCodeFolder(dependency)!.sha256).not.toBe(before);
  });

  it("leaves out node_modules, .lambda-optimizer, .git, .aws-sam and __pycache__, at any depth", () => {
    const folder = codeFolder();
    const before = hashCodeFolder(folder)!;
    for (const skipped of FOLDERS_NOT_HASHED) {
      mkdirSync(join(folder, skipped), { recursive: true });
      writeFileSync(join(folder, skipped, "noise.txt"), `${skipped}\n`);
      mkdirSync(join(folder, "lib", skipped), { recursive: true });
      writeFileSync(join(folder, "lib", skipped, "noise.txt"), `${skipped}\n`);
    }
    expect(hashCodeFolder(folder)).toEqual(before);
  });

  it("reads a linked file, never follows a linked folder back up", () => {
    const folder = codeFolder();
    const before = hashCodeFolder(folder)!;
    symlinkSync(folder, join(folder, "lib", "loop"));
    expect(hashCodeFolder(folder)).toEqual(before);
    symlinkSync(join(folder, "lib", "db.mjs"), join(folder, "db-link.mjs"));
    expect(hashCodeFolder(folder)?.files).toBe(4);
  });

  it("gives none for a folder that is not there", () => {
    expect(hashCodeFolder(join(tmpdir(), "lo-code-hash-none", "missing"))).toBeUndefined();
  });
});
