/**
 * A handler whose export does not exist is the user's typo, not the
 * function's failure: name the file's exports, read without running its code
 * (the audit's parsers), and the closest one to what was typed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
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

/** The name nearest `typed` by edit distance, when it is near enough to be a typo (at most a third of it differs). */
export function closestName(typed: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of names) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(typed.length, best?.length ?? 0) / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
