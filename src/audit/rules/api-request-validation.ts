/**
 * api-request-validation: request models without a request validator are
 * documentation only: API Gateway passes malformed requests through, and
 * Lambda is invoked (and billed) to reject them.
 */
import { isPlainObject } from "../../plain-object.js";
import { type AuditRule, docsFor, type RuleFinding } from "../rule.js";
import { definitionOf, isTrue, openApiOperations, restApis } from "./service-helpers.js";

const VALIDATOR = "x-amazon-apigateway-request-validator";

export const apiRequestValidation: AuditRule = {
  meta: {
    id: "api-request-validation",
    severity: "info",
    title: "REST API with request models and no request validator",
    rationale:
      "A model alone validates nothing: without a request validator, API Gateway invokes Lambda for every malformed request, and each rejection is billed as an invocation. A validator rejects them at the gateway, without invoking Lambda.",
    fix: "Add a request validator: ValidateBody: true (and ValidateParameters) on the SAM RequestModel, RequestValidatorId on the AWS::ApiGateway::Method, or x-amazon-apigateway-request-validator in the OpenAPI definition.",
    docs: docsFor("api-request-validation"),
  },
  check(context) {
    const findings: RuleFinding[] = [];
    for (const api of restApis(context)) {
      for (const event of api.events) {
        const model = event.properties.RequestModel;
        if (!isPlainObject(model)) continue;
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
          if (!hasModel || operation[VALIDATOR] !== undefined || rootValidator !== undefined) {
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
      if (!isPlainObject(models) || Object.keys(models).length === 0) continue;
      if (method.properties.RequestValidatorId !== undefined) continue;
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
