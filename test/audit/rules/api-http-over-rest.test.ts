import { describe, expect, it } from "vitest";
import { apiHttpOverRest } from "../../../src/audit/rules/api-http-over-rest.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

const SAM_API = `Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: get
`;

describe("api-http-over-rest", () => {
  it("reports a SAM REST API that uses no REST-only feature", () => {
    const findings = auditYaml(SAM_API, apiHttpOverRest);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: "api-http-over-rest",
      severity: "info",
      resource: "Api",
      message:
        "REST API Api uses no REST-only feature (API keys, caching, request validation, WAF, private or edge endpoint, resource policy): an HTTP API would cost about 71% less per request and add less latency.",
      line: lineOf(SAM_API, "  Api:"),
    });
  });

  it("reports SAM's implicit REST API at the first Api event", () => {
    const yaml = `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Get:
          Type: Api
          Properties:
            Path: /items
            Method: get
`;
    const findings = auditYaml(yaml, apiHttpOverRest);
    expect(findings).toMatchObject([
      {
        ruleId: "api-http-over-rest",
        resource: "ServerlessRestApi",
        message:
          "The implicit REST API SAM creates for the Api events (Fn.Get) uses no REST-only feature (API keys, caching, request validation, WAF, private or edge endpoint, resource policy): an HTTP API would cost about 71% less per request and add less latency.",
        line: lineOf(yaml, "Get:"),
      },
    ]);
  });

  it("does not report a REST API with API keys required", () => {
    const yaml = SAM_API.replace(
      "StageName: prod",
      "StageName: prod\n      Auth:\n        ApiKeyRequired: true",
    );
    expect(auditYaml(yaml, apiHttpOverRest)).toEqual([]);
  });

  it("does not report a RestApi with a usage plan, a private endpoint or caching", () => {
    const base = `Resources:
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: r
`;
    const usagePlan = `${base}  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages:
        - ApiId: !Ref Rest
          Stage: prod
`;
    expect(auditYaml(usagePlan, apiHttpOverRest)).toEqual([]);
    const privateEndpoint = `${base}      EndpointConfiguration:
        Types: [PRIVATE]
`;
    expect(auditYaml(privateEndpoint, apiHttpOverRest)).toEqual([]);
    const cachedStage = `${base}  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      CacheClusterEnabled: true
`;
    expect(auditYaml(cachedStage, apiHttpOverRest)).toEqual([]);
    expect(auditYaml(base, apiHttpOverRest)).toMatchObject([
      {
        resource: "Rest",
        message:
          "REST API Rest uses no REST-only feature (API keys, caching, request validation, WAF, private or edge endpoint, resource policy): an HTTP API would cost about 71% less per request and add less latency.",
        line: 2,
      },
    ]);
  });

  it("does not report HTTP APIs", () => {
    const yaml = SAM_API.replace("AWS::Serverless::Api", "AWS::Serverless::HttpApi")
      .replace("Type: Api", "Type: HttpApi")
      .replace("RestApiId", "ApiId");
    expect(auditYaml(yaml, apiHttpOverRest)).toEqual([]);
  });

  it("honours an inline suppression", () => {
    const yaml = SAM_API.replace(
      "  Api:\n",
      "  # lambda-optimizer-disable-next-line api-http-over-rest\n  Api:\n",
    );
    expect(auditYaml(yaml, apiHttpOverRest)).toEqual([]);
  });
});
