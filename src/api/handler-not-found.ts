/**
 * A handler whose export does not exist is the user's typo, not the
 * function's failure: name the file's exports, read without running its code
 * (the audit's parsers), and the closest one to what was typed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { closestName } from "../closest-name.js";
import type { FunctionDefinition } from "../emulator/functions/function-definition.js";
import { UsageError } from "../errors.js";

const NODE_EXTENSIONS = ["", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"];
const PYTHON_EXTENSIONS = [".py"];

/** The one-line error for a Runtime.HandlerNotFound outcome; `runtimeMessage` is what the runtime said. */
export async function handlerNotFoundError(
  fn: Pick<FunctionDefinition, "handler" | "codeDir" | "runtime">,
  runtimeMessage: string,
): Promise<UsageError> {
  // Lambda reads "path/module.export": the module ends at the first dot after the last slash.
  const slash = fn.handler.lastIndexOf("/");
  const dot = fn.handler.indexOf(".", slash + 1);
  const fallback = new UsageError(`handler ${fn.handler}: ${runtimeMessage}`);
  if (dot < 0) return fallback;
  const modulePath = fn.handler.slice(0, dot);
  const wanted = fn.handler.slice(dot + 1).split(".")[0]!;
  const extensions = fn.runtime.startsWith("python") ? PYTHON_EXTENSIONS : NODE_EXTENSIONS;
  const file = extensions
    .map((extension) => join(fn.codeDir, `${modulePath}${extension}`))
    .find((candidate) => existsSync(candidate));
  if (!file) return fallback;
  let names: string[];
  try {
    const { loadParsers } = await import("../audit/code/parsers.js");
    const parse = await loadParsers();
    const parsed = parse(file, readFileSync(file, "utf8"));
    names = [...parsed.exports.keys()].filter((name) => name !== "*");
  } catch {
    return fallback;
  }
  const shown = relative(process.cwd(), file) || file;
  const spec = `${shown}:${fn.handler.slice(dot + 1)}`;
  if (names.length === 0)
    return new UsageError(
      `handler ${spec}: ${shown} exports nothing named ${wanted}, nor anything else`,
    );
  const suggestion = closestName(wanted, names);
  return new UsageError(
    `handler ${spec}: ${shown} has no export ${JSON.stringify(wanted)}; it exports ${names.join(", ")}` +
      (suggestion ? ` (did you mean ${suggestion}?)` : ""),
  );
}
