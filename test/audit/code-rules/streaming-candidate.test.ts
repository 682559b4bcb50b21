import { describe, expect, it } from "vitest";
import { streamingCandidate } from "../../../src/audit/code-rules/streaming-candidate.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const rule = streamingCandidate;
const URL = { FunctionUrlConfig: { AuthType: "AWS_IAM" } };
const HTTP_API = { Events: { Api: { Type: "HttpApi" } } };
const SQS = {
  Events: {
    Queue: { Type: "SQS", Properties: { Queue: "arn:aws:sqs:us-east-1:123456789012:q" } },
  },
};
const PY = { runtime: "python3.12", handler: "app.handler" };

const CHAT = {
  "index.mjs": `import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
const bedrock = new BedrockRuntimeClient({});
export const handler = async (event) => {
  const response = await bedrock.send(new ConverseStreamCommand({ modelId: "m", messages: [] }));
  let text = "";
  for await (const chunk of response.stream) text += chunk.contentBlockDelta?.delta?.text ?? "";
  return { statusCode: 200, body: text };
};
`,
};

const STREAMER = `export const handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.end("done");
});
`;

describe("streaming-candidate: JavaScript (ESM)", () => {
  it("reports a model stream relayed by a handler behind a Function URL, at the `new`", async () => {
    const findings = await runCodeRule(rule, { files: CHAT, properties: URL });
    expect(findings.map(place)).toEqual([at(CHAT, "index.mjs", "new ConverseStreamCommand")]);
    expect(findings[0]).toMatchObject({ ruleId: "streaming-candidate", severity: "info" });
    expect(findings[0]!.message).toContain("relays a model's token stream");
  });

  it("reports behind an HttpApi event", async () => {
    const findings = await runCodeRule(rule, { files: CHAT, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(CHAT, "index.mjs", "new ConverseStreamCommand")]);
  });

  it("does not report an SQS-fed function, nor one with no trigger in its template", async () => {
    expect(await runCodeRule(rule, { files: CHAT, properties: SQS })).toEqual([]);
    expect(await runCodeRule(rule, { files: CHAT })).toEqual([]);
  });

  it("reports in a plain folder (the caller is unknown)", async () => {
    const findings = await runCodeRuleOnFolder(rule, { files: CHAT });
    expect(findings.map(place)).toEqual([at(CHAT, "index.mjs", "new ConverseStreamCommand", "")]);
  });

  it("reports an S3 body read whole to return it", async () => {
    const files = {
      "index.mjs": `import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
export const handler = async (event) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: "b", Key: event.key }));
  return { statusCode: 200, body: await object.Body.transformToString() };
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: URL });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "object.Body.transformToString(")]);
    expect(findings[0]!.message).toContain("reads an object whole");
  });

  it("warns about a streamifyResponse handler behind a BUFFERED Function URL, at the export", async () => {
    const files = { "index.mjs": STREAMER };
    const findings = await runCodeRule(rule, {
      files,
      properties: { FunctionUrlConfig: { AuthType: "AWS_IAM", InvokeMode: "BUFFERED" } },
    });
    // The export's position is the handler function it wraps.
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "async (event, stream)")]);
    expect(findings[0]!.severity).toBe("warning");
    expect(findings[0]!.message).toContain("its Function URL is BUFFERED");
  });

  it("warns when the URL's InvokeMode is unset (BUFFERED by default), on an AWS::Lambda::Url resource", async () => {
    const files = { "index.mjs": STREAMER };
    const findings = await runCodeRule(rule, {
      files,
      resources: {
        Url: {
          Type: "AWS::Lambda::Url",
          Properties: { AuthType: "NONE", TargetFunctionArn: { "Fn::GetAtt": ["Fn", "Arn"] } },
        },
      },
    });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "async (event, stream)")]);
  });

  it("does not report a streamed handler behind a RESPONSE_STREAM URL, even if it relays a model", async () => {
    const files = {
      "index.mjs": `import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
const bedrock = new BedrockRuntimeClient({});
export const handler = awslambda.streamifyResponse(async (event, stream) => {
  const response = await bedrock.send(new ConverseStreamCommand({ modelId: "m", messages: [] }));
  for await (const chunk of response.stream) stream.write(JSON.stringify(chunk));
  stream.end();
});
`,
    };
    expect(
      await runCodeRule(rule, {
        files,
        properties: { FunctionUrlConfig: { AuthType: "AWS_IAM", InvokeMode: "RESPONSE_STREAM" } },
      }),
    ).toEqual([]);
  });

  it("is suppressed by a disable-next-line comment naming it, not by another id", async () => {
    const files = {
      "index.mjs": `import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
const bedrock = new BedrockRuntimeClient({});
export const handler = async () => {
  // lambda-optimizer-disable-next-line streaming-candidate
  const a = await bedrock.send(new ConverseStreamCommand({ modelId: "a" }));
  // lambda-optimizer-disable-next-line init-in-handler
  const b = await bedrock.send(new ConverseStreamCommand({ modelId: "b" }));
  return [a, b];
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: URL });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", 'new ConverseStreamCommand({ modelId: "b" })'),
    ]);
  });
});

describe("streaming-candidate: JavaScript (CommonJS)", () => {
  it("reports InvokeModelWithResponseStreamCommand with `exports.handler` behind an HttpApi", async () => {
    const files = {
      "index.js": `const { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand } = require("@aws-sdk/client-bedrock-runtime");
const bedrock = new BedrockRuntimeClient({});
exports.handler = async () => bedrock.send(new InvokeModelWithResponseStreamCommand({ modelId: "m" }));
`,
    };
    const findings = await runCodeRule(rule, { files, properties: HTTP_API });
    expect(findings.map(place)).toEqual([
      at(files, "index.js", "new InvokeModelWithResponseStreamCommand"),
    ]);
  });

  it("warns about `exports.handler = awslambda.streamifyResponse(...)` behind a BUFFERED URL", async () => {
    const files = {
      "index.js": `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  stream.end("done");
});
`,
    };
    const findings = await runCodeRule(rule, { files, properties: URL });
    expect(findings.map(place)).toEqual([at(files, "index.js", "async (event, stream)")]);
    expect(findings[0]!.severity).toBe("warning");
  });
});

describe("streaming-candidate: TypeScript", () => {
  it("reports a model stream in another local module (./lib/model.js -> model.ts)", async () => {
    const files = {
      "index.ts": `import { ask } from "./lib/model.js";
export const handler = async (event: { body: string }): Promise<unknown> => ask(event.body);
`,
      "lib/model.ts": `import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
const bedrock = new BedrockRuntimeClient({});
export async function ask(text: string): Promise<unknown> {
  return bedrock.send(new ConverseStreamCommand({ modelId: "m", messages: [{ role: "user", content: [{ text }] }] }));
}
`,
    };
    const findings = await runCodeRule(rule, { files, properties: URL });
    expect(findings.map(place)).toEqual([at(files, "lib/model.ts", "new ConverseStreamCommand")]);
  });

  it("warns about a streamed TypeScript handler on a REST method without STREAM", async () => {
    const files = {
      "index.ts": `declare const awslambda: { streamifyResponse(handler: unknown): unknown };
export const handler = awslambda.streamifyResponse(async (): Promise<void> => {});
`,
    };
    const findings = await runCodeRule(rule, {
      files,
      resources: {
        Method: {
          Type: "AWS::ApiGateway::Method",
          Properties: {
            HttpMethod: "GET",
            ResourceId: "r",
            RestApiId: "a",
            Integration: {
              Type: "AWS_PROXY",
              IntegrationHttpMethod: "POST",
              Uri: {
                "Fn::Sub":
                  "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations",
              },
            },
          },
        },
      },
    });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "async (): Promise<void> => {}")]);
    expect(findings[0]!.message).toContain(
      "REST method Method has no ResponseTransferMode: STREAM",
    );
  });
});

describe("streaming-candidate: Python", () => {
  it("reports invoke_model_with_response_stream behind a Function URL, noting Python does not stream", async () => {
    const files = {
      "app.py": `import boto3

bedrock = boto3.client("bedrock-runtime")


def handler(event, context):
    response = bedrock.invoke_model_with_response_stream(modelId="m", body="{}")
    return "".join(str(part) for part in response["body"])
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: URL });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", "bedrock.invoke_model_with_response_stream("),
    ]);
    expect(findings[0]!.message).toBe(
      "bedrock.invoke_model_with_response_stream(…) relays a model's token stream, but the handler's response is buffered: the caller waits for the last token. Python's managed runtime does not stream with awslambda.streamifyResponse (Node.js only): stream through a Function URL with InvokeMode RESPONSE_STREAM, served by the AWS Lambda Web Adapter (a layer that runs a web server, e.g. a FastAPI StreamingResponse or a Flask generator, with AWS_LWA_INVOKE_MODE=response_stream) or a custom runtime that streams its response through the Runtime API.",
    );
    expect(findings[0]!.fix).toBe(
      "Serve the function through a Function URL with InvokeMode RESPONSE_STREAM and run it under the AWS Lambda Web Adapter (a layer that runs a web server, e.g. a FastAPI StreamingResponse or a Flask generator, with AWS_LWA_INVOKE_MODE=response_stream) or a custom runtime that streams its response through the Runtime API; or move the endpoint to a Node.js function and wrap its handler in awslambda.streamifyResponse.",
    );
  });

  it("reports a Python S3 body read whole (get_object, then Body.read()) to return it, naming the Function URL route", async () => {
    const files = {
      "app.py": `import boto3

s3 = boto3.client("s3")


def handler(event, context):
    obj = s3.get_object(Bucket="reports", Key=event["key"])
    body = obj["Body"].read()
    return {"statusCode": 200, "body": body.decode()}
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: URL });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'obj["Body"].read(')]);
    expect(findings[0]!.message).toBe(
      "obj[].read(…) reads an object whole to return it: a buffered response fails above 6 MB; streaming allows 200 MB and sends the first bytes at once. Python's managed runtime does not stream with awslambda.streamifyResponse (Node.js only): stream through a Function URL with InvokeMode RESPONSE_STREAM, served by the AWS Lambda Web Adapter (a layer that runs a web server, e.g. a FastAPI StreamingResponse or a Flask generator, with AWS_LWA_INVOKE_MODE=response_stream) or a custom runtime that streams its response through the Runtime API.",
    );
  });

  it("does not report an S3 body read whole that the handler keeps rather than returns", async () => {
    const files = {
      "app.py": `import boto3

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table("archive")


def handler(event, context):
    data = s3.get_object(Bucket="b", Key=event["key"])["Body"].read()
    table.put_item(Item={"key": event["key"], "data": data})
    return {"statusCode": 204}
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: URL })).toEqual([]);
  });

  it("does not report a ranged get_object, a body read in chunks, or a whole read in an SQS-fed function", async () => {
    const source = (read: string) => ({
      "app.py": `import boto3

s3 = boto3.client("s3")


def handler(event, context):
    ${read}
`,
    });
    const ranged = source(
      'return s3.get_object(Bucket="b", Key="k", Range="bytes=0-99")["Body"].read()',
    );
    expect(await runCodeRule(rule, { ...PY, files: ranged, properties: URL })).toEqual([]);
    const chunked = source('return s3.get_object(Bucket="b", Key="k")["Body"].read(1024)');
    expect(await runCodeRule(rule, { ...PY, files: chunked, properties: URL })).toEqual([]);
    const whole = source('return s3.get_object(Bucket="b", Key="k")["Body"].read()');
    expect(await runCodeRule(rule, { ...PY, files: whole, properties: SQS })).toEqual([]);
    expect(await runCodeRule(rule, { ...PY, files: whole, properties: URL })).toHaveLength(1);
  });

  it("reports converse_stream behind an HttpApi, in another local module (`from .model import ask`)", async () => {
    const files = {
      "app.py": `from .model import ask


def handler(event, context):
    return ask(event["body"])
`,
      "model.py": `import boto3

bedrock = boto3.client("bedrock-runtime")


def ask(text):
    return bedrock.converse_stream(modelId="m", messages=[])
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: HTTP_API });
    expect(findings.map(place)).toEqual([at(files, "model.py", "bedrock.converse_stream(")]);
  });

  it("does not report an SQS-fed function", async () => {
    const model = {
      "app.py": `import boto3

bedrock = boto3.client("bedrock-runtime")


def handler(event, context):
    return bedrock.converse_stream(modelId="m", messages=[])
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: model, properties: SQS })).toEqual([]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line streaming-candidate`, not by another id", async () => {
    const files = {
      "app.py": `import boto3

bedrock = boto3.client("bedrock-runtime")


def handler(event, context):
    # lambda-optimizer-disable-next-line streaming-candidate
    a = bedrock.converse_stream(modelId="a")
    # lambda-optimizer-disable-next-line dynamodb-scan
    b = bedrock.converse_stream(modelId="b")
    return a, b
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: URL });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 'bedrock.converse_stream(modelId="b")'),
    ]);
  });
});

describe("streaming-candidate: other triggers", () => {
  it("reports behind a REST `Api` event (Python)", async () => {
    const files = {
      "app.py": `import boto3

bedrock = boto3.client("bedrock-runtime")


def handler(event, context):
    return bedrock.converse_stream(modelId="m")
`,
    };
    const findings = await runCodeRule(rule, {
      ...PY,
      files,
      properties: { Events: { Api: { Type: "Api", Properties: { Path: "/", Method: "get" } } } },
    });
    expect(findings.map(place)).toEqual([at(files, "app.py", "bedrock.converse_stream(")]);
  });

  it("does not report a function fed by S3 (asynchronous: nobody waits)", async () => {
    expect(
      await runCodeRule(rule, {
        files: CHAT,
        properties: {
          Events: {
            Upload: {
              Type: "S3",
              Properties: { Bucket: { Ref: "Bucket" }, Events: "s3:ObjectCreated:*" },
            },
          },
        },
        resources: { Bucket: { Type: "AWS::S3::Bucket" } },
      }),
    ).toEqual([]);
  });
});

describe("streaming-candidate: a WebSocket handler already pushes each chunk", () => {
  it("does not report a model stream relayed with PostToConnectionCommand (v3)", async () => {
    const files = {
      "index.mjs": `import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
const bedrock = new BedrockRuntimeClient({});
export const handler = async (event) => {
  const { domainName, stage, connectionId } = event.requestContext;
  const api = new ApiGatewayManagementApiClient({ endpoint: \`https://\${domainName}/\${stage}\` });
  const response = await bedrock.send(new ConverseStreamCommand({ modelId: "m", messages: [] }));
  for await (const chunk of response.stream) {
    const text = chunk.contentBlockDelta?.delta?.text ?? "";
    await api.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: text }));
  }
  return { statusCode: 200 };
};
`,
    };
    expect(await runCodeRule(rule, { files, properties: URL })).toEqual([]);
    // Without the push, the same relay is reported.
    expect(await runCodeRule(rule, { files: CHAT, properties: URL })).toHaveLength(1);
  });

  it("does not report v2's postToConnection, nor boto3's post_to_connection", async () => {
    const js = {
      "index.js": `const AWS = require("aws-sdk");
const { BedrockRuntimeClient, ConverseStreamCommand } = require("@aws-sdk/client-bedrock-runtime");
const bedrock = new BedrockRuntimeClient({});
exports.handler = async (event) => {
  const api = new AWS.ApiGatewayManagementApi({ endpoint: event.requestContext.domainName });
  const response = await bedrock.send(new ConverseStreamCommand({ modelId: "m", messages: [] }));
  for await (const chunk of response.stream) {
    await api.postToConnection({ ConnectionId: event.requestContext.connectionId, Data: "x" }).promise();
  }
  return { statusCode: 200 };
};
`,
    };
    expect(await runCodeRule(rule, { files: js, properties: URL })).toEqual([]);
    const py = {
      "app.py": `import boto3

bedrock = boto3.client("bedrock-runtime")

def handler(event, context):
    ctx = event["requestContext"]
    api = boto3.client("apigatewaymanagementapi", endpoint_url=f"https://{ctx['domainName']}/{ctx['stage']}")
    response = bedrock.converse_stream(modelId="m", messages=[])
    for chunk in response["stream"]:
        api.post_to_connection(ConnectionId=ctx["connectionId"], Data=str(chunk).encode())
    return {"statusCode": 200}
`,
    };
    expect(await runCodeRule(rule, { ...PY, files: py, properties: URL })).toEqual([]);
  });
});
