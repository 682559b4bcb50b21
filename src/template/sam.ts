/**
 * The parts of the SAM transform a local run needs: Globals merged into each
 * serverless resource, and each AWS::Serverless::Function listed with its
 * events, alias and function URL. The merge follows SAM's own rules
 * (samtranslator/plugins/globals/globals.py and the Globals page of the SAM
 * developer guide): the resource's scalar wins, maps merge key by key, lists
 * are concatenated Globals first, a type mismatch keeps the resource's value,
 * and an intrinsic function counts as a scalar.
 */

import { isPlainObject } from "../plain-object.js";
import { isIntrinsic } from "./intrinsics.js";
import type { TemplatePath } from "./parse-template.js";

export const SERVERLESS_FUNCTION = "AWS::Serverless::Function";
const SERVERLESS_PREFIX = "AWS::Serverless::";

type Shape = "scalar" | "map" | "list";

function shapeOf(value: unknown): Shape {
  if (Array.isArray(value)) return "list";
  if (isPlainObject(value) && !isIntrinsic(value)) return "map";
  return "scalar";
}

/** SAM's merge of a Globals value (first) with the resource's own (second). */
export function mergeGlobals(globalValue: unknown, localValue: unknown): unknown {
  const shape = shapeOf(globalValue);
  if (shape !== shapeOf(localValue) || shape === "scalar") return localValue;
  if (shape === "list") return [...(globalValue as unknown[]), ...(localValue as unknown[])];
  const merged: Record<string, unknown> = { ...(globalValue as Record<string, unknown>) };
  for (const [key, value] of Object.entries(localValue as Record<string, unknown>)) {
    merged[key] = key in merged ? mergeGlobals(merged[key], value) : value;
  }
  return merged;
}

function globalsFor(template: Record<string, unknown>, resourceType: unknown): unknown {
  if (typeof resourceType !== "string" || !resourceType.startsWith(SERVERLESS_PREFIX)) {
    return undefined;
  }
  const globals = template.Globals;
  return isPlainObject(globals) ? globals[resourceType.slice(SERVERLESS_PREFIX.length)] : undefined;
}

/**
 * A copy of the template with Globals merged into every AWS::Serverless::*
 * resource it applies to (Function, Api, HttpApi, SimpleTable, StateMachine)
 * and the Globals section removed, as the SAM transform does.
 */
export function applyGlobals(template: Record<string, unknown>): Record<string, unknown> {
  const { Globals: _globals, ...rest } = template;
  if (!isPlainObject(template.Resources)) return rest;
  const resources: Record<string, unknown> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const globals = isPlainObject(resource) ? globalsFor(template, resource.Type) : undefined;
    resources[logicalId] =
      isPlainObject(resource) && isPlainObject(globals)
        ? { ...resource, Properties: mergeGlobals(globals, resource.Properties ?? {}) }
        : resource;
  }
  return { ...rest, Resources: resources };
}

export interface SamEvent {
  /** Api, HttpApi, SQS, Kinesis, DynamoDB, Schedule, S3, SNS, EventBridgeRule, ... */
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

export interface SamFunction {
  readonly logicalId: string;
  /** The function's Properties with Globals.Function merged in (intrinsics not resolved). */
  readonly properties: Record<string, unknown>;
  readonly events: Readonly<Record<string, SamEvent>>;
  readonly autoPublishAlias: unknown;
  readonly functionUrlConfig: unknown;
  /** The resource's Condition, if any. */
  readonly condition: string | undefined;
}

/** Every AWS::Serverless::Function, Globals applied, in template order. */
export function listSamFunctions(template: Record<string, unknown>): SamFunction[] {
  const merged = applyGlobals(template);
  const resources = isPlainObject(merged.Resources) ? merged.Resources : {};
  const functions: SamFunction[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isPlainObject(resource) || resource.Type !== SERVERLESS_FUNCTION) continue;
    const properties = isPlainObject(resource.Properties) ? resource.Properties : {};
    functions.push({
      logicalId,
      properties,
      events: eventsOf(properties.Events),
      autoPublishAlias: properties.AutoPublishAlias,
      functionUrlConfig: properties.FunctionUrlConfig,
      condition: typeof resource.Condition === "string" ? resource.Condition : undefined,
    });
  }
  return functions;
}

function eventsOf(events: unknown): Record<string, SamEvent> {
  if (!isPlainObject(events)) return {};
  const result: Record<string, SamEvent> = {};
  for (const [name, event] of Object.entries(events)) {
    if (!isPlainObject(event)) continue;
    result[name] = {
      type: typeof event.Type === "string" ? event.Type : "",
      properties: isPlainObject(event.Properties) ? event.Properties : {},
    };
  }
  return result;
}

function hasPath(value: unknown, path: TemplatePath): boolean {
  let current = value;
  for (const step of path) {
    if (!isPlainObject(current) && !Array.isArray(current)) return false;
    if (!Object.hasOwn(current, step)) return false;
    current = (current as Record<string | number, unknown>)[step];
  }
  return true;
}

/**
 * Where a serverless resource's property is written in the source template:
 * in the resource itself, else in Globals, else (not written anywhere) where
 * it would go in the resource. Use it with ParsedTemplate.positionOf to report
 * a merged value at the line the user has to change.
 */
export function propertySourcePath(
  template: Record<string, unknown>,
  logicalId: string,
  propertyPath: TemplatePath,
): TemplatePath {
  const own = ["Resources", logicalId, "Properties", ...propertyPath];
  if (hasPath(template, own)) return own;
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  const resource = resources[logicalId];
  const type = isPlainObject(resource) ? resource.Type : undefined;
  if (typeof type === "string" && type.startsWith(SERVERLESS_PREFIX)) {
    const fromGlobals = ["Globals", type.slice(SERVERLESS_PREFIX.length), ...propertyPath];
    if (hasPath(template, fromGlobals)) return fromGlobals;
  }
  return own;
}
