/**
 * Which resources a template value points at. A value refers to a resource by a Ref, by a
 * Fn::GetAtt (the list form `!GetAtt Id.Attribute` expands to, or the dotted string a JSON template
 * may write), or by `${Id}` / `${Id.Attribute}` in a Fn::Sub string; and it may do so anywhere
 * inside other intrinsics (Fn::If branches, Fn::Join parts, Fn::Select lists, a Fn::Sub's own
 * variables). Every rule asks here, so two rules cannot read one template two ways.
 */
import { isPlainObject } from "../plain-object.js";

/** The resource a value names directly, by `Ref` or `Fn::GetAtt`; undefined for anything else. */
export function referencedResource(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  if (typeof value.Ref === "string") return value.Ref;
  const getAtt = value["Fn::GetAtt"];
  if (Array.isArray(getAtt) && typeof getAtt[0] === "string") return getAtt[0];
  if (typeof getAtt === "string") return getAtt.split(".")[0];
  return undefined;
}

/** Whether a value refers to the resource anywhere inside it. */
export function referencesResource(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) return value.some((item) => referencesResource(item, logicalId));
  if (!isPlainObject(value)) return false;
  if (referencedResource(value) === logicalId) return true;
  if (resourcesNamedInSub(value["Fn::Sub"]).includes(logicalId)) return true;
  return Object.values(value).some((item) => referencesResource(item, logicalId));
}

/**
 * The names a Fn::Sub string takes from the template: `${Id}` and `${Id.Attribute}` give Id. Not
 * `${!Literal}` (written out as it is), and not the Fn::Sub's own variables, which shadow a
 * resource of the same name.
 */
function resourcesNamedInSub(sub: unknown): string[] {
  const text = Array.isArray(sub) ? sub[0] : sub;
  if (typeof text !== "string") return [];
  const variables = Array.isArray(sub) && isPlainObject(sub[1]) ? sub[1] : {};
  return [...text.matchAll(/\$\{([^}!][^}]*)\}/g)]
    .map((match) => match[1]!.trim())
    .filter((name) => !Object.hasOwn(variables, name))
    .map((name) => name.split(".")[0]!);
}
