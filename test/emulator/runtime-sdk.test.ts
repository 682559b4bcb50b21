/**
 * The runtime's AWS SDK, as Lambda's Node.js runtimes provide it: a handler
 * imports @aws-sdk/* without bundling it, by ESM import, CommonJS require or
 * from TypeScript, and gets the emulator's copy (installed once from the npm
 * registry into the user cache); the function's own copy always wins; with
 * no registry, init fails with Runtime.ImportModuleError and says why.
 */
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Emulator, type InvokeResult } from "../../src/emulator/emulator.js";
import { functionFromHandlerSpec } from "../../src/emulator/functions/from-handler.js";
import {
  missingSdkPackages,
  RUNTIME_SDK_VERSION,
} from "../../src/emulator/runtimes/node-runtime-sdk.js";
import { useTestCache } from "../support/user-cache.js";
import { FIXTURES, fixture, stateDir } from "./emulator-fixtures.js";

const cacheDir = useTestCache();
const SDK_FOLDERS = join(cacheDir, "aws-sdk", RUNTIME_SDK_VERSION);
/** The first run downloads the clients from the npm registry; a busy machine takes its time. */
const INSTALL_TIMEOUT_MS = 300_000;

/** A function with its own (older, fake-free: a real package.json and module) copy of the client. */
function functionWithOwnCopy(): string {
  const code = mkdtempSync(join(tmpdir(), "lo-own-sdk-"));
  const own = join(code, "node_modules", "@aws-sdk", "client-dynamodb");
  mkdirSync(own, { recursive: true });
  writeFileSync(
    join(own, "package.json"),
    JSON.stringify({ name: "@aws-sdk/client-dynamodb", version: "3.0.0-own", main: "index.js" }),
  );
  writeFileSync(join(own, "index.js"), "exports.DynamoDBClient = class OwnDynamoDBClient {};\n");
  writeFileSync(
    join(code, "esm.mjs"),
    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n' +
      'export const handler = async () => ({ client: DynamoDBClient.name, resolved: import.meta.resolve("@aws-sdk/client-dynamodb") });\n',
  );
  writeFileSync(
    join(code, "cjs.cjs"),
    'const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");\n' +
      'exports.handler = async () => ({ client: DynamoDBClient.name, resolved: require.resolve("@aws-sdk/client-dynamodb") });\n',
  );
  return code;
}

const own = functionWithOwnCopy();
const emulator = new Emulator({
  stateDir: stateDir(),
  functions: [
    fixture("runtime-sdk/esm.mjs:handler", { name: "esm", memoryMb: 1024 }),
    fixture("runtime-sdk/cjs.cjs:handler", { name: "cjs", memoryMb: 1024 }),
    fixture("runtime-sdk/typed.ts:handler", { name: "typescript", memoryMb: 1024 }),
    functionFromHandlerSpec(join(own, "esm.mjs:handler"), { name: "own-esm" }),
    functionFromHandlerSpec(join(own, "cjs.cjs:handler"), { name: "own-cjs" }),
  ],
});
afterAll(() => emulator.stop());

const invoke = (name: string, event: unknown = {}) =>
  emulator.invoke(name, { payload: Buffer.from(JSON.stringify(event)) });
const body = (result: InvokeResult) => JSON.parse(result.payload.toString("utf8"));

describe("the runtime's AWS SDK", () => {
  // The one install every test below shares (the same two packages), done first and alone.
  beforeAll(async () => {
    const result = await invoke("esm");
    if (result.functionError) throw new Error(result.payload.toString("utf8"));
  }, INSTALL_TIMEOUT_MS);

  it("finds the @aws-sdk packages a function's own code imports and its node_modules lacks", async () => {
    expect(
      await missingSdkPackages([
        join(FIXTURES, "runtime-sdk/esm.mjs"),
        join(FIXTURES, "runtime-sdk/typed.ts"),
      ]),
    ).toEqual(["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"]);
    expect(await missingSdkPackages([join(own, "esm.mjs"), join(own, "cjs.cjs")])).toEqual([]);
    // a dependency that expects the runtime's SDK (as Powertools' utilities do) counts too
    const withDependency = mkdtempSync(join(tmpdir(), "lo-sdk-peer-"));
    const library = join(withDependency, "node_modules", "orders-lib");
    mkdirSync(library, { recursive: true });
    writeFileSync(join(library, "package.json"), '{"name":"orders-lib","main":"index.js"}');
    writeFileSync(
      join(library, "index.js"),
      'const { SQSClient } = require("@aws-sdk/client-sqs");\nconst ssm = () => import("@aws-sdk/client-ssm");\nmodule.exports = { SQSClient, ssm };\n',
    );
    writeFileSync(join(withDependency, "app.mjs"), 'export { SQSClient } from "orders-lib";\n');
    expect(await missingSdkPackages([join(withDependency, "app.mjs")])).toEqual([
      "@aws-sdk/client-sqs",
      "@aws-sdk/client-ssm",
    ]);
    // a scan is kept until a file it read changes
    const edited = join(withDependency, "edited.mjs");
    writeFileSync(edited, "export const handler = async () => 1;\n");
    expect(await missingSdkPackages([edited])).toEqual([]);
    writeFileSync(edited, 'import "@aws-sdk/client-s3";\nexport const handler = async () => 1;\n');
    utimesSync(edited, new Date(), new Date(Date.now() + 60_000));
    expect(await missingSdkPackages([edited])).toEqual(["@aws-sdk/client-s3"]);
    // code that cannot be read gives none: the runtime reports the syntax error itself
    const broken = mkdtempSync(join(tmpdir(), "lo-broken-"));
    writeFileSync(
      join(broken, "app.mjs"),
      'import x from "@aws-sdk/client-s3";\nexport const = ;\n',
    );
    expect(await missingSdkPackages([join(broken, "app.mjs")])).toEqual([]);
  });

  it("serves an ESM import from the emulator's copy, pinned to the SDK version we ship", async () => {
    const response = body(await invoke("esm"));
    expect(response).toMatchObject({ client: "DynamoDBClient", document: "function" });
    expect(response.resolved).toMatch(
      new RegExp(`^file://${SDK_FOLDERS}/[0-9a-f]{16}/node_modules/@aws-sdk/client-dynamodb/`),
    );
    const installed = readdirSync(SDK_FOLDERS).filter((name) => !name.includes(".partial-"));
    expect(installed.length).toBeGreaterThan(0);
  });

  it("serves a CommonJS require from the same copy", async () => {
    const response = body(await invoke("cjs"));
    expect(response).toMatchObject({ client: "DynamoDBClient", document: "function" });
    expect(response.resolved).toMatch(
      new RegExp(`^${SDK_FOLDERS}/[0-9a-f]{16}/node_modules/@aws-sdk/client-dynamodb/dist-cjs/`),
    );
  });

  it("leaves the SDK out of a TypeScript handler's bundle and serves it at run time", async () => {
    const result = await invoke("typescript");
    expect(result.functionError).toBeUndefined();
    expect(body(result)).toEqual({ client: "DynamoDBClient", document: "function" });
  });

  it("lets the function's own copy win, for import and require", async () => {
    for (const name of ["own-esm", "own-cjs"]) {
      const response = body(await invoke(name));
      expect(response.client).toBe("OwnDynamoDBClient");
      expect(response.resolved).toContain(join(own, "node_modules", "@aws-sdk", "client-dynamodb"));
    }
  });
});

describe("the runtime's AWS SDK with no registry", () => {
  it(
    "fails init with Runtime.ImportModuleError naming the package, the cache and npm's reason",
    async () => {
      const offlineCache = mkdtempSync(join(tmpdir(), "lo-offline-cache-"));
      const offlineEnvironment = {
        LAMBDA_OPTIMIZER_CACHE_DIR: offlineCache,
        // a registry nobody listens on, an empty npm cache, and no retries
        npm_config_registry: "http://127.0.0.1:9/",
        npm_config_cache: mkdtempSync(join(tmpdir(), "lo-npm-cache-")),
        npm_config_fetch_retries: "0",
      };
      const saved = Object.fromEntries(
        Object.keys(offlineEnvironment).map((name) => [name, process.env[name]]),
      );
      Object.assign(process.env, offlineEnvironment);
      const offline = new Emulator({
        stateDir: stateDir(),
        functions: [fixture("runtime-sdk/cjs.cjs:handler", { name: "offline" })],
      });
      try {
        const result = await offline.invoke("offline", { payload: Buffer.from("{}") });
        expect(result.functionError).toBe("Unhandled");
        const error = body(result);
        expect(error.errorType).toBe("Runtime.ImportModuleError");
        expect(error.errorMessage).toContain(
          "Cannot find module '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'",
        );
        expect(error.errorMessage).toContain(`>=3.0.0 <=${RUNTIME_SDK_VERSION}`);
        expect(error.errorMessage).toContain(offlineCache);
        expect(error.errorMessage).toMatch(/npm install said: .*ECONNREFUSED/);
        expect(error.errorMessage).toContain("add the package to the function's own dependencies");
        // nothing half-installed is left behind
        expect(readdirSync(join(offlineCache, "aws-sdk", RUNTIME_SDK_VERSION))).toEqual([]);
      } finally {
        await offline.stop();
        for (const [name, value] of Object.entries(saved)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    },
    INSTALL_TIMEOUT_MS,
  );
});
