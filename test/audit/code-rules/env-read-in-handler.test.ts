import { describe, expect, it } from "vitest";
import { envReadInHandler } from "../../../src/audit/code-rules/env-read-in-handler.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = envReadInHandler;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("env-read-in-handler: JavaScript (ESM)", () => {
  it("reports one finding per function body, at its first read, naming the variables", async () => {
    const files = {
      "index.mjs": `export const handler = async () => {
  const table = process.env.TABLE_NAME;
  const bucket = process.env["BUCKET"];
  return [table, bucket];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "process.env.TABLE_NAME")]);
    expect(findings[0]).toMatchObject({ ruleId: "env-read-in-handler", severity: "info" });
    expect(findings[0]!.message).toContain("2 environment variables (TABLE_NAME, BUCKET)");
  });

  it("does not report reads at module scope or in init-only functions", async () => {
    const files = {
      "index.mjs": `const TABLE = process.env.TABLE_NAME;
function loadConfig() {
  return { bucket: process.env.BUCKET };
}
const config = loadConfig();
export const handler = async () => [TABLE, config];
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports a read in a callback passed by name, separately from the handler's", async () => {
    const files = {
      "index.mjs": `const processRecord = (record) => ({ record, queue: process.env.QUEUE_URL });
export const handler = async (event) => {
  const stage = process.env.STAGE;
  return [stage, event.Records.map(processRecord)];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "process.env.QUEUE_URL"),
      at(files, "index.mjs", "process.env.STAGE"),
    ]);
  });

  it("is suppressed by a disable-next-line comment naming it, not by another id", async () => {
    const files = {
      "index.mjs": `const a = () => {
  // lambda-optimizer-disable-next-line env-read-in-handler
  return process.env.A;
};
const b = () => {
  // lambda-optimizer-disable-next-line config-in-handler
  return process.env.B;
};
export const handler = async () => [a(), b()];
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "process.env.B")]);
  });
});

describe("env-read-in-handler: JavaScript (CommonJS)", () => {
  it("reports with `exports.handler = ...`", async () => {
    const files = {
      "index.js": `exports.handler = async () => {
  const value = process.env.TABLE_NAME;
  return value;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "process.env.TABLE_NAME")]);
  });

  it("reports with `module.exports = { handler }`", async () => {
    const files = {
      "index.js": `function handler() {
  return process.env.STAGE;
}
module.exports = { handler };
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "process.env.STAGE")]);
  });
});

describe("env-read-in-handler: destructuring and computed names", () => {
  it("reports `const { A } = process.env` and `process.env[name]` in the handler", async () => {
    const files = {
      "index.mjs": `export const handler = async (event) => {
  const { STAGE } = process.env;
  return [STAGE, process.env[event.name]];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    // Each destructured name is a read, placed at its key.
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "STAGE }")]);
    expect(findings[0]!.message).toContain("2 environment variables");
  });
});

describe("env-read-in-handler: TypeScript", () => {
  it("reports a read in another local module (./lib/env.js -> env.ts), under middy", async () => {
    const files = {
      "index.ts": `import middy from "@middy/core";
import { tableName } from "./lib/env.js";
export const handler = middy(async (): Promise<string> => tableName());
`,
      "lib/env.ts": `export function tableName(): string {
  return process.env.TABLE_NAME ?? "default";
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "lib/env.ts", "process.env.TABLE_NAME")]);
  });

  it("does not report a typed constant read at module scope", async () => {
    const files = {
      "index.ts": `const TABLE: string = process.env.TABLE_NAME!;
export const handler = async (): Promise<string> => TABLE;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("env-read-in-handler: Python", () => {
  it("reports os.environ[...] and os.getenv(...) once, at the first read", async () => {
    const files = {
      "app.py": `import os


def handler(event, context):
    table = os.environ["TABLE_NAME"]
    stage = os.getenv("STAGE", "dev")
    return table, stage
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'os.environ["TABLE_NAME"]')]);
    expect(findings[0]!.message).toContain("TABLE_NAME, STAGE");
  });

  it("reports os.environ.get and an aliased import (`from os import environ as env`)", async () => {
    const files = {
      "app.py": `from os import environ as env


def handler(event, context):
    return env.get("TABLE_NAME")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'env.get("TABLE_NAME")')]);
  });

  it("does not report reads at module scope", async () => {
    const files = {
      "app.py": `import os

TABLE = os.environ["TABLE_NAME"]


def handler(event, context):
    return TABLE
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("reports a read in another local module (`from .settings import table_name`)", async () => {
    const files = {
      "app.py": `from .settings import table_name


def handler(event, context):
    return table_name()
`,
      "settings.py": `import os


def table_name():
    return os.environ["TABLE_NAME"]
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "settings.py", 'os.environ["TABLE_NAME"]')]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line env-read-in-handler`, not by another id", async () => {
    const files = {
      "app.py": `import os


def a():
    # lambda-optimizer-disable-next-line env-read-in-handler
    return os.environ["A"]


def b():
    # lambda-optimizer-disable-next-line config-in-handler
    return os.environ["B"]


def handler(event, context):
    return a(), b()
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'os.environ["B"]')]);
  });
});
