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

describe("api-request-validation: a body method with nothing to validate against", () => {
  const samEvents = (events: string) => `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
${events}`;

  it("reports a SAM Api POST with no RequestModel at its Method, not a GET or an HttpApi PUT", () => {
    const yaml = samEvents(`        Create:
          Type: Api
          Properties:
            Path: /items
            Method: post
        List:
          Type: Api
          Properties:
            Path: /items
            Method: get
        Update:
          Type: HttpApi
          Properties:
            Path: /items/{id}
            Method: put
`);
    const findings = auditYaml(yaml, apiRequestValidation);
    expect(findings).toMatchObject([
      {
        ruleId: "api-request-validation",
        severity: "info",
        resource: "Fn",
        message:
          "Fn's Api event Create (POST /items) has no request model or validator: malformed requests still invoke, and bill, the function.",
        fix: "Declare a model of the body under the API's Models and set RequestModel: {Model: <name>, Required: true, ValidateBody: true} on the event.",
        line: lineOf(yaml, "Method: post"),
      },
    ]);
  });

  it("does not report an HttpApi's body methods: HTTP APIs have no request validation", () => {
    const yaml = samEvents(`        Create:
          Type: HttpApi
          Properties:
            Path: /items
            Method: post
`);
    expect(auditYaml(yaml, apiRequestValidation)).toEqual([]);
  });

  const methodTemplate = (extra: string, httpMethod = "POST") => `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: exports.handler = async () => ({});
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: items
  Items:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Rest
      ParentId: !GetAtt Rest.RootResourceId
      PathPart: items
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !Ref Items
      HttpMethod: ${httpMethod}
      AuthorizationType: NONE
${extra}      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
`;

  it("reports an AWS::ApiGateway::Method POST integrated with a function, at its HttpMethod, with its path", () => {
    const yaml = methodTemplate("");
    expect(auditYaml(yaml, apiRequestValidation)).toMatchObject([
      {
        resource: "Post",
        message:
          "Method Post sends POST /items to Fn and has no request model or validator: malformed requests still invoke, and bill, the function.",
        fix: "Add an AWS::ApiGateway::Model of the body and an AWS::ApiGateway::RequestValidator (ValidateRequestBody: true); set RequestModels (application/json: the model) and RequestValidatorId on the method.",
        line: lineOf(yaml, "HttpMethod: POST"),
      },
    ]);
  });

  it("does not report a Method with a RequestValidatorId, nor a GET Method", () => {
    expect(
      auditYaml(methodTemplate("      RequestValidatorId: !Ref Validator\n"), apiRequestValidation),
    ).toEqual([]);
    expect(auditYaml(methodTemplate("", "GET"), apiRequestValidation)).toEqual([]);
  });

  const definition = (root: string) => `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
${root}        paths:
          /items/{id}:
            patch:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Fn.Arn}/invocations
`;

  it("reports an inline OpenAPI PATCH without a requestBody or validator, not with a root validator", () => {
    const yaml = definition("");
    expect(auditYaml(yaml, apiRequestValidation)).toMatchObject([
      {
        resource: "Api",
        message:
          "REST API Api sends PATCH /items/{id} to Fn and has no request model or validator: malformed requests still invoke, and bill, the function.",
        line: lineOf(yaml, "patch:"),
      },
    ]);
    expect(
      auditYaml(
        definition("        x-amazon-apigateway-request-validator: all\n"),
        apiRequestValidation,
      ),
    ).toEqual([]);
  });

  it("judges a SAM Api event written into its API's definition once, by the definition", () => {
    const yaml = `Resources:
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
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /items:
            post:
              responses: {}
`;
    expect(auditYaml(yaml, apiRequestValidation)).toMatchObject([
      {
        resource: "Api",
        message:
          "REST API Api sends POST /items to Fn and has no request model or validator: malformed requests still invoke, and bill, the function.",
        line: lineOf(yaml, "post:"),
      },
    ]);
  });
});
