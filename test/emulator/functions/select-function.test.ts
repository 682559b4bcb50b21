import { describe, expect, it } from "vitest";
import type { FunctionDefinition } from "../../../src/emulator/functions/function-definition.js";
import { selectFunction } from "../../../src/emulator/functions/select-function.js";
import { UsageError } from "../../../src/errors.js";

function definition(name: string, logicalId?: string): FunctionDefinition {
  return {
    name,
    ...(logicalId === undefined ? {} : { logicalId }),
    runtime: "nodejs22.x",
    handler: "app.handler",
    codeDir: "/code",
    memoryMb: 128,
    timeoutSeconds: 3,
    environment: {},
    architecture: "x86_64",
    ephemeralStorageMb: 512,
    logFormat: "Text",
    description: "",
  };
}

describe("selectFunction", () => {
  const functions = [
    definition("dev-hello", "HelloFunction"),
    definition("Orders", "Orders"),
    definition("app"),
  ];

  it("finds a function by name or by logical id", () => {
    expect(selectFunction(functions, "dev-hello").logicalId).toBe("HelloFunction");
    expect(selectFunction(functions, "HelloFunction").name).toBe("dev-hello");
    expect(selectFunction(functions, "app").name).toBe("app");
  });

  it("prefers a name over another function's logical id", () => {
    const clash = [definition("x", "Shared"), definition("Shared", "Other")];
    expect(selectFunction(clash, "Shared").logicalId).toBe("Other");
  });

  it("lists what there is when the name is unknown", () => {
    expect(() => selectFunction(functions, "hello")).toThrow(UsageError);
    expect(() => selectFunction(functions, "hello")).toThrow(
      'no function "hello": expected one of dev-hello (HelloFunction), Orders, app',
    );
    expect(() => selectFunction([], "hello")).toThrow(
      /there are no functions that can run locally/,
    );
  });
});
