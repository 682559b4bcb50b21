import { describe, expect, it } from "vitest";
import { apiCacheGet } from "../../../src/audit/rules/api-cache-get.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

const template = (apiProperties: string, method = "get") => `Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
${apiProperties}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Read:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: ${method}
`;

describe("api-cache-get", () => {
  it("reports a REST API with a GET method and no cache, at the API", () => {
    const yaml = template("");
    const findings = auditYaml(yaml, apiCacheGet);
    expect(findings).toMatchObject([
      { ruleId: "api-cache-get", severity: "info", resource: "Api", line: lineOf(yaml, "  Api:") },
    ]);
    expect(findings[0]!.message).toContain("/items");
  });

  it("does not report when the cache cluster is enabled", () => {
    expect(auditYaml(template("      CacheClusterEnabled: true\n"), apiCacheGet)).toEqual([]);
  });

  it("does not report an API with only POST methods", () => {
    expect(auditYaml(template("", "post"), apiCacheGet)).toEqual([]);
  });

  it("reports a CloudFormation GET method at its HttpMethod, unless a stage caches", () => {
    const yaml = `Resources:
  Rest:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: r
  GetItems:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !GetAtt Rest.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
`;
    expect(auditYaml(yaml, apiCacheGet)).toMatchObject([{ resource: "Rest", line: 2 }]);
    const cached = `${yaml}  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: "/*"
          CachingEnabled: true
`;
    expect(auditYaml(cached, apiCacheGet)).toEqual([]);
  });
});
