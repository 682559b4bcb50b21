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

  it("tells a buffered REST or HTTP integration that streaming the response allows 15 minutes", () => {
    const template = (type: string) => `
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Report:
          Type: AWS::Serverless::Function
          Properties:
            Timeout: 120
            Events:
              Get:
                Type: ${type}
      `;
    const [rest] = runRule(apiTimeoutMismatch, template("Api"));
    expect(rest!.message).toBe(
      "Report has Timeout 120 s but is behind REST API event Get, which times out after 29 s: the caller gets a 504 while the function may run, and bill, up to 120 s.",
    );
    expect(rest!.fix).toBe(
      "Set Timeout to 29 or less, or hand long work to an asynchronous invocation or a queue; where the client can take a progressive answer, stream the response: REST API response streaming (ResponseTransferMode STREAM on the /response-streaming-invocations path) may run up to 15 minutes.",
    );
    const [http] = runRule(apiTimeoutMismatch, template("HttpApi"));
    expect(http!.fix).toBe(
      "Set Timeout to 30 or less, or hand long work to an asynchronous invocation or a queue; where the client can take a progressive answer, stream the response: HTTP APIs do not stream, but REST API response streaming (ResponseTransferMode STREAM on the /response-streaming-invocations path) may run up to 15 minutes.",
    );
  });

  it("allows a REST method that streams (ResponseTransferMode STREAM) up to 900 s, or to its own TimeoutInMillis", () => {
    const template = (timeout: string) => `
      Resources:
        Chat:
          Type: AWS::Lambda::Function
          Properties:
            Runtime: nodejs22.x
            Timeout: 600
        ChatMethod:
          Type: AWS::ApiGateway::Method
          Properties:
            HttpMethod: POST
            Integration:
              Type: AWS_PROXY
              IntegrationHttpMethod: POST
              ResponseTransferMode: STREAM${timeout}
              Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2021-11-15/functions/\${Chat.Arn}/response-streaming-invocations
      `;
    expect(runRule(apiTimeoutMismatch, template(""))).toEqual([]);
    const findings = runRule(
      apiTimeoutMismatch,
      template("\n              TimeoutInMillis: 300000"),
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "api-timeout-mismatch", severity: "error", line: 6, resource: "Chat" },
    ]);
    expect(findings[0]!.message).toBe(
      "Chat has Timeout 600 s but is behind REST API method ChatMethod (response streaming), which times out after 300 s: the caller gets a 504 while the function may run, and bill, up to 600 s.",
    );
    expect(findings[0]!.fix).toBe(
      "Set Timeout to 300 or less, or raise the streaming integration's TimeoutInMillis (up to 900000, 15 minutes).",
    );
  });

  it("reads inline OpenAPI integrations: a streaming operation allows 15 minutes, a buffered one 29 s", () => {
    const findings = runRule(
      apiTimeoutMismatch,
      `
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Chat:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: nodejs22.x
            Timeout: 900
        Export:
          Type: AWS::Serverless::Function
          Properties:
            Runtime: python3.12
            Timeout: 60
        Api:
          Type: AWS::Serverless::Api
          Properties:
            StageName: prod
            DefinitionBody:
              openapi: "3.0.1"
              paths:
                /chat:
                  post:
                    x-amazon-apigateway-integration:
                      type: aws_proxy
                      httpMethod: POST
                      uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2021-11-15/functions/\${Chat.Arn}/response-streaming-invocations
                      responseTransferMode: STREAM
                /export:
                  get:
                    x-amazon-apigateway-integration:
                      type: aws_proxy
                      httpMethod: POST
                      uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2021-11-15/functions/\${Export.Arn}/response-streaming-invocations
      `,
    );
    expect(summarize(findings)).toEqual([
      { ruleId: "api-timeout-mismatch", severity: "error", line: 12, resource: "Export" },
    ]);
    expect(findings[0]!.message).toBe(
      "Export has Timeout 60 s but is behind REST API Api GET /export (on /response-streaming-invocations but without ResponseTransferMode STREAM, so buffered), which times out after 29 s: the caller gets a 504 while the function may run, and bill, up to 60 s.",
    );
  });
});
