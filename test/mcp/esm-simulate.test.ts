/** esm_simulate through the SDK's own Client over stdio: its schemas, a run, and mistakes as one sentence. */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EsmSimulationResultSchema } from "../../src/esm/simulation/simulation-result.js";
import { runCli } from "../cli/run-cli.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

describe("esm_simulate over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "esm_simulate", arguments: args })) as CallToolResult;

  it("lists the library's option names, read-only, with the simulation result as its output", async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === "esm_simulate");
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true });
    expect(tool?.description).toContain("Use esm_optimize to search the settings");
    expect(tool?.inputSchema.required).toEqual(["source"]);
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining([
        "source",
        "rate",
        "rateProfile",
        "batchSize",
        "windowSeconds",
        "maxConcurrency",
        "shards",
        "parallelization",
        "partitions",
        "pollers",
        "batchMs",
        "recordMs",
        "overheadMs",
        "tuneFile",
        "seed",
        "maxEvents",
      ]),
    );
    expect(tool?.inputSchema.properties?.seed).toMatchObject({ default: 1 });
    expect(Object.keys(tool?.outputSchema?.properties ?? {})).toEqual(
      expect.arrayContaining([
        "processed",
        "backlogEnd",
        "invocations",
        "ageP50Seconds",
        "ageP99Seconds",
        "maxAgeSeconds",
        "concurrencyMax",
        "throttles",
        "periodUsd",
        "monthlyUsd",
        "timeline",
      ]),
    );
  });

  it.each([
    [
      { source: "sqs", rate: 0, batchMs: 50 },
      "rate 0 is not valid: expected records per second above 0",
    ],
    [
      { source: "sqs", rate: 10, batchMs: 50, windowSeconds: 301 },
      "windowSeconds 301 is not valid: expected a whole number of seconds from 0 to 300",
    ],
    [
      { source: "kinesis", rate: 10, batchMs: 50, parallelization: 11 },
      "parallelization 11 is not valid: expected a whole number from 1 to 10",
    ],
    [
      { source: "nats", rate: 10 },
      'source "nats" is not valid: expected one of sqs, kinesis, dynamodb, kafka',
    ],
    [{ source: "sqs", rate: 10, batchSiz: 5 }, "unknown option batchSiz: the closest is batchSize"],
  ])("refuses %j in one sentence naming the argument", async (bad, message) => {
    const result = await call(bad);
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(summaryOf(result)).toBe(message);
  });

  it("runs the same simulation `esm simulate --json` runs, with the figures in its summary", async () => {
    const args = {
      source: "sqs",
      rate: 100,
      arrival: "constant",
      seconds: 600,
      batchSize: 10,
      batchMs: 1000,
      maxConcurrency: 2,
    };
    const result = await call(args);
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const run = EsmSimulationResultSchema.parse(result.structuredContent);
    const cli = runCli([
      ...[
        "esm",
        "simulate",
        "--source",
        "sqs",
        "--rate",
        "100",
        "--arrival",
        "constant",
        "--seconds",
        "600",
      ],
      ...["--batch-size", "10", "--batch-ms", "1000", "--max-concurrency", "2", "--json"],
    ]);
    expect(JSON.parse(cli.stdout)).toEqual(
      JSON.parse(
        JSON.stringify(run, (_key, value) =>
          typeof value === "number" ? Number(value.toPrecision(15)) : value,
        ),
      ),
    );
    // 2 batches of 10 a second: 20 records/s of the 100 arriving.
    expect(Math.abs(run.processed - 12_000)).toBeLessThan(240);
    const summary = summaryOf(result).split("\n");
    expect(summary[0]).toBe(
      "SQS mapping, 10 minutes simulated (seed 1, " +
        summary[0]!.match(/seed 1, (.*?) events/)![1] +
        " events): 60,000 records arrived.",
    );
    expect(summary[2]).toContain(
      `Records processed: ${run.processed.toLocaleString("en-US")}; Backlog at the end: ${run.backlogEnd.toLocaleString("en-US")}`,
    );
    expect(summary[2]).toContain("Peak concurrency: 2");
  });
});
