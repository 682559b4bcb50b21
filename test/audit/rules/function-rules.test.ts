import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FUNCTION_RULES } from "../../../src/audit/rules/function-rules.js";

describe("FUNCTION_RULES", () => {
  it("lists twelve rules with unique ids, a docs page and a test each", () => {
    const ids = FUNCTION_RULES.map((rule) => rule.meta.id);
    expect(new Set(ids).size).toBe(12);
    for (const rule of FUNCTION_RULES) {
      expect(existsSync(rule.meta.docs), rule.meta.docs).toBe(true);
      expect(existsSync(`test/audit/rules/${rule.meta.id}.test.ts`), rule.meta.id).toBe(true);
    }
  });
});
