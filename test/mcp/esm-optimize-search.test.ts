/**
 * esm_optimize's search through the SDK's Client over stdio: given a traffic and a bound it
 * answers what `esm optimize --json` answers, on a template or on one mapping given in AWS's
 * parameters (configs, event_source), beside the checks it always made.
 */
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EsmOptimizeResultSchema } from "../../src/esm/optimize/optimize-result.js";
import { runCli } from "../cli/run-cli.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

const TEMPLATE = join(import.meta.dirname, "../fixtures/esm-optimize/template.yaml");
const TRAFFIC = { rate: 50, arrival: "constant", overheadMs: 50, recordMs: 5, seconds: 600 };

describe("esm_optimize's search over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "esm_optimize", arguments: args })) as CallToolResult;

  it("optimizes a template's mappings as `esm optimize` does, with the checks beside", async () => {
    const result = await call({ template: TEMPLATE, ...TRAFFIC, maxAgeSeconds: 30 });
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const answer = result.structuredContent as Record<string, unknown>;
    const optimization = EsmOptimizeResultSchema.parse(answer.optimization);
    const cli = runCli([
      ...["esm", "optimize", "--template", TEMPLATE, "--rate", "50", "--arrival", "constant"],
      ...[
        "--overhead-ms",
        "50",
        "--record-ms",
        "5",
        "--seconds",
        "600",
        "--max-age-s",
        "30",
        "--json",
        "--quiet",
      ],
    ]);
    const fromCli = EsmOptimizeResultSchema.parse(JSON.parse(cli.stdout));
    expect(optimization.mappings.map((m) => [m.id, m.recommended])).toEqual(
      fromCli.mappings.map((m) => [m.id, m.recommended]),
    );
    expect(
      optimization.mappings.map((m) => m.predicted.recommended?.monthlyUsd.toFixed(4)),
    ).toEqual(fromCli.mappings.map((m) => m.predicted.recommended?.monthlyUsd.toFixed(4)));
    // The checks as before, and where the predictions are.
    expect((answer.summary as { mappings: number }).mappings).toBe(3);
    expect(answer.predictions).toBe(
      "Predicted lag and cost are in optimization: each mapping's current and recommended settings, each simulated, with its p99 age and monthly cost.",
    );
    const sqs = optimization.mappings.find((m) => m.eventSource === "sqs")!;
    expect(summaryOf(result)).toContain(
      `OrderWorker/OrderQueue (SQS, function OrderWorker, line ${sqs.line}): traffic 50 records/s on average`,
    );
  });

  it("optimizes one mapping given in AWS's parameters, named by esm_uuid", async () => {
    const result = await call({
      action: "analyze",
      event_source: "sqs",
      optimization_targets: ["cost", "latency"],
      esm_uuid: "a1b2c3d4-0000-4000-8000-000000000001",
      configs: { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 5 } },
      ...TRAFFIC,
      maxAgeSeconds: 30,
    });
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const answer = result.structuredContent as Record<string, unknown>;
    expect(answer).toMatchObject({ action: "analyze", optimization_targets: ["cost", "latency"] });
    const optimization = EsmOptimizeResultSchema.parse(answer.optimization);
    expect(optimization).toMatchObject({ source: "settings", origin: "the settings given" });
    // Read as settings, not wrapped in a template: nothing is said to be missing from one.
    expect(JSON.stringify(optimization)).not.toContain("template");
    expect(optimization.modelled.map((figure) => figure.name)).toEqual([
      "settings: MemorySize",
      "settings: Architectures",
      "settings: Timeout",
    ]);
    const [mapping] = optimization.mappings;
    expect(mapping).toMatchObject({
      id: "a1b2c3d4-0000-4000-8000-000000000001",
      eventSource: "sqs",
      function: null,
      line: null,
    });
    expect(mapping!.current).toMatchObject({ BatchSize: 1, "ScalingConfig.MaximumConcurrency": 5 });
    expect(mapping!.recommended).not.toBeNull();
    expect(mapping!.predicted.recommended!.ageP99Seconds).toBeLessThan(30);
    // The checks name the same mapping: no partial batch responses.
    expect(
      (answer.mappings as { id: string; findings: { property: string }[] }[])[0],
    ).toMatchObject({
      id: "a1b2c3d4-0000-4000-8000-000000000001",
    });
  });

  it.each([
    [{ template: TEMPLATE, ...TRAFFIC }, "maxAgeSeconds is required"],
    [
      { template: TEMPLATE, maxAgeSeconds: 30, batchMs: 100 },
      "give the traffic: rate or rateProfile (with aws it is read from CloudWatch)",
    ],
    [
      { template: TEMPLATE, aws: true, function: "f", maxAgeSeconds: 30 },
      "give template, aws or settings: one place the mappings come from",
    ],
    [
      { esm_uuid: "abc", rate: 10, maxAgeSeconds: 30 },
      "esm_uuid names a deployed mapping: give aws: true with its function to read it, or its settings in configs (aws lambda get-event-source-mapping prints them), or the template that declares it",
    ],
  ])("refuses %j in one sentence", async (bad, message) => {
    const result = await call(bad);
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toBe(message);
  });
});
