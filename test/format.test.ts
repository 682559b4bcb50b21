import { describe, expect, it } from "vitest";
import { formatMs, formatPercent } from "../src/format.js";

describe("formatPercent: one form for every share the product prints", () => {
  it.each([
    [0.4123, "41%"],
    [0.2, "20%"],
    [0.053, "5.3%"],
    [0.05, "5%"],
    [0.0042, "0.42%"],
    [0, "0%"],
    [12.345, "1,235%"],
  ])("%f -> %s", (share, text) => {
    expect(formatPercent(share)).toBe(text);
  });

  it("takes a fixed precision where a column of changes or a user's threshold wants one", () => {
    expect(formatPercent(0.12345, 1)).toBe("12.3%");
    expect(formatPercent(0.125, 2)).toBe("12.5%");
    expect(formatPercent(0.199998, 0)).toBe("20%");
  });
});

describe("formatMs: one form for every duration the product prints", () => {
  it.each([
    [1234.4, "1,234"],
    [100, "100"],
    [56.84, "56.8"],
    [3.4167, "3.42"],
    [0.5, "0.5"],
  ])("%f -> %s", (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
