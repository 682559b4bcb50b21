/**
 * The optimize-function prompt tells an agent which tool to call with which
 * arguments. Each call it writes, with its placeholders filled as an agent
 * would fill them, must be one the tool accepts: checked here through the
 * tool's own input schema, for each kind of function the prompt takes, so the
 * prompt cannot drift from the tools.
 */
import { describe, expect, it } from "vitest";
import { optimizeFunctionPrompt } from "../../src/mcp/prompts.js";
import { TOOLS } from "../../src/mcp/tools/index.js";
import { fieldName, parseOptions } from "../../src/options.js";
import { callsIn } from "../support/prompt-calls.js";

const FUNCTIONS = {
  handler: { handler: "examples/io-bound/handler.mjs:handler" },
  template: { template: "examples/io-bound/template.yaml", function: "OrderLookup" },
  deployed: { functionName: "orders", region: "eu-west-1" },
};

describe("the optimize-function prompt's calls", () => {
  for (const [kind, input] of Object.entries(FUNCTIONS)) {
    it(`are each accepted by the tool they name, for a ${kind} function`, () => {
      const text = optimizeFunctionPrompt(input).messages[0]!.content;
      if (text.type !== "text") throw new Error("the prompt is text");
      const calls = callsIn(text.text);
      const expected =
        kind === "deployed"
          ? ["get_metrics", "audit", "power_tune", "estimate_cost", "plan_billing"]
          : ["invoke_local", "get_metrics", "audit", "power_tune", "estimate_cost", "plan_billing"];
      expect(calls.map((call) => call.tool)).toEqual(expected);
      for (const call of calls) {
        const tool = TOOLS.find((candidate) => candidate.name === call.tool);
        expect(tool, call.tool).toBeDefined();
        expect(
          () => parseOptions(tool!.input, call.args, fieldName),
          `${call.tool} ${JSON.stringify(call.args)}`,
        ).not.toThrow();
      }
    });
  }
});
