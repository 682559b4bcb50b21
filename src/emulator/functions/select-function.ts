/**
 * Pick one function by the name a user typed: its FunctionName or its
 * template logical id. A miss lists what there is, so the user can retype.
 */
import { UsageError } from "../../errors.js";
import type { TemplateFunctions } from "./from-template.js";
import type { FunctionDefinition } from "./function-definition.js";

function matches(nameOrLogicalId: string) {
  return (candidate: { name: string; logicalId?: string }) =>
    candidate.name === nameOrLogicalId || candidate.logicalId === nameOrLogicalId;
}

function label({ name, logicalId }: FunctionDefinition): string {
  return logicalId === undefined || logicalId === name ? name : `${name} (${logicalId})`;
}

/**
 * The function named `nameOrLogicalId`. Given a template's functions, a
 * function the template defines but that cannot run here throws its reason
 * (a TemplateError naming the file and line).
 */
export function selectFunction(
  functions: readonly FunctionDefinition[] | TemplateFunctions,
  nameOrLogicalId: string,
): FunctionDefinition {
  const fromTemplate = Array.isArray(functions) ? undefined : (functions as TemplateFunctions);
  const available = fromTemplate?.functions ?? (functions as readonly FunctionDefinition[]);
  const byName = available.find((candidate) => candidate.name === nameOrLogicalId);
  const found = byName ?? available.find(matches(nameOrLogicalId));
  if (found) return found;

  const unavailable = fromTemplate?.unavailable.find(matches(nameOrLogicalId));
  if (unavailable) throw unavailable.error;

  const where = fromTemplate ? ` in ${fromTemplate.templatePath}` : "";
  const elsewhere = fromTemplate?.unavailable.length
    ? ` (these cannot run locally: ${fromTemplate.unavailable.map((fn) => fn.logicalId).join(", ")})`
    : "";
  const choices =
    available.length === 0
      ? "there are no functions that can run locally"
      : `expected one of ${available.map(label).join(", ")}`;
  throw new UsageError(
    `no function ${JSON.stringify(nameOrLogicalId)}${where}: ${choices}${elsewhere}`,
  );
}
