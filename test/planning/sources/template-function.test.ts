/**
 * A function's facts from a SAM or CloudFormation template (the fixtures in
 * test/fixtures/plan/): Globals applied, literals only, and a template or a
 * name that does not fit refused in one line naming the file.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { functionFromTemplate } from "../../../src/planning/sources/template-function.js";
import { TemplateError } from "../../../src/template/template-error.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/plan");
const TEMPLATE = join(FIXTURES, "template.yaml");

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("functionFromTemplate", () => {
  it("reads a SAM function's own values over Globals, and the Globals it does not override", () => {
    expect(functionFromTemplate(TEMPLATE, "OrdersFunction")).toEqual({
      memoryMb: 1024, // its own, over Globals' 512
      architecture: "arm64", // from Globals
      runtime: "python3.12", // from Globals
      ephemeralStorageMb: 2048,
    });
  });

  it("finds a function by its FunctionName too", () => {
    expect(functionFromTemplate(TEMPLATE, "orders").memoryMb).toBe(1024);
  });

  it("leaves a value behind an intrinsic to the traffic or the options", () => {
    // MemorySize: !Ref OrdersMemory is known once deployed; Runtime is its own.
    expect(functionFromTemplate(TEMPLATE, "ReportsFunction")).toEqual({
      architecture: "arm64",
      runtime: "java21",
    });
  });

  it("reads an AWS::Lambda::Function, which Globals do not reach, with a number written as a string", () => {
    expect(functionFromTemplate(TEMPLATE, "LegacyFunction")).toEqual({
      memoryMb: 256,
      runtime: "nodejs20.x",
    });
  });

  it("lists the template's functions for a name it does not have, with the closest", () => {
    expect(refusal(() => functionFromTemplate(TEMPLATE, "OrderFunction"))).toBe(
      `${TEMPLATE}: no function "OrderFunction": expected the logical id of one of OrdersFunction, ReportsFunction, LegacyFunction (did you mean OrdersFunction?)`,
    );
    expect(refusal(() => functionFromTemplate(TEMPLATE, "OrdersTable"))).toBe(
      `${TEMPLATE}: no function "OrdersTable": expected the logical id of one of OrdersFunction, ReportsFunction, LegacyFunction`,
    );
    const noFunctions = join(FIXTURES, "no-functions.yaml");
    expect(refusal(() => functionFromTemplate(noFunctions, "OrdersFunction"))).toBe(
      `${noFunctions}: no function "OrdersFunction": the template defines no AWS::Serverless::Function or AWS::Lambda::Function`,
    );
  });

  it("refuses a literal Lambda would refuse, at the line that sets it", () => {
    const badMemory = join(FIXTURES, "bad-memory.yaml");
    expect(refusal(() => functionFromTemplate(badMemory, "TinyFunction"))).toBe(
      `${badMemory}:4:5: TinyFunction: MemorySize 64 is not valid: expected a whole number from 128 to 10,240 MB`,
    );
    const badArchitecture = join(FIXTURES, "bad-architecture.yaml");
    expect(refusal(() => functionFromTemplate(badArchitecture, "ArmFunction"))).toBe(
      `${badArchitecture}:7:7: ArmFunction: Architectures "aarch64" is not valid: expected x86_64 or arm64`,
    );
  });

  it("refuses a template it cannot read as a TemplateError naming the file", () => {
    const missing = join(FIXTURES, "missing.yaml");
    let error: unknown;
    try {
      functionFromTemplate(missing, "OrdersFunction");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toBe(`${missing}: cannot read the template (no such file)`);
    const malformed = join(import.meta.dirname, "../../fixtures/templates/malformed.template");
    expect(refusal(() => functionFromTemplate(malformed, "Any"))).toBe(
      `${malformed}:7:7: not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
    const list = join(import.meta.dirname, "../../fixtures/templates/not-a-mapping.yaml");
    expect(refusal(() => functionFromTemplate(list, "Any"))).toBe(
      `${list}:1:1: not a template: expected a mapping at the top (AWSTemplateFormatVersion, Parameters, Resources, ...)`,
    );
  });
});
