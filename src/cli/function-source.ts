/**
 * Where the functions of `invoke` and `emulate` come from: one handler file
 * (`app.mjs:handler`), or a SAM/CloudFormation template and, for `invoke`,
 * one of its functions by logical id or name.
 */

import {
  parseEnvironmentAssignments,
  withEnvironmentOverrides,
} from "../emulator/functions/environment-overrides.js";
import { functionFromHandlerSpec } from "../emulator/functions/from-handler.js";
import {
  functionsFromTemplate,
  type TemplateFunctions,
} from "../emulator/functions/from-template.js";
import type { FunctionDefinition } from "../emulator/functions/function-definition.js";
import { UsageError } from "../errors.js";
import { readEventPayload } from "../event-payload.js";
import { flagName } from "../options.js";

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

/** The event: --payload JSON, --payload-file F, or {} — checked to be JSON here, so the error names the flag. */
export function readPayload(flags: { payload?: string; payloadFile?: string }): Buffer {
  return Buffer.from(readEventPayload(flags, flagName).text, "utf8");
}
