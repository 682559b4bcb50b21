/**
 * FunctionCode objects built by hand for the package rules' tests: the
 * package facts come from scanning a real folder (scanPackage), everything
 * else is empty unless a test overrides it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CodeImport, CodeLanguage, CodeModule } from "../../../src/audit/code/code-model.js";
import type { FunctionCode } from "../../../src/audit/code/function-code.js";
import { scanPackage } from "../../../src/audit/code/package-scan.js";

export interface FixtureOverrides extends Partial<Omit<FunctionCode, "package" | "config">> {
  readonly layers?: readonly string[];
  readonly architecture?: "x86_64" | "arm64";
}

export function functionCodeFor(root: string, overrides: FixtureOverrides = {}): FunctionCode {
  const { layers = [], architecture = "x86_64", ...rest } = overrides;
  return {
    resource: "Fn",
    language: "javascript",
    codeRoot: root,
    handler: "index.handler",
    modules: [],
    config: {
      architecture,
      snapStart: false,
      triggers: { synchronous: [], asynchronous: [], polled: [], partialBatch: [] },
      bufferedRestMethods: [],
    },
    package: scanPackage(root, layers),
    handlerPath: new Map(),
    initPath: new Map(),
    ...rest,
  };
}

/** A module with nothing but these imports, each at its line (column 1). */
export function moduleWithImports(
  file: string,
  imports: readonly { specifier: string; line: number }[],
  language: CodeLanguage = "javascript",
): CodeModule {
  return {
    file,
    language,
    imports: imports.map(
      (entry): CodeImport => ({
        specifier: entry.specifier,
        names: new Map(),
        position: { line: entry.line, column: 1 },
      }),
    ),
    moduleNames: new Set(),
    functions: [],
    moduleReferences: [],
    calls: [],
    stateWrites: [],
    envReads: [],
    tmpWrites: [],
    literalKeys: new Set(),
    exports: new Map(),
  };
}

/** A fresh folder under the OS temp folder, and a way to remove every one made. */
export function tempFolders(): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const folder = mkdtempSync(join(tmpdir(), "lo-package-"));
      made.push(folder);
      return folder;
    },
    cleanup() {
      for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Writes a file, creating its folders. */
export function put(root: string, relative: string, content: string | Uint8Array = ""): string {
  const file = join(root, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** The 64-byte header of a 64-bit little-endian ELF file for this e_machine (62 x86-64, 183 aarch64). */
export function fakeElf(machine: number): Buffer {
  const header = Buffer.alloc(64);
  header.set([0x7f, 0x45, 0x4c, 0x46], 0); // "\x7fELF"
  header[4] = 2; // EI_CLASS: 64-bit
  header[5] = 1; // EI_DATA: little-endian
  header[6] = 1; // EI_VERSION
  header.writeUInt16LE(3, 16); // e_type: shared object
  header.writeUInt16LE(machine, 18); // e_machine
  return header;
}

/** A `*.dist-info` folder with a WHEEL of these tags and a RECORD of these files. */
export function putWheel(
  root: string,
  distInfo: string,
  tags: readonly string[],
  recordFiles: readonly string[],
): void {
  put(
    root,
    `${distInfo}/WHEEL`,
    `Wheel-Version: 1.0\nGenerator: bdist_wheel (0.43.0)\nRoot-Is-Purelib: false\n${tags.map((tag) => `Tag: ${tag}\n`).join("")}`,
  );
  put(
    root,
    `${distInfo}/RECORD`,
    [...recordFiles, `${distInfo}/WHEEL,,`, `${distInfo}/RECORD,,`]
      .map((file) => (file.includes(",") ? file : `${file},sha256=x,1`))
      .join("\n"),
  );
}
