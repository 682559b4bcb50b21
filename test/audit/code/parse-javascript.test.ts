/** The facts parse-javascript.ts reads from JavaScript and TypeScript, ESM and CommonJS. */
import { describe, expect, it } from "vitest";
import type { CallSite, CodeModule } from "../../../src/audit/code/code-model.js";
import { parseJavaScript } from "../../../src/audit/code/parse-javascript.js";

function parse(source: string, file = "/code/index.mjs"): CodeModule {
  return parseJavaScript(file, source);
}

function call(module: CodeModule, qualifiedName: string): CallSite {
  const found = module.calls.find((site) => site.qualifiedName === qualifiedName);
  if (!found) {
    throw new Error(
      `${qualifiedName} not in ${module.calls.map((site) => site.qualifiedName).join(", ")}`,
    );
  }
  return found;
}

function functionNamed(module: CodeModule, name: string): number {
  const index = module.functions.findIndex((fn) => fn.name === name);
  if (index < 0) throw new Error(`no function ${name}`);
  return index;
}

describe("imports and qualified names", () => {
  it("qualifies named, default, namespace, require and destructured require imports alike", () => {
    const module = parse(`
import { v4 as makeId } from "uuid";
import * as crypto from "node:crypto";
import AWS from "aws-sdk";
const { SSMClient } = require("@aws-sdk/client-ssm");
const pg = require("pg");
const Pool = require("pg").Pool;
makeId();
crypto.randomUUID();
new AWS.S3();
new SSMClient({});
new pg.Pool();
new Pool();
`);
    expect(
      module.calls.filter((site) => site.callee !== "require").map((site) => site.qualifiedName),
    ).toEqual([
      "uuid.v4",
      "crypto.randomUUID",
      "aws-sdk.S3",
      "@aws-sdk/client-ssm.SSMClient",
      "pg.Pool",
      "pg.Pool",
    ]);
    expect(module.imports.map((entry) => entry.specifier)).toEqual([
      "uuid",
      "node:crypto",
      "aws-sdk",
      "@aws-sdk/client-ssm",
      "pg",
      "pg",
    ]);
    expect([...module.imports[0]!.names]).toEqual([["makeId", "v4"]]);
  });

  it("records dynamic imports, side-effect requires and re-exports", () => {
    const module = parse(`
import "./polyfill.js";
require("./setup");
export { helper } from "./lib/helper.js";
const lazy = await import("./lazy.js");
`);
    expect(module.imports.map((entry) => entry.specifier)).toEqual([
      "./polyfill.js",
      "./setup",
      "./lib/helper.js",
      "./lazy.js",
    ]);
  });

  it("reads TypeScript with types, casts and non-null assertions", () => {
    const module = parse(
      `
import { S3Client } from "@aws-sdk/client-s3";
let client: S3Client | undefined;
export const handler = async (event: { key: string }): Promise<string> => {
  const s3 = (new S3Client({ region: "eu-west-1" }) as S3Client)!;
  return event.key satisfies string;
};
`,
      "/code/handler.ts",
    );
    expect(module.parseError).toBeUndefined();
    const site = call(module, "@aws-sdk/client-s3.S3Client");
    expect(site).toMatchObject({
      kind: "new",
      argumentKeys: ["region"],
      position: { line: 5, column: 15 },
    });
    expect(site.scope).toBe(functionNamed(module, "handler"));
  });
});

describe("scopes, functions and references", () => {
  it("places calls at module scope or in their innermost function", () => {
    const module = parse(`
const id = crypto.randomUUID();
export async function handler(event) {
  return event.Records.map((record) => Date.now());
}
`);
    expect(call(module, "crypto.randomUUID").scope).toBeUndefined();
    const inner = call(module, "Date.now").scope!;
    expect(module.functions[inner]!.parent).toBe(functionNamed(module, "handler"));
  });

  it("records the names a function calls or passes on, and module-level references", () => {
    const module = parse(`
import { save } from "./db.js";
const ready = setup();
function setup() {}
function processRecord(record) { return save(record); }
export const handler = async (event) => Promise.all(event.Records.map(processRecord));
`);
    expect(module.moduleReferences).toContain("setup");
    const handler = module.functions[functionNamed(module, "handler")]!;
    expect(handler.references).toEqual(
      expect.arrayContaining(["processRecord", "event.Records.map"]),
    );
    expect(module.functions[functionNamed(module, "processRecord")]!.references).toContain("save");
  });

  it("names methods after their class, and object-literal functions after their key", () => {
    const module = parse(`
class Repo { save() {} }
module.exports = { handler: async () => {} };
`);
    expect(module.functions.map((fn) => fn.name)).toEqual(["Repo.save", "handler"]);
  });
});

describe("exports", () => {
  it("finds the handler however it is exported or wrapped", () => {
    const cases: [string, string][] = [
      ["export async function handler() {}", "handler"],
      ["export const handler = async () => {};", "handler"],
      ["const base = async () => {}; export const handler = middy(base).use(logger());", "base"],
      ["exports.handler = async function () {};", "exports.handler"],
      ["const handler = async () => {}; module.exports = { handler };", "handler"],
      ["async function main() {} module.exports.handler = main;", "main"],
      ["const run = async () => {}; export { run as handler };", "run"],
    ];
    for (const [source, functionName] of cases) {
      const module = parse(source);
      const exported = module.exports.get("handler");
      expect(exported, source).toBeDefined();
      expect(exported!.functionIndex, source).toBeDefined();
      expect(module.functions[exported!.functionIndex!]!.name, source).toBe(functionName);
    }
  });

  it("finds middy's .handler(fn) form: the anonymous function it is given, behind the whole chain", () => {
    const source = "export const handler = middy().use(x()).handler(async () => {});";
    const module = parse(source);
    const exported = module.exports.get("handler")!;
    // The handler is the arrow function passed to .handler(), not the middy() call.
    const column = source.indexOf("async () =>") + 1;
    expect(exported).toMatchObject({
      functionIndex: 0,
      wrappers: ["middy().use().handler"],
      position: { line: 1, column },
    });
    expect(module.functions).toHaveLength(1);
    expect(module.functions[0]).toMatchObject({ position: { line: 1, column } });
    expect(module.functions[0]!.name).toBeUndefined();
  });

  it("lists the wrappers around a streaming handler", () => {
    const module = parse(
      "export const handler = awslambda.streamifyResponse(async (event, stream) => {});",
    );
    expect(module.exports.get("handler")!.wrappers).toEqual(["awslambda.streamifyResponse"]);
  });
});

describe("module state", () => {
  it("records writes to module-level names inside functions, with how and whether lazily", () => {
    const module = parse(`
let count = 0;
let client;
const cache = new Map();
const list = [];
export const handler = async (event) => {
  count++;
  client ??= makeClient();
  cache.set(event.id, event);
  list.push(event);
  cache[event.id] = 1;
  if (!client) client = makeClient();
  const local = [];
  local.push(1);
};
function other(cache) { cache.set(1, 2); }
`);
    expect(
      module.stateWrites.map(({ name, how, lazyInit, position }) => [
        name,
        how,
        lazyInit,
        position.line,
      ]),
    ).toEqual([
      ["count", "update", false, 7],
      ["client", "assign", true, 8],
      ["cache", "mutate", false, 9],
      ["list", "mutate", false, 10],
      ["cache", "mutate", false, 11],
      ["client", "assign", true, 12],
    ]);
  });

  it("marks a call cached when its result lands in module state or it runs under a module-level guard", () => {
    const module = parse(`
let secret;
let client;
let token;
export const handler = async () => {
  client = client ?? new S3Client({});
  const every = await fetchEveryTime();
  if (!secret) {
    secret = (await sm.send(new GetSecretValueCommand({ SecretId: "s" }))).SecretString;
  }
  if (token) return token;
  const fresh = await fetchToken();
  token = fresh;
  return every;
};
`);
    expect(call(module, "S3Client").cached).toBe(true);
    expect(call(module, "GetSecretValueCommand").cached).toBe(true);
    // After `if (token) return token;` the rest of the handler runs only while token is unset.
    expect(call(module, "fetchToken").cached).toBe(true);
    expect(call(module, "fetchEveryTime").cached).toBe(false);
    // A cached call is no reference: the function it calls does not run per invocation.
    const handler = module.functions[0]!;
    expect(handler.references).not.toContain("fetchToken");
    expect(handler.references).toContain("fetchEveryTime");
  });

  it("does not take a parameter or local that shadows a module name for module state", () => {
    const module = parse(`
const items = [];
export const handler = async (items) => { items.push(1); };
export const other = async () => { const items = []; items.push(1); };
`);
    expect(module.stateWrites).toEqual([]);
  });
});

describe("environment and /tmp", () => {
  it("reads process.env by member, by literal key, by destructuring, and by computed key", () => {
    const module = parse(`
const { TABLE, STAGE } = process.env;
export const handler = async (key) => process.env.REGION + process.env["BUCKET"] + process.env[key];
`);
    expect(module.envReads.map((read) => [read.variable, read.scope === undefined])).toEqual([
      ["TABLE", true],
      ["STAGE", true],
      ["REGION", false],
      ["BUCKET", false],
      [undefined, false],
    ]);
  });

  it("tells reads the code needs set from fallbacks and tests", () => {
    const module = parse(
      `
const { TABLE, STAGE = "dev", ...rest } = process.env;
const a = process.env.A ?? "d";
const b = process.env.B || "d";
const c = process.env.C && 1;
const d = !process.env.D;
if (process.env.E === "prod") {}
const f = process.env.F ? 1 : 2;
const g = typeof process.env.G;
const h = "H" in process.env;
const i = (process.env.I as string).split(",");
const j = process.env.J!;
const k = process.env.K?.split(",");
switch (process.env.L) {}
process.env.M ??= "x";
process.env.N = "x";
use(process.env.O);
const p = cond ? process.env.P : "x";
const q = process.env.Q !== undefined;
`,
      "/code/index.ts",
    );
    expect(module.envReads.map((read) => [read.variable, read.required])).toEqual([
      ["TABLE", true],
      ["STAGE", false],
      ["A", false],
      ["B", false],
      ["C", false],
      ["D", false],
      ["E", false],
      ["F", false],
      ["G", false],
      ["H", false],
      ["I", true],
      ["J", true],
      ["K", false],
      ["L", false],
      ["M", false],
      ["O", true],
      ["P", true],
      ["Q", false],
    ]);
  });

  it("records writes to fixed /tmp paths", () => {
    const module = parse(`
import { writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
export const handler = async (id) => {
  writeFileSync("/tmp/state.json", "{}");
  await writeFile(\`/tmp/\${id}.json\`, "{}");
  writeFileSync("/var/task/x", "");
};
`);
    expect(module.tmpWrites.map((write) => write.path)).toEqual(["/tmp/state.json"]);
  });
});

describe("bad input", () => {
  it("reports a syntax error with what the parser said and where", () => {
    const module = parse("export const handler = async () => {\n  return { ok: true\n};\n");
    // oxc does not recover from an error: the facts are empty and the error names the place.
    expect(module.parseError).toEqual({
      message: expect.stringContaining("Expected"),
      position: { line: 4, column: 1 },
    });
  });

  it("does not hand 10,000 nested parentheses to the parser (it would overflow its native stack): a parse error", () => {
    const prefix = "export const handler = async () => ";
    const module = parse(`${prefix}${"(".repeat(10_000)}1${")".repeat(10_000)};\n`);
    expect(module.parseError).toEqual({
      message:
        "nested more than 1000 brackets deep: not parsed (the parser would overflow its stack)",
      position: { line: 1, column: prefix.length + 1001 },
    });
    expect(module.exports.size).toBe(0);
  });

  it("handles an empty file and a large generated one", () => {
    expect(parse("").functions).toEqual([]);
    const big = Array.from(
      { length: 20_000 },
      (_, i) => `export function f${i}(x) { return x + ${i}; }`,
    ).join("\n");
    const module = parse(big);
    expect(module.functions).toHaveLength(20_000);
    expect(module.exports.size).toBe(20_000);
  });
});

describe("value origins and object arguments", () => {
  it('gives the arguments that read a member of a name as paths, with "[]" for a key not written as a string', () => {
    const module = parse(`
export const handler = async (event) => {
  JSON.parse(event.body);
  JSON.parse(event.Records[0]["body"]);
  JSON.parse(body, event?.body);
  JSON.parse(make().body);
};
`);
    const parses = module.calls.filter((site) => site.qualifiedName === "JSON.parse");
    expect(parses.map((site) => site.argumentPaths)).toEqual([
      [["event", "body"]],
      [["event", "Records", "[]", "body"]],
      [null, ["event", "body"]],
      undefined,
    ]);
  });

  it("collects the keys of object literals, not computed ones, anywhere in the file", () => {
    const module = parse(`
const headers = { "content-type": "application/json" };
export const handler = async (event) => {
  const batchItemFailures = [];
  return { batchItemFailures, [event.key]: 1, ...event };
};
`);
    expect([...module.literalKeys].sort()).toEqual(["batchItemFailures", "content-type"]);
  });

  it("ties a method call to the call whose result it is called on: directly, through a name, destructured", () => {
    const module = parse(`
import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
export const handler = async (event) => {
  const a = await (await s3.send(new GetObjectCommand({ Bucket: "b", Key: "a" }))).Body.transformToString();
  const object = await s3.send(new GetObjectCommand({ Bucket: "b", Key: "b" }));
  const bytes = await object.Body.transformToByteArray();
  const { Body: body } = await s3.send(new GetObjectCommand({ Bucket: "b", Key: "c" }));
  await body.transformToString();
  let twice = await s3.send(new GetObjectCommand({ Bucket: "b", Key: "d" }));
  twice = event.other;
  await twice.Body.transformToString();
  return event.items.map((object) => object.Body.transformToString());
};
`);
    const sends = module.calls.flatMap((site, index) => (site.callee === "s3.send" ? [index] : []));
    const named = (callee: string) => module.calls.find((site) => site.callee === callee)!;
    expect(named("s3.send().Body.transformToString").receiver).toEqual({
      call: sends[0],
      path: ["Body"],
    });
    expect(named("object.Body.transformToByteArray").receiver).toEqual({
      call: sends[1],
      path: ["Body"],
    });
    expect(named("body.transformToString").receiver).toEqual({ call: sends[2], path: ["Body"] });
    expect(named("twice.Body.transformToString").receiver).toBeUndefined();
    // The arrow's parameter hides the handler's `object`.
    expect(named("object.Body.transformToString").receiver).toBeUndefined();
    // s3 is the module-level `new S3Client({})`; the command is the send's first argument.
    const send = module.calls[sends[0]!]!;
    expect(send.receiver).toEqual({
      call: module.calls.indexOf(call(module, "@aws-sdk/client-s3.S3Client")),
      path: [],
    });
    expect(module.calls[send.argumentOrigins![0]!.call]!.qualifiedName).toBe(
      "@aws-sdk/client-s3.GetObjectCommand",
    );
  });

  it("follows an argument held in a name, and reads each object-literal argument's keys", () => {
    const module = parse(`
import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
export const handler = async (event) => {
  const command = new Command({ Key: "k", Range: "bytes=0-9" });
  await client.send(command);
  await getSecret("name", { maxAge: 300, decrypt: true });
  await getSecret("name", { ...event.options });
};
`);
    const send = module.calls.find((site) => site.callee === "client.send")!;
    expect(send.argumentOrigins).toEqual([
      { call: module.calls.indexOf(call(module, "Command")), path: [] },
    ]);
    expect(call(module, "Command").objectArgumentKeys).toEqual([["Key", "Range"]]);
    const [withOptions, spread] = module.calls.filter(
      (site) => site.qualifiedName === "@aws-lambda-powertools/parameters/secrets.getSecret",
    );
    expect(withOptions!.objectArgumentKeys).toEqual([null, ["maxAge", "decrypt"]]);
    expect(spread!.objectArgumentKeys).toEqual([null, null]);
    expect(send.objectArgumentKeys).toBeUndefined();
  });
});
