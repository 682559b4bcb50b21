import { describe, expect, it } from "vitest";
import { snapstartRestoreHook } from "../../../src/audit/code-rules/snapstart-restore-hook.js";
import { at, place, runCodeRule } from "./run-code-rule.js";

const rule = snapstartRestoreHook;
const SNAPSTART = { SnapStart: { ApplyOn: "PublishedVersions" }, AutoPublishAlias: "live" };
const PY_SNAP = { runtime: "python3.12", handler: "app.handler", properties: SNAPSTART };

const CONNECTS_AT_INIT = `import os
import psycopg

connection = psycopg.connect(os.environ["DATABASE_URL"])


def handler(event, context):
    return connection.execute("select 1").fetchone()
`;

describe("snapstart-restore-hook: Python (the runtime with SnapStart and restore hooks)", () => {
  it("reports a connection opened at init with no restore hook, at the call", async () => {
    const files = { "app.py": CONNECTS_AT_INIT };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "psycopg.connect(")]);
    expect(findings[0]).toMatchObject({ ruleId: "snapstart-restore-hook", severity: "warning" });
    expect(findings[0]!.message).toContain("a PostgreSQL connection");
  });

  it("reports nothing without SnapStart", async () => {
    const files = { "app.py": CONNECTS_AT_INIT };
    expect(
      await runCodeRule(rule, { runtime: "python3.12", handler: "app.handler", files }),
    ).toEqual([]);
  });

  it("is satisfied by an @register_after_restore decorator", async () => {
    const files = {
      "app.py": `import os
import psycopg
from snapshot_restore_py import register_after_restore

connection = psycopg.connect(os.environ["DATABASE_URL"])


@register_after_restore
def reconnect():
    global connection
    connection = psycopg.connect(os.environ["DATABASE_URL"])


def handler(event, context):
    return connection
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files })).toEqual([]);
  });

  it("is satisfied by a `register_after_restore(fn)` call (module import style)", async () => {
    const files = {
      "app.py": `import os
import psycopg
import snapshot_restore_py

connection = psycopg.connect(os.environ["DATABASE_URL"])


def reconnect():
    global connection
    connection = psycopg.connect(os.environ["DATABASE_URL"])


snapshot_restore_py.register_after_restore(reconnect)


def handler(event, context):
    return connection
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files })).toEqual([]);
  });

  it("is satisfied by a hook in another local module", async () => {
    const files = {
      "app.py": `from . import hooks
from .db import connection


def handler(event, context):
    return connection
`,
      "db.py": `import psycopg

connection = psycopg.connect("postgres://")
`,
      "hooks.py": `from snapshot_restore_py import register_after_restore


def reconnect():
    pass


register_after_restore(reconnect)
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files })).toEqual([]);
  });

  it("reports a secret fetched at init", async () => {
    const files = {
      "app.py": `import boto3

sm = boto3.client("secretsmanager")
SECRET = sm.get_secret_value(SecretId="db")["SecretString"]


def handler(event, context):
    return SECRET
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "sm.get_secret_value(")]);
    expect(findings[0]!.message).toContain("a Secrets Manager secret");
  });

  it("reports temporary credentials from sts.assume_role at init", async () => {
    const files = {
      "app.py": `import boto3

sts = boto3.client("sts")
CREDENTIALS = sts.assume_role(RoleArn="arn:aws:iam::1:role/x", RoleSessionName="s")


def handler(event, context):
    return CREDENTIALS
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "sts.assume_role(")]);
    expect(findings[0]!.message).toContain("temporary credentials");
  });

  it("reports a connection opened at init of another local module (`from lib import db`)", async () => {
    const files = {
      "app.py": `from lib import db


def handler(event, context):
    return db.pool
`,
      "lib/__init__.py": "",
      "lib/db.py": `import redis

pool = redis.Redis(host="cache")
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([at(files, "lib/db.py", "redis.Redis(")]);
  });

  it("does not report a connection opened lazily in the handler", async () => {
    const files = {
      "app.py": `import psycopg

connection = None


def handler(event, context):
    global connection
    if connection is None:
        connection = psycopg.connect("postgres://")
    return connection
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files })).toEqual([]);
  });

  it("does not report an AWS SDK client created at init (it re-resolves credentials itself)", async () => {
    const files = {
      "app.py": `import boto3

s3 = boto3.client("s3")


def handler(event, context):
    return s3.list_buckets()
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files })).toEqual([]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line snapstart-restore-hook`, not by another id", async () => {
    const files = {
      "app.py": `import psycopg

# lambda-optimizer-disable-next-line snapstart-restore-hook
a = psycopg.connect("postgres://a")
# lambda-optimizer-disable-next-line snapstart-uniqueness
b = psycopg.connect("postgres://b")


def handler(event, context):
    return a, b
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'psycopg.connect("postgres://b")')]);
  });
});

describe("snapstart-restore-hook: JavaScript and TypeScript (Node.js has no SnapStart)", () => {
  it("reports nothing for a pool opened at init on nodejs22.x (ESM)", async () => {
    const files = {
      "index.mjs": `import pg from "pg";
const pool = new pg.Pool({});
export const handler = async () => pool.query("select 1");
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports nothing for a secret read at init on nodejs22.x (CommonJS)", async () => {
    const files = {
      "index.js": `const AWS = require("aws-sdk");
const sm = new AWS.SecretsManager();
const secret = sm.getSecretValue({ SecretId: "db" }).promise();
exports.handler = async () => secret;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports nothing for a Redis client at init on nodejs22.x (TypeScript)", async () => {
    const files = {
      "index.ts": `import Redis from "ioredis";
const redis = new Redis();
export const handler = async (): Promise<unknown> => redis.get("k");
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("snapstart-restore-hook: which hooks count", () => {
  it("is satisfied by an aliased decorator (`register_after_restore as after_restore`)", async () => {
    const files = {
      "app.py": `import psycopg
from snapshot_restore_py import register_after_restore as after_restore

conn = psycopg.connect("postgres://")


@after_restore
def again():
    pass


def handler(event, context):
    return conn
`,
    };
    expect(await runCodeRule(rule, { ...PY_SNAP, files })).toEqual([]);
  });

  it("is not satisfied by a register_before_snapshot hook alone", async () => {
    const files = {
      "app.py": `import psycopg
from snapshot_restore_py import register_before_snapshot

conn = psycopg.connect("postgres://")


@register_before_snapshot
def before():
    pass


def handler(event, context):
    return conn
`,
    };
    const findings = await runCodeRule(rule, { ...PY_SNAP, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", "psycopg.connect(")]);
  });
});
