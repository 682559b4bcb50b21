/** esm_simulate through the SDK's own Client over stdio: its schemas, a run, and mistakes as one sentence. */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EsmSimulationResultSchema } from "../../src/esm/simulation/simulation-result.js";
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
});
