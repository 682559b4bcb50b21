/**
 * Handler loading, case by case, as AWS's Node.js runtime interface client does
 * it: which file a handler setting names, which module system loads it, and the
 * error type Lambda answers when it cannot. Every case runs through the real
 * emulator and our Node bootstrap; the fixtures are in handler-cases/.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Emulator } from "../../src/emulator/emulator.js";
import type { FunctionDefinition } from "../../src/emulator/functions/function-definition.js";
import { FIXTURES, fixture, stateDir } from "./emulator-fixtures.js";

type Outcome = { result: unknown } | { errorType: string; message: string };

interface HandlerCase {
  readonly title: string;
  /** The task root, under handler-cases/. */
  readonly root?: string;
  readonly handler: string;
  readonly event?: unknown;
  readonly expected: Outcome;
}

const loaded = (result: unknown): Outcome => ({ result });
const fails = (errorType: string, message: string): Outcome => ({ errorType, message });

const CASES: readonly HandlerCase[] = [
  // The five differences issue 12 found.
  {
    title: "module.exports = { default: fn } answers handler file.default",
    handler: "defaultExport.default",
    expected: loaded(42),
  },
  {
    title: "a syntax error in a CommonJS file is Runtime.UserCodeSyntaxError",
    handler: "syntaxError.handler",
    expected: fails("Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected end of input"),
  },
  {
    title: "a syntax error in an ES module is Runtime.UserCodeSyntaxError",
    handler: "syntaxErrorEsm.handler",
    expected: fails("Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected token ';'"),
  },
  {
    title: "a handler setting with '..' is Runtime.MalformedHandlerName",
    handler: "malformed..handler",
    expected: fails(
      "Runtime.MalformedHandlerName",
      "'malformed..handler' is not a valid handler name",
    ),
  },
  {
    title: "a handler setting climbing out of the task root is Runtime.MalformedHandlerName",
    handler: "../handler-cases/core.echo",
    expected: fails("Runtime.MalformedHandlerName", "Use absolute paths"),
  },
  {
    title: "a handler setting without a dot is Runtime.MalformedHandlerName",
    handler: "core",
    expected: fails("Runtime.MalformedHandlerName", "Bad handler"),
  },
  {
    title: "the extensionless file wins over .js and .mjs",
    handler: "precedence.handler",
    expected: loaded("extensionless"),
  },
  {
    title: "an extensionless file is CommonJS inside a type: module package",
    root: "type-module",
    handler: "extensionless.handler",
    expected: loaded("extensionless CommonJS in a module package"),
  },
  // The rest of the runtime client's handler-loading cases.
  { title: "a CommonJS .js export", handler: "core.echo", event: "hi", expected: loaded("hi") },
  {
    title: "an export nested in objects",
    handler: "nested.deeply.nested.handler",
    expected: loaded("something nested"),
  },
  {
    title: "a module in nested folders, a/b/c.handler",
    handler: "a/b/c.handler",
    expected: loaded("from a/b/c.js"),
  },
  {
    title: "a nested export under a folder path",
    handler: "a/b/c.nested.handler",
    expected: loaded("nested in a/b/c.js"),
  },
  {
    title: "an ES module default export answers file.default",
    handler: "defaultExportEsm.default",
    expected: loaded(42),
  },
  {
    title: "an .mjs ES module",
    handler: "esModule.echo",
    event: 1,
    expected: loaded({ from: "mjs", event: 1 }),
  },
  {
    title: "a .cjs CommonJS module",
    handler: "cjsModule.echo",
    event: 2,
    expected: loaded({ from: "cjs", event: 2 }),
  },
  { title: ".js wins over .mjs", handler: "jsOverMjs.handler", expected: loaded("js") },
  { title: ".mjs wins over .cjs", handler: "mjsOverCjs.handler", expected: loaded("mjs") },
  {
    title: "a folder's index.js through Node's resolution",
    handler: "folderModule.handler",
    expected: loaded("from folderModule/index.js"),
  },
  {
    title: "an ES module .js in a type: module package",
    root: "type-module",
    handler: "esmModule.handler",
    expected: loaded("esm .js in a module package"),
  },
  {
    title: "a .js two folders below a type: module package.json is an ES module",
    root: "type-module",
    handler: "nested/deeper/index.handler",
    expected: loaded(42),
  },
  {
    title: "the task root inside a type: module package still reads it",
    root: "type-module/nested/deeper",
    handler: "index.handler",
    expected: loaded(42),
  },
  {
    title: "CommonJS .js in a type: module package fails as Node fails it",
    root: "type-module",
    handler: "cjsModule.handler",
    expected: fails("ReferenceError", "module is not defined in ES module scope"),
  },
  {
    title: "a CommonJS .js in a type: commonjs package",
    root: "type-commonjs",
    handler: "cjsModule.handler",
    expected: loaded("cjs .js in a commonjs package"),
  },
  {
    title: "an extensionless CommonJS file in a type: commonjs package",
    root: "type-commonjs",
    handler: "extensionless.handler",
    expected: loaded("extensionless CommonJS in a commonjs package"),
  },
  {
    title: "ES module syntax in a type: commonjs .js is Runtime.UserCodeSyntaxError",
    root: "type-commonjs",
    handler: "esmModule.handler",
    expected: fails("Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected token 'export'"),
  },
  {
    title: "ES module syntax in a .js without a module type: Node detects an ES module",
    handler: "esmInCjs.handler",
    expected: loaded("detected as an ES module"),
  },
  {
    title: "CommonJS in an .mjs fails as Node fails it",
    handler: "cjsInMjs.handler",
    expected: fails("ReferenceError", "module is not defined in ES module scope"),
  },
  {
    title: "an ES module importing CommonJS",
    handler: "esmImportsCjs.handler",
    expected: loaded("hello from a required helper"),
  },
  {
    title: "CommonJS requiring CommonJS",
    handler: "cjsRequiresCjs.handler",
    expected: loaded("hello from a required helper"),
  },
  {
    title: "top-level await finishes before the first invocation",
    handler: "asyncInit.handler",
    expected: loaded("initialised"),
  },
  {
    title: "a rejection during init is the init error, with its own type",
    handler: "asyncInitRejection.handler",
    expected: fails("AsyncInitRejection", "init rejected"),
  },
  {
    title: "a callback handler",
    handler: "callback.handler",
    event: { value: 7 },
    expected: loaded({ calledBack: 7 }),
  },
  {
    title: "a module that does not exist is Runtime.ImportModuleError",
    handler: "noModule.echo",
    expected: fails("Runtime.ImportModuleError", "Cannot find module 'noModule'"),
  },
  {
    title: "a package the module requires that is not installed is Runtime.ImportModuleError",
    handler: "requiresMissing.handler",
    expected: fails(
      "Runtime.ImportModuleError",
      "Cannot find module 'a-package-that-is-not-installed'",
    ),
  },
  {
    title: "an export that does not exist is Runtime.HandlerNotFound",
    handler: "nested.deeply.nested.missing",
    expected: fails(
      "Runtime.HandlerNotFound",
      "nested.deeply.nested.missing is undefined or not exported",
    ),
  },
  {
    title: "an export that is not a function is Runtime.HandlerNotFound",
    handler: "core.notFunction",
    expected: fails("Runtime.HandlerNotFound", "core.notFunction is not a function"),
  },
];

const functionFor = (index: number, { root, handler }: HandlerCase): FunctionDefinition => ({
  ...fixture("handler-cases/core.js:echo", { name: `case-${index}`, timeoutSeconds: 30 }),
  codeDir: join(FIXTURES, "handler-cases", root ?? ""),
  handler,
});

const emulator = new Emulator({
  stateDir: stateDir(),
  functions: CASES.map((entry, index) => functionFor(index, entry)),
});
afterAll(() => emulator.stop());

describe("Node.js handler loading, as AWS's runtime interface client does it", () => {
  it.each(CASES.map((entry, index) => [entry.title, index, entry] as const))(
    "%s",
    async (_title, index, { event, expected }) => {
      const result = await emulator.invoke(`case-${index}`, {
        payload: Buffer.from(JSON.stringify(event ?? {})),
      });
      const body = JSON.parse(result.payload.toString("utf8"));
      if ("result" in expected) {
        expect(result.functionError, JSON.stringify(body)).toBeUndefined();
        expect(body).toEqual(expected.result);
      } else {
        expect(result.functionError).toBe("Unhandled");
        expect(body.errorType).toBe(expected.errorType);
        expect(body.errorMessage).toContain(expected.message);
      }
    },
    60_000,
  );
});
