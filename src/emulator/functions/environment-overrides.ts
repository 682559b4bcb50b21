/**
 * Environment variables the user sets for a local run (`--env NAME=VALUE`): the values a
 * template only knows once deployed (a queue URL from !GetAtt, an imported output), or any
 * setting to try without editing the template. They replace the template's own.
 */
import { z } from "zod";
import { UsageError } from "../../errors.js";
import { RESERVED_VARIABLES } from "../../lambda/runtime-variables.js";
import type { FunctionDefinition } from "./function-definition.js";

/** Lambda's rule for a variable name: a letter, then letters, digits and underscores. */
const VARIABLE_NAME = /^[a-zA-Z]\w+$/;

export const VariableNameSchema = z
  .string()
  .regex(VARIABLE_NAME, "a name of a letter then letters, digits or underscores")
  .refine((name) => !RESERVED_VARIABLES.has(name), "a name Lambda does not reserve for itself");

/** Variable names and their values; a mistake reads "expected ..." as every option's does. */
export const EnvironmentOverridesSchema = z.record(
  VariableNameSchema,
  z.string({ error: "expected a string" }),
  {
    error: (issue) =>
      issue.code === "invalid_key"
        ? `expected ${issue.issues[0]?.message ?? "a variable name"} as the variable's name`
        : "expected an object of variable names and their string values",
  },
);

export type EnvironmentOverrides = z.infer<typeof EnvironmentOverridesSchema>;

/**
 * `NAME=VALUE` assignments as a checked mapping (the last one of a name wins); a bad one is a
 * UsageError naming the flag, the assignment and what is allowed.
 */
export function parseEnvironmentAssignments(
  assignments: readonly string[],
  flag = "--env",
): EnvironmentOverrides {
  const overrides: Record<string, string> = {};
  for (const assignment of assignments) {
    const equals = assignment.indexOf("=");
    if (equals <= 0)
      throw new UsageError(
        `${flag} ${JSON.stringify(assignment)} is not valid: expected NAME=VALUE`,
      );
    const name = assignment.slice(0, equals);
    const checked = VariableNameSchema.safeParse(name);
    if (!checked.success)
      throw new UsageError(
        `${flag} ${JSON.stringify(assignment)} is not valid: expected ${checked.error.issues[0]?.message ?? "NAME=VALUE"}`,
      );
    overrides[name] = assignment.slice(equals + 1);
  }
  return overrides;
}

/** The function with the user's variables over its own. */
export function withEnvironmentOverrides(
  fn: FunctionDefinition,
  overrides: EnvironmentOverrides,
): FunctionDefinition {
  if (Object.keys(overrides).length === 0) return fn;
  return { ...fn, environment: { ...fn.environment, ...overrides } };
}
