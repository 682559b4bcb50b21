/**
 * One way every surface validates and defaults a command's options: through
 * the library's zod schema. The CLI, a library caller and the MCP server pass
 * the same options; only the names they show differ (`--max-p95-ms` on the
 * command line, `maxP95Ms` for a library or MCP caller), so a mistake is
 * reported in the caller's own words, as one line, as a UsageError.
 */
import type { z } from "zod";
import { closestName } from "./closest-name.js";
import { UsageError } from "./errors.js";

/** How a surface names an option, from its path in the options object. */
export type OptionName = (path: readonly PropertyKey[]) => string;

/** Library and MCP callers see the options' own names: `maxP95Ms`, `apply.alias`. */
export const fieldName: OptionName = (path) => path.map(String).join(".");

/** The CLI's names: `maxP95Ms` → `--max-p95-ms` (nested paths use their last key). */
export const flagName: OptionName = (path) =>
  `--${String(path.at(-1) ?? "")
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()}`;

/**
 * Check and default `input` against `schema`. Issue messages are written as
 * what is allowed ("expected a whole number from 1 to 10,000"); a message
 * about several options (from a refinement) names them as `{fieldName}`
 * placeholders, which each surface fills with its own names.
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  nameOf: OptionName = fieldName,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // An unknown name first: a misspelt required option ("oldfile") is better told as
  // "the closest is oldFile" than as "oldFile is required".
  const { issues } = result.error;
  const issue = issues.find((candidate) => candidate.code === "unrecognized_keys") ?? issues[0]!;
  throw optionsError(schema, issue, input, nameOf);
}

function optionsError(
  schema: z.ZodType,
  issue: z.core.$ZodIssue,
  input: unknown,
  nameOf: OptionName,
): UsageError {
  const fill = (message: string) =>
    message.replace(/\{([A-Za-z0-9_.]+)\}/g, (_, path: string) => nameOf(path.split(".")));
  if (issue.code === "unrecognized_keys") {
    const known = keysAt(schema, issue.path);
    const [key] = issue.keys;
    const closest = key === undefined ? undefined : closestName(key, known);
    const name = nameOf([...issue.path, key ?? ""]);
    return new UsageError(
      `unknown option ${name}${closest ? `: the closest is ${nameOf([...issue.path, closest])}` : ""}`,
    );
  }
  if (issue.path.length === 0 || issue.code === "custom")
    return new UsageError(fill(issue.message));
  const value = valueAt(input, issue.path);
  if (value === undefined && issue.code === "invalid_type")
    return new UsageError(`${nameOf(issue.path)} is required`);
  return invalidOption(nameOf(issue.path), value, fill(issue.message));
}

/**
 * A value the schema alone cannot judge (a region the user's price file must
 * cover), refused in the same words parseOptions uses: the option, the value,
 * what is allowed ("expected ...").
 */
export function invalidOption(name: string, value: unknown, allowed: string): UsageError {
  const shown = value === undefined ? "" : ` ${JSON.stringify(value)}`;
  return new UsageError(`${name}${shown} is not valid: ${allowed}`);
}

/** The keys the object schema at `path` accepts, for "the closest is". */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let shape = shapeOf(schema);
  for (const key of path) {
    const next = shape?.[String(key)];
    shape = next === undefined ? undefined : shapeOf(next);
  }
  return Object.keys(shape ?? {});
}

/**
 * An object schema's shape, through the optional, default and nullable wrappers
 * around it, and through a transform (a pipe's input is the object given).
 */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < 8 && current; depth++) {
    const shape = (current as { shape?: Record<string, z.ZodType> }).shape;
    if (shape) return shape;
    const wrapper = current as { unwrap?: () => unknown; in?: unknown };
    current = wrapper.unwrap ? wrapper.unwrap() : wrapper.in;
  }
  return undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
