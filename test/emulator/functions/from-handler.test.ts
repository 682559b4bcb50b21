import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  functionFromHandlerSpec,
  localFunctionFromHandlerSpec,
  localFunctionName,
} from "../../../src/emulator/functions/from-handler.js";
import { UsageError } from "../../../src/errors.js";

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "handler-spec-"));
  mkdirSync(join(root, "src"));
  mkdirSync(join(root, "custom"));
  for (const file of [
    "src/handler.mjs",
    "src/fn.ts",
    "app.py",
    "index.cjs",
    "my.handler.js",
    "notes.txt",
  ]) {
    writeFileSync(join(root, file), "");
  }
  writeFileSync(join(root, "custom/bootstrap"), "#!/bin/sh\n");
  chmodSync(join(root, "custom/bootstrap"), 0o755);
  mkdirSync(join(root, "plain"));
  writeFileSync(join(root, "plain/bootstrap"), "#!/bin/sh\n");
  chmodSync(join(root, "plain/bootstrap"), 0o644);
});

const spec = (path: string) => join(root, path);

describe("functionFromHandlerSpec", () => {
  it.each([
    ["src/handler.mjs:handler", "nodejs22.x", "handler.handler", "src", "handler"],
    ["src/handler.mjs", "nodejs22.x", "handler.handler", "src", "handler"],
    ["src/fn.ts:main", "nodejs22.x", "fn.main", "src", "fn"],
    ["index.cjs:handlers.get", "nodejs22.x", "index.handlers.get", "", "index"],
    ["app.py:lambda_handler", "python3.12", "app.lambda_handler", "", "app"],
    ["app.py", "python3.12", "app.lambda_handler", "", "app"],
    ["app.py:process", "python3.12", "app.process", "", "app"],
    ["custom/bootstrap", "provided.al2023", "bootstrap", "custom", "custom"],
  ])("reads %s", (text, runtime, handler, folder, name) => {
    expect(functionFromHandlerSpec(spec(text))).toEqual({
      name,
      runtime,
      handler,
      codeDir: join(root, folder),
      memoryMb: 128,
      timeoutSeconds: 3,
      environment: {},
      architecture: "x86_64",
      ephemeralStorageMb: 512,
      logFormat: "Text",
      description: "",
    });
  });

  it("applies overrides, checked against Lambda's ranges", () => {
    const definition = functionFromHandlerSpec(spec("app.py"), {
      memoryMb: 1769,
      architecture: "arm64",
      environment: { A: "1" },
      name: "checkout",
      timeoutSeconds: undefined,
    });
    expect(definition).toMatchObject({
      name: "checkout",
      memoryMb: 1769,
      timeoutSeconds: 3,
      architecture: "arm64",
      environment: { A: "1" },
    });
    expect(() => functionFromHandlerSpec(spec("app.py"), { memoryMb: 64 })).toThrow(
      /memory 64 is not valid: expected a whole number from 128 to 10,240 MB/,
    );
  });

  it.each([
    ["missing.mjs:handler", /no such file .*missing\.mjs/],
    [
      "notes.txt",
      /cannot tell the runtime of notes\.txt: expected a \.js, \.mjs, \.cjs, \.ts, \.mts, \.cts or \.py file, or an executable named bootstrap/,
    ],
    ["my.handler.js", /Lambda cannot load a handler from my\.handler\.js/],
    ["app.py:handlers.get", /"handlers\.get" is not a Python function name/],
    ["plain/bootstrap", /is not executable; run chmod \+x/],
    ["src", /is a folder/],
  ])("refuses %s with a usage error naming it", (text, message) => {
    expect(() => functionFromHandlerSpec(spec(text))).toThrow(UsageError);
    expect(() => functionFromHandlerSpec(spec(text))).toThrow(message);
    expect(() => functionFromHandlerSpec(spec(text))).toThrow(
      `handler ${JSON.stringify(spec(text))}`,
    );
  });
});

describe("localFunctionFromHandlerSpec", () => {
  it("names a handler from its path, so two projects' handler.mjs are two functions", () => {
    const io = localFunctionFromHandlerSpec(spec("src/handler.mjs:handler"), root);
    expect(io.handlerPath).toBe("src/handler.mjs:handler");
    expect(io.definition).toMatchObject({ name: "src-handler", handler: "handler.handler" });
    expect(localFunctionFromHandlerSpec(spec("src/fn.ts:main"), root)).toMatchObject({
      handlerPath: "src/fn.ts:main",
      definition: { name: "src-fn-main" },
    });
    expect(localFunctionFromHandlerSpec(spec("app.py"), root)).toMatchObject({
      handlerPath: "app.py:lambda_handler",
      definition: { name: "app" },
    });
    expect(localFunctionFromHandlerSpec(spec("custom/bootstrap"), root)).toMatchObject({
      handlerPath: "custom/bootstrap",
      definition: { name: "custom-bootstrap" },
    });
    // Outside the folder: named by its folder and file, wherever the run starts.
    const outside = localFunctionFromHandlerSpec(spec("src/handler.mjs"), join(root, "custom"));
    expect(outside.handlerPath).toBe("../src/handler.mjs:handler");
    expect(outside.definition.name).toBe("src-handler");
  });

  it("keeps names within Lambda's 64 characters, from the end of the path", () => {
    expect(localFunctionName(`/p/${"deep/".repeat(20)}app.mjs`, "/p", undefined, "handler")).toBe(
      `${"deep-".repeat(12)}app`.slice(-64),
    );
  });
});
