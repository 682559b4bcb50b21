import { describe, expect, it } from "vitest";
import { apiRequestValidation } from "../../../src/audit/rules/api-request-validation.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

const template = (requestModel: string) => `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Models:
        Item:
          type: object
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: post
            RequestModel:
              Model: Item
${requestModel}`;

describe("api-request-validation", () => {
  it("reports a SAM RequestModel without validation, at the RequestModel", () => {
    const yaml = template("              Required: true\n");
    expect(auditYaml(yaml, apiRequestValidation)).toMatchObject([
      {
        ruleId: "api-request-validation",
        severity: "info",
        resource: "Fn",
        message:
          "Fn's Api event Create has RequestModel Item but no validation: malformed requests still invoke the function.",
        line: lineOf(yaml, "RequestModel:"),
      },
    ]);
  });

  it("does not report a RequestModel with ValidateBody", () => {
    expect(auditYaml(template("              ValidateBody: true\n"), apiRequestValidation)).toEqual(
      [],
    );
  });

  it("reports a Method with RequestModels and no RequestValidatorId, not one with it", () => {
    const yaml = `Resources:
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: abc
      HttpMethod: POST
      AuthorizationType: NONE
      RequestModels:
        application/json: !Ref ItemModel
`;
    expect(auditYaml(yaml, apiRequestValidation)).toMatchObject([
      {
        resource: "Post",
        message:
          "Method Post has RequestModels but no RequestValidatorId: malformed requests still invoke the integration.",
        line: lineOf(yaml, "RequestModels:"),
      },
    ]);
    const validated = yaml.replace(
      "      RequestModels:",
      "      RequestValidatorId: !Ref Validator\n      RequestModels:",
    );
    expect(auditYaml(validated, apiRequestValidation)).toEqual([]);
  });

  it("reports an inline OpenAPI operation at its own line, its method written in capitals", () => {
    const yaml = `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        swagger: "2.0"
        paths:
          /items:
            POST:
              parameters:
                - in: body
                  name: item
              x-amazon-apigateway-integration:
                type: aws_proxy
`;
    expect(auditYaml(yaml, apiRequestValidation)).toMatchObject([
      {
        resource: "Api",
        message:
          "REST API Api: POST /items declares a request model but no request validator, so malformed requests still invoke Lambda.",
        line: lineOf(yaml, "POST:"),
      },
    ]);
  });
});
