/**
 * The check every fixed template passes before it is written: it parses the
 * way the audit reads templates, holds the value each fix meant to write at
 * its path, and is otherwise the same template — the same resources and the
 * same values. A fix that fails it is not written.
 */
import { isDeepStrictEqual } from "node:util";
import { isPlainObject } from "../../plain-object.js";
import { parseTemplateText } from "../../template/parse-template.js";
import { TemplateError } from "../../template/template-error.js";
import type { TemplateChange } from "./template-editor.js";

/** Why `after` is not `before` plus exactly `changes`; undefined when it is. */
export function verifyFix(
  before: string,
  after: string,
  file: string,
  changes: readonly TemplateChange[],
): string | undefined {
  const original = parseTemplateText(before, file).template;
  let fixed: Record<string, unknown>;
  try {
    fixed = parseTemplateText(after, file).template;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return `the fixed template would not parse (${error.message})`;
  }
  for (const change of changes) {
    if (change.value === undefined) continue;
    const written = valueAt(fixed, change.path);
    if (!isDeepStrictEqual(written, change.value)) {
      return `the fixed template would read ${change.path.join(".")} as ${JSON.stringify(written) ?? "nothing"}, not ${JSON.stringify(change.value)}`;
    }
  }
  const rest = (template: Record<string, unknown>) => {
    // A JSON copy, not structuredClone: an alias is the same object in both
    // places, and removing a fixed path must not remove it from the other.
    const copy = JSON.parse(JSON.stringify(template)) as Record<string, unknown>;
    for (const change of changes) deleteAt(copy, change.path);
    return copy;
  };
  const difference = firstDifference(rest(original), rest(fixed), []);
  return difference === undefined
    ? undefined
    : `the fixed template would also change ${difference.join(".") || "its top level"}`;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const step of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[step];
  }
  return current;
}

function deleteAt(value: Record<string, unknown>, path: readonly string[]): void {
  const parent = valueAt(value, path.slice(0, -1));
  if (isPlainObject(parent)) delete parent[path.at(-1)!];
}

/** The first path at which two parsed templates differ. */
function firstDifference(a: unknown, b: unknown, path: string[]): string[] | undefined {
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(a[key], b[key], [...path, key]);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (const [index, item] of a.entries()) {
      const found = firstDifference(item, b[index], [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  return isDeepStrictEqual(a, b) ? undefined : path;
}
