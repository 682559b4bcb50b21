/**
 * api-request-validation: request models without a request validator are
 * documentation only: API Gateway passes malformed requests through, and
 * Lambda is invoked (and billed) to reject them. A REST method that takes a
 * body (POST, PUT, PATCH) and sends it to a function with neither a model nor
 * a validator is the same cost with nothing declared: it is reported too.
 * HTTP APIs validate nothing (a JWT authorizer only turns away unauthenticated
 * calls), so they are not judged here.
 */
import { isPlainObject } from "../../plain-object.js";
import { referencesResource } from "../../template/references.js";
import type { AuditContext, FunctionResource } from "../audit-context.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import {
  definitionOf,
  isTrue,
  openApiOperations,
  type RestApi,
  restApis,
  restResourcePath,
} from "./service-helpers.js";

const VALIDATOR = "x-amazon-apigateway-request-validator";
/** The methods whose requests carry a body for a model to check. */
const BODY_METHODS = new Set(["post", "put", "patch"]);
const UNVALIDATED = "has no request model or validator: malformed requests still invoke, and bill,";

/** The template function an integration URI invokes. */
function functionInvokedBy(context: AuditContext, uri: unknown): FunctionResource | undefined {
  return context.functions.find((fn) => referencesResource(uri, fn.logicalId));
}

/** Whether the API's inline definition writes this operation itself (it is then judged there). */
function definitionHas(api: RestApi, path: string, method: string): boolean {
  return openApiOperations(api).some(
    (operation) => operation.path === path && operation.method === method,
  );
}

/**
 * The function an OpenAPI operation invokes: its integration's URI, or the SAM
 * Api event SAM merges into the definition at the same path and method.
 */
function operationFunction(
  context: AuditContext,
  api: RestApi,
  path: string,
  method: string,
  operation: Record<string, unknown>,
): FunctionResource | undefined {
  const integration = operation["x-amazon-apigateway-integration"];
  if (isPlainObject(integration)) return functionInvokedBy(context, integration.uri);
  return api.events.find(
    (event) =>
      event.properties.Path === path &&
      String(event.properties.Method ?? "").toLowerCase() === method,
  )?.function;
}

export const apiRequestValidation: AuditRule = {
  meta: {
    id: "api-request-validation",
    severity: "info",
    title: "REST API that does not validate requests before invoking Lambda",
    rationale:
      "A model alone validates nothing, and a method that takes a body with no model has nothing to validate against: without a model and a request validator, API Gateway invokes Lambda for every malformed request, and each rejection is billed as an invocation. A validator rejects them at the gateway, without invoking Lambda.",
    fix: "Declare a model of the body and a request validator: RequestModel with Required: true and ValidateBody: true on the SAM event, RequestModels and RequestValidatorId on the AWS::ApiGateway::Method, or a requestBody schema and x-amazon-apigateway-request-validator in the OpenAPI definition.",
    docs: docsFor("api-request-validation"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    for (const api of restApis(context)) {
      for (const event of api.events) {
        const model = event.properties.RequestModel;
        if (!isPlainObject(model)) {
          const unvalidated = unvalidatedBodyEvent(api, event.properties);
          if (unvalidated) {
            findings.push({
              resource: event.function.logicalId,
              path: [...event.path, "Properties", "Method"],
              message: `${event.function.logicalId}'s Api event ${event.name} (${unvalidated}) ${UNVALIDATED} the function.`,
              fix: "Declare a model of the body under the API's Models and set RequestModel: {Model: <name>, Required: true, ValidateBody: true} on the event.",
            });
          }
          continue;
        }
        if (isTrue(model.ValidateBody) || isTrue(model.ValidateParameters)) continue;
        findings.push({
          resource: event.function.logicalId,
          path: [...event.path, "Properties", "RequestModel"],
          message: `${event.function.logicalId}'s Api event ${event.name} has RequestModel ${String(model.Model ?? "")} but no validation: malformed requests still invoke the function.`,
          fix: "Set ValidateBody: true (and ValidateParameters: true if it has parameters) on the RequestModel.",
        });
      }
      const definition = definitionOf(api);
      if (definition) {
        const rootValidator = definition.body[VALIDATOR];
        for (const { path, method, operation, templatePath } of openApiOperations(api)) {
          const hasModel =
            operation.requestBody !== undefined ||
            (Array.isArray(operation.parameters) &&
              operation.parameters.some(
                (parameter) => isPlainObject(parameter) && parameter.in === "body",
              ));
          if (operation[VALIDATOR] !== undefined || rootValidator !== undefined) continue;
          if (!hasModel) {
            const fn = BODY_METHODS.has(method)
              ? operationFunction(context, api, path, method, operation)
              : undefined;
            if (fn) {
              findings.push({
                resource: api.logicalId,
                path: templatePath,
                message: `REST API ${api.logicalId} sends ${method.toUpperCase()} ${path} to ${fn.logicalId} and ${UNVALIDATED} the function.`,
                fix: `Add a requestBody schema to the operation, declare x-amazon-apigateway-request-validators with validateRequestBody: true, and set ${VALIDATOR} at the root or on the operation.`,
              });
            }
            continue;
          }
          findings.push({
            resource: api.logicalId,
            path: templatePath,
            message: `REST API ${api.logicalId}: ${method.toUpperCase()} ${path} declares a request model but no request validator, so malformed requests still invoke Lambda.`,
            fix: `Add x-amazon-apigateway-request-validators and set ${VALIDATOR} at the root or on the operation.`,
          });
        }
      }
    }
    for (const method of context.resourcesOfType("AWS::ApiGateway::Method")) {
      const models = method.properties.RequestModels;
      if (method.properties.RequestValidatorId !== undefined) continue;
      if (!isPlainObject(models) || Object.keys(models).length === 0) {
        const httpMethod = String(method.properties.HttpMethod ?? "").toUpperCase();
        const integration = method.properties.Integration;
        const fn =
          BODY_METHODS.has(httpMethod.toLowerCase()) && isPlainObject(integration)
            ? functionInvokedBy(context, integration.Uri)
            : undefined;
        if (!fn) continue;
        const path = restResourcePath(context, method.properties.ResourceId);
        const route = path === undefined ? httpMethod : `${httpMethod} ${path}`;
        findings.push({
          resource: method.logicalId,
          path: context.propertyPath(method.logicalId, ["HttpMethod"]),
          message: `Method ${method.logicalId} sends ${route} to ${fn.logicalId} and ${UNVALIDATED} the function.`,
          fix: "Add an AWS::ApiGateway::Model of the body and an AWS::ApiGateway::RequestValidator (ValidateRequestBody: true); set RequestModels (application/json: the model) and RequestValidatorId on the method.",
        });
        continue;
      }
      findings.push({
        resource: method.logicalId,
        path: context.propertyPath(method.logicalId, ["RequestModels"]),
        message: `Method ${method.logicalId} has RequestModels but no RequestValidatorId: malformed requests still invoke the integration.`,
        fix: "Add an AWS::ApiGateway::RequestValidator (ValidateRequestBody: true) and set RequestValidatorId to it.",
      });
    }
    return findings;
  },
};

/**
 * "POST /items" when a SAM Api event takes a body and nothing validates it:
 * no RequestModel (the caller checked), no validator at the root of the API's
 * definition, and no operation of the definition at its path and method
 * (which the definition's own reading judges).
 */
function unvalidatedBodyEvent(
  api: RestApi,
  properties: Record<string, unknown>,
): string | undefined {
  const method = String(properties.Method ?? "").toLowerCase();
  const path = typeof properties.Path === "string" ? properties.Path : undefined;
  if (!BODY_METHODS.has(method) || path === undefined) return undefined;
  const definition = definitionOf(api);
  if (definition?.body[VALIDATOR] !== undefined || definitionHas(api, path, method)) {
    return undefined;
  }
  return `${method.toUpperCase()} ${path}`;
}
