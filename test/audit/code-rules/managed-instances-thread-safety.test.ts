import { describe, expect, it } from "vitest";
import { managedInstancesThreadSafety } from "../../../src/audit/code-rules/managed-instances-thread-safety.js";
import { at, place, runCodeRule, runCodeRuleOnFolder } from "./run-code-rule.js";

const rule = managedInstancesThreadSafety;
const PROVIDER = "arn:aws:lambda:us-east-1:123456789012:capacity-provider:fleet";

function managed(maxConcurrency?: number): Record<string, unknown> {
  return {
    CapacityProviderConfig: {
      LambdaManagedInstancesCapacityProviderConfig: {
        CapacityProviderArn: PROVIDER,
        ...(maxConcurrency === undefined
          ? {}
          : { PerExecutionEnvironmentMaxConcurrency: maxConcurrency }),
      },
    },
  };
}

const COUNTER = {
  "index.mjs": `let requests = 0;
export const handler = async () => {
  requests++;
  return requests;
};
`,
};

describe("managed-instances-thread-safety: JavaScript (ESM)", () => {
  it("reports a module-level counter updated by the handler, at the update", async () => {
    const findings = await runCodeRule(rule, { files: COUNTER, properties: managed(32) });
    expect(findings.map(place)).toEqual([at(COUNTER, "index.mjs", "requests++")]);
    expect(findings[0]).toMatchObject({
      ruleId: "managed-instances-thread-safety",
      severity: "error",
    });
    expect(findings[0]!.message).toContain("updates module-level `requests`");
    expect(findings[0]!.message).toContain("up to 32 requests");
  });

  it("reports with PerExecutionEnvironmentMaxConcurrency unset (the runtime's default)", async () => {
    const findings = await runCodeRule(rule, { files: COUNTER, properties: managed() });
    expect(findings.map(place)).toEqual([at(COUNTER, "index.mjs", "requests++")]);
    expect(findings[0]!.message).toContain("the runtime's default concurrency");
  });

  it("reports nothing with PerExecutionEnvironmentMaxConcurrency 1", async () => {
    expect(await runCodeRule(rule, { files: COUNTER, properties: managed(1) })).toEqual([]);
  });

  it("reports nothing for a function not on Managed Instances", async () => {
    expect(await runCodeRule(rule, { files: COUNTER })).toEqual([]);
  });

  it("reports mutations (Map.set, push, property and index writes) and assignments", async () => {
    const files = {
      "index.mjs": `const seen = new Map();
const log = [];
const stats = {};
let last;
export const handler = async (event) => {
  seen.set(event.id, 1);
  log.push(event);
  stats[event.id] = 1;
  last = event;
  return last;
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "seen.set("),
      at(files, "index.mjs", "log.push("),
      at(files, "index.mjs", "stats[event.id] = 1"),
      at(files, "index.mjs", "last = event"),
    ]);
  });

  it("does not report a lazy init (`client ??= ...`, `if (!client) client = ...`)", async () => {
    const files = {
      "index.mjs": `import { S3Client } from "@aws-sdk/client-s3";
let s3;
let other;
export const handler = async () => {
  s3 ??= new S3Client({});
  if (!other) {
    other = new S3Client({});
  }
  return [s3, other];
};
`,
    };
    expect(await runCodeRule(rule, { files, properties: managed(8) })).toEqual([]);
  });

  it("does not report a local Map, nor a parameter or local shadowing a module name", async () => {
    const files = {
      "index.mjs": `const items = [];
const cache = new Map();
function add(items, value) {
  items.push(value);
}
export const handler = async (event) => {
  const local = new Map();
  local.set(event.id, 1);
  const cache = new Map();
  cache.set("k", 1);
  add([], event);
  return [local, cache, items];
};
`,
    };
    expect(await runCodeRule(rule, { files, properties: managed(8) })).toEqual([]);
  });

  it("reports a write in a callback passed by name (`records.map(processRecord)`)", async () => {
    const files = {
      "index.mjs": `const totals = {};
const processRecord = (record) => {
  totals.count = (totals.count ?? 0) + 1;
  return record;
};
export const handler = async (event) => event.Records.map(processRecord);
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "totals.count =")]);
  });

  it("does not report a write in a function only called at module scope", async () => {
    const files = {
      "index.mjs": `const registry = [];
function register(name) {
  registry.push(name);
}
register("a");
export const handler = async () => registry;
`,
    };
    expect(await runCodeRule(rule, { files, properties: managed(8) })).toEqual([]);
  });

  it("reports a fixed /tmp file written by the handler, and not a per-request name", async () => {
    const files = {
      "index.mjs": `import { writeFileSync } from "node:fs";
export const handler = async (event, context) => {
  writeFileSync("/tmp/last.json", JSON.stringify(event));
  writeFileSync(\`/tmp/\${context.awsRequestId}.json\`, "x");
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", 'writeFileSync("/tmp/last.json"')]);
    expect(findings[0]!.message).toContain("/tmp/last.json");
  });

  it("is suppressed by a disable-next-line comment naming it, not by another id", async () => {
    const files = {
      "index.mjs": `let a = 0;
let b = 0;
export const handler = async () => {
  // lambda-optimizer-disable-next-line managed-instances-thread-safety
  a++;
  // lambda-optimizer-disable-next-line init-in-handler
  b++;
  return a + b;
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "b++")]);
  });

  it("reports on a plain folder with --managed-instances, not without", async () => {
    expect(await runCodeRuleOnFolder(rule, { files: COUNTER })).toEqual([]);
    const findings = await runCodeRuleOnFolder(rule, { files: COUNTER, managedInstances: true });
    expect(findings.map(place)).toEqual([at(COUNTER, "index.mjs", "requests++", "")]);
  });
});

describe("managed-instances-thread-safety: JavaScript (CommonJS)", () => {
  it("reports with `exports.handler = ...`", async () => {
    const files = {
      "index.js": `const seen = new Set();
exports.handler = async (event) => {
  seen.add(event.id);
  return seen.size;
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(4) });
    expect(findings.map(place)).toEqual([at(files, "index.js", "seen.add(")]);
  });

  it("reports with `module.exports = { handler }`", async () => {
    const files = {
      "index.js": `let count = 0;
async function handler() {
  count += 1;
  return count;
}
module.exports = { handler };
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(4) });
    expect(findings.map(place)).toEqual([at(files, "index.js", "count += 1")]);
  });
});

describe("managed-instances-thread-safety: TypeScript", () => {
  it("reports module state written in another local module the handler calls (./lib/state.js -> state.ts)", async () => {
    const files = {
      "index.ts": `import { remember } from "./lib/state.js";
export const handler = async (event: { id: string }): Promise<void> => {
  remember(event.id);
};
`,
      "lib/state.ts": `const recent: string[] = [];
export function remember(id: string): void {
  recent.push(id);
}
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(16) });
    expect(findings.map(place)).toEqual([at(files, "lib/state.ts", "recent.push(")]);
  });

  it("reports in a handler wrapped in middy(...), not a typed lazy client", async () => {
    const files = {
      "index.ts": `import middy from "@middy/core";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
let client: DynamoDBClient | undefined;
let hits = 0;
const base = async (): Promise<number> => {
  client ??= new DynamoDBClient({});
  hits++;
  return hits;
};
export const handler = middy(base);
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(16) });
    expect(findings.map(place)).toEqual([at(files, "index.ts", "hits++")]);
  });
});

describe("managed-instances-thread-safety: Python (each concurrent request runs in its own process)", () => {
  const PY = { runtime: "python3.13", handler: "app.handler" };

  it("does not report module state written by the handler (it is private to the process)", async () => {
    const files = {
      "app.py": `processed = []
count = 0


def handler(event, context):
    global count
    count += 1
    processed.append(event["id"])
    return count
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: managed(8) })).toEqual([]);
  });

  it("reports a fixed /tmp file opened for writing, at the open call", async () => {
    const files = {
      "app.py": `import json


def handler(event, context):
    with open("/tmp/last-event.json", "w") as out:
        json.dump(event, out)
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: managed() });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'open("/tmp/last-event.json"')]);
    expect(findings[0]!.message).toContain("/tmp/last-event.json");
  });

  it("does not report /tmp opened for reading, nor a per-request name", async () => {
    const files = {
      "app.py": `def handler(event, context):
    with open("/tmp/model.bin") as model:
        data = model.read()
    with open(f"/tmp/{context.aws_request_id}.json", "w") as out:
        out.write("x")
    return data
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: managed(8) })).toEqual([]);
  });

  it("reports a pathlib write in another local module (`from .files import save`)", async () => {
    const files = {
      "app.py": `from .files import save


def handler(event, context):
    save(event)
`,
      "files.py": `from pathlib import Path


def save(event):
    Path("/tmp/out.txt").write_text(str(event))
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: managed(8) });
    expect(findings.map(place)).toEqual([at(files, "files.py", 'Path("/tmp/out.txt").write_text')]);
  });

  it("reports nothing with PerExecutionEnvironmentMaxConcurrency 1", async () => {
    const files = {
      "app.py": `def handler(event, context):
    with open("/tmp/x.json", "w") as out:
        out.write("x")
`,
    };
    expect(await runCodeRule(rule, { ...PY, files, properties: managed(1) })).toEqual([]);
  });

  it("is suppressed by `# lambda-optimizer-disable-next-line managed-instances-thread-safety`, not by another id", async () => {
    const files = {
      "app.py": `def handler(event, context):
    # lambda-optimizer-disable-next-line managed-instances-thread-safety
    open("/tmp/a", "w").close()
    # lambda-optimizer-disable-next-line init-in-handler
    open("/tmp/b", "w").close()
`,
    };
    const findings = await runCodeRule(rule, { ...PY, files, properties: managed(8) });
    expect(findings.map(place)).toEqual([at(files, "app.py", 'open("/tmp/b"')]);
  });
});

describe("managed-instances-thread-safety: more writes", () => {
  it("reports a nested property write and a delete on module state", async () => {
    const files = {
      "index.mjs": `const state = { a: {} };
const cache = {};
export const handler = async (e) => {
  state.a.b = 1;
  delete cache[e.id];
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "state.a.b = 1"),
      at(files, "index.mjs", "delete cache"),
    ]);
  });

  it("reports /tmp writes through fs.promises, fs/promises, createWriteStream and a plain template literal", async () => {
    const files = {
      "index.mjs": `import { promises as fsp, createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
export const handler = async () => {
  await fsp.writeFile("/tmp/a", "x");
  await writeFile("/tmp/b", "x");
  createWriteStream("/tmp/c");
  await writeFile(\`/tmp/d\`, "x");
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", 'fsp.writeFile("/tmp/a"'),
      at(files, "index.mjs", 'writeFile("/tmp/b"'),
      at(files, "index.mjs", 'createWriteStream("/tmp/c"'),
      at(files, "index.mjs", "writeFile(`/tmp/d`"),
    ]);
  });

  it("reports Python opens in mode= w, ab and r+, not rb", async () => {
    const files = {
      "app.py": `def handler(event, context):
    open("/tmp/a", mode="w").close()
    open("/tmp/b", "ab").close()
    open("/tmp/c", "r+").close()
    open("/tmp/d", "rb").close()
`,
    };
    const findings = await runCodeRule(rule, {
      runtime: "python3.13",
      handler: "app.handler",
      files,
      properties: managed(8),
    });
    expect(findings.map(place)).toEqual([
      at(files, "app.py", 'open("/tmp/a"'),
      at(files, "app.py", 'open("/tmp/b"'),
      at(files, "app.py", 'open("/tmp/c"'),
    ]);
  });
});

describe("managed-instances-thread-safety: shadowing and other module state", () => {
  it("does not report names shadowed by a destructured parameter, a loop variable, a catch parameter or a var", async () => {
    const files = {
      "index.mjs": `const items = [];
const item = [];
const err = [];
let count = 0;
export const handler = async ({ items: list, ...rest }) => {
  for (const item of list) item.push(1);
  try {
    JSON.parse("x");
  } catch (err) {
    err.message = "x";
  }
  count = 5;
  var count;
  return [rest, items, count];
};
export const other = async ({ items }) => {
  items.push(1);
};
`,
    };
    expect(await runCodeRule(rule, { files, properties: managed(8) })).toEqual([]);
  });

  it("reports a mutation through an instance held in module state, and `counter = counter + 1`", async () => {
    const files = {
      "index.mjs": `class Repo {
  items = [];
}
const repo = new Repo();
let counter = 0;
export const handler = async (e) => {
  repo.items.push(e);
  counter = counter + 1;
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "repo.items.push("),
      at(files, "index.mjs", "counter = counter + 1"),
    ]);
  });

  it("reports writes to globalThis and process.env, which every request of a worker shares", async () => {
    const files = {
      "index.mjs": `export const handler = async (event) => {
  globalThis.last = event;
  process.env.TENANT = event.tenant;
  return process.env.TENANT;
};
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed(8) });
    expect(findings.map(place)).toEqual([
      at(files, "index.mjs", "globalThis.last ="),
      at(files, "index.mjs", "process.env.TENANT ="),
    ]);
    expect(findings[1]!.message).toContain("`process.env`");
  });
});

describe("managed-instances-thread-safety: a single database connection shared by concurrent requests", () => {
  const PG_CLIENT = {
    "index.mjs": `import pg from "pg";
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
export const handler = async (event) => {
  await client.query("BEGIN");
  await client.query("INSERT INTO orders (id) VALUES ($1)", [event.id]);
  await client.query("COMMIT");
};
`,
  };

  it("reports a pg Client kept in module state, at its construction, naming the pool to use", async () => {
    const findings = await runCodeRule(rule, { files: PG_CLIENT, properties: managed(32) });
    expect(findings.map(place)).toEqual([at(PG_CLIENT, "index.mjs", "new pg.Client(")]);
    expect(findings[0]!.message).toBe(
      "new pg.Client(…) keeps a PostgreSQL connection in module state, which up to 32 requests share at once in the same worker thread: their queries wait for each other on it, and one request's transaction (BEGIN … COMMIT) takes in the others' queries.",
    );
    expect(findings[0]!.fix).toBe(
      "Create `new Pool(…)` from pg instead and query through it: `pool.query()`, and for a transaction a client from `pool.connect()`, released after.",
    );
  });

  it("reports mysql2/promise and mysql connections made at init in local modules, and a pg Client stored lazily by the handler", async () => {
    const files = {
      "index.mjs": `import { Client } from "pg";
import { orders } from "./orders.mjs";
import { audit } from "./audit.cjs";
let events;
export const handler = async (event) => {
  events ??= new Client();
  await audit(event);
  return orders(event.id);
};
`,
      "orders.mjs": `import mysql from "mysql2/promise";
const connection = await mysql.createConnection({ host: process.env.DB_HOST });
export const orders = (id) => connection.execute("SELECT * FROM orders WHERE id = ?", [id]);
`,
      "audit.cjs": `const mysql = require("mysql");
const connection = mysql.createConnection({ host: process.env.DB_HOST });
exports.audit = (event) => connection.query("INSERT INTO audit SET ?", event);
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed() });
    expect(findings.map(place)).toEqual([
      at(files, "audit.cjs", "mysql.createConnection("),
      at(files, "index.mjs", "new Client()"),
      at(files, "orders.mjs", "mysql.createConnection("),
    ]);
    expect(findings.map((finding) => finding.message.split(" in module state")[0])).toEqual([
      "mysql.createConnection(…) keeps a MySQL connection",
      "new Client(…) keeps a PostgreSQL connection",
      "mysql.createConnection(…) keeps a MySQL connection",
    ]);
    expect(findings[0]!.fix).toContain("`mysql.createPool(…)`");
    expect(findings[2]!.fix).toContain("`createPool(…)` from mysql2/promise");
  });

  it("reports a MariaDB connection kept in module state, naming mariadb's pool", async () => {
    const files = {
      "index.mjs": `import mariadb from "mariadb";
const connection = await mariadb.createConnection({ host: process.env.DB_HOST });
export const handler = async (event) => connection.query("SELECT * FROM orders WHERE id = ?", [event.id]);
`,
    };
    const findings = await runCodeRule(rule, { files, properties: managed() });
    expect(findings.map(place)).toEqual([at(files, "index.mjs", "mariadb.createConnection(")]);
    expect(findings[0]!.message.split(" in module state")[0]).toBe(
      "mariadb.createConnection(…) keeps a MariaDB connection",
    );
    expect(findings[0]!.fix).toBe(
      "Create `mariadb.createPool(…)` instead and query through it: `pool.query()`, and for a transaction a connection from `pool.getConnection()`, released after.",
    );
  });

  it("does not report pools, Redis clients, a connection made per request, or one closed at init", async () => {
    const files = {
      "index.mjs": `import pg from "pg";
import mysql from "mysql2";
import Redis from "ioredis";
const pool = new pg.Pool();
const mysqlPool = mysql.createPool({});
const redis = new Redis();
const setup = new pg.Client();
await setup.connect();
await setup.query("SELECT 1");
await setup.end();
export const handler = async (event) => {
  const own = new pg.Client();
  await own.connect();
  await own.end();
  await redis.get(event.id);
  return pool.query("SELECT 1");
};
`,
    };
    expect(await runCodeRule(rule, { files, properties: managed(32) })).toEqual([]);
  });

  it("does not report a pg Client off Managed Instances, or with PerExecutionEnvironmentMaxConcurrency 1", async () => {
    expect(await runCodeRule(rule, { files: PG_CLIENT })).toEqual([]);
    expect(await runCodeRule(rule, { files: PG_CLIENT, properties: managed(1) })).toEqual([]);
  });

  it("does not report a Python connection at module scope: each process serves one request at a time", async () => {
    const files = {
      "app.py": `import psycopg2
import pymysql

conn = psycopg2.connect("dbname=orders")
other = pymysql.connect(host="db")


def handler(event, context):
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1")
    return other.ping()
`,
    };
    const PY = { runtime: "python3.13", handler: "app.handler" };
    expect(await runCodeRule(rule, { ...PY, files, properties: managed(8) })).toEqual([]);
  });
});
