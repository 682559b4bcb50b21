/**
 * The two parsers, loaded when an audit first reads code: oxc-parser's native
 * binding and web-tree-sitter's WebAssembly take tens of milliseconds to load,
 * which no other command should pay at start-up.
 */
import type { CodeModule } from "./code-model.js";

/** Parse one source file's text into its facts, by its extension. */
export type ParseSource = (file: string, text: string) => CodeModule;

export async function loadParsers(): Promise<ParseSource> {
  const [{ parseJavaScript }, { initPythonParser, parsePython }] = await Promise.all([
    import("./parse-javascript.js"),
    import("./parse-python.js"),
  ]);
  // web-tree-sitter starts asynchronously; after this every parse is synchronous.
  await initPythonParser();
  return (file, text) =>
    file.endsWith(".py") ? parsePython(file, text) : parseJavaScript(file, text);
}
