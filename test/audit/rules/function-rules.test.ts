import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FUNCTION_RULES } from "../../../src/audit/rules/function-rules.js";

describe("FUNCTION_RULES", () => {
  it("lists fourteen rules with unique ids, a docs page and a test each", () => {
    const ids = FUNCTION_RULES.map((rule) => rule.meta.id);
    expect([...ids].sort()).toEqual([
      "api-timeout-mismatch",
      "async-no-failure-destination",
      "env-var-unset",
      "eol-runtime",
      "lambda-permission-multiple-principals",
      "log-retention",
      "provisioned-concurrency-async",
      "reserved-concurrency",
      "secrets-in-env",
      "slow-start-sync",
      "snapstart-candidate",
      "snapstart-incompatible",
      "snapstart-unpublished",
      "tracing-disabled",
    ]);
    for (const rule of FUNCTION_RULES) {
      expect(existsSync(rule.meta.docs), rule.meta.docs).toBe(true);
      expect(rule.meta.docs, rule.meta.id).toBe(`docs/rules/${rule.meta.id}.md`);
      expect(existsSync(`test/audit/rules/${rule.meta.id}.test.ts`), rule.meta.id).toBe(true);
    }
  });
});
