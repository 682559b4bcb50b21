/**
 * A Power Tuning user's one step: `tune --input pt.json --format power-tuning`
 * on a local example handler, as a subprocess. The input sets the run, a flag
 * typed on the command line wins, and the output has Power Tuning's shape
 * with the figures of the run that was saved.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PowerTuningOutputSchema } from "../../src/tuning/power-tuning-output.js";
import { TuneResultSchema } from "../../src/tuning/tune-result.js";
import { runCli, startCli } from "../cli/run-cli.js";
import { FIXTURES } from "../emulator/emulator-fixtures.js";
import { CREDENTIALS, type EmulatedAccount, startEmulatedAccount } from "./emulated-account.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));
const IO_BOUND = join(EXAMPLES, "io-bound/handler.mjs:handler");
const ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders";

function workdirWithInput(input: unknown): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), "lo-tune-pt-"));
  const file = join(cwd, "power-tuning-input.json");
  writeFileSync(file, JSON.stringify(input, null, 2));
  return { cwd, file };
}

/** printJson's rounding: 15 significant digits. */
const printed = (value: number) => Number(value.toPrecision(15));

describe("tune --input (Power Tuning's execution input) --format power-tuning", () => {
  it("runs the input on a local handler and prints Power Tuning's output with the saved run's figures", () => {
    const { cwd, file } = workdirWithInput({
      lambdaARN: ARN,
      powerValues: [128, 512],
      num: 50,
      payload: { latencyMs: 30 },
      strategy: "cost",
      discardTopBottom: 0.2,
      includeOutputResults: true,
    });
    const result = runCli(
      ["tune", IO_BOUND, "--input", file, "--num", "5", "--format", "power-tuning"],
      { cwd },
    );
    expect(result.stderr).toContain(
      `--input ${file}: lambdaARN ${ARN} is replaced by ${IO_BOUND} from the command line`,
    );
    expect(result.stderr).toContain(
      `--input ${file}: num is replaced by --num from the command line`,
    );
    expect(result.status).toBe(0);
    const output = PowerTuningOutputSchema.parse(JSON.parse(result.stdout));

    const runs = join(cwd, ".lambda-optimizer", "runs");
    const saved = readdirSync(runs).filter((name) => name.endsWith(".json"));
    expect(saved).toHaveLength(1);
    const run = TuneResultSchema.parse(JSON.parse(readFileSync(join(runs, saved[0]!), "utf8")));
    // The input set the run; --num 5 won over its num 50.
    expect(run.settings).toMatchObject({
      memoryMb: [128, 512],
      num: 5,
      strategy: "cost",
      discard: 0.2,
    });
    expect(run.target.kind).toBe("local");
    for (const configuration of run.results) {
      expect(configuration).toMatchObject({ status: "ok", invocations: 5 });
      expect(configuration.durationMs.p50).toBeGreaterThanOrEqual(30);
    }

    // An I/O-bound function is cheapest at the smallest size.
    expect(run.recommendation?.memoryMb).toBe(128);
    const winner = run.results.find((configuration) => configuration.memoryMb === 128)!;
    expect(output.power).toBe(128);
    expect(output.cost).toBe(printed(winner.costPerInvocationUsd));
    expect(output.duration).toBe(printed(winner.durationMs.trimmedMean));
    expect(output.stateMachine.executionCost).toBe(0);
    expect(output.stateMachine.lambdaCost).toBe(printed(run.tuningCostUsd));
    expect(output.stats).toEqual(
      run.results.map((configuration) => ({
        value: configuration.memoryMb,
        averagePrice: printed(configuration.costPerInvocationUsd),
        averageDuration: printed(configuration.durationMs.trimmedMean),
      })),
    );
    // The visualization is our HTML report, written beside the run.
    const html = fileURLToPath(output.stateMachine.visualization);
    expect(html).toBe(join(runs, saved[0]!.replace(/\.json$/, ".html")));
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/i);
  }, 180_000);

  it("prints null for a dry run, as Power Tuning does", () => {
    const { cwd, file } = workdirWithInput({
      powerValues: [256],
      num: 5,
      payload: '{"latencyMs": 5}',
      dryRun: true,
    });
    const result = runCli(
      ["tune", IO_BOUND, "--input", file, "--format", "power-tuning", "--quiet"],
      { cwd },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("null\n");
  }, 120_000);

  it.each([
    [
      "payloadS3",
      { lambdaARN: ARN, num: 5, payloadS3: "s3://bucket/event.json" },
      [],
      '--input FILE: payloadS3 "s3://bucket/event.json": reading the payload from S3 is not supported; download the object and give its content as payload (or --payload-file FILE)',
    ],
    [
      "a field Power Tuning does not have",
      { lambdaARN: ARN, num: 5, memorySize: 512 },
      [],
      '--input FILE: unknown field "memorySize": not one of Power Tuning\'s input fields (lambdaARN, powerValues, num, payload, payloadS3, parallelInvocation, strategy, balancedWeight, autoOptimize, autoOptimizeAlias, dryRun, preProcessorARN, postProcessorARN, discardTopBottom, sleepBetweenRunsMs, onlyColdStarts, includeOutputResults, disablePayloadLogs, allowedExceptions)',
    ],
    [
      "postProcessorARN",
      { lambdaARN: ARN, num: 5, postProcessorARN: `${ARN}-cleanup` },
      [],
      "--input FILE: postProcessorARN: post-processor functions are not supported yet; clean up after the run instead",
    ],
    [
      "no lambdaARN and no handler",
      { num: 5 },
      ["--no-target"],
      "--input FILE: lambdaARN is missing: give it in the input, or a handler (app.mjs:handler) on the command line",
    ],
    [
      "two architectures in Power Tuning's shape",
      { num: 5, payload: {} },
      ["--arch", "x86_64,arm64"],
      "--format power-tuning describes one architecture, as Power Tuning tunes only the function's own: give --arch x86_64 or --arch arm64, or use --format json for both",
    ],
    [
      "--json with --format power-tuning",
      { num: 5, payload: {} },
      ["--json"],
      "give --json or --format power-tuning, not both",
    ],
  ])("exits 2 before running anything: %s", (_name, input, extra, message) => {
    const { cwd, file } = workdirWithInput(input);
    const withTarget = extra[0] === "--no-target" ? [] : [IO_BOUND];
    const flags = extra.filter((flag) => flag !== "--no-target");
    const result = runCli(
      ["tune", ...withTarget, "--input", file, "--format", "power-tuning", ...flags],
      { cwd },
    );
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim()).toBe(
      `lambda-optimizer: ${message.replace("--input FILE", `--input ${file}`)}`,
    );
    expect(existsSync(join(cwd, ".lambda-optimizer"))).toBe(false);
  });

  it("exits 2 on an unknown --format", () => {
    const result = runCli(["tune", IO_BOUND, "--format", "yaml"]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(
      'lambda-optimizer: --format "yaml" is not valid: expected text, json, power-tuning',
    );
  });
});

describe("tune --input with a lambdaARN: the AWS path (a Lambda API over HTTP)", () => {
  let account: EmulatedAccount;
  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), "lo-pt-account-"));
    const template = join(folder, "template.yaml");
    writeFileSync(
      template,
      [
        "Transform: AWS::Serverless-2016-10-31",
        "Resources:",
        "  Orders:",
        "    Type: AWS::Serverless::Function",
        "    Properties:",
        "      FunctionName: orders",
        `      CodeUri: ${join(FIXTURES, "node-faults")}`,
        "      Handler: index.ok",
        "      Runtime: nodejs22.x",
        "      MemorySize: 1024",
      ].join("\n"),
    );
    account = await startEmulatedAccount(template);
  }, 120_000);
  afterAll(() => account?.stop());

  it("tunes the ARN's function and applies the winner behind autoOptimizeAlias", async () => {
    const { cwd, file } = workdirWithInput({
      lambdaARN: ARN,
      powerValues: [128, 256],
      num: 5,
      payload: { orderId: 7 },
      autoOptimize: true,
      autoOptimizeAlias: "live",
    });
    const { finished } = startCli(
      [
        "tune",
        "--input",
        file,
        "--format",
        "power-tuning",
        "--endpoint-url",
        account.endpoint,
        "--quiet",
      ],
      { cwd, env: CREDENTIALS },
    );
    const result = await finished;
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const output = PowerTuningOutputSchema.parse(JSON.parse(result.stdout));
    // includeOutputResults was not set: no stats, as in Power Tuning.
    expect(output).not.toHaveProperty("stats");
    expect([128, 256]).toContain(output.power);
    const live = await account.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "orders", Qualifier: "live" }),
    );
    expect(live.MemorySize).toBe(output.power);
    const latest = await account.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: "orders" }),
    );
    // autoOptimize with an alias publishes the winner; $LATEST stays as it was.
    expect(latest.MemorySize).toBe(1024);
  }, 180_000);
});
