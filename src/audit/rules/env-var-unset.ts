/**
 * env-var-unset (the guide: "Read and validate environment variables once, at
 * module load, so a bad configuration fails at init"): env-read-in-handler
 * covers the "once, at module load"; this rule catches the bad configuration
 * before deploy. A function's code reads an environment variable it needs set
 * (EnvRead.required: no default, not only tested) and its template never sets
 * it: in JavaScript the code gets undefined and fails, or carries on with it,
 * wherever it uses the value; in Python os.environ["X"] raises KeyError and
 * os.environ.get("X") gives None.
 *
 * The finding is at the function's own Environment.Variables, or the
 * function when it has none.
 *
 * The variables set are the function's Environment.Variables and SAM's
 * Globals.Function ones, as written (before parameters and conditions are
 * resolved: a key whose value is chosen by a condition is set in some
 * deployments). A Variables (or Environment) built by an intrinsic function
 * or a Fn::Transform cannot be read, and the rule says nothing for that
 * function. Variables Lambda sets itself are never reported: AWS's "Defined
 * runtime environment variables"
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime),
 * reserved and unreserved. A variable the code tests or gives a default
 * anywhere is not reported either: its code expects it may be unset. Only
 * literal names are judged, and only reads that run (at init or from the
 * handler).
 */
import { dirname, relative } from "node:path";
import { LAMBDA_SET_VARIABLES } from "../../lambda/runtime-variables.js";
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import type { EnvRead } from "../code/code-model.js";
import { type FunctionCode, type Located, runningEnvReads } from "../code/function-code.js";
import { propertyAt } from "../function-facts.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";

/** How many variables a message names before "…". */
const NAMED = 5;

export const envVarUnset: AuditRule = {
  meta: {
    id: "env-var-unset",
    severity: "warning",
    title: "Environment variable the code needs is never set",
    rationale:
      "Code that reads an environment variable with no default gets undefined (Node.js) or None or a KeyError (Python) when the function's configuration does not set it: requests that reach the read fail, or carry on with a missing value, in production, while the audit can tell before deploy.",
    fix: "Set the variable under the function's Environment.Variables (or Globals.Function.Environment.Variables), or give the read a default; validate variables once at module load so a missing one fails at init.",
    docs: docsFor("env-var-unset"),
  },
  readsCode: true,
  check(context) {
    return context.functions.flatMap((fn): RuleFinding[] => {
      const code = context.environment.code?.forFunction(context, fn);
      if (!code) return [];
      const set = variablesSet(context, fn);
      if (!set) return [];
      const unset = unsetRequiredReads(code, set);
      if (unset.length === 0) return [];
      return [finding(context, fn, code, unset)];
    });
  },
};

/**
 * The names the template sets for the function: its Environment.Variables
 * and, for SAM, Globals.Function's, as written. Undefined when one of them is
 * built by an intrinsic function or a transform.
 */
function variablesSet(context: AuditContext, fn: FunctionResource): Set<string> | undefined {
  const template = context.parsed.template;
  const own = writtenVariables(propertyAt(template, ["Resources", fn.logicalId, "Properties"]));
  const globals =
    fn.flavour === "sam" ? writtenVariables(propertyAt(template, ["Globals", "Function"])) : [];
  if (own === undefined || globals === undefined) return undefined;
  return new Set([...own, ...globals]);
}

/** The Variables keys under properties' Environment; undefined when they are not written out as a map. */
function writtenVariables(properties: unknown): string[] | undefined {
  let current = properties;
  for (const key of ["Environment", "Variables"]) {
    if (current === undefined) return [];
    if (!isWrittenMap(current)) return undefined;
    current = current[key];
  }
  if (current === undefined) return [];
  return isWrittenMap(current) ? Object.keys(current) : undefined;
}

/** A map whose keys are as written: no intrinsic function and no Fn::Transform (or other Fn:: key) in it. */
function isWrittenMap(value: unknown): value is Record<string, unknown> {
  return (
    isPlainObject(value) &&
    !Object.keys(value).some((key) => key === "Ref" || key.startsWith("Fn::"))
  );
}

interface UnsetVariable {
  readonly name: string;
  /** The first read the code needs it set at. */
  readonly read: Located<EnvRead>;
}

/** Variables the running code needs set that neither the template nor Lambda sets, by name, with their first read. */
function unsetRequiredReads(code: FunctionCode, set: ReadonlySet<string>): UnsetVariable[] {
  const reads = runningEnvReads(code);
  // Tested or defaulted anywhere: the code expects it may be unset.
  const optional = new Set(
    reads.filter(({ item }) => !item.required).map(({ item }) => item.variable),
  );
  const first = new Map<string, Located<EnvRead>>();
  for (const read of reads) {
    const name = read.item.variable;
    if (name === undefined || !read.item.required || optional.has(name)) continue;
    if (set.has(name) || LAMBDA_SET_VARIABLES.has(name) || first.has(name)) continue;
    first.set(name, read);
  }
  return [...first]
    .map(([name, read]) => ({ name, read }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function finding(
  context: AuditContext,
  fn: FunctionResource,
  code: FunctionCode,
  unset: readonly UnsetVariable[],
): RuleFinding {
  const base = context.environment.cwd ?? dirname(context.file);
  const named = unset.slice(0, NAMED).map(({ name, read }) => {
    const file = relative(base, read.module.file) || read.module.file;
    return `${name} (${file}:${read.item.position.line})`;
  });
  const names =
    unset.length > NAMED
      ? `${named.join(", ")}, … (${unset.length} in all)`
      : named.length === 1
        ? named[0]!
        : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
  const them = unset.length === 1 ? "it" : "them";
  // os.environ["X"] raises KeyError, os.environ.get("X") gives None; JavaScript gives undefined.
  const missing = code.language === "python" ? "None" : "undefined";
  // The function's own Variables, else the function: never Globals, where a suppression would silence every function.
  const own: TemplatePath = ["Resources", fn.logicalId, "Properties", "Environment", "Variables"];
  return {
    resource: fn.logicalId,
    path: context.parsed.positionOf(own) ? own : ["Resources", fn.logicalId],
    message: `${fn.logicalId}'s code reads ${names} with no default, and the template never sets ${them}: every request that reaches ${them} fails (or gets ${missing}). Set ${them} under Environment.Variables, or give a default.`,
  };
}
