/**
 * Whether a value is a plain object: a map of keys as JSON and YAML documents hold them (a template,
 * a REPORT record in JSON, a package-lock), not an array, null, or an instance of a class.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
