/**
 * power_tune through the SDK's own Client over stdio, as an agent calls it:
 * a local handler tuned on the embedded emulator (the I/O-bound example picks
 * 128 MB, with a progress notification per configuration), and a deployed
 * function served by `lambda-optimizer emulate` over real HTTP (refused
 * without --allow-write; cancelled mid-run with it, after which the function
 * is exactly as it was).
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult, Progress } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { connectStdio, summaryOf } from "../support/mcp-client.js";
import {
  CREDENTIALS,
  type EmulatedAccount,
  startEmulatedAccount,
  until,
} from "../tuning/emulated-account.js";

const IO_BOUND = fileURLToPath(
  new URL("../../examples/io-bound/handler.mjs:handler", import.meta.url),
);
const workdir = () => mkdtempSync(join(tmpdir(), "lo-mcp-tune-"));
/** Text as a person reads it, whatever the line wrapping. */
const flat = (text: string) => text.replace(/\s+/g, " ");

async function callPowerTune(
  client: Client,
  args: Record<string, unknown>,
  options: { onprogress?: (progress: Progress) => void; signal?: AbortSignal } = {},
): Promise<CallToolResult> {
  // Tuning takes longer than the SDK's 60 s default on a busy machine; progress keeps it alive too.
  return (await client.callTool({ name: "power_tune", arguments: args }, undefined, {
    timeout: 600_000,
    resetTimeoutOnProgress: true,
    ...options,
  })) as CallToolResult;
}

describe("power_tune on the embedded emulator", () => {
  let client: Client;
  const cwd = workdir();
  beforeAll(async () => {
    ({ client } = await connectStdio({ cwd }));
  });
  afterAll(async () => {
    await client?.close();
  });

  it("picks 128 MB for the I/O-bound example, telling the client each configuration", async () => {
    const progress: Progress[] = [];
    const result = await callPowerTune(
      client,
      {
        target: { handler: IO_BOUND },
        // Power Tuning's names; payload as JSON text, as Power Tuning takes it.
        powerValues: [128, 512, 2048],
        num: 5,
        payload: '{"latencyMs":60}',
      },
      { onprogress: (event) => progress.push(event) },
    );
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const tuned = TuneResultSchema.parse(result.structuredContent);
    expect(tuned.target).toMatchObject({ kind: "local", functionName: "io-bound-handler" });
    expect(tuned.settings).toMatchObject({ memoryMb: [128, 512, 2048], num: 5, strategy: "cost" });
    expect(tuned.recommendation).toMatchObject({ memoryMb: 128, strategy: "cost" });
    const [small, , large] = tuned.results;
    for (const configuration of tuned.results) {
      expect(configuration).toMatchObject({ status: "ok", invocations: 5, errors: 0 });
      // The payload reached the handler as the object its text holds: it waited 60 ms each time.
      expect(configuration.durationMs.p50).toBeGreaterThanOrEqual(60);
    }
    // Waiting costs as much per millisecond at 16 times the memory, and is not shorter for it.
    expect(large!.costPerInvocationUsd).toBeGreaterThan(small!.costPerInvocationUsd);

    // A notification as each configuration starts (a whole number), one per invocation within
    // it (a share of the next), then one as the function is put back; always rising.
    const starts = progress.filter((event) => Number.isInteger(event.progress));
    expect(starts.map((event) => [event.progress, event.total, event.message])).toEqual([
      [0, 3, "measuring 128 MB x86_64 (1 of 3)"],
      [1, 3, "measuring 512 MB x86_64 (2 of 3)"],
      [2, 3, "measuring 2,048 MB x86_64 (3 of 3)"],
      [3, 3, "measured; putting the function back as it was"],
    ]);
    const values = progress.map((event) => event.progress);
    expect(values.every((value, index) => index === 0 || value > values[index - 1]!)).toBe(true);
    // Each configuration: a warm-up and 5 samples.
    const invocations = progress.filter((event) => /: \d+ invocations$/.test(event.message ?? ""));
    expect(invocations).toHaveLength(18);
    expect(invocations[5]!.message).toBe("measuring 128 MB x86_64 (1 of 3): 6 invocations");

    // The summary: the recommendation, then a line per configuration with its p95 and cost.
    const summary = summaryOf(result);
    expect(summary).toMatch(/^Recommended: 128 MB x86_64\n/);
    const lines = summary.split("\n");
    const listed = lines.slice(lines.indexOf("Configurations:") + 1, -1);
    expect(listed).toHaveLength(3);
    expect(listed[0]).toMatch(
      /^ {2}128 MB x86_64: p95 [\d.,]+ ms, \$0\.\d+ per invocation \(5 invocations\)$/,
    );
    expect(listed[2]).toContain("2,048 MB x86_64: p95 ");
    // Kept as `tune` keeps every run, where compare_runs and the resources find it.
    const runs = readdirSync(join(cwd, ".lambda-optimizer", "runs"));
    expect(runs).toEqual([
      expect.stringMatching(/^\d{8}T\d{6}-[0-9a-f]{6}-io-bound-handler\.json$/),
    ]);
    expect(lines.at(-1)).toBe(`Saved ${join(".lambda-optimizer", "runs", runs[0]!)}`);
    expect(readdirSync(join(cwd, ".lambda-optimizer", "journal"))).toEqual([]);
  });

  it("reads Power Tuning's weighted payload and onlyColdStarts as Power Tuning does", async () => {
    const result = await callPowerTune(client, {
      target: { handler: IO_BOUND },
      powerValues: [256],
      num: 2,
      onlyColdStarts: true,
      payload: [
        { payload: { latencyMs: 10 }, weight: 1 },
        { payload: '{"latencyMs":30}', weight: 1 },
      ],
    });
    expect(result.isError, summaryOf(result)).toBeFalsy();
    const tuned = TuneResultSchema.parse(result.structuredContent);
    // Every cold start counts (discard 0), and the two events share the two invocations.
    expect(tuned.settings).toMatchObject({ onlyColdStarts: true, discard: 0, payloads: 2 });
    const [configuration] = tuned.results;
    expect(configuration).toMatchObject({ memoryMb: 256, status: "ok", coldStart: null });
    expect(configuration!.samples.every((sample) => sample.initDurationMs !== null)).toBe(true);
    const durations = configuration!.samples
      .map((sample) => sample.durationMs)
      .sort((a, b) => a - b);
    expect(durations[0]).toBeGreaterThanOrEqual(10);
    expect(durations[1]).toBeGreaterThanOrEqual(30);
  });

  it("answers a bad argument with one sentence, and keeps serving", async () => {
    const refusal = async (args: Record<string, unknown>) => {
      const result = await callPowerTune(client, args);
      expect(result.isError).toBe(true);
      return summaryOf(result);
    };
    expect(await refusal({ target: { handler: IO_BOUND }, powerValues: [64] })).toBe(
      'powerValues.0 64 is not valid: expected "ALL" or a list of memory sizes, each a whole number from 128 to 10,240 MB',
    );
    expect(
      await refusal({ target: { handler: IO_BOUND }, powerValues: [128], memorySizes: [256] }),
    ).toBe("give powerValues (Power Tuning's name) or memorySizes, not both");
    expect(await refusal({ powerValues: [128] })).toBe(
      "give the function to tune: target (handler, template or functionName), or lambdaARN",
    );
    expect(await refusal({ target: { handler: IO_BOUND }, strategy: "slo" })).toBe(
      "strategy slo needs a bound: maxP95Ms or maxP99Ms, in milliseconds",
    );
    expect(await refusal({ target: { handler: IO_BOUND }, numm: 3 })).toBe(
      "unknown option numm: the closest is num",
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain("power_tune");
  });
});

/** Functions `lambda-optimizer emulate` serves: a deployed function as the tuner meets one. */
function template(): string {
  const fn = (name: string) =>
    [
      `  ${name}:`,
      "    Type: AWS::Serverless::Function",
      "    Properties:",
      `      FunctionName: ${name}`,
      `      CodeUri: ${join(FIXTURES, "node-faults")}`,
      "      Handler: index.ok",
      "      Runtime: nodejs22.x",
      "      MemorySize: 1024",
      "      Description: original description",
    ].join("\n");
  const file = join(workdir(), "template.yaml");
  writeFileSync(
    file,
    [
      "Transform: AWS::Serverless-2016-10-31",
      "Resources:",
      fn("guarded"),
      fn("tuned"),
      fn("cancelled"),
    ].join("\n"),
  );
  return file;
}

describe("power_tune on a deployed function (a Lambda API over HTTP)", () => {
  let account: EmulatedAccount;
  beforeAll(async () => {
    account = await startEmulatedAccount(template());
  });
  afterAll(async () => {
    await account?.stop();
  });
  const arnOf = async (name: string) =>
    (await account.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })))
      .FunctionArn as string;

  it("is refused without --allow-write, naming the flag, and the function is left as it was", async () => {
    const { client } = await connectStdio({ cwd: workdir(), env: CREDENTIALS });
    try {
      const before = await account.snapshot("guarded");
      for (const args of [
        { target: { functionName: "guarded", endpointUrl: account.endpoint }, num: 2 },
        { lambdaARN: await arnOf("guarded"), target: { endpointUrl: account.endpoint } },
      ]) {
        const result = await callPowerTune(client, args);
        expect(result.isError).toBe(true);
        expect(summaryOf(result)).toBe(
          "tuning a deployed function changes its memory while it runs, and this server is read-only: start it with --allow-write (lambda-optimizer mcp --allow-write) to allow changes to deployed functions",
        );
      }
      const applying = await callPowerTune(client, {
        target: { functionName: "guarded", endpointUrl: account.endpoint },
        apply: true,
      });
      expect(summaryOf(applying)).toMatch(/and apply sets the winner for good, .* --allow-write/);
      expect(await account.snapshot("guarded")).toEqual(before);
    } finally {
      await client.close();
    }
  });

  describe("with --allow-write", () => {
    let client: Client;
    const cwd = workdir();
    beforeAll(async () => {
      ({ client } = await connectStdio({ args: ["--allow-write"], cwd, env: CREDENTIALS }));
    });
    afterAll(async () => {
      await client?.close();
    });

    it("tunes it by Power Tuning's lambdaARN and puts it back as it was", async () => {
      const before = await account.snapshot("tuned");
      const arn = await arnOf("tuned");
      const result = await callPowerTune(client, {
        lambdaARN: arn,
        target: { endpointUrl: account.endpoint },
        powerValues: ["128", 256],
        num: 2,
        parallelInvocation: true,
      });
      expect(result.isError, summaryOf(result)).toBeFalsy();
      const tuned = TuneResultSchema.parse(result.structuredContent);
      expect(tuned.target).toMatchObject({ kind: "aws", functionArn: arn });
      expect(tuned.settings).toMatchObject({ memoryMb: [128, 256], num: 2, parallel: true });
      expect(tuned.original).toMatchObject({ memoryMb: 1024, architecture: "x86_64" });
      expect(
        tuned.results.map((entry) => [entry.memoryMb, entry.status, entry.invocations]),
      ).toEqual([
        [128, "ok", 2],
        [256, "ok", 2],
      ]);
      expect(tuned.tuningCostUsd).toBeGreaterThan(0);
      expect(flat(summaryOf(result))).toContain(
        `Recommended: ${tuned.recommendation?.memoryMb} MB x86_64`,
      );
      expect(await account.snapshot("tuned")).toEqual(before);
    });

    it("stops when the call is cancelled and puts the function back: nothing the tuner made is left", async () => {
      const before = await account.snapshot("cancelled");
      expect(before).toMatchObject({ memoryMb: 1024, versions: ["$LATEST"], aliases: [] });
      const controller = new AbortController();
      const call = callPowerTune(
        client,
        {
          target: { functionName: "cancelled", endpointUrl: account.endpoint },
          powerValues: [128, 256, 512, 2048],
          num: 200,
          sleepBetweenMs: 5,
        },
        { signal: controller.signal },
      );
      // Mid-run: the tuner has published a configuration behind its own alias.
      await until(async () => ((await account.snapshot("cancelled")).aliases?.length ?? 0) > 0);
      controller.abort("the agent changed its mind");
      await expect(call).rejects.toThrow(/the agent changed its mind/);

      // The SDK drops a cancelled call's answer: the proof is the function itself. The run's
      // journal goes once the function is put back.
      const journal = join(cwd, ".lambda-optimizer", "journal");
      await until(async () => readdirSync(journal).length === 0, 120_000);
      expect(await account.snapshot("cancelled")).toEqual(before);
      // What was measured before the stop is kept, marked partial (compare_runs leaves it out).
      const runs = join(cwd, ".lambda-optimizer", "runs");
      await until(
        async () =>
          existsSync(runs) &&
          readdirSync(runs).some((name) => name.endsWith("-cancelled.partial.json")),
      );

      // The server serves on after the cancelled call.
      const again = await callPowerTune(client, { lambdaARN: "not-an-arn" });
      expect(summaryOf(again)).toBe(
        'lambdaARN "not-an-arn" is not valid: expected a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)',
      );
    });
  });
});
