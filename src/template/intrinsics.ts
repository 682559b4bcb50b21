/**
 * What an intrinsic function looks like once short forms are expanded: an
 * object with exactly one key, "Ref" or "Fn::Something". Everything that
 * resolves a template, merges Globals or reads a value has to tell these apart
 * from ordinary maps.
 */
import { isPlainObject } from "../plain-object.js";

/** The intrinsic's name ("Ref", "Fn::Sub", ...), or undefined for anything else. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0]!;
  return key === "Ref" || key.startsWith("Fn::") ? key : undefined;
}

export function isIntrinsic(value: unknown): value is Record<string, unknown> {
  return intrinsicName(value) !== undefined;
}

/**
 * Whether any intrinsic is left anywhere inside a value: after resolution this
 * means "only known once deployed" (a GetAtt, an ImportValue, a Ref to a
 * resource, a parameter without a default).
 */
export function containsIntrinsic(value: unknown): boolean {
  if (isIntrinsic(value)) return true;
  if (Array.isArray(value)) return value.some(containsIntrinsic);
  if (isPlainObject(value)) return Object.values(value).some(containsIntrinsic);
  return false;
}
