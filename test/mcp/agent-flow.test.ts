/**
 * The "done when", as an agent would live it: with only this MCP
 * server, over stdio, take the optimize-function prompt for a project's
 * handler and make every call it writes, in its order — invoke locally,
 * measure the runs, audit the project, tune, price the result, plan its billing — reading each
 * answer's figures the way the prompt says to. The project is a copy of
 * examples/io-bound in a folder of its own, so the emulator's logs and the
 * saved run land there.
 */
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlanResultSchema } from "../../src/planning/plan-result.js";
import type { CostEstimate } from "../../src/pricing/cost-estimate.js";
import type { TuneResult } from "../../src/tuning/tune-result.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";
import { callsIn, FILLED, type PromptCall } from "../support/prompt-calls.js";

const EXAMPLE = new URL("../../examples/io-bound/", import.meta.url);
const HANDLER = "orders/handler.mjs:handler";

describe("an agent following the optimize-function prompt with only this server", () => {
  let project: string;
  let client: Client;
  let calls: PromptCall[];

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), "lo-mcp-agent-"));
    await cp(EXAMPLE, join(project, "orders"), { recursive: true });
    ({ client } = await connectStdio({ cwd: project }));
    const prompt = await client.getPrompt({
      name: "optimize-function",
      arguments: { handler: HANDLER },
    });
    const content = prompt.messages[0]!.content;
    calls = callsIn(content.type === "text" ? content.text : "");
  });
  afterAll(async () => {
    await client?.close();
    await rm(project, { recursive: true, force: true });
  });

  async function make(tool: string): Promise<CallToolResult> {
    const call = calls.find((candidate) => candidate.tool === tool);
    expect(call, `the prompt calls ${tool}`).toBeDefined();
    const result = (await client.callTool(
      { name: tool, arguments: call!.args },
      undefined,
      // A tune on a busy machine reports progress per configuration; each resets the clock.
      { timeout: 120_000, resetTimeoutOnProgress: true, onprogress: () => {} },
    )) as CallToolResult;
    expect(result.isError, `${tool}: ${summaryOf(result)}`).toBeFalsy();
    return result;
  }

  it("measures, audits, tunes, prices and plans the function, each step with figures", async () => {
    expect(calls.map((call) => call.tool)).toEqual([
      "invoke_local",
      "get_metrics",
      "audit",
      "power_tune",
      "estimate_cost",
      "plan_billing",
    ]);

    // 1. Measure: a few local runs, then the metrics of all of them.
    for (let run = 0; run < 3; run += 1) {
      const invoked = (await make("invoke_local")).structuredContent as {
        payload: { items: number };
        report: { durationMs: number; memorySizeMb: number };
      };
      expect(invoked.payload.items).toBe(200);
      // The event asked for a 60 ms downstream wait, which the run cannot beat.
      expect(invoked.report.durationMs).toBeGreaterThanOrEqual(60);
      expect(invoked.report.memorySizeMb).toBe(128);
    }
    const metrics = (await make("get_metrics")).structuredContent as {
      functions: { invocations: number; memorySizeMb: number; durationMs: { p50: number } }[];
    };
    expect(metrics.functions).toHaveLength(1);
    expect(metrics.functions[0]!.invocations).toBe(3);
    expect(metrics.functions[0]!.memorySizeMb).toBe(128);
    expect(metrics.functions[0]!.durationMs.p50).toBeGreaterThanOrEqual(60);

    // 2. Audit the handler's folder: its template is read and its findings named by file and line.
    const audited = (await make("audit")).structuredContent as {
      findings: { file: string; line: number; rule: string }[];
    };
    expect(audited.findings.length).toBeGreaterThan(0);
    expect(audited.findings.every((finding) => finding.file.startsWith("orders/"))).toBe(true);

    // 3. Tune: an I/O-bound function gains nothing from memory, so the cheapest size wins.
    const tuned = (await make("power_tune")).structuredContent as TuneResult;
    expect(tuned.results.map((row) => row.memoryMb)).toEqual([128, 256, 512, 1024, 1769, 3008]);
    expect(tuned.results.every((row) => row.status === "ok")).toBe(true);
    expect(tuned.recommendation?.memoryMb).toBe(128);
    expect(await readdir(join(project, ".lambda-optimizer", "runs"))).toHaveLength(1);

    // 4. Plan: price the recommendation at its measured mean (billed) duration.
    const winner = tuned.results.find((row) => row.memoryMb === 128)!;
    const priced = calls.find((call) => call.tool === "estimate_cost")!;
    priced.args.memoryMb = winner.memoryMb;
    priced.args.architecture = winner.architecture;
    priced.args.durationMs = winner.billedDurationMs.mean;
    const estimate = (await make("estimate_cost")).structuredContent as CostEstimate;
    const invocations = FILLED.invocations as number;
    expect(estimate.input.invocations).toBe(invocations);
    // The tuner priced each invocation at its own billed duration, the estimate their mean
    // rounded up to the next millisecond: of 60-odd, the two agree to a few percent.
    expect(estimate.perInvocation.totalUsd / winner.costPerInvocationUsd).toBeGreaterThan(0.97);
    expect(estimate.perInvocation.totalUsd / winner.costPerInvocationUsd).toBeLessThan(1.03);

    // And how to pay for the traffic: the user's profile (here a day of a request every
    // ten minutes) priced on each billing model at the tuned memory and duration.
    const start = Date.UTC(2026, 10, 16);
    const rows = Array.from(
      { length: 1_440 },
      (_, minute) =>
        `${new Date(start + minute * 60_000).toISOString()},${minute % 10 === 0 ? 1 : 0}`,
    );
    await writeFile(
      join(project, FILLED.trafficFile as string),
      `timestamp,invocations\n${rows.join("\n")}\n`,
    );
    const planned = calls.find((call) => call.tool === "plan_billing")!;
    planned.args.memoryMb = winner.memoryMb;
    planned.args.architecture = winner.architecture;
    planned.args.durationMs = winner.durationMs.mean;
    const plan = PlanResultSchema.parse((await make("plan_billing")).structuredContent);
    expect(plan.profile.invocations).toBe(144);
    expect(plan.function.memoryMb).toBe(128);
    // A request every ten minutes leaves 90% of minutes idle: the guide's infrequent row, on demand.
    expect(plan.shape.pattern).toBe("infrequent");
    expect(plan.recommendation.model).toBe("on-demand");
  });
});
