/**
 * Reads and parses source files once per audit, however many functions share
 * them, and says why a file was not parsed: too large (a minified bundle),
 * binary, unreadable. The parsers come from loadParsers() (parsers.ts).
 */
import { readFileSync, statSync } from "node:fs";
import type { CodeModule } from "./code-model.js";
import { javascriptNestingProblem } from "./nesting-guard.js";
import type { ParseSource } from "./parsers.js";

/** Above this a source file is a bundle or generated code, not something a person fixes line by line. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024;

export const JAVASCRIPT_EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".tsx", ".jsx"];
export const PYTHON_EXTENSIONS = [".py"];

export interface AuditNote {
  readonly file: string;
  readonly message: string;
}

export function isSourceFile(file: string): boolean {
  if (file.endsWith(".d.ts") || file.endsWith(".d.mts") || file.endsWith(".d.cts")) return false;
  return [...JAVASCRIPT_EXTENSIONS, ...PYTHON_EXTENSIONS].some((extension) =>
    file.endsWith(extension),
  );
}

export class SourceCache {
  private readonly modules = new Map<string, CodeModule | undefined>();
  /** The text of each file parsed, kept for the suppression comments findings are checked against. */
  private readonly texts = new Map<string, string>();
  readonly notes: AuditNote[] = [];

  constructor(private readonly parse: ParseSource) {}

  /** The file's facts, or undefined (with a note) when it cannot or should not be parsed. */
  load(file: string): CodeModule | undefined {
    if (this.modules.has(file)) return this.modules.get(file);
    const module = this.read(file);
    this.modules.set(file, module);
    return module;
  }

  private read(file: string): CodeModule | undefined {
    let text: string;
    try {
      const size = statSync(file).size;
      if (size > MAX_SOURCE_BYTES) {
        return this.skip(
          file,
          `skipped: ${(size / 1024 / 1024).toFixed(1)} MB is above the ${MAX_SOURCE_BYTES / 1024 / 1024} MB limit for source files (a bundle or generated code)`,
        );
      }
      const bytes = readFileSync(file);
      if (bytes.subarray(0, 8192).includes(0)) return this.skip(file, "skipped: a binary file");
      text = bytes.toString("utf8");
    } catch (error) {
      return this.skip(file, `skipped: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    this.texts.set(file, text);
    const module = this.parse(file, text);
    // A file too deeply nested to parse has no exports, so a folder audit would
    // not even see it as a handler: say why it was passed over.
    const tooDeep =
      module.parseError && module.language === "javascript"
        ? javascriptNestingProblem(text)
        : undefined;
    if (tooDeep) this.notes.push({ file, message: `parse-error: ${tooDeep.message}` });
    return module;
  }

  /** The lines of a source file parsed in this run; none for any other file (package.json, a binary). */
  lines(file: string): string[] {
    return this.texts.get(file)?.split("\n") ?? [];
  }

  private skip(file: string, message: string): undefined {
    this.notes.push({ file, message });
    return undefined;
  }
}
