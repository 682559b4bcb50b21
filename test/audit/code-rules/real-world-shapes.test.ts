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
import { snapstartRestoreHook } from "../../../src/audit/code-rules/snapstart-restore-hook.js";
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
tracer = aws_lambda_powertools.Tracer()
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

  it("SnapStart rules say nothing on Node.js, even with --snapstart or SnapStart set", async () => {
    const files = {
      "app.mjs": `import { randomUUID } from "node:crypto";\nconst ID = randomUUID();\nexport const handler = async () => ID;\n`,
    };
    expect(await runCodeRuleOnFolder(snapstartUniqueness, { files, snapStart: true })).toEqual([]);
    const pool = {
      "index.mjs": `import pg from "pg";\nconst pool = new pg.Pool();\nexport const handler = async () => pool;\n`,
    };
    const snapStart = { AutoPublishAlias: "live", SnapStart: { ApplyOn: "PublishedVersions" } };
    expect(
      await runCodeRule(snapstartRestoreHook, {
        runtime: "nodejs20.x",
        files: pool,
        properties: snapStart,
      }),
    ).toEqual([]);
  });

  it("a plain folder does not take pip-vendored packages for handlers", async () => {
    const files = {
      "app.py": "def handler(event, context):\n    return 1\n",
      "PIL/__init__.py": "import boto3\n\n\ndef error_handler(e):\n    return boto3.client('s3')\n",
      "Pillow-10.0.0.dist-info/RECORD": "PIL/__init__.py,sha256=x,1\n",
    };
    const findings = await runCodeRuleOnFolder(initInHandler, { files });
    expect(findings).toEqual([]);
  });

  it("what a restore hook calls runs after restore too, unless module-level code calls it as well", async () => {
    const hook = `import uuid
from snapshot_restore_py import register_after_restore

ID = None


def make_id():
    return str(uuid.uuid4())


def regen():
    global ID
    ID = make_id()


register_after_restore(regen)


def handler(event, context):
    return ID
`;
    const snapStart = { AutoPublishAlias: "live", SnapStart: { ApplyOn: "PublishedVersions" } };
    const python = { runtime: "python3.12", handler: "app.handler", properties: snapStart };
    expect(
      await runCodeRule(snapstartUniqueness, { ...python, files: { "app.py": hook } }),
    ).toEqual([]);
    const alsoAtInit = {
      "app.py": hook
        .replace("ID = None", "ID = None\nFIRST = None")
        .concat("\nFIRST = make_id()\n"),
    };
    expect(
      (await runCodeRule(snapstartUniqueness, { ...python, files: alsoAtInit })).map(place),
    ).toEqual([at(alsoAtInit, "app.py", "uuid.uuid4()")]);
  });

  it("a streamifyResponse taken from awslambda by destructuring is a streaming handler", async () => {
    const files = {
      "index.mjs": `const { streamifyResponse } = awslambda;
export const handler = streamifyResponse(async (event, stream) => {
  stream.end("ok");
});
`,
    };
    const buffered = { FunctionUrlConfig: { AuthType: "AWS_IAM", InvokeMode: "BUFFERED" } };
    const findings = await runCodeRule(streamingCandidate, { files, properties: buffered });
    expect(findings.map((finding) => [finding.severity, finding.line])).toEqual([["warning", 2]]);
  });

  it("follows class-based handlers: lambda.handler.bind(lambda), this.method(), module-level instances", async () => {
    const files = {
      "index.ts": `import { S3Client } from "@aws-sdk/client-s3";
class Lambda {
  public async handler(event: unknown): Promise<unknown> {
    return this.load(event);
  }
  private load = async (_event: unknown) => new S3Client({});
  private unused() {
    return new S3Client({});
  }
}
const lambda = new Lambda();
export const handler = lambda.handler.bind(lambda);
`,
    };
    expect((await runCodeRule(initInHandler, { files })).map(place)).toEqual([
      at(files, "index.ts", "new S3Client({});\n  private unused"),
    ]);
    const repo = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
class Repo {
  save() {
    return new S3Client({});
  }
}
const repo = new Repo();
export const handler = async () => repo.save();
`,
    };
    expect((await runCodeRule(initInHandler, { files: repo })).map(place)).toEqual([
      at(repo, "index.mjs", "new S3Client("),
    ]);
  });
});
