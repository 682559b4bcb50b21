/**
 * The one local function a command or a library caller runs: a handler file
 * (`app.mjs:handler`), or a SAM/CloudFormation template's function by logical
 * id or name (which may be left out when the template has only one), with the
 * caller's environment variables over its own. Also says where its code is, as
 * a person names it, for results and reports.
 */
import { relative, sep } from "node:path";
import { UsageError } from "../../errors.js";
import { fieldName, type OptionName } from "../../options.js";
import { type EnvironmentOverrides, withEnvironmentOverrides } from "./environment-overrides.js";
import { localFunctionFromHandlerSpec } from "./from-handler.js";
import { functionsFromTemplate } from "./from-template.js";
import type { FunctionDefinition } from "./function-definition.js";
import { selectFunction } from "./select-function.js";

/** Where a local function comes from. */
export type LocalFunctionSource =
  | { readonly handler: string }
  | { readonly template: string; readonly function?: string };

/** Where the function's code is, as a person names it (a tune result's `target.local`). */
export interface LocalCodeLocation {
  /** The handler, relative to the current folder ("examples/io-bound/handler.mjs:handler"), or a template function's code folder and Lambda handler. */
  readonly handler: string;
  readonly template: string | null;
  readonly logicalId: string | null;
}

export interface LocalFunction {
  readonly definition: FunctionDefinition;
  readonly local: LocalCodeLocation;
}

export interface LocalFunctionOptions {
  /** Variables set over the function's own (a template function never warns about one of these as missing). */
  readonly environmentOverrides?: EnvironmentOverrides;
  /** The template's warnings (an unresolved reference, a property the emulator ignores). */
  readonly onWarning?: (warning: string) => void;
  /** How the caller names the `template` option in a message (`--template`, `target.template`). */
  readonly nameOf?: OptionName;
}

/**
 * The function and where its code is. A handler is named from its path
 * relative to the current folder ("examples-io-bound-handler"), so two
 * projects' handler.mjs never share a name, a log folder or a title.
 */
export function localFunction(
  source: LocalFunctionSource,
  options: LocalFunctionOptions = {},
): LocalFunction {
  const overrides = options.environmentOverrides ?? {};
  if ("handler" in source) {
    const { definition, handlerPath } = localFunctionFromHandlerSpec(source.handler);
    return {
      definition: withEnvironmentOverrides(definition, overrides),
      local: { handler: handlerPath, template: null, logicalId: null },
    };
  }
  const { template } = source;
  const fromTemplate = (definition: FunctionDefinition): LocalFunction => ({
    definition,
    local: {
      handler: `${shownPath(definition.codeDir)}/${definition.handler}`,
      template: shownPath(template),
      logicalId: definition.logicalId ?? null,
    },
  });
  const found = functionsFromTemplate(template, { environmentOverrides: overrides });
  for (const warning of found.warnings) options.onWarning?.(warning);
  if (source.function !== undefined) return fromTemplate(selectFunction(found, source.function));
  const candidates = [...found.functions, ...found.unavailable];
  if (candidates.length === 1 && found.functions[0]) return fromTemplate(found.functions[0]);
  const nameOf = options.nameOf ?? fieldName;
  throw new UsageError(
    `${nameOf(["template"])} ${template} has ${candidates.length} functions: name one of ${candidates.map((candidate) => candidate.logicalId ?? candidate.name).join(", ")}`,
  );
}

/** A path as a person reads it: relative to the current folder, with forward slashes. */
function shownPath(path: string): string {
  return relative(process.cwd(), path).split(sep).join("/") || ".";
}
