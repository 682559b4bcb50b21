/** estimate_cost through the SDK's own Client over stdio: the figures, and mistakes as one sentence. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CostEstimateSchema } from "../../src/pricing/cost-estimate.js";
import { BUNDLED_PRICE_TABLE, knownRegions } from "../../src/pricing/price-table.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";

describe("estimate_cost over stdio", () => {
  let client: Client;
  beforeAll(async () => {
    ({ client } = await connectStdio());
  });
  afterAll(async () => {
    await client?.close();
  });

  const call = async (args: Record<string, unknown>) =>
    (await client.callTool({ name: "estimate_cost", arguments: args })) as CallToolResult;

  it("lists the library's option names, three of them required", async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === "estimate_cost");
    expect(tool?.inputSchema.required?.sort()).toEqual(["durationMs", "invocations", "memoryMb"]);
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(["architecture", "region", "coldStartRate", "priceFile"]),
    );
    expect(tool?.inputSchema.properties?.architecture).toMatchObject({
      default: "x86_64",
      description: expect.stringContaining("the other is priced beside it"),
    });
    expect(tool?.outputSchema?.properties).toHaveProperty("monthly");
  });

  it("prices 1,024 MB x 100 ms x 10M on x86_64 in us-east-1 at $18.67 a month, in both forms", async () => {
    const result = await call({ memoryMb: 1024, durationMs: 100, invocations: 10_000_000 });
    expect(result.isError).toBeFalsy();
    const estimate = CostEstimateSchema.parse(result.structuredContent);
    expect(estimate.input).toMatchObject({
      architecture: "x86_64",
      region: "us-east-1",
      ephemeralStorageMb: 512,
      freeTier: false,
    });
    // 1,000,000 GB-s x $0.0000166667 + 10 x $0.20
    expect(estimate.monthly.computeUsd.toFixed(2)).toBe("16.67");
    expect(estimate.monthly.requestsUsd.toFixed(2)).toBe("2.00");
    expect(estimate.monthly.totalUsd.toFixed(2)).toBe("18.67");
    expect(estimate.perInvocationUsd).toBeCloseTo(0.00000186667, 14);
    expect(estimate.alternatives.arm64?.monthly.totalUsd.toFixed(2)).toBe("15.33");
    expect(estimate.prices.date).toBe(BUNDLED_PRICE_TABLE.date);

    const summary = summaryOf(result);
    expect(summary.split("\n")).toEqual([
      "1,024 MB x86_64 in us-east-1, 100 ms (billed 100 ms), 10M invocations a month",
      "Per invocation: $0.0000018667. Per month: $18.67.",
      "On arm64: $15.33 a month — saves $3.33 (17.9%), if the code runs there as fast (measure with `lambda-optimizer tune --arch x86_64,arm64`).",
      `Prices: us-east-1, read ${BUNDLED_PRICE_TABLE.date}. Modelled figures, not measurements.`,
    ]);
  });

  it("prices cold starts and provisioned concurrency from the same names", async () => {
    const result = await call({
      ...{ memoryMb: 1024, durationMs: 100, invocations: 10_000_000, architecture: "arm64" },
      ...{ initDurationMs: 400, coldStartRate: 0.01, provisionedConcurrency: 5 },
    });
    const estimate = CostEstimateSchema.parse(result.structuredContent);
    // 99% at 100 ms + 1% at 500 ms = 104 ms billed on average
    expect(estimate.input.billedDurationMs).toBeCloseTo(104, 10);
    expect(estimate.alternatives.x86_64?.savingUsd).toBeLessThan(0);
    expect(estimate.provisionedConcurrency?.concurrency).toBe(5);
    expect(summaryOf(result)).toContain("With 5 provisioned-concurrency environments: $");
    expect(summaryOf(result)).toContain("On x86_64: ");
  });

  it("prices a region a priceFile models on another, and says so, with the free tier off the bill", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "lo-mcp-price-")), "prices.json");
    const table = structuredClone(BUNDLED_PRICE_TABLE);
    table.regions["ap-southeast-3"] = { priceSet: "ap-southeast-1", modelled: true };
    writeFileSync(file, JSON.stringify(table));
    const result = await call({
      ...{ memoryMb: 1024, durationMs: 100, invocations: 10_000_000 },
      ...{ region: "ap-southeast-3", priceFile: file, freeTier: true },
    });
    expect(result.isError).toBeFalsy();
    const estimate = CostEstimateSchema.parse(result.structuredContent);
    expect(estimate.prices.modelledOn).toBe("ap-southeast-1");
    expect(estimate.monthly.freeTierApplied).toBe(true);
    // 1,000,000 - 400,000 free GB-s; 10M - 1M free requests
    expect(estimate.monthly.billableGbSeconds).toBe(600_000);
    expect(estimate.monthly.billableRequests).toBe(9_000_000);
    expect(summaryOf(result)).toContain(
      "Prices: ap-southeast-3 (modelled on ap-southeast-1), read ",
    );
  });

  it.each([
    [{ memoryMb: 64 }, "memoryMb 64 is not valid: expected a whole number from 128 to 10,240 MB"],
    [
      { durationMs: 1e300 },
      "durationMs 1e+300 is not valid: expected a number from 0 to 900,000 ms",
    ],
    [
      { invocations: 2.5 },
      "invocations 2.5 is not valid: expected a whole number of invocations a month, ≥ 0",
    ],
    [
      { invocations: "10M" },
      'invocations "10M" is not valid: expected a whole number of invocations a month, ≥ 0',
    ],
    [{ architecture: "arm" }, 'architecture "arm" is not valid: expected one of x86_64, arm64'],
    [{ initDurationMs: 400 }, "initDurationMs and coldStartRate go together: give both or neither"],
    [
      { coldStartRate: 1.5, initDurationMs: 400 },
      "coldStartRate 1.5 is not valid: expected a share from 0 to 1 (0.02 for 2%)",
    ],
    [
      { priceFile: "/no/such/prices.json" },
      "priceFile /no/such/prices.json: cannot read it (no such file)",
    ],
    [{ memory: 1024 }, "unknown option memory: the closest is memoryMb"],
  ])(
    "refuses %j in one sentence naming the argument, the value and what is allowed",
    async (bad, message) => {
      const result = await call({
        memoryMb: 1024,
        durationMs: 100,
        invocations: 10_000_000,
        ...bad,
      });
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(summaryOf(result)).toBe(message);
    },
  );

  it("refuses a region the price table does not price, listing the ones it does", async () => {
    const result = await call({
      ...{ memoryMb: 1024, durationMs: 100, invocations: 10_000_000, region: "mars-1" },
    });
    expect(result.isError).toBe(true);
    expect(summaryOf(result)).toBe(
      `region "mars-1" is not valid: expected a region the price table has: one of ${knownRegions(BUNDLED_PRICE_TABLE).join(", ")} (or a priceFile that covers it)`,
    );
  });

  it("prices streamedBytes through the same schema: (8 MB − 6 MB) x 1M / 1,024 GB x $0.008 = $15.625", async () => {
    const result = await call({
      ...{ memoryMb: 512, durationMs: 200, invocations: 1_000_000, streamedBytes: 8 * 1024 ** 2 },
    });
    expect(result.isError).toBeFalsy();
    const estimate = CostEstimateSchema.parse(result.structuredContent);
    expect(estimate.streaming?.monthlyUsd).toBe(15.625);
    expect(summaryOf(result)).toContain(
      "Response streaming (8 MB streamed, 2 MB beyond the free 6 MB): $15.63 a month of it.",
    );
    const tooMuch = await call({
      ...{ memoryMb: 512, durationMs: 200, invocations: 1, streamedBytes: 1.5 },
    });
    expect(tooMuch.isError).toBe(true);
    expect(summaryOf(tooMuch)).toMatch(
      /^streamedBytes 1\.5 is not valid: expected a whole number of bytes/,
    );
  });

  it("says a required argument is missing, and serves on", async () => {
    const missing = (await client.callTool({
      name: "estimate_cost",
      arguments: { memoryMb: 1024, invocations: 1000 },
    })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(summaryOf(missing)).toBe("durationMs is required");
    const after = await call({ memoryMb: 2048, durationMs: 50, invocations: 1_000_000 });
    // 1,000,000 x 2 GB x 0.05 s = 100,000 GB-s x $0.0000166667 + $0.20
    expect(CostEstimateSchema.parse(after.structuredContent).monthly.totalUsd).toBeCloseTo(
      100_000 * 0.0000166667 + 0.2,
      8,
    );
  });
});
