import { describe, expect, it } from "vitest";
import { parseCount, parseNonNegativeNumber, shareOrText } from "../../src/cli/option-parsers.js";
import { UsageError } from "../../src/errors.js";

describe("parseCount", () => {
  it.each([
    ["10000000", 10_000_000],
    ["10,000,000", 10_000_000],
    ["10M", 10_000_000],
    ["10m", 10_000_000],
    ["2.5k", 2_500],
    ["1B", 1_000_000_000],
    ["0", 0],
    [" 7 ", 7],
  ])("reads %j as %d", (text, count) => {
    expect(parseCount("--invocations", text)).toBe(count);
  });

  it.each(["", "ten", "1.5", "2.5001k", "-3", "1e6", "10MB", "1,00"])("refuses %j", (text) => {
    expect(() => parseCount("--invocations", text)).toThrow(UsageError);
  });
});

describe("parseNonNegativeNumber and shareOrText", () => {
  it("reads decimals and refuses anything else", () => {
    expect(parseNonNegativeNumber("--duration-ms", "12.5")).toBe(12.5);
    expect(parseNonNegativeNumber("--duration-ms", ".5")).toBe(0.5);
    for (const bad of ["", "abc", "-1", "Infinity", "NaN", "1e999", "12ms"]) {
      expect(() => parseNonNegativeNumber("--duration-ms", bad), bad).toThrow(/--duration-ms/);
    }
  });

  it("reads shares as fractions or percentages, and leaves anything else as typed for the schema", () => {
    expect(shareOrText("0.05")).toBe(0.05);
    expect(shareOrText("5%")).toBeCloseTo(0.05, 12);
    expect(shareOrText(" 150% ")).toBeCloseTo(1.5, 12);
    expect(shareOrText("five")).toBe("five");
    expect(shareOrText("x%")).toBe("x%");
  });
});
