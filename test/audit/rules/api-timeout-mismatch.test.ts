import { describe, expect, it } from "vitest";
import { apiTimeoutMismatch } from "../../../src/audit/rules/api-timeout-mismatch.js";
import { runRule, summarize } from "./run-rule.js";

describe("api-timeout-mismatch", () => {
  it("reports a SAM function behind a REST API with a Timeout above 29 s, at its Timeout", () => {
    const findings = runRule(
      apiTimeoutMismatch,
      `
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
            Handler: index.handler
            Timeout: 60
            Events:
              Get:
                Type: Api
                Properties:
                  Path: /orders
                  Method: get
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "api-timeout-mismatch", severity: "error", line: 8, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toContain("29 s");
  });

  it("reports a Timeout set in Globals at the Globals line, for an HTTP API above 30 s", () => {
    const findings = runRule(
      apiTimeoutMismatch,
      `
      Transform: AWS::Serverless-2016-10-31
      Globals:
        Function:
          Timeout: 45
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
            Handler: index.handler
            Events:
              Get:
                Type: HttpApi
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "api-timeout-mismatch", severity: "error", line: 4, resource: "Orders" },
    ]);
    expect(findings[0]!.message).toContain("30 s");
  });

  it("accepts 30 s behind an HTTP API (its limit), though 30 s behind REST is too long", () => {
    const template = (type: string) => `
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Orders:
          Type: AWS::Serverless::Function
          Properties:
            Timeout: 30
            Events:
              Get:
                Type: ${type}
      `;
    expect(runRule(apiTimeoutMismatch, template("HttpApi"))).toEqual([]);
    expect(summarize(runRule(apiTimeoutMismatch, template("Api")))).toHaveLength(1);
  });

  it("does not report a long Timeout on a function no API invokes", () => {
    const findings = runRule(
      apiTimeoutMismatch,
      `
      Resources:
        Worker:
          Type: AWS::Serverless::Function
          Properties:
            Timeout: 300
            Events:
              Queue:
                Type: SQS
                Properties:
                  Queue: arn:aws:sqs:us-east-1:123456789012:jobs
      `,
    );
    expect(findings).toEqual([]);
  });

  it("finds CloudFormation REST methods and HTTP API integrations whose URI references the function", () => {
    const findings = runRule(
      apiTimeoutMismatch,
      `
      Resources:
        Handler:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: python3.12
            Timeout: 29
        Slow:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: python3.12
            Timeout: 120
        GetMethod:
          Type: AWS::ApiGateway::Method
          Properties:
            HttpMethod: GET
            Integration:
              Type: AWS_PROXY
              IntegrationHttpMethod: POST
              Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Handler.Arn}/invocations
        SlowIntegration:
          Type: AWS::ApiGatewayV2::Integration
          Properties:
            ApiId: !Ref HttpApi
            IntegrationType: AWS_PROXY
            IntegrationUri: !GetAtt Slow.Arn
        HttpApi:
          Type: AWS::ApiGatewayV2::Api
          Properties:
            ProtocolType: HTTP
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "api-timeout-mismatch", severity: "error", line: 11, resource: "Slow" },
    ]);
    expect(findings[0]!.message).toContain("HTTP API integration SlowIntegration");
  });

  it("uses an integration's own TimeoutInMillis when it is set", () => {
    const findings = runRule(
      apiTimeoutMismatch,
      `
      Resources:
        Handler:
          Type: AWS::Lambda::Function
          Properties:
            Timeout: 20
        GetMethod:
          Type: AWS::ApiGateway::Method
          Properties:
            Integration:
              TimeoutInMillis: 10000
              Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Handler.Arn}/invocations
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "api-timeout-mismatch", severity: "error", line: 5, resource: "Handler" },
    ]);
    expect(findings[0]!.message).toContain("after 10 s");
  });
});
