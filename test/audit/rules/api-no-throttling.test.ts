import { describe, expect, it } from "vitest";
import { apiNoThrottling } from "../../../src/audit/rules/api-no-throttling.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

describe("api-no-throttling", () => {
  it("reports a REST stage whose default method setting has no limits (serverless-rules ES2003)", () => {
    const yaml = `Resources:
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      MethodSettings:
        - HttpMethod: GET
          ResourcePath: /items
          ThrottlingBurstLimit: 10
          ThrottlingRateLimit: 10
`;
    expect(auditYaml(yaml, apiNoThrottling)).toMatchObject([
      {
        ruleId: "api-no-throttling",
        severity: "warning",
        resource: "Stage",
        message:
          "Stage has no default MethodSettings with ThrottlingBurstLimit and ThrottlingRateLimit: any burst reaches Lambda and is billed.",
        line: lineOf(yaml, "MethodSettings:"),
      },
    ]);
  });

  it("does not report default throttling on both kinds of stage", () => {
    const yaml = `Resources:
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      MethodSettings:
        - HttpMethod: "*"
          ResourcePath: "/*"
          ThrottlingBurstLimit: 100
          ThrottlingRateLimit: 50
  HttpStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      DefaultRouteSettings:
        ThrottlingBurstLimit: 100
        ThrottlingRateLimit: 50
`;
    expect(auditYaml(yaml, apiNoThrottling)).toEqual([]);
  });

  it("reports an HTTP API with only a burst limit, at DefaultRouteSettings", () => {
    const yaml = `Resources:
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefaultRouteSettings:
        ThrottlingBurstLimit: 100
`;
    expect(auditYaml(yaml, apiNoThrottling)).toMatchObject([
      {
        resource: "Http",
        message:
          "Http has no default DefaultRouteSettings with ThrottlingBurstLimit and ThrottlingRateLimit: any burst reaches Lambda and is billed.",
        line: lineOf(yaml, "DefaultRouteSettings:"),
      },
    ]);
  });
});
