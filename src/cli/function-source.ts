/**
 * Where the functions of `invoke` and `emulate` come from: one handler file
 * (`app.mjs:handler`), or a SAM/CloudFormation template and, for `invoke`,
 * one of its functions by logical id or name.
 */

import { relative, sep } from "node:path";
import {
  parseEnvironmentAssignments,
  withEnvironmentOverrides,
} from "../emulator/functions/environment-overrides.js";
import {
  functionFromHandlerSpec,
  localFunctionFromHandlerSpec,
} from "../emulator/functions/from-handler.js";
import {
  functionsFromTemplate,
  type TemplateFunctions,
} from "../emulator/functions/from-template.js";
import type { FunctionDefinition } from "../emulator/functions/function-definition.js";
import { selectFunction } from "../emulator/functions/select-function.js";
import { UsageError } from "../errors.js";
import { readEventPayload } from "../event-payload.js";
import { flagName } from "../options.js";
import type { LocalSource } from "../tuning/tune-result.js";

export interface FunctionSourceFlags {
  template?: string;
  /** --env NAME=VALUE, repeatable: variables set over the function's own. */
  env?: string[];
}

/** The template's warnings on stderr. */
function printTemplateWarnings(found: TemplateFunctions): void {
  for (const warning of found.warnings) process.stderr.write(`warning: ${warning}\n`);
}

/** Every function `emulate` serves. */
export function functionsToServe(
  handlerSpec: string | undefined,
  flags: FunctionSourceFlags,
): readonly FunctionDefinition[] {
  const overrides = parseEnvironmentAssignments(flags.env ?? []);
  if (flags.template) {
    if (handlerSpec)
      throw new UsageError(`give either a handler (${handlerSpec}) or --template, not both`);
    const found = functionsFromTemplate(flags.template, { environmentOverrides: overrides });
    printTemplateWarnings(found);
    for (const unavailable of found.unavailable)
      process.stderr.write(`warning: ${unavailable.error.message}\n`);
    if (found.functions.length === 0)
      throw new UsageError(`--template ${flags.template}: no function in it can run locally`);
    return found.functions;
  }
  if (!handlerSpec)
    throw new UsageError("give a handler (e.g. app.mjs:handler) or --template template.yaml");
  return [withEnvironmentOverrides(functionFromHandlerSpec(handlerSpec), overrides)];
}

/** The one function `invoke` runs: a handler, or a template's function (optional when it has only one). */
export function functionToInvoke(
  target: string | undefined,
  flags: FunctionSourceFlags,
): FunctionDefinition {
  return localFunctionToRun(target, flags).definition;
}

/**
 * The one function `invoke` and `tune` run, and where its code is. A handler is named from its
 * path relative to the current folder ("examples-io-bound-handler"), so two projects' handler.mjs
 * never share a name, a log folder or a title.
 */
export function localFunctionToRun(
  target: string | undefined,
  flags: FunctionSourceFlags,
): { readonly definition: FunctionDefinition; readonly local: LocalSource } {
  const overrides = parseEnvironmentAssignments(flags.env ?? []);
  if (!flags.template) {
    if (!target)
      throw new UsageError(
        "give a handler (e.g. app.mjs:handler) or --template template.yaml LogicalId",
      );
    const { definition, handlerPath } = localFunctionFromHandlerSpec(target);
    return {
      definition: withEnvironmentOverrides(definition, overrides),
      local: { handler: handlerPath, template: null, logicalId: null },
    };
  }
  const template = flags.template;
  const fromTemplate = (definition: FunctionDefinition) => ({
    definition,
    local: {
      handler: `${shownPath(definition.codeDir)}/${definition.handler}`,
      template: shownPath(template),
      logicalId: definition.logicalId ?? null,
    },
  });
  const found = functionsFromTemplate(template, { environmentOverrides: overrides });
  printTemplateWarnings(found);
  if (target) return fromTemplate(selectFunction(found, target));
  const candidates = [...found.functions, ...found.unavailable];
  if (candidates.length === 1 && found.functions[0]) return fromTemplate(found.functions[0]);
  throw new UsageError(
    `--template ${flags.template} has ${candidates.length} functions: name one of ${candidates.map((candidate) => candidate.logicalId ?? candidate.name).join(", ")}`,
  );
}

/** A path as a person reads it: relative to the current folder, with forward slashes. */
function shownPath(path: string): string {
  return relative(process.cwd(), path).split(sep).join("/") || ".";
}

/** The event: --payload JSON, --payload-file F, or {} — checked to be JSON here, so the error names the flag. */
export function readPayload(flags: { payload?: string; payloadFile?: string }): Buffer {
  return Buffer.from(readEventPayload(flags, flagName).text, "utf8");
}
