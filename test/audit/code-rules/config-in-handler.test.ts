import { describe, expect, it } from "vitest";
import { configInHandler } from "../../../src/audit/code-rules/config-in-handler.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = configInHandler;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("config-in-handler: JavaScript (ESM)", () => {
  it("reports a v3 GetParameterCommand sent in the handler, at the `new`", async () => {
    const files = {
      "index.mjs": `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
const ssm = new SSMClient({});
export const handler = async () => {
  const out = await ssm.send(new GetParameterCommand({ Name: "/app/config" }));
  return out.Parameter;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new GetParameterCommand")]);
    expect(findings[0]).toMatchObject({ ruleId: "config-in-handler", severity: "warning" });
    expect(findings[0]!.message).toContain("an SSM parameter");
  });

  it("reports a Secrets Manager read in a callback passed by name", async () => {
    const files = {
      "index.mjs": `import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
const sm = new SecretsManagerClient({});
async function processRecord(record) {
  return sm.send(new GetSecretValueCommand({ SecretId: record.body }));
}
export const handler = async (event) => Promise.all(event.Records.map(processRecord));
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new GetSecretValueCommand")]);
  });

  it("does not report a read at module scope (top-level await)", async () => {
    const files = {
      "index.mjs": `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
const ssm = new SSMClient({});
const config = await ssm.send(new GetParameterCommand({ Name: "/app/config" }));
export const handler = async () => config.Parameter;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report a module-level cache guarded by `if (cached) return cached;`", async () => {
    const files = {
      "index.mjs": `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
const ssm = new SSMClient({});
let cached;
async function config() {
  if (cached) return cached;
  cached = await ssm.send(new GetParameterCommand({ Name: "/app/config" }));
  return cached;
}
export const handler = async () => (await config()).Parameter;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report a lazy `config ??= await ...`", async () => {
    const files = {
      "index.mjs": `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
const ssm = new SSMClient({});
let config;
export const handler = async () => {
  config ??= await ssm.send(new GetParameterCommand({ Name: "/app/config" }));
  return config;
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report Powertools Parameters (they cache)", async () => {
    const files = {
      "index.mjs": `import { getParameter } from "@aws-lambda-powertools/parameters/ssm";
export const handler = async () => getParameter("/app/config", { maxAge: 300 });
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports a JSON config file read and parsed in the handler, at the read", async () => {
    const files = {
      "index.mjs": `import { readFileSync } from "node:fs";
export const handler = async () => {
  const settings = JSON.parse(readFileSync("./settings.json", "utf8"));
  return settings;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "readFileSync(")]);
    expect(findings[0]!.fix).toBe("Read and parse it once at module scope.");
  });

  it("does not report reading a non-config file that is not parsed", async () => {
    const files = {
      "index.mjs": `import { readFileSync } from "node:fs";
export const handler = async (event) => readFileSync(event.path, "utf8");
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("is suppressed by a disable-next-line comment naming it, not by another id", async () => {
    const files = {
      "index.mjs": `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
const ssm = new SSMClient({});
export const handler = async () => {
  // lambda-optimizer-disable-next-line config-in-handler
  const a = await ssm.send(new GetParameterCommand({ Name: "/a" }));
  // lambda-optimizer-disable-next-line init-in-handler
  const b = await ssm.send(new GetParameterCommand({ Name: "/b" }));
  return [a, b];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", 'new GetParameterCommand({ Name: "/b" })'),
    ]);
  });
});

describe("config-in-handler: JavaScript (CommonJS)", () => {
  it("reports an SDK v2 ssm.getParameter with `exports.handler`", async () => {
    const files = {
      "index.js": `const AWS = require("aws-sdk");
const ssm = new AWS.SSM();
exports.handler = async () => {
  const out = await ssm.getParameter({ Name: "/app/config" }).promise();
  return out;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "ssm.getParameter(")]);
  });

  it("reports with `module.exports = { handler }`", async () => {
    const files = {
      "index.js": `const { SSMClient, GetParameterCommand } = require("@aws-sdk/client-ssm");
const ssm = new SSMClient({});
async function handler() {
  return ssm.send(new GetParameterCommand({ Name: "/app/config" }));
}
module.exports = { handler };
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "new GetParameterCommand")]);
  });

  it("does not report a method named getParameter when aws-sdk v2 is not used", async () => {
    const files = {
      "index.js": `const store = { getParameter: (name) => name };
exports.handler = async () => store.getParameter("/app/config");
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("config-in-handler: TypeScript", () => {
  it("reports a read in another local module the handler calls (./lib/config.js -> config.ts)", async () => {
    const files = {
      "index.ts": `import { loadConfig } from "./lib/config.js";
export const handler = async (): Promise<unknown> => loadConfig();
`,
      "lib/config.ts": `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
const ssm = new SSMClient({});
export async function loadConfig(): Promise<unknown> {
  return ssm.send(new GetParameterCommand({ Name: "/app/config" }));
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "lib/config.ts", "new GetParameterCommand")]);
  });

  it("reports in a handler wrapped in middy(...)", async () => {
    const files = {
      "index.ts": `import middy from "@middy/core";
import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
const sm = new SecretsManagerClient({});
const base = async (): Promise<unknown> => sm.send(new GetSecretValueCommand({ SecretId: "db" }));
export const handler = middy(base);
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "new GetSecretValueCommand")]);
  });

  it("does not report a function only called at module scope", async () => {
    const files = {
      "index.ts": `import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
const ssm = new SSMClient({});
async function loadConfig(): Promise<unknown> {
  return ssm.send(new GetParameterCommand({ Name: "/app/config" }));
}
const config = loadConfig();
export const handler = async (): Promise<unknown> => config;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("config-in-handler: Python", () => {
  it("reports ssm.get_parameter in the handler, at the call", async () => {
    const files = {
      "app.py": `import boto3

ssm = boto3.client("ssm")


def handler(event, context):
    return ssm.get_parameter(Name="/app/config")["Parameter"]["Value"]
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "ssm.get_parameter(")]);
    expect(findings[0]!.message).toContain("an SSM parameter");
  });

  it("does not report a read in an @functools.lru_cache function", async () => {
    const files = {
      "app.py": `import functools
import boto3

ssm = boto3.client("ssm")


@functools.lru_cache(maxsize=1)
def settings():
    return ssm.get_parameter(Name="/app/config")["Parameter"]["Value"]


def handler(event, context):
    return settings()
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("does not report a lazy `global secret; if secret is None: secret = ...`", async () => {
    const files = {
      "app.py": `import boto3

sm = boto3.client("secretsmanager")
secret = None


def handler(event, context):
    global secret
    if secret is None:
        secret = sm.get_secret_value(SecretId="db")
    return secret
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("does not report Powertools get_parameter (it caches)", async () => {
    const files = {
      "app.py": `from aws_lambda_powertools.utilities import parameters


def handler(event, context):
    return parameters.get_parameter("/app/config", max_age=300)
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("does not report get_parameter on an object when boto3 is not imported", async () => {
    const files = {
      "app.py": `from store import store


def handler(event, context):
    return store.get_parameter(Name="/app/config")
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("reports a read in another local module (`from .settings import load`)", async () => {
    const files = {
      "app.py": `from .settings import load


def handler(event, context):
    return load()
`,
      "settings.py": `import boto3

sm = boto3.client("secretsmanager")


def load():
    return sm.get_secret_value(SecretId="db")["SecretString"]
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "settings.py", "sm.get_secret_value(")]);
  });

  it("reports a YAML config file opened and parsed in the handler", async () => {
    const files = {
      "app.py": `import yaml


def handler(event, context):
    with open("config.yaml") as f:
        return yaml.safe_load(f)
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'open("config.yaml")')]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line config-in-handler`, not by another id", async () => {
    const files = {
      "app.py": `import boto3

ssm = boto3.client("ssm")


def handler(event, context):
    # lambda-optimizer-disable-next-line config-in-handler
    a = ssm.get_parameter(Name="/a")
    # lambda-optimizer-disable-next-line env-read-in-handler
    b = ssm.get_parameter(Name="/b")
    return a, b
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'ssm.get_parameter(Name="/b")')]);
  });
});

describe("config-in-handler: parsers and other files in the same body", () => {
  it("does not report a non-config file read next to JSON.parse(event.body)", async () => {
    const files = {
      "index.mjs": `import { readFileSync } from "node:fs";
export const handler = async (event) => {
  const body = JSON.parse(event.body);
  const page = readFileSync("./template.html", "utf8");
  return page.replace("{}", body.name);
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report `open('template.html')` next to json.loads(event['body'])", async () => {
    const files = {
      "app.py": `import json


def handler(event, context):
    body = json.loads(event["body"])
    with open("template.html") as f:
        return f.read().replace("{}", body["name"])
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("still reports a read of an unnamed path parsed in the same body", async () => {
    const files = {
      "index.mjs": `import { readFileSync } from "node:fs";
import { join } from "node:path";
export const handler = async () => JSON.parse(readFileSync(join(import.meta.dirname, "settings"), "utf8"));
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "readFileSync(")]);
  });

  it("reports a v3 aggregated client's getParameter (`new SSM({}).getParameter`)", async () => {
    const files = {
      "index.ts": `import { SSM } from "@aws-sdk/client-ssm";
const ssm = new SSM({});
export const handler = async (): Promise<unknown> => ssm.getParameter({ Name: "/x" });
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "ssm.getParameter(")]);
  });
});

describe("config-in-handler: more file and client shapes", () => {
  it("reports config files read with fs/promises and fs.promises", async () => {
    const files = {
      "index.mjs": `import fs from "node:fs";
import { readFile } from "node:fs/promises";
export const handler = async () => [
  await readFile("config.json", "utf8"),
  await fs.promises.readFile("config.yaml", "utf8"),
];
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", 'readFile("config.json"'),
      at(files, "index.mjs", 'fs.promises.readFile("config.yaml"'),
    ]);
  });

  it("reports a pathlib read parsed with json.loads, at the Path call", async () => {
    const files = {
      "app.py": `import json
from pathlib import Path


def handler(event, context):
    return json.loads(Path("settings").read_text())
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'Path("settings").read_text()')]);
  });

  it("reports a chained `boto3.client('ssm').get_parameter(...)`, not Powertools get_secret", async () => {
    const files = {
      "app.py": `import boto3
from aws_lambda_powertools.utilities.parameters import get_secret


def handler(event, context):
    return boto3.client("ssm").get_parameter(Name="x"), get_secret("db")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 'boto3.client("ssm").get_parameter('),
    ]);
  });
});
