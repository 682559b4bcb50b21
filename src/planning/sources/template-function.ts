/**
 * `plan --template T --function F`: the function's memory, architecture,
 * runtime and /tmp size as the template declares them (Globals applied).
 * STUB: the planning-sources helper replaces this body.
 */
import type { ObservedFunction } from "../traffic-profile.js";

export function functionFromTemplate(templateFile: string, functionName: string): ObservedFunction {
  throw new Error(`reading ${functionName} from ${templateFile} is not built yet`);
}
