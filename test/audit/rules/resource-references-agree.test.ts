/**
 * api-timeout-mismatch and streaming-mode-mismatch both ask which function an API Gateway
 * integration's Uri invokes. They used to ask two different helpers: one read `${Handler}` in a
 * Fn::Sub as the function Handler even where the Fn::Sub's own variable Handler shadows it, so the
 * timeout rule blamed Handler as well as Live while the streaming rule named only Live.
 */
import { describe, expect, it } from "vitest";
import { apiTimeoutMismatch } from "../../../src/audit/rules/api-timeout-mismatch.js";
import { streamingModeMismatch } from "../../../src/audit/rules/streaming-mode-mismatch.js";
import { auditYaml } from "./audit-yaml.js";

const template = `Resources:
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Timeout: 60
      FunctionUrlConfig:
        AuthType: AWS_IAM
        InvokeMode: RESPONSE_STREAM
  Live:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      Timeout: 60
      FunctionUrlConfig:
        AuthType: AWS_IAM
        InvokeMode: RESPONSE_STREAM
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !GetAtt Rest.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: !Sub
          - arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Handler}/invocations
          - Handler: !GetAtt Live.Arn
`;

describe("two rules read one integration Uri the same way", () => {
  it("a Fn::Sub variable named like another function: both rules name Live, neither Handler", () => {
    const timeouts = auditYaml(template, apiTimeoutMismatch);
    const streaming = auditYaml(template, streamingModeMismatch);
    expect(timeouts.map((finding) => finding.message)).toEqual([
      "Live has Timeout 60 s but is behind REST API method Method, which times out after 29 s: the caller gets a 504 while the function may run, and bill, up to 60 s.",
    ]);
    expect(streaming.map((finding) => finding.message)).toEqual([
      "Method invokes Live on the buffered /invocations path, but its Function URL streams (InvokeMode RESPONSE_STREAM): through this API the response is buffered, not streamed.",
    ]);
  });
});
