/**
 * What the function rules ask about a function beyond its own properties: how
 * it is invoked (SAM events, or the Permission, EventSourceMapping, Url and
 * API Gateway resources of a CloudFormation template that point at it),
 * whether it has provisioned concurrency or published versions, its runtime.
 * SAM events and CloudFormation resources are read alike, so each rule works
 * on both flavours.
 */
import { isPlainObject } from "../plain-object.js";
import type { TemplatePath } from "../template/parse-template.js";
import { referencedResource, referencesResource } from "../template/references.js";
import type { AuditContext, FunctionResource, TemplateResource } from "./audit-context.js";

/** SAM event types whose source invokes the function synchronously and waits for it. */
export const SYNC_EVENT_TYPES = new Set(["Api", "HttpApi"]);

/** SAM event types whose source invokes the function asynchronously (Lambda queues the event). */
export const ASYNC_EVENT_TYPES = new Set([
  "S3",
  "SNS",
  "EventBridgeRule",
  "CloudWatchEvent",
  "Schedule",
  "ScheduleV2",
  "IoTRule",
  "CloudWatchLogs",
]);

/** SAM event types read by an event source mapping, in batches. */
export const POLLED_EVENT_TYPES = new Set([
  "SQS",
  "Kinesis",
  "DynamoDB",
  "MSK",
  "MQ",
  "SelfManagedKafka",
  "DocumentDB",
]);

/** Principals of AWS::Lambda::Permission that invoke asynchronously. */
const ASYNC_PRINCIPALS = ["s3", "sns", "events", "iot", "logs"];

/** A number written as a number or a numeric string; undefined otherwise (an unresolved intrinsic). */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A nested property, or undefined where any step is missing. */
export function propertyAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const step of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[step];
  }
  return current;
}

/**
 * Whether a FunctionName (or function ARN) property designates this function:
 * a Ref or GetAtt to it or to its SAM alias, or its literal name or ARN.
 */
export function designatesFunction(value: unknown, fn: FunctionResource): boolean {
  const target = referencedResource(value);
  if (target !== undefined) return functionIds(fn).includes(target);
  if (referencesResource(value, fn.logicalId)) return true;
  const name = fn.properties.FunctionName;
  if (typeof value === "string" && typeof name === "string") {
    return value === name || new RegExp(`:function:${escapeRegExp(name)}(:[^:]+)?$`).test(value);
  }
  return false;
}

/** The function's logical id and the ids SAM gives what it generates for it. */
function functionIds(fn: FunctionResource): string[] {
  const ids = [fn.logicalId, `${fn.logicalId}.Alias`, `${fn.logicalId}.Version`];
  const alias = fn.properties.AutoPublishAlias;
  if (typeof alias === "string") ids.push(`${fn.logicalId}Alias${alias}`);
  return ids;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Resources of a type whose property (FunctionName by default) designates the function. */
export function resourcesForFunction(
  context: AuditContext,
  fn: FunctionResource,
  type: string,
  property = "FunctionName",
): TemplateResource[] {
  return context
    .resourcesOfType(type)
    .filter((resource) => designatesFunction(resource.properties[property], fn));
}

/** The service a Permission's Principal names ("s3" for s3.amazonaws.com), or the principal itself. */
export function principalService(principal: unknown): string | undefined {
  if (typeof principal !== "string") return undefined;
  const match = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*?)\.amazonaws\.com(\.cn)?$/.exec(principal);
  return match ? match[1] : principal;
}

/** SAM events of the given types. */
export function eventsOfType(fn: FunctionResource, types: ReadonlySet<string>) {
  return fn.events.filter((event) => types.has(event.type));
}

/** Names of what invokes the function synchronously, for messages. */
export function synchronousTriggers(context: AuditContext, fn: FunctionResource): string[] {
  const triggers = eventsOfType(fn, SYNC_EVENT_TYPES).map(
    (event) => `${event.type} event ${event.name}`,
  );
  if (isPlainObject(fn.properties.FunctionUrlConfig)) triggers.push("FunctionUrlConfig");
  for (const url of resourcesForFunction(context, fn, "AWS::Lambda::Url", "TargetFunctionArn")) {
    triggers.push(`function URL ${url.logicalId}`);
  }
  for (const permission of resourcesForFunction(context, fn, "AWS::Lambda::Permission")) {
    if (principalService(permission.properties.Principal) === "apigateway") {
      triggers.push(`API Gateway permission ${permission.logicalId}`);
    }
  }
  return triggers;
}

/**
 * Names of everything in the template that invokes the function and waits for
 * its answer, for messages: API Gateway and function URLs (synchronousTriggers),
 * and the other services that call Lambda synchronously with someone behind
 * them: an Application Load Balancer's target group (an HTTP client waits),
 * a Cognito user pool trigger (a user signing up or in waits, and Cognito
 * gives up after 5 seconds), an AppSync Lambda data source (a GraphQL client
 * waits). synchronousTriggers stays the HTTP callers that response streaming
 * applies to; this is the wider set, for rules about cold starts.
 */
export function waitingCallers(context: AuditContext, fn: FunctionResource): string[] {
  const callers = synchronousTriggers(context, fn);
  for (const event of eventsOfType(fn, COGNITO_EVENT_TYPES)) {
    callers.push(`${event.type} event ${event.name}`);
  }
  for (const pool of context.resourcesOfType("AWS::Cognito::UserPool")) {
    const config = pool.properties.LambdaConfig;
    if (!isPlainObject(config)) continue;
    for (const [trigger, value] of Object.entries(config)) {
      // Most triggers are an ARN; the versioned ones (PreTokenGenerationConfig, CustomSMSSender) hold it in LambdaArn.
      const arn = isPlainObject(value) && "LambdaArn" in value ? value.LambdaArn : value;
      if (designatesFunction(arn, fn)) {
        callers.push(`Cognito user pool ${pool.logicalId} trigger ${trigger}`);
      }
    }
  }
  for (const group of context.resourcesOfType("AWS::ElasticLoadBalancingV2::TargetGroup")) {
    const targets = group.properties.Targets;
    if (
      group.properties.TargetType === "lambda" &&
      Array.isArray(targets) &&
      targets.some((target) => isPlainObject(target) && designatesFunction(target.Id, fn))
    ) {
      callers.push(`load balancer target group ${group.logicalId}`);
    }
  }
  for (const source of context.resourcesOfType("AWS::AppSync::DataSource")) {
    if (
      designatesFunction(propertyAt(source.properties, ["LambdaConfig", "LambdaFunctionArn"]), fn)
    ) {
      callers.push(`AppSync data source ${source.logicalId}`);
    }
  }
  for (const permission of resourcesForFunction(context, fn, "AWS::Lambda::Permission")) {
    const service = principalService(permission.properties.Principal);
    if (service !== undefined && WAITING_PRINCIPALS.includes(service)) {
      callers.push(`${service} permission ${permission.logicalId}`);
    }
  }
  return callers;
}

/** SAM event types of services that call the function synchronously, beside Api and HttpApi. */
const COGNITO_EVENT_TYPES = new Set(["Cognito"]);

/** Principals of AWS::Lambda::Permission, beside API Gateway, whose invocations someone waits for. */
const WAITING_PRINCIPALS = ["elasticloadbalancing", "cognito-idp"];

/**
 * Names of the EventBridge Scheduler schedules whose target is the function:
 * Scheduler invokes through its role, so no AWS::Lambda::Permission shows it.
 */
export function schedulerSchedules(context: AuditContext, fn: FunctionResource): string[] {
  return context
    .resourcesOfType("AWS::Scheduler::Schedule")
    .filter((schedule) =>
      designatesFunction(propertyAt(schedule.properties, ["Target", "Arn"]), fn),
    )
    .map((schedule) => `Scheduler schedule ${schedule.logicalId}`);
}

/** Names of what invokes the function asynchronously (S3, SNS, EventBridge, ...), for messages. */
export function asynchronousTriggers(context: AuditContext, fn: FunctionResource): string[] {
  const triggers = eventsOfType(fn, ASYNC_EVENT_TYPES).map(
    (event) => `${event.type} event ${event.name}`,
  );
  for (const permission of resourcesForFunction(context, fn, "AWS::Lambda::Permission")) {
    const service = principalService(permission.properties.Principal);
    if (service !== undefined && ASYNC_PRINCIPALS.includes(service)) {
      triggers.push(`${service} permission ${permission.logicalId}`);
    }
  }
  return triggers;
}

/** Names of the event source mappings (SAM polled events or resources) that feed the function. */
export function polledTriggers(context: AuditContext, fn: FunctionResource): string[] {
  return [
    ...eventsOfType(fn, POLLED_EVENT_TYPES).map((event) => `${event.type} event ${event.name}`),
    ...resourcesForFunction(context, fn, "AWS::Lambda::EventSourceMapping").map(
      (mapping) => `event source mapping ${mapping.logicalId}`,
    ),
  ];
}

/**
 * The custom resources (AWS::CloudFormation::CustomResource, Custom::*) whose
 * ServiceToken is the function: CloudFormation calls it on create, update and
 * delete of the stack, not per request.
 */
export function customResourcesServed(context: AuditContext, fn: FunctionResource): string[] {
  return context.resources
    .filter(
      (resource) =>
        (resource.type === "AWS::CloudFormation::CustomResource" ||
          resource.type.startsWith("Custom::")) &&
        designatesFunction(resource.properties.ServiceToken, fn),
    )
    .map((resource) => resource.logicalId);
}

/** Where provisioned concurrency is configured for the function, as [logicalId, property path]. */
export function provisionedConcurrency(
  context: AuditContext,
  fn: FunctionResource,
): { resource: string; path: readonly (string | number)[] }[] {
  const found: { resource: string; path: readonly (string | number)[] }[] = [];
  if (isPlainObject(fn.properties.ProvisionedConcurrencyConfig)) {
    found.push({
      resource: fn.logicalId,
      path: context.propertyPath(fn.logicalId, ["ProvisionedConcurrencyConfig"]),
    });
  }
  for (const type of ["AWS::Lambda::Alias", "AWS::Lambda::Version"]) {
    for (const resource of resourcesForFunction(context, fn, type)) {
      if (isPlainObject(resource.properties.ProvisionedConcurrencyConfig)) {
        found.push({
          resource: resource.logicalId,
          path: ["Resources", resource.logicalId, "Properties", "ProvisionedConcurrencyConfig"],
        });
      }
    }
  }
  return found;
}

/** SnapStart on (ApplyOn: PublishedVersions). */
export function hasSnapStart(fn: FunctionResource): boolean {
  return propertyAt(fn.properties, ["SnapStart", "ApplyOn"]) === "PublishedVersions";
}

export interface UrlMode {
  readonly mode: string;
  readonly path: TemplatePath;
}

/** Each function's Function URL invoke mode (BUFFERED when a URL leaves it unset), by logical id, and where it is set. */
export function functionUrlModes(context: AuditContext): Map<string, UrlMode> {
  const modes = new Map<string, UrlMode>();
  for (const fn of context.functions) {
    const config = fn.properties.FunctionUrlConfig;
    if (!isPlainObject(config)) continue;
    modes.set(fn.logicalId, {
      mode: String(config.InvokeMode ?? "BUFFERED"),
      path: context.propertyPath(fn.logicalId, ["FunctionUrlConfig"]),
    });
  }
  for (const url of context.resourcesOfType("AWS::Lambda::Url")) {
    const target = referencedResource(url.properties.TargetFunctionArn);
    if (!target) continue;
    modes.set(target, {
      mode: String(url.properties.InvokeMode ?? "BUFFERED"),
      path: ["Resources", url.logicalId],
    });
  }
  return modes;
}
