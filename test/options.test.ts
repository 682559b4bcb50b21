import { describe, expect, it } from "vitest";
import { z } from "zod";
import { UsageError } from "../src/errors.js";
import { fieldName, flagName, parseOptions } from "../src/options.js";

const Schema = z
  .strictObject({
    num: z.number().int().min(1, "expected a whole number from 1 to 10,000").default(10),
    maxP95Ms: z.number().min(0, "expected a number ≥ 0").optional(),
    maxP99Ms: z.number().min(0).optional(),
    apply: z
      .strictObject({
        alias: z
          .string()
          .regex(/^[a-z]+$/, "expected an alias name")
          .optional(),
      })
      .optional(),
  })
  .superRefine((options, context) => {
    if (options.maxP95Ms !== undefined && options.maxP99Ms !== undefined)
      context.addIssue({ code: "custom", message: "give {maxP95Ms} or {maxP99Ms}, not both" });
  });

function messageOf(input: unknown, nameOf = fieldName): string {
  try {
    parseOptions(Schema, input, nameOf);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseOptions", () => {
  it("fills the schema's defaults", () => {
    expect(parseOptions(Schema, {})).toEqual({ num: 10 });
  });

  it("names a bad value in the caller's own words", () => {
    expect(messageOf({ num: 0 })).toBe(
      "num 0 is not valid: expected a whole number from 1 to 10,000",
    );
    expect(messageOf({ num: 0 }, flagName)).toBe(
      "--num 0 is not valid: expected a whole number from 1 to 10,000",
    );
    expect(messageOf({ apply: { alias: "A1" } })).toBe(
      'apply.alias "A1" is not valid: expected an alias name',
    );
  });

  it("fills the names in a message about several options", () => {
    expect(messageOf({ maxP95Ms: 1, maxP99Ms: 2 }, flagName)).toBe(
      "give --max-p95-ms or --max-p99-ms, not both",
    );
    expect(messageOf({ maxP95Ms: 1, maxP99Ms: 2 })).toBe("give maxP95Ms or maxP99Ms, not both");
  });

  it("refuses an unknown option and says which was probably meant", () => {
    expect(messageOf({ maxP95ms: 1 })).toBe("unknown option maxP95ms: the closest is maxP95Ms");
    expect(messageOf({ apply: { aliass: "live" } })).toBe(
      "unknown option apply.aliass: the closest is apply.alias",
    );
    expect(messageOf({ zzzzzz: 1 })).toBe("unknown option zzzzzz");
  });

  it("says a required option is missing rather than zod's type message", () => {
    const Required = z.strictObject({ target: z.string() });
    expect(() => parseOptions(Required, {}, flagName)).toThrow(/^--target is required$/);
  });
});
