/**
 * The Function URL a template gives a function: SAM's FunctionUrlConfig on an
 * AWS::Serverless::Function, or an AWS::Lambda::Url whose TargetFunctionArn points at a
 * function (by Ref, Fn::GetAtt, or its name). A config the emulator cannot read is left out with a
 * warning naming its file and line; a Qualifier (an alias) is served on the unqualified function,
 * since the emulator's aliases are made through the API, not from the template.
 */

import { isPlainObject } from "../../plain-object.js";
import type { ParsedTemplate } from "../../template/parse-template.js";
import { referencedResource } from "../../template/references.js";
import { formatLocation } from "../../template/template-error.js";
import {
  AuthTypeSchema,
  CorsSchema,
  type FunctionUrlSettings,
  InvokeModeSchema,
} from "../function-url/function-url-settings.js";
import type { FunctionDefinition } from "./function-definition.js";
import { parseFunctionName } from "./function-registry.js";

export const LAMBDA_URL = "AWS::Lambda::Url";

/** {AuthType, InvokeMode, Cors} as a template writes them, or a reason it cannot be served. */
export function functionUrlSettings(config: unknown): FunctionUrlSettings | string {
  if (!isPlainObject(config)) return "it is not a mapping of AuthType, InvokeMode and Cors";
  const authType = AuthTypeSchema.safeParse(config.AuthType);
  if (!authType.success)
    return `AuthType ${JSON.stringify(config.AuthType)} is not NONE or AWS_IAM`;
  const invokeMode = InvokeModeSchema.optional().safeParse(config.InvokeMode);
  if (!invokeMode.success)
    return `InvokeMode ${JSON.stringify(config.InvokeMode)} is not BUFFERED or RESPONSE_STREAM`;
  const cors = CorsSchema.optional().safeParse(config.Cors);
  if (!cors.success) return `Cors: ${cors.error.issues[0]?.message ?? "not valid"}`;
  return {
    authType: authType.data,
    invokeMode: invokeMode.data ?? "BUFFERED",
    ...(cors.data ? { cors: cors.data } : {}),
  };
}

/**
 * `functions` with the URLs the template's AWS::Lambda::Url resources give them. `resources` is
 * the resolved Resources section.
 */
export function withUrlResources(
  functions: readonly FunctionDefinition[],
  resources: Readonly<Record<string, unknown>>,
  parsed: ParsedTemplate,
  warnings: string[],
): FunctionDefinition[] {
  const result = [...functions];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isPlainObject(resource) || resource.Type !== LAMBDA_URL) continue;
    const properties = isPlainObject(resource.Properties) ? resource.Properties : {};
    const warn = (path: string[], problem: string) =>
      warnings.push(
        `${formatLocation(parsed.locationOf(["Resources", logicalId, "Properties", ...path]))}: ${logicalId}: ${problem}`,
      );
    const target = properties.TargetFunctionArn;
    const byLogicalId = referencedResource(target);
    const index = result.findIndex((fn) =>
      byLogicalId !== undefined
        ? fn.logicalId === byLogicalId
        : typeof target === "string" && fn.name === safeFunctionName(target),
    );
    if (index < 0) {
      warn(
        ["TargetFunctionArn"],
        "the function URL's target is not a function the emulator runs; not served",
      );
      continue;
    }
    const settings = functionUrlSettings(properties);
    if (typeof settings === "string") {
      warn([], `function URL not served: ${settings}`);
      continue;
    }
    if (properties.Qualifier !== undefined) {
      warn(
        ["Qualifier"],
        "served on the unqualified function: the emulator's aliases are made through the Lambda API",
      );
    }
    result[index] = { ...result[index]!, functionUrl: settings };
  }
  return result;
}

function safeFunctionName(target: string): string | undefined {
  try {
    return parseFunctionName(target).name;
  } catch {
    return undefined;
  }
}
