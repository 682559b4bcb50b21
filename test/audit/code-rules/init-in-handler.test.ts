import { describe, expect, it } from "vitest";
import { initInHandler } from "../../../src/audit/code-rules/init-in-handler.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const rule = initInHandler;
const PY = { runtime: "python3.12", handler: "app.handler" };

describe("init-in-handler: JavaScript (ESM)", () => {
  it("reports a v3 client created in the handler, at the `new`", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";

export const handler = async (event) => {
  const s3 = new S3Client({});
  return s3;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new S3Client")]);
    expect(findings[0]).toMatchObject({
      ruleId: "init-in-handler",
      severity: "warning",
      resource: "Fn",
    });
    expect(findings[0]!.message).toContain("new S3Client(…)");
  });

  it("does not report a client at module scope", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
export const handler = async () => s3;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report a lazy `client ??= new X()` or `if (!client) client = new X()`", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
let s3;
let sqs;
export const handler = async () => {
  s3 ??= new S3Client({});
  if (!sqs) {
    sqs = new SQSClient({});
  }
  return [s3, sqs];
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report a module-level cache guarded by `if (cached) return cached;`", async () => {
    const files = {
      "index.mjs": `import pg from "pg";
let pool;
function getPool() {
  if (pool) return pool;
  pool = new pg.Pool({});
  return pool;
}
export const handler = async () => getPool().query("select 1");
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("does not report a function only called at module scope (init path, not handler path)", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
function makeClient() {
  return new S3Client({});
}
const s3 = makeClient();
export const handler = async () => s3;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports through a callback passed by name (`records.map(processRecord)`)", async () => {
    const files = {
      "index.mjs": `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
const processRecord = async (record) => {
  const db = new DynamoDBClient({});
  return db;
};
export const handler = async (event) => Promise.all(event.Records.map(processRecord));
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new DynamoDBClient")]);
  });

  it("reports in a handler wrapped in middy(...)", async () => {
    const files = {
      "index.mjs": `import middy from "@middy/core";
import { S3Client } from "@aws-sdk/client-s3";
const base = async () => {
  const s3 = new S3Client({});
  return s3;
};
export const handler = middy(base);
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new S3Client")]);
  });

  it("reports a connection pool opened in the handler (pg default import)", async () => {
    const files = {
      "index.mjs": `import pg from "pg";
export const handler = async () => {
  const pool = new pg.Pool({});
  return pool.query("select 1");
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new pg.Pool")]);
    expect(findings[0]!.message).toContain("a PostgreSQL pool");
  });

  it("reports a MariaDB connection opened in the handler, not an Oracle connection taken from the pool made at init", async () => {
    const files = {
      "index.mjs": `import mariadb from "mariadb";
import oracledb from "oracledb";
await oracledb.createPool({ user: "app" });
export const handler = async () => {
  const connection = await mariadb.createConnection({ host: process.env.DB_HOST });
  const oracle = await oracledb.getConnection();
  return Promise.all([connection.query("select 1"), oracle.execute("select 1 from dual")]);
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "mariadb.createConnection(")]);
    expect(findings[0]!.message.split(" on every invocation")[0]).toBe(
      "mariadb.createConnection(…) creates a MariaDB connection",
    );
  });

  it("is suppressed by a disable-next-line comment naming it, not by one naming another rule", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
export const handler = async () => {
  // lambda-optimizer-disable-next-line init-in-handler
  const a = new S3Client({});
  // lambda-optimizer-disable-next-line config-in-handler
  const b = new S3Client({ region: "eu-west-1" });
  return [a, b];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new S3Client({ region")]);
  });
});

describe("init-in-handler: JavaScript (CommonJS)", () => {
  it("reports with `exports.handler = ...` and a v2 client", async () => {
    const files = {
      "index.js": `const AWS = require("aws-sdk");
exports.handler = async () => {
  const s3 = new AWS.S3();
  return s3;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "new AWS.S3")]);
  });

  it("reports with `module.exports = { handler }` and a destructured require", async () => {
    const files = {
      "index.js": `const { S3Client } = require("@aws-sdk/client-s3");
async function handler() {
  const s3 = new S3Client({});
  return s3;
}
module.exports = { handler };
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "new S3Client")]);
  });

  it("does not report a module-scope client in CommonJS", async () => {
    const files = {
      "index.js": `const { S3Client } = require("@aws-sdk/client-s3");
const s3 = new S3Client({});
module.exports.handler = async () => s3;
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("init-in-handler: TypeScript", () => {
  it("reports a client created in a function of another local module the handler calls (./lib/db.js -> db.ts)", async () => {
    const files = {
      "index.ts": `import { save } from "./lib/db.js";
export const handler = async (event: { id: string }): Promise<void> => {
  await save(event.id);
};
`,
      "lib/db.ts": `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
export async function save(id: string): Promise<void> {
  const client = new DynamoDBClient({});
  void client;
  void id;
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "lib/db.ts", "new DynamoDBClient")]);
  });

  it("does not report a typed lazy client (`let c: X | undefined; c ??= new X()`)", async () => {
    const files = {
      "index.ts": `import { S3Client } from "@aws-sdk/client-s3";
let s3: S3Client | undefined;
export const handler = async (): Promise<S3Client> => {
  s3 ??= new S3Client({});
  return s3;
};
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });

  it("reports an aliased import (`import { S3Client as Storage }`)", async () => {
    const files = {
      "index.ts": `import { S3Client as Storage } from "@aws-sdk/client-s3";
export async function handler(): Promise<Storage> {
  return new Storage({});
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "new Storage")]);
  });

  it("does not report a local class that happens to end in Client", async () => {
    const files = {
      "index.ts": `class FakeClient {}
export const handler = async () => new FakeClient();
`,
    };
    expect(await runCodeRule(rule, { files })).toEqual([]);
  });
});

describe("init-in-handler: Python", () => {
  it("reports boto3.client in the handler, at `boto3`", async () => {
    const files = {
      "app.py": `import boto3


def handler(event, context):
    s3 = boto3.client("s3")
    return s3.list_buckets()
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'boto3.client("s3")')]);
    expect(findings[0]!.message).toContain("boto3.client(…)");
  });

  it("reports the asyncio pools the guide names (psycopg AsyncConnectionPool, SQLAlchemy async engine) made in the handler", async () => {
    const files = {
      "app.py": `from psycopg_pool import AsyncConnectionPool
from sqlalchemy.ext.asyncio import create_async_engine
import asyncpg


async def handler(event, context):
    pool = AsyncConnectionPool("postgresql://db/orders")
    engine = create_async_engine("postgresql+asyncpg://db/orders")
    connection = await asyncpg.connect("postgresql://db/orders")
    return [pool, engine, connection]
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", "AsyncConnectionPool("),
      at(files, "app.py", "create_async_engine("),
      at(files, "app.py", "asyncpg.connect("),
    ]);
    expect(findings.map((finding) => finding.message.split(" on every invocation")[0])).toEqual([
      "AsyncConnectionPool(…) creates a PostgreSQL pool",
      "create_async_engine(…) creates a SQLAlchemy engine (a pool)",
      "asyncpg.connect(…) creates a PostgreSQL connection",
    ]);
  });

  it("does not report a client at module scope", async () => {
    const files = {
      "app.py": `import boto3

s3 = boto3.client("s3")


def handler(event, context):
    return s3.list_buckets()
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("does not report a lazy `global client; if client is None: client = boto3.client(...)`", async () => {
    const files = {
      "app.py": `import boto3

client = None


def handler(event, context):
    global client
    if client is None:
        client = boto3.client("s3")
    return client.list_buckets()
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("does not report a client made in an @functools.lru_cache function", async () => {
    const files = {
      "app.py": `import functools
import boto3


@functools.lru_cache(maxsize=None)
def s3():
    return boto3.client("s3")


def handler(event, context):
    return s3().list_buckets()
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("reports a connection opened in another local module (`from .db import connect`)", async () => {
    const files = {
      "app.py": `from .db import connect


def handler(event, context):
    return connect()
`,
      "db.py": `import psycopg


def connect():
    return psycopg.connect("postgres://")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "db.py", "psycopg.connect")]);
    expect(findings[0]!.message).toContain("a PostgreSQL connection");
  });

  it("reports through a module import (`from lib import db; db.connect()`)", async () => {
    const files = {
      "app.py": `from lib import db


def handler(event, context):
    return db.connect()
`,
      "lib/__init__.py": "",
      "lib/db.py": `import pymysql


def connect():
    return pymysql.connect(host="db")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "lib/db.py", "pymysql.connect")]);
  });

  it("reports through a callback passed by name (`map(process_record, records)`)", async () => {
    const files = {
      "app.py": `import boto3


def process_record(record):
    sqs = boto3.client("sqs")
    return sqs


def handler(event, context):
    return list(map(process_record, event["Records"]))
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'boto3.client("sqs")')]);
  });

  it("reports an aliased import (`from boto3 import client as make_client`)", async () => {
    const files = {
      "app.py": `from boto3 import client as make_client


def handler(event, context):
    return make_client("s3")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'make_client("s3")')]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line init-in-handler`, not by another id", async () => {
    const files = {
      "app.py": `import boto3


def handler(event, context):
    # lambda-optimizer-disable-next-line init-in-handler
    a = boto3.client("s3")
    # lambda-optimizer-disable-next-line dynamodb-scan
    b = boto3.client("sqs")
    return a, b
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'boto3.client("sqs")')]);
  });

  it("does not report a function only called at module scope", async () => {
    const files = {
      "app.py": `import boto3


def make():
    return boto3.client("s3")


S3 = make()


def handler(event, context):
    return S3
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });
});

describe("init-in-handler: plain folder", () => {
  it("finds handlers in a folder with no template", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
export const handler = async () => new S3Client({});
`,
    };
    const findings = await runCodeRuleOnFolder(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new S3Client", "")]);
  });
});

describe("init-in-handler: more shapes", () => {
  it("reports a v3 aggregated client (`new SSM({})`) and a namespace import, not a Command", async () => {
    const files = {
      "index.ts": `import { SSM, GetParameterCommand } from "@aws-sdk/client-ssm";
import * as s3 from "@aws-sdk/client-s3";
export const handler = async (): Promise<unknown> => {
  const ssm = new SSM({});
  const storage = new s3.S3Client({});
  const command = new GetParameterCommand({ Name: "/x" });
  return [ssm, storage, command];
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.ts", "new SSM("),
      at(files, "index.ts", "new s3.S3Client("),
    ]);
  });

  it("reports in `export async function handler` and in a closure the handler calls", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
export async function handler() {
  const make = () => new SQSClient({});
  return [new S3Client({}), make()];
}
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "new SQSClient("),
      at(files, "index.mjs", "new S3Client("),
    ]);
  });

  it("reports a client in a local variable guarded by `if (!s3)` (the variable is not module state)", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
export const handler = async () => {
  let s3;
  if (!s3) s3 = new S3Client({});
  return s3;
};
`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new S3Client(")]);
  });

  it("reports in a decorated Python handler and a package module (`from .db import connect`, db/__init__.py)", async () => {
    const files = {
      "app.py": `import boto3
from aws_lambda_powertools import Logger
from .db import connect

logger = Logger()


@logger.inject_lambda_context
def handler(event, context):
    return boto3.client("s3"), connect()
`,
      "db/__init__.py": `import psycopg


def connect():
    return psycopg.connect("postgres://")
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 'boto3.client("s3")'),
      at(files, "db/__init__.py", "psycopg.connect("),
    ]);
  });

  it("does not report clients made in `@cache` and bare `@lru_cache` functions", async () => {
    const files = {
      "app.py": `from functools import cache, lru_cache
import boto3


@cache
def s3():
    return boto3.client("s3")


@lru_cache
def sqs():
    return boto3.client("sqs")


def handler(event, context):
    return s3(), sqs()
`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });

  it("reports an unguarded store into module state: it runs on every invocation", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
let s3;
export const handler = async () => {
  s3 = new S3Client({});
  return s3;
};
`,
    };
    expect((await runCodeRule(rule, { files })).map(place)).toEqual([
      at(files, "index.mjs", "new S3Client("),
    ]);
    const python = {
      "app.py": `import boto3

s3 = None


def handler(event, context):
    global s3
    s3 = boto3.client("s3")
    return s3
`,
    };
    expect((await runCodeRule(rule, { ...PY, files: python })).map(place)).toEqual([
      at(python, "app.py", "boto3.client("),
    ]);
  });

  const IMPL_JS = `import { S3Client } from "@aws-sdk/client-s3";
export const handler = async () => new S3Client({});
export const main = handler;
`;

  it("follows a handler the entry re-exports from a local module", async () => {
    const entries: Record<string, string>[] = [
      {
        "index.mjs": `export { handler } from "./impl.mjs";
`,
      },
      {
        "index.mjs": `export * from "./impl.mjs";
`,
      },
      {
        "index.mjs": `import { main } from "./impl.mjs";
export const handler = main;
`,
      },
    ];
    for (const entry of entries) {
      const files = { ...entry, "impl.mjs": IMPL_JS };
      expect((await runCodeRule(rule, { files })).map(place), Object.values(entry)[0]).toEqual([
        at(files, "impl.mjs", "new S3Client("),
      ]);
    }
    const commonJs = {
      "index.js": `module.exports = require("./impl");
`,
      "impl.js": `const { S3Client } = require("@aws-sdk/client-s3");
exports.handler = async () => new S3Client({});
`,
    };
    expect((await runCodeRule(rule, { files: commonJs })).map(place)).toEqual([
      at(commonJs, "impl.js", "new S3Client("),
    ]);
    const python = {
      "pkg/__init__.py": "",
      "pkg/app.py": "from .impl import handler\n",
      "pkg/impl.py": `import boto3


def handler(event, context):
    return boto3.client("s3")
`,
    };
    expect(
      (
        await runCodeRule(rule, {
          runtime: "python3.12",
          handler: "pkg.app.handler",
          files: python,
        })
      ).map(place),
    ).toEqual([at(python, "pkg/impl.py", "boto3.client(")]);
  });

  it("follows `#` subpath imports through package.json imports", async () => {
    const files = {
      "package.json": JSON.stringify({
        name: "fn",
        type: "module",
        imports: { "#lib/*": "./src/lib/*.js" },
      }),
      "index.mjs": `import { save } from "#lib/db";
export const handler = async () => save();
`,
      "src/lib/db.ts": `import { S3Client } from "@aws-sdk/client-s3";
export function save() { return new S3Client({}); }
`,
    };
    expect((await runCodeRule(rule, { files })).map(place)).toEqual([
      at(files, "src/lib/db.ts", "new S3Client("),
    ]);
  });

  it("reports a boto3 Session's client made in the handler", async () => {
    const files = {
      "app.py": `import boto3

session = boto3.Session()


def handler(event, context):
    return session.client("s3")
`,
    };
    expect((await runCodeRule(rule, { ...PY, files })).map(place)).toEqual([
      at(files, "app.py", "session.client("),
    ]);
  });
});

describe("init-in-handler: connection libraries, each import style", () => {
  const javascript: [string, string, string][] = [
    ["pg (named Pool)", `import { Pool } from "pg";`, "new Pool()"],
    ["mysql2/promise", `import mysql from "mysql2/promise";`, "mysql.createConnection({})"],
    ["ioredis (default import)", `import Redis from "ioredis";`, "new Redis()"],
    ["ioredis (named import)", `import { Redis } from "ioredis";`, "new Redis()"],
    ["postgres", `import postgres from "postgres";`, 'postgres("url")'],
    ["knex", `import knex from "knex";`, "knex({})"],
    ["mongodb", `import { MongoClient } from "mongodb";`, 'MongoClient.connect("url")'],
    ["mongoose", `import mongoose from "mongoose";`, 'mongoose.connect("url")'],
    ["@prisma/client", `import { PrismaClient } from "@prisma/client";`, "new PrismaClient()"],
    ["redis", `import { createClient } from "redis";`, "createClient()"],
  ];
  it.each(javascript)("reports %s", async (_name, importLine, expression) => {
    const files = {
      "index.mjs": `${importLine}\nexport const handler = async () => ${expression};\n`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", expression)]);
  });

  it("reports ioredis required in CommonJS", async () => {
    const files = {
      "index.js": `const Redis = require("ioredis");\nexports.handler = async () => new Redis();\n`,
    };
    const findings = await runCodeRule(rule, { files });
    expect(findings.map(place)).toEqual([at(files, "index.js", "new Redis()")]);
  });

  const python: [string, string, string][] = [
    ["psycopg2 imported as pg", "import psycopg2 as pg", 'pg.connect("x")'],
    ["psycopg2.pool", "from psycopg2 import pool", "pool.SimpleConnectionPool(1, 2)"],
    ["redis.Redis imported by name", "from redis import Redis", 'Redis(host="x")'],
    ["redis.Redis.from_url", "import redis", 'redis.Redis.from_url("x")'],
    ["sqlalchemy.create_engine", "from sqlalchemy import create_engine", 'create_engine("x")'],
    ["boto3.resource", "import boto3", 'boto3.resource("dynamodb")'],
    [
      "boto3.session.Session().client",
      "from boto3.session import Session",
      'Session().client("s3")',
    ],
  ];
  it.each(python)("reports Python %s", async (_name, importLine, expression) => {
    const files = {
      "app.py": `${importLine}\n\n\ndef handler(event, context):\n    return ${expression}\n`,
    };
    const findings = await runCodeRule(rule, { ...PY, files });
    expect(findings.map(place)).toEqual([at(files, "app.py", expression)]);
  });

  it("does not report a plain HTTP call (requests.get)", async () => {
    const files = {
      "app.py": `import requests\n\n\ndef handler(event, context):\n    return requests.get("https://example.com")\n`,
    };
    expect(await runCodeRule(rule, { ...PY, files })).toEqual([]);
  });
});

describe("init-in-handler: following the handler into local modules", () => {
  const DB_JS = `import { S3Client } from "@aws-sdk/client-s3";
export function save() {
  return new S3Client({});
}
`;
  const DB_PY = `import boto3


def connect():
    return boto3.client("s3")
`;

  it("follows `from . import db`, `import db` and `from lib.db import connect as c`", async () => {
    for (const [app, dbFile] of [
      ["from . import db\n\n\ndef handler(event, context):\n    return db.connect()\n", "db.py"],
      ["import db\n\n\ndef handler(event, context):\n    return db.connect()\n", "db.py"],
      [
        "from lib.db import connect as c\n\n\ndef handler(event, context):\n    return c()\n",
        "lib/db.py",
      ],
    ] as const) {
      const files = { "app.py": app, "lib/__init__.py": "", [dbFile]: DB_PY };
      const findings = await runCodeRule(rule, { ...PY, files });
      expect(findings.map(place)).toEqual([at(files, dbFile, 'boto3.client("s3")')]);
    }
  });

  it("follows a Python handler under src/ (Handler: src/app.handler, `from src import db`)", async () => {
    const files = {
      "src/app.py":
        "from src import db\n\n\ndef handler(event, context):\n    return db.connect()\n",
      "src/__init__.py": "",
      "src/db.py": DB_PY,
    };
    const findings = await runCodeRule(rule, { ...PY, handler: "src/app.handler", files });
    expect(findings.map(place)).toEqual([at(files, "src/db.py", 'boto3.client("s3")')]);
  });

  it("follows namespace imports and requires, destructured requires", async () => {
    const esm = {
      "index.mjs": `import * as db from "./db.mjs";\nexport const handler = async () => db.save();\n`,
      "db.mjs": DB_JS,
    };
    expect((await runCodeRule(rule, { files: esm })).map(place)).toEqual([
      at(esm, "db.mjs", "new S3Client("),
    ]);
    const cjs = {
      "index.js": `const db = require("./db");\nconst { save } = require("./db");\nexports.handler = async () => [db.save(), save()];\n`,
      "db.js": `const { S3Client } = require("@aws-sdk/client-s3");\nfunction save() {\n  return new S3Client({});\n}\nmodule.exports = { save };\n`,
    };
    expect((await runCodeRule(rule, { files: cjs })).map(place)).toEqual([
      at(cjs, "db.js", "new S3Client("),
    ]);
  });

  it("follows extensionless and folder-index TypeScript imports, .mts files, and a handler under src/", async () => {
    const files = {
      "index.ts": `import { save } from "./lib/db";
import { other } from "./util";
export const handler = async (): Promise<unknown> => [save(), other()];
`,
      "lib/db.ts": DB_JS,
      "util/index.ts": DB_JS.replace("save", "other"),
    };
    expect((await runCodeRule(rule, { files })).map(place)).toEqual([
      at(files, "lib/db.ts", "new S3Client("),
      at(files, "util/index.ts", "new S3Client("),
    ]);
    const mts = {
      "src/index.mts": `import { save } from "./db.mjs";\nexport const handler = async (): Promise<unknown> => save();\n`,
      "src/db.mts": DB_JS,
    };
    expect(
      (await runCodeRule(rule, { handler: "src/index.handler", files: mts })).map(place),
    ).toEqual([at(mts, "src/db.mts", "new S3Client(")]);
  });

  it("follows `import lib.db` then `lib.db.connect()` (Python dotted module import)", async () => {
    const files = {
      "app.py": "import lib.db\n\n\ndef handler(event, context):\n    return lib.db.connect()\n",
      "lib/__init__.py": "",
      "lib/db.py": 'import boto3\n\n\ndef connect():\n    return boto3.client("dynamodb")\n',
    };
    expect((await runCodeRule(rule, { ...PY, files })).map(place)).toEqual([
      at(files, "lib/db.py", "boto3.client("),
    ]);
  });

  it("follows `import db from './db.js'` then `db.save()` with `export default { save }`", async () => {
    const files = {
      "index.mjs": `import db from "./db.mjs";\nexport const handler = async () => db.save();\n`,
      "db.mjs": `import { S3Client } from "@aws-sdk/client-s3";\nfunction save() { return new S3Client({}); }\nexport default { save };\n`,
    };
    expect((await runCodeRule(rule, { files })).map(place)).toEqual([
      at(files, "db.mjs", "new S3Client("),
    ]);
  });
});

describe("init-in-handler: CloudFormation custom-resource handlers run once per deploy", () => {
  const clientInHandler = `import { S3Client } from "@aws-sdk/client-s3";

export const handler = async (event) => {
  const s3 = new S3Client({});
  return s3;
};
`;

  it("skips a function that is a custom resource's ServiceToken in the template", async () => {
    for (const type of ["AWS::CloudFormation::CustomResource", "Custom::EmptyBucket"]) {
      const findings = await runCodeRule(rule, {
        files: { "index.mjs": clientInHandler },
        resources: {
          EmptyBucket: {
            Type: type,
            Properties: { ServiceToken: { "Fn::GetAtt": ["Fn", "Arn"] }, Bucket: "b" },
          },
        },
      });
      expect(findings).toEqual([]);
    }
  });

  it("still reports the same code when the custom resource points at another function", async () => {
    const files = { "index.mjs": clientInHandler };
    const findings = await runCodeRule(rule, {
      files,
      resources: {
        EmptyBucket: {
          Type: "Custom::EmptyBucket",
          Properties: { ServiceToken: "arn:aws:lambda:us-east-1:123456789012:function:other" },
        },
      },
    });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "new S3Client")]);
  });

  it("skips JavaScript using cfn-response and Python using crhelper or cfnresponse", async () => {
    const js = await runCodeRule(rule, {
      files: {
        "index.js": `const response = require("cfn-response");
const { S3Client } = require("@aws-sdk/client-s3");
exports.handler = async (event, context) => {
  const s3 = new S3Client({});
  await response.send(event, context, response.SUCCESS, {});
  return s3;
};
`,
      },
    });
    expect(js).toEqual([]);
    for (const helper of ["from crhelper import CfnResource", "import cfnresponse"]) {
      const py = await runCodeRule(rule, {
        ...PY,
        files: {
          "app.py": `${helper}
import boto3

def handler(event, context):
    s3 = boto3.client("s3")
    return s3.list_buckets()
`,
        },
      });
      expect(py).toEqual([]);
    }
    // The same handler without a helper is reported.
    const plain = await runCodeRule(rule, {
      ...PY,
      files: {
        "app.py": `import boto3

def handler(event, context):
    s3 = boto3.client("s3")
    return s3.list_buckets()
`,
      },
    });
    expect(plain.map((finding) => finding.ruleId)).toEqual(["init-in-handler"]);
  });
});
