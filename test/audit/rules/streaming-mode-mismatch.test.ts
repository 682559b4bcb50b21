import { describe, expect, it } from "vitest";
import { streamingModeMismatch } from "../../../src/audit/rules/streaming-mode-mismatch.js";
import { auditYaml, lineOf } from "./audit-yaml.js";

const template = (invokeMode: string, uriPath: string) => `Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs22.x
      FunctionUrlConfig:
        AuthType: AWS_IAM
        InvokeMode: ${invokeMode}
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
        Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/${uriPath}
`;

const BUFFERED_URI = "2015-03-31/functions/${Fn.Arn}/invocations";
const STREAMING_URI = "2021-11-15/functions/${Fn.Arn}/response-streaming-invocations";

describe("streaming-mode-mismatch", () => {
  it("reports a RESPONSE_STREAM function behind a buffered /invocations integration, at the Uri", () => {
    const yaml = template("RESPONSE_STREAM", BUFFERED_URI);
    expect(auditYaml(yaml, streamingModeMismatch)).toMatchObject([
      {
        ruleId: "streaming-mode-mismatch",
        severity: "error",
        resource: "Method",
        message:
          "Method invokes Fn on the buffered /invocations path, but its Function URL streams (InvokeMode RESPONSE_STREAM): through this API the response is buffered, not streamed.",
        line: lineOf(yaml, "Uri:"),
      },
    ]);
  });

  it("reports a streaming integration on a function whose Function URL is BUFFERED (by default)", () => {
    const yaml = template("BUFFERED", STREAMING_URI).replace("        InvokeMode: BUFFERED\n", "");
    expect(auditYaml(yaml, streamingModeMismatch)).toMatchObject([
      {
        resource: "Method",
        message:
          "Method invokes Fn on /response-streaming-invocations, but its Function URL is BUFFERED: a handler that does not stream does not produce the output API Gateway's streaming integration expects.",
        line: lineOf(yaml, "Uri:"),
      },
    ]);
  });

  it("does not report matching modes", () => {
    expect(auditYaml(template("RESPONSE_STREAM", STREAMING_URI), streamingModeMismatch)).toEqual(
      [],
    );
    expect(auditYaml(template("BUFFERED", BUFFERED_URI), streamingModeMismatch)).toEqual([]);
  });

  it("does not report an integration on a function without a Function URL", () => {
    const yaml = template("RESPONSE_STREAM", BUFFERED_URI).replace(
      "      FunctionUrlConfig:\n        AuthType: AWS_IAM\n        InvokeMode: RESPONSE_STREAM\n",
      "",
    );
    expect(auditYaml(yaml, streamingModeMismatch)).toEqual([]);
  });
});
