/**
 * Shapes seen in real serverless applications (aws-samples, Powertools
 * examples) that the first version of the code rules got wrong: each test is
 * the smallest reproduction of one.
 */
import { describe, expect, it } from "vitest";
import { configInHandler } from "../../../src/audit/code-rules/config-in-handler.js";
import { envReadInHandler } from "../../../src/audit/code-rules/env-read-in-handler.js";
import { initInHandler } from "../../../src/audit/code-rules/init-in-handler.js";
import { powertoolsSuggest } from "../../../src/audit/code-rules/powertools-suggest.js";
import { snapstartUniqueness } from "../../../src/audit/code-rules/snapstart-uniqueness.js";
import { streamingCandidate } from "../../../src/audit/code-rules/streaming-candidate.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const URL_CONFIG = { FunctionUrlConfig: { AuthType: "AWS_IAM", InvokeMode: "RESPONSE_STREAM" } };

describe("shapes from real applications", () => {
  it("a handler streamed through an alias of globalThis.awslambda.streamifyResponse is streamed", async () => {
    const files = {
      "index.mjs": `import { BedrockRuntimeClient, ConverseStreamCommand } from "@aws-sdk/client-bedrock-runtime";
const bedrock = new BedrockRuntimeClient({});
const streamifyResponse = globalThis.awslambda?.streamifyResponse;
export const handler = streamifyResponse(async (event, stream) => {
  const response = await bedrock.send(new ConverseStreamCommand({ modelId: "m", messages: [] }));
  for await (const chunk of response.stream) stream.write(JSON.stringify(chunk));
  stream.end();
});
`,
    };
    expect(await runCodeRule(streamingCandidate, { files, properties: URL_CONFIG })).toEqual([]);
  });

  it("pip packages vendored under another import name (Pillow installs PIL) are not the user's code", async () => {
    const files = {
      "app.py":
        "from PIL import Image\n\n\ndef handler(event, context):\n    return Image.open('x')\n",
      "PIL/__init__.py": "",
      "PIL/Image.py": "import boto3\n\n\ndef open(path):\n    return boto3.client('s3')\n",
      "pillow-11.0.0.dist-info/top_level.txt": "PIL\n",
      "pillow-11.0.0.dist-info/METADATA": "Name: pillow\n",
    };
    expect(
      await runCodeRule(initInHandler, { runtime: "python3.12", handler: "app.handler", files }),
    ).toEqual([]);
  });

  it("a function registered with register_after_restore(fn) runs after restore, not at init", async () => {
    const files = {
      "app.py": `import uuid
from snapshot_restore_py import register_after_restore

INSTANCE = None


def refresh():
    global INSTANCE
    INSTANCE = str(uuid.uuid4())


register_after_restore(refresh)
STARTED = uuid.uuid4()


def handler(event, context):
    return INSTANCE
`,
    };
    const findings = await runCodeRule(snapstartUniqueness, {
      runtime: "python3.12",
      handler: "app.handler",
      files,
      properties: { AutoPublishAlias: "live", SnapStart: { ApplyOn: "PublishedVersions" } },
    });
    expect(findings.map(place)).toEqual([at(files, "app.py", "uuid.uuid4()\n\n\ndef handler")]);
  });

  it("`import aws_lambda_powertools` then aws_lambda_powertools.Logger() counts as structured logging", async () => {
    const files = {
      "app.py": `import aws_lambda_powertools

logger = aws_lambda_powertools.Logger()
metrics = aws_lambda_powertools.Metrics()


def handler(event, context):
    logger.info("hello")
`,
    };
    expect(
      await runCodeRule(powertoolsSuggest, {
        runtime: "python3.12",
        handler: "app.handler",
        files,
      }),
    ).toEqual([]);
  });

  it("setting process.env is no read of it", async () => {
    const files = {
      "index.mjs":
        "export const handler = async (event) => {\n  process.env.LAST = event.id;\n};\n",
    };
    expect(await runCodeRule(envReadInHandler, { files })).toEqual([]);
  });

  it("a plain folder finds snake_case handlers, and a single source file can be audited", async () => {
    const files = {
      "orders.py": `import boto3


def orders_handler(event, context):
    return boto3.client("s3")
`,
    };
    const findings = await runCodeRuleOnFolder(initInHandler, { files });
    expect(findings.map((finding) => [finding.resource, finding.line])).toEqual([
      ["orders.py:orders_handler", 5],
    ]);
  });

  it("reading a non-config file beside JSON.parse(event.body) is no config read", async () => {
    const files = {
      "index.mjs": `import { readFileSync } from "node:fs";
export const handler = async (event) => {
  const body = JSON.parse(event.body);
  return readFileSync("template.html", "utf8").replace("{{name}}", body.name);
};
`,
    };
    expect(await runCodeRule(configInHandler, { files })).toEqual([]);
  });
});
