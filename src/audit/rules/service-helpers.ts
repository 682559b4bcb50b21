/**
 * What the service rules (API Gateway, DynamoDB, SQS, SNS, EventBridge,
 * Step Functions, IAM, event source mappings) share: finding the REST APIs of
 * a template, SAM's implicit ones included, and reading values as text.
 */
import { isPlainObject } from "../../plain-object.js";
import type { TemplatePath } from "../../template/parse-template.js";
import { referencedResource, referencesResource } from "../../template/references.js";
import type { AuditContext, FunctionResource, TemplateResource } from "../audit-context.js";

export const SERVERLESS_API = "AWS::Serverless::Api";
export const REST_API = "AWS::ApiGateway::RestApi";
export const SERVERLESS_HTTP_API = "AWS::Serverless::HttpApi";
/** The logical ids SAM gives the APIs it creates for events without RestApiId / ApiId. */
export const IMPLICIT_REST_API = "ServerlessRestApi";
export const IMPLICIT_HTTP_API = "ServerlessHttpApi";

/**
 * A value as text with what is only known once deployed left as `${...}`:
 * a Fn::Sub's string, a Fn::Join's parts joined. Undefined when it is neither.
 */
export function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (!isPlainObject(value)) return undefined;
  const sub = value["Fn::Sub"];
  if (typeof sub === "string") return sub;
  if (Array.isArray(sub) && typeof sub[0] === "string") return sub[0];
  const join = value["Fn::Join"];
  if (Array.isArray(join) && typeof join[0] === "string" && Array.isArray(join[1])) {
    return join[1].map((part) => textOf(part) ?? "${?}").join(join[0]);
  }
  return undefined;
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true" || value === "True";
}

/** A SAM event that would be wired to an API: Api events to a REST API, HttpApi events to an HTTP API. */
export interface ApiEvent {
  readonly function: FunctionResource;
  readonly name: string;
  readonly properties: Record<string, unknown>;
  readonly path: TemplatePath;
}

export function eventPath(functionId: string, eventName: string): TemplatePath {
  return ["Resources", functionId, "Properties", "Events", eventName];
}

/** A REST API of the template, explicit or SAM's implicit one. */
export interface RestApi {
  readonly logicalId: string;
  readonly kind: "sam" | "cloudformation" | "implicit";
  /** Its properties (for the implicit API: Globals.Api, where its settings live). */
  readonly properties: Record<string, unknown>;
  /** Where to report about the API as a whole. */
  readonly path: TemplatePath;
  /** Where a missing API property should go (the API resource, or Globals.Api). */
  propertyPath(property: TemplatePath): TemplatePath;
  /** SAM Api events wired to it. */
  readonly events: readonly ApiEvent[];
}

function apiEventsOf(context: AuditContext, type: "Api" | "HttpApi"): ApiEvent[] {
  return context.functions.flatMap((fn) =>
    fn.events
      .filter((event) => event.type === type)
      .map((event) => ({
        function: fn,
        name: event.name,
        properties: event.properties,
        path: eventPath(fn.logicalId, event.name),
      })),
  );
}

function globalsSection(context: AuditContext, name: string): Record<string, unknown> {
  const globals = context.parsed.template.Globals;
  const section = isPlainObject(globals) ? globals[name] : undefined;
  return isPlainObject(section) ? section : {};
}

function hasSourcePath(context: AuditContext, path: TemplatePath): boolean {
  return context.parsed.positionOf(path) !== undefined;
}

/**
 * SAM's implicit API as the rules see it: the events that create it, its
 * settings from Globals (Globals.Api or Globals.HttpApi).
 */
function implicitApi(
  context: AuditContext,
  type: "Api" | "HttpApi",
  apiIdKey: "RestApiId" | "ApiId",
  logicalId: string,
): RestApi | undefined {
  const events = apiEventsOf(context, type).filter(
    (event) => event.properties[apiIdKey] === undefined,
  );
  // A template may declare the implicit API's id itself; then it is an explicit one.
  if (events.length === 0 || context.resource(logicalId)) return undefined;
  const globalsName = type;
  return {
    logicalId,
    kind: "implicit",
    properties: globalsSection(context, globalsName),
    path: events[0]!.path,
    propertyPath(property) {
      const inGlobals = ["Globals", globalsName, ...property];
      return hasSourcePath(context, inGlobals) ? inGlobals : events[0]!.path;
    },
    events,
  };
}

/** An API the template declares as a resource, with the SAM events whose RestApiId / ApiId point at it. */
function explicitApi(
  context: AuditContext,
  resource: TemplateResource,
  apiEvents: readonly ApiEvent[],
  apiIdKey: "RestApiId" | "ApiId",
  kind: "sam" | "cloudformation",
): RestApi {
  return {
    logicalId: resource.logicalId,
    kind,
    properties: resource.properties,
    path: ["Resources", resource.logicalId],
    propertyPath: (property) => context.propertyPath(resource.logicalId, property),
    events: apiEvents.filter((event) =>
      referencesResource(event.properties[apiIdKey], resource.logicalId),
    ),
  };
}

/** Every REST API: AWS::Serverless::Api, AWS::ApiGateway::RestApi, and SAM's implicit ServerlessRestApi. */
export function restApis(context: AuditContext): RestApi[] {
  const apiEvents = apiEventsOf(context, "Api");
  const explicit = context.resources
    .filter((resource) => resource.type === SERVERLESS_API || resource.type === REST_API)
    .map((resource) =>
      explicitApi(
        context,
        resource,
        apiEvents,
        "RestApiId",
        resource.type === SERVERLESS_API ? "sam" : "cloudformation",
      ),
    );
  const implicit = implicitApi(context, "Api", "RestApiId", IMPLICIT_REST_API);
  return implicit ? [...explicit, implicit] : explicit;
}

/** Every HTTP API: AWS::Serverless::HttpApi and SAM's implicit ServerlessHttpApi. */
export function samHttpApis(context: AuditContext): RestApi[] {
  const apiEvents = apiEventsOf(context, "HttpApi");
  const explicit = context
    .resourcesOfType(SERVERLESS_HTTP_API)
    .map((resource) => explicitApi(context, resource, apiEvents, "ApiId", "sam"));
  const implicit = implicitApi(context, "HttpApi", "ApiId", IMPLICIT_HTTP_API);
  return implicit ? [...explicit, implicit] : explicit;
}

/** An operation of a REST API's inline OpenAPI definition, and where it is written in the template. */
export interface OpenApiOperation {
  readonly path: string;
  /** Lower case ("get"), however the definition writes it. */
  readonly method: string;
  readonly operation: Record<string, unknown>;
  /** The operation's own key in the template (the method as written), for the finding's line. */
  readonly templatePath: TemplatePath;
}

/** The operations of an API's inline OpenAPI/Swagger definition; none when it has no inline one. */
export function openApiOperations(api: RestApi): OpenApiOperation[] {
  const definition = definitionOf(api);
  const paths = definition?.body.paths;
  if (!definition || !isPlainObject(paths)) return [];
  const definitionPath = ["Resources", api.logicalId, "Properties", definition.key, "paths"];
  return Object.entries(paths).flatMap(([path, item]) =>
    isPlainObject(item)
      ? Object.entries(item).flatMap(([method, operation]) =>
          isPlainObject(operation)
            ? [
                {
                  path,
                  method: method.toLowerCase(),
                  operation,
                  templatePath: [...definitionPath, path, method],
                },
              ]
            : [],
        )
      : [],
  );
}

/** A REST API's OpenAPI definition, when written inline (SAM DefinitionBody, RestApi Body). */
export function definitionOf(
  api: RestApi,
): { key: string; body: Record<string, unknown> } | undefined {
  for (const key of ["DefinitionBody", "Body"]) {
    const body = api.properties[key];
    if (isPlainObject(body)) return { key, body };
  }
  return undefined;
}

/**
 * The path an AWS::ApiGateway::Method's ResourceId stands for, read up its
 * AWS::ApiGateway::Resource parents ("/items/{id}"; "/" for the API's root
 * resource). Undefined when a part is not in the template (an imported id).
 */
export function restResourcePath(context: AuditContext, resourceId: unknown): string | undefined {
  const parts: string[] = [];
  let current = resourceId;
  // A parent chain deeper than any real API stops a cycle a broken template could hold.
  for (let depth = 0; depth < 64; depth++) {
    const target = referencedResource(current);
    const resource = target === undefined ? undefined : context.resource(target);
    if (resource === undefined) return undefined;
    if (resource.type === REST_API) return `/${parts.reverse().join("/")}`;
    if (resource.type !== "AWS::ApiGateway::Resource") return undefined;
    const part = textOf(resource.properties.PathPart);
    if (part === undefined) return undefined;
    parts.push(part);
    current = resource.properties.ParentId;
  }
  return undefined;
}
