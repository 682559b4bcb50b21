/** Function URLs from a template: SAM's FunctionUrlConfig and AWS::Lambda::Url resources. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { functionsFromTemplate } from "../../src/emulator/functions/from-template.js";

const TEMPLATE = fileURLToPath(
  new URL("../fixtures/templates/function-urls/template.yaml", import.meta.url),
);

describe("Function URLs from a template", () => {
  it("reads FunctionUrlConfig and an AWS::Lambda::Url, and warns about one it cannot serve", () => {
    const { functions, warnings } = functionsFromTemplate(TEMPLATE);
    const byName = Object.fromEntries(functions.map((fn) => [fn.name, fn]));
    expect(byName.TokenStreamer!.functionUrl).toEqual({
      authType: "NONE",
      invokeMode: "RESPONSE_STREAM",
      cors: { AllowOrigins: ["*"], AllowMethods: ["GET"] },
    });
    expect(byName.Echo!.functionUrl).toEqual({ authType: "AWS_IAM", invokeMode: "BUFFERED" });
    expect(byName.Plain!.functionUrl).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(
        /template\.yaml:\d+:\d+: Plain: function URL not served: AuthType "OPEN" is not NONE or AWS_IAM$/,
      ),
    ]);
  });

  it("finds a URL's target by name or ARN, and says when it is not a function it runs", () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-url-template-"));
    const template = join(folder, "template.yaml");
    writeFileSync(
      template,
      [
        "Resources:",
        "  Fn:",
        "    Type: AWS::Serverless::Function",
        "    Properties: { FunctionName: named, Runtime: nodejs22.x, Handler: index.handler, InlineCode: 'exports.handler = async () => 1' }",
        "  ByArn:",
        "    Type: AWS::Lambda::Url",
        "    Properties: { TargetFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:named', AuthType: NONE, InvokeMode: RESPONSE_STREAM, Qualifier: live }",
        "  Elsewhere:",
        "    Type: AWS::Lambda::Url",
        "    Properties: { TargetFunctionArn: !ImportValue other-stack-function, AuthType: NONE }",
      ].join("\n"),
    );
    const { functions, warnings } = functionsFromTemplate(template);
    expect(functions[0]!.functionUrl).toEqual({ authType: "NONE", invokeMode: "RESPONSE_STREAM" });
    expect(warnings).toEqual([
      expect.stringMatching(/ByArn: served on the unqualified function/),
      expect.stringMatching(
        /Elsewhere: the function URL's target is not a function the emulator runs; not served$/,
      ),
    ]);
  });
});
