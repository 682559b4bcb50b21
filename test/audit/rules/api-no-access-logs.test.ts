import { describe, expect, it } from "vitest";
import { apiNoAccessLogs } from "../../../src/audit/rules/api-no-access-logs.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

describe("api-no-access-logs", () => {
  it("reports REST and HTTP stages without a destination (serverless-rules ES2000)", () => {
    const yaml = `Resources:
  RestStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      StageName: prod
  HttpStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Http
      StageName: prod
      AccessLogSettings:
        Format: '{"requestId":"$context.requestId"}'
`;
    const findings = auditYaml(yaml, apiNoAccessLogs);
    expect(findings).toMatchObject([
      {
        ruleId: "api-no-access-logs",
        severity: "warning",
        resource: "RestStage",
        line: lineOf(yaml, "RestStage:"),
      },
      { resource: "HttpStage", line: lineOf(yaml, "AccessLogSettings:") },
    ]);
    expect(findings[1]!.message).toContain("DestinationArn");
  });

  it("does not report a stage logging to a destination", () => {
    const yaml = `Resources:
  RestStage:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Rest
      AccessLogSetting:
        DestinationArn: !GetAtt Logs.Arn
        Format: '{"requestId":"$context.requestId"}'
`;
    expect(auditYaml(yaml, apiNoAccessLogs)).toEqual([]);
  });

  it("reads SAM APIs, the implicit ones through Globals", () => {
    const yaml = `Globals:
  Api:
    AccessLogSetting:
      DestinationArn: arn:aws:logs:us-east-1:123456789012:log-group:api
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Events:
        Rest:
          Type: Api
          Properties:
            Path: /
            Method: get
        Http:
          Type: HttpApi
`;
    expect(auditYaml(yaml, apiNoAccessLogs)).toMatchObject([
      { resource: "ServerlessHttpApi", line: lineOf(yaml, "Http:") },
    ]);
  });
});
